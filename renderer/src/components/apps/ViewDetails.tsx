// What a view is allowed and what it did, for the user to see: the sandbox and the exact CSP in force (with what was
// refused and what it blocked), the messages and model context it sent, and the page it asks to open.
import { ExternalLink, ShieldCheck } from 'lucide-react';
import type { AppViewSpec, ViewViolation } from '../../../../shared/domain/apps.js';
import { formatClock } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import { LongText } from '../LongText.js';
import { Modal, ModalBody, ModalFooter } from '../Modal.js';
import { UrlBlock, UrlVerdictNotices } from '../UrlBlock.js';
import type { LinkRequest, ViewState } from './live-view.js';

const SOURCE_WORDS: Record<AppViewSpec['csp']['source'], string> = {
  content: 'the view’s own resource',
  list: 'the server’s resource list (the view declared nothing itself)',
  none: 'nothing: the view gets the restrictive default',
};

/** What the policy cannot say: WebRTC's servers and peers are hosts no directive Chromium knows covers. */
const WEBRTC_WORDS =
  'Not covered by the policy: calls (WebRTC) can reach hosts it does not list. The desktop app keeps them off UDP unless a view is allowed the camera or microphone; in browser mode only the browser’s own settings limit them.';

export function ViewDetails({ spec, violations }: { spec: AppViewSpec; violations: readonly ViewViolation[] }) {
  const { csp } = spec;
  const permissions = Object.keys(spec.permissions);
  return (
    <details className="disclosure app-view-details">
      <summary>
        <ShieldCheck size={13} aria-hidden /> Sandbox and content security policy
        {csp.refused.length > 0 && <span className="tag tag-warning">{csp.refused.length} declared source(s) refused</span>}
        {violations.length > 0 && <span className="tag tag-danger">{violations.length} blocked</span>}
      </summary>
      <dl className="app-view-facts">
        <div>
          <dt>Origin</dt>
          <dd>Its own, shared with no other server and not Steward’s</dd>
        </div>
        <div>
          <dt>Frame sandbox</dt>
          <dd className="mono-text">{spec.sandbox}</dd>
        </div>
        <div>
          <dt>Permissions</dt>
          <dd>{permissions.length > 0 ? <span className="mono-text">{spec.allow}</span> : 'None'}</dd>
        </div>
        <div>
          <dt>WebRTC</dt>
          <dd>{WEBRTC_WORDS}</dd>
        </div>
        <div>
          <dt>Declared in</dt>
          <dd>{SOURCE_WORDS[csp.source]}</dd>
        </div>
      </dl>
      <h4 className="section-label">Content-Security-Policy in force</h4>
      <pre className="code-block app-view-csp" tabIndex={0} aria-label="Content-Security-Policy in force">
        {csp.header.split('; ').join(';\n')}
      </pre>
      {csp.refused.length > 0 && (
        <>
          <h4 className="section-label">Declared but refused</h4>
          <ul className="app-view-list" aria-label="Refused sources">
            {csp.refused.map((r, i) => (
              <li key={i}>
                <code className="mono-text">{r.value}</code> in {r.directive}: {r.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {violations.length > 0 && (
        <>
          <h4 className="section-label">Blocked by the policy</h4>
          <ul className="app-view-list" aria-label="Blocked by the policy">
            {violations.map((v, i) => (
              <li key={i}>
                <span className="mono-text">{v.directive}</span>: <code className="mono-text">{v.blockedUri || 'inline content'}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}

/** What the view sent Steward to show and keep on record: its messages and its latest context for the model. */
export function ViewNotes({ messages, modelContext }: Pick<ViewState, 'messages' | 'modelContext'>) {
  if (messages.length === 0 && !modelContext) return null;
  return (
    <div className="app-view-notes">
      {messages.length > 0 && (
        <section aria-label="Messages from the view">
          <h4 className="section-label">Messages from the view</h4>
          <ol className="app-view-list">
            {messages.map((m, i) => (
              <li key={i}>
                <time className="muted" dateTime={m.at}>
                  {formatClock(m.at)}
                </time>{' '}
                <LongText text={m.text || '(no text)'} label="Message from the view" />
              </li>
            ))}
          </ol>
        </section>
      )}
      {modelContext && (
        <section aria-label="Context for the model">
          <h4 className="section-label">
            Context for the model <span className="muted">(updated {formatClock(modelContext.at)})</span>
          </h4>
          <LongText text={modelContext.text || '(empty)'} label="Context the view keeps for the model" />
        </section>
      )}
    </div>
  );
}

/** Escape or the close button hides the dialog and answers nothing: the view's bar offers the decision again. */
export function LinkDialog({
  link,
  tool,
  server,
  onDecide,
  onHide,
}: {
  link: LinkRequest;
  tool: string;
  server: string;
  onDecide: (open: boolean) => Promise<void>;
  onHide: () => void;
}) {
  const opening = useAction(() => onDecide(true));
  const { verdict } = link;
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onHide()}
      name="view-link"
      size="medium"
      title={
        <>
          The view of {tool} from “{server}” asks to open a page
        </>
      }
    >
      <ModalBody>
        <UrlBlock display={verdict.display} host={verdict.host} label="Address the view asks to open" />
        <UrlVerdictNotices verdict={verdict} refusal={<p>The view is told the page was not opened.</p>} />
        <p className="muted">It opens in your default browser, outside Steward. Nothing is opened unless you choose to.</p>
      </ModalBody>
      <ModalFooter
        aside={
          opening.error ? (
            <span className="inline-error" role="alert">
              {opening.error.message}
            </span>
          ) : null
        }
      >
        <button type="button" className="btn" onClick={() => void onDecide(false)} data-autofocus>
          Don’t open
        </button>
        <button type="button" className="btn btn-primary" disabled={!verdict.allowed || opening.pending} onClick={() => void opening.run()}>
          <ExternalLink size={14} aria-hidden /> Open in browser
        </button>
      </ModalFooter>
    </Modal>
  );
}
