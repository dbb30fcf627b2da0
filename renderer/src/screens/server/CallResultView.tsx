// A tool's result: text shown as text, images as images, anything else as JSON; an error result stands out.
import { CircleCheck, TriangleAlert } from 'lucide-react';
import type { CallResult } from '../../../../shared/domain/mcp.js';
import { toJson } from '../../lib/format.js';

type Item = CallResult['content'][number];

function ContentItem({ item }: { item: Item }) {
  if (item.type === 'text' && typeof item.text === 'string') {
    return <pre className="code-block result-text">{item.text}</pre>;
  }
  if (item.type === 'image' && typeof item.data === 'string' && typeof item.mimeType === 'string' && item.mimeType.startsWith('image/')) {
    return <img className="result-image" src={`data:${item.mimeType};base64,${item.data}`} alt="Image returned by the tool" />;
  }
  return <pre className="code-block">{toJson(item)}</pre>;
}

export function CallResultView({ result }: { result: CallResult }) {
  return (
    <section className={`result ${result.isError ? 'result-error' : ''}`} aria-label="Call result" data-is-error={result.isError}>
      <h3 className="result-title">
        {result.isError ? (
          <>
            <TriangleAlert size={14} aria-hidden /> The tool reported an error
          </>
        ) : (
          <>
            <CircleCheck size={14} aria-hidden /> Result
          </>
        )}
      </h3>
      {result.content.length === 0 && <p className="muted">No content.</p>}
      {result.content.map((item, i) => (
        <ContentItem key={i} item={item} />
      ))}
      {result.structuredContent && (
        <details className="disclosure">
          <summary>Structured content</summary>
          <pre className="code-block">{toJson(result.structuredContent)}</pre>
        </details>
      )}
    </section>
  );
}
