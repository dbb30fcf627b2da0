// What resources/read returned: text with its type named, images previewed, any other bytes offered as a file to save.
import { Download } from 'lucide-react';
import type { ResourceContent } from '../../../../shared/domain/mcp.js';
import { downloadBytes } from '../../lib/download.js';

/** The byte count base64 text decodes to. */
export function base64Bytes(text: string): number {
  const clean = text.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

function fileName(uri: string): string {
  const last = uri.split(/[/?#]/).filter(Boolean).at(-1) ?? 'resource';
  return last.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'resource';
}

export function ResourceContents({ contents }: { contents: ResourceContent[] }) {
  if (contents.length === 0) return <p className="muted">The resource is empty.</p>;
  return (
    <>
      {contents.map((part, i) => (
        <div key={i} className="resource-part">
          <p className="resource-meta">
            <span className="mono-text">{part.uri}</span> · <span className="mono-text">{part.mimeType ?? (part.blob !== undefined ? 'binary' : 'text')}</span>
          </p>
          {part.text !== undefined && (
            <pre className="code-block resource-text" data-type={part.mimeType ?? 'text/plain'} tabIndex={0} aria-label={`Contents of ${part.uri}`}>
              {part.text}
            </pre>
          )}
          {part.blob !== undefined && part.mimeType?.startsWith('image/') && (
            <img className="result-image" src={`data:${part.mimeType};base64,${part.blob}`} alt={`Image ${part.uri}`} />
          )}
          {part.blob !== undefined && (
            <p>
              <span className="muted">{base64Bytes(part.blob)} bytes. </span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => downloadBytes(fileName(part.uri), part.blob ?? '', part.mimeType ?? 'application/octet-stream')}
              >
                <Download size={12} aria-hidden /> Save
              </button>
            </p>
          )}
        </div>
      ))}
    </>
  );
}
