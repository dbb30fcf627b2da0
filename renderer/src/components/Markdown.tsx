// Markdown from a server, drawn as React elements: raw HTML shows as the text it is (never parsed), images are not
// fetched (their address is shown instead), and a link opens in the system browser only after the user has seen its
// whole address and said yes.
import { useState, type ReactNode } from 'react';
import type { UrlVerdict } from '../../../shared/domain/elicitation.js';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { call } from '../lib/steward.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { UrlBlock, UrlVerdictNotices } from './UrlBlock.js';

/** Fenced code and links keep their text; only addresses the URL gate could pass are offered as links at all. */
const LINKABLE = /^https?:\/\//i;

export function Markdown({ serverId, text }: { serverId: string; text: string }) {
  const [asking, setAsking] = useState<{ url: string; verdict: UrlVerdict } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const ask = (url: string) => {
    setFailed(null);
    call('links:check', { url }).then(
      (verdict) => setAsking({ url, verdict }),
      (e: unknown) => setFailed((e as Error).message),
    );
  };
  const components: Components = {
    a: ({ href, children }) =>
      href && LINKABLE.test(href) ? (
        <button type="button" className="link-button" title={href} onClick={() => ask(href)}>
          {children}
        </button>
      ) : (
        <span className="muted">{children}</span>
      ),
    img: ({ src, alt }) => <ImagePlaceholder src={typeof src === 'string' ? src : ''} alt={alt ?? ''} />,
  };
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {text}
      </ReactMarkdown>
      {failed && (
        <p className="inline-error" role="alert">
          {failed}
        </p>
      )}
      {asking !== null && (
        <ConfirmDialog
          title="Open this address in your browser?"
          confirmLabel="Open in browser"
          disabled={!asking.verdict.allowed}
          onClose={() => setAsking(null)}
          onConfirm={async () => {
            await call('links:open', { serverId, url: asking.url });
            setAsking(null);
          }}
        >
          <p>The server’s text links to:</p>
          <UrlBlock display={asking.verdict.display} host={asking.verdict.host} label="Address the link opens" />
          <UrlVerdictNotices verdict={asking.verdict} refusal={<p>The link stays closed.</p>} />
        </ConfirmDialog>
      )}
    </div>
  );
}

/** An image the text points to is not loaded: loading it would tell its host the user is reading. */
function ImagePlaceholder({ src, alt }: { src: string; alt: string }): ReactNode {
  return (
    <span className="markdown-image" role="img" aria-label={`Image not loaded: ${alt || src}`}>
      [image not loaded{alt ? `: ${alt}` : ''}] <span className="mono-text">{src}</span>
    </span>
  );
}
