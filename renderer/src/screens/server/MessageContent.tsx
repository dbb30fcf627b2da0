// One content block from a server (a tool result or a prompt message) by its type: text as text, images and audio
// from their bytes, an embedded resource with its contents, a link to a resource that opens it in the Resources tab.
// Text is read as markdown and drawn as elements (never as HTML), with its plain text a click away.
import { ExternalLink } from 'lucide-react';
import { useState } from 'react';
import { Markdown } from '../../components/Markdown.js';
import { toJson } from '../../lib/format.js';
import { navigate } from '../../lib/router.js';
import { ResourceContents } from './ResourceContents.js';

type Item = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function MessageContent({ serverId, item }: { serverId: string; item: Item }) {
  const text = str(item.text);
  const data = str(item.data);
  const mimeType = str(item.mimeType);
  if (item.type === 'text' && text !== undefined) return <TextContent serverId={serverId} text={text} />;
  if (item.type === 'image' && data && mimeType?.startsWith('image/'))
    return <img className="result-image" src={`data:${mimeType};base64,${data}`} alt={`Image (${mimeType}) from the server`} />;
  if (item.type === 'audio' && data && mimeType?.startsWith('audio/'))
    return <audio className="result-audio" controls src={`data:${mimeType};base64,${data}`} aria-label={`Audio (${mimeType}) from the server`} />;
  if (item.type === 'resource' && item.resource && typeof item.resource === 'object') {
    const r = item.resource as Item;
    const uri = str(r.uri) ?? '';
    const content = {
      uri,
      ...(str(r.mimeType) ? { mimeType: str(r.mimeType) } : {}),
      ...(str(r.text) !== undefined ? { text: str(r.text) } : {}),
      ...(str(r.blob) ? { blob: str(r.blob) } : {}),
    };
    return (
      <div className="embedded-resource">
        <p className="muted">
          Embedded resource <span className="mono-text">{uri}</span>
        </p>
        <ResourceContents contents={[content]} />
      </div>
    );
  }
  if (item.type === 'resource_link' && str(item.uri)) {
    const uri = str(item.uri) ?? '';
    return (
      <p className="resource-link">
        <button type="button" className="btn btn-small" onClick={() => navigate('servers', serverId, 'resources', uri)}>
          <ExternalLink size={12} aria-hidden /> Open {str(item.name) ?? uri} in Resources
        </button>{' '}
        <span className="mono-text muted">{uri}</span>
      </p>
    );
  }
  return <pre className="code-block">{toJson(item)}</pre>;
}

function TextContent({ serverId, text }: { serverId: string; text: string }) {
  const [plain, setPlain] = useState(false);
  return (
    <div className="result-text-block">
      <button type="button" className="btn btn-small result-text-toggle" aria-pressed={plain} onClick={() => setPlain(!plain)}>
        Plain text
      </button>
      {plain ? <pre className="code-block result-text">{text}</pre> : <Markdown serverId={serverId} text={text} />}
    </div>
  );
}
