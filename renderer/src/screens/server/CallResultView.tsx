// A tool's result, each content block by its type; structured content with the verdict against the tool's output
// schema (the MCP client refuses a result that does not match it); an error result stands out.
import { CircleCheck, TriangleAlert } from 'lucide-react';
import type { CallResult } from '../../../../shared/domain/mcp.js';
import { MessageContent } from './MessageContent.js';
import { toJson } from '../../lib/format.js';

export function CallResultView({
  serverId,
  result,
  outputSchema,
}: {
  serverId: string;
  result: CallResult;
  outputSchema?: Record<string, unknown> | undefined;
}) {
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
        <MessageContent key={i} serverId={serverId} item={item} />
      ))}
      {result.structuredContent && (
        <details className="disclosure">
          <summary>
            Structured content
            {outputSchema && !result.isError && <span className="schema-verdict"> · matches the tool’s output schema</span>}
            {!outputSchema && <span className="muted"> · the tool declares no output schema</span>}
          </summary>
          <pre className="code-block">{toJson(result.structuredContent)}</pre>
        </details>
      )}
    </section>
  );
}
