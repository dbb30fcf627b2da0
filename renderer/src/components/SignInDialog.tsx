// A remote server needs the user to sign in at its authorization server. Before anything opens, the dialog shows which
// server asks, where the sign-in page is (the whole address as text, its host standing out, the URL gate's verdict) and
// what access it asks for; only "Open in browser" hands the page to the system browser. Then it waits for the browser
// to come back to Steward, and says how the sign-in ended.
import { CircleCheck, Info } from 'lucide-react';
import type { AuthView } from '../../../shared/domain/auth.js';
import type { InboxDecision } from '../../../shared/domain/inbox.js';
import { visibleText } from '../../../shared/visible-text.js';
import { addedScopes, returnAddress, type SignInItem } from '../lib/auth-words.js';
import { call } from '../lib/steward.js';
import { useAnswer } from '../lib/use-answer.js';
import { useAuthView } from '../lib/use-auth-view.js';
import type { Loaded } from '../lib/use-load.js';
import type { QueuedDialogProps } from '../lib/use-dialog-queue.js';
import { AnswerFooter } from './AnswerFooter.js';
import { Modal, ModalBody } from './Modal.js';
import { Notice } from './States.js';
import { openingNote, UrlBlock, UrlVerdictNotices } from './UrlBlock.js';
import './auth.css';
import './elicitation.css';

type Action = Extract<InboxDecision, { kind: 'auth' }>['action'];

type Props = QueuedDialogProps<SignInItem>;

export function SignInDialog({ item, waiting, onClose }: Props) {
  const r = item.request;
  const host = r.verdict.host || 'the authorization server';
  const server = `“${item.serverName}”`;
  const auth = useAuthView(item.serverId).view;
  const { choice, decide, gone, answer } = useAnswer(waiting, async (action: Action) => {
    await call('inbox:decide', { itemId: item.id, decision: { kind: 'auth', action } });
    if (action === 'cancel') onClose(true);
  });

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose(gone)}
      name="sign-in"
      size="large"
      title={
        r.stage === 'waiting' ? (
          <>Waiting for you to finish signing in at {host}</>
        ) : r.reason === 'step_up' ? (
          <>{server} needs more access</>
        ) : (
          <>Sign in to {server}</>
        )
      }
      description={
        r.stage === 'consent' ? (
          <>
            {r.reason === 'step_up'
              ? `${server} needs more access than you granted so far; signing in again at its authorization server grants it.`
              : `${server} is a remote server that only answers once you sign in at its authorization server.`}{' '}
            Nothing is opened until you choose. <strong>Open in browser</strong> hands this exact address to your default browser, where you sign in; the
            browser then comes back to Steward on this computer and {server} connects. <strong>Cancel</strong> leaves it signed out; you can sign in later from
            its page. Closing this dialog answers nothing (it stays in your Inbox).
          </>
        ) : (
          <>
            Steward opened the sign-in page for {server} in your browser. When you finish there, the browser comes back to Steward and {server} connects.{' '}
            <strong>Cancel</strong> stops waiting, and a late answer from the browser is refused. Closing this dialog keeps waiting (it stays in your Inbox).
          </>
        )
      }
    >
      <ModalBody>
        {gone && <Outcome item={item} host={host} auth={auth} />}
        <Facts item={item} auth={auth} />
        <section className="elicit-address" aria-label="Sign-in page">
          <h3 className="section-label">Sign-in page{r.verdict.host ? <> · on {r.verdict.host}</> : null}</h3>
          <UrlBlock display={r.verdict.display} host={r.verdict.host} label="Full address of the sign-in page" testId="sign-in-url" />
          {r.verdict.display !== r.authorizationUrl && (
            <>
              <p className="field-hint">Exactly as the authorization server will get it:</p>
              <pre className="code-block url-block" tabIndex={0} aria-label="Address as sent">
                {r.authorizationUrl}
              </pre>
            </>
          )}
          <ReturnAddress url={r.authorizationUrl} />
        </section>
        <UrlVerdictNotices verdict={r.verdict} refusal={<>Cancel leaves {server} signed out.</>} />
      </ModalBody>
      <AnswerFooter
        problem={decide.error?.message ?? null}
        note={openingNote(r.stage, r.verdict, host)}
        gone={gone}
        onClose={() => onClose(true)}
        closeTone="primary"
        pending={decide.pending}
        chosen={choice}
        choices={[
          { id: 'cancel', label: 'Cancel', busy: 'Cancelling…', onClick: () => answer('cancel') },
          {
            id: 'open',
            label: r.stage === 'consent' ? 'Open in browser' : 'Open again',
            busy: 'Opening…',
            ...(r.stage === 'consent' ? { tone: 'primary' as const } : {}),
            disabled: !r.verdict.allowed,
            onClick: () => answer('open'),
          },
        ]}
      />
    </Modal>
  );
}

/** Which server asks, where it signs in, and the access it asks for (for a step-up, what is new). */
function Facts({ item, auth }: { item: SignInItem; auth: Loaded<AuthView> }) {
  const r = item.request;
  const held = r.reason === 'step_up' && auth.state === 'ready' ? auth.data.scopes : null;
  const added = held ? new Set(addedScopes(r.scopes, held)) : new Set<string>();
  return (
    <dl className="auth-facts">
      <div>
        <dt>Server</dt>
        <dd>
          {item.serverName} <code className="mono-text">{r.serverUrl}</code>
        </dd>
      </div>
      <div>
        <dt>Signs in at</dt>
        <dd>
          <mark className="url-host">{r.verdict.host || '—'}</mark>
        </dd>
      </div>
      <div>
        <dt>Access asked for</dt>
        <dd>
          {r.scopes.length === 0 ? (
            <span className="muted">No scopes named: what the authorization server gives by default.</span>
          ) : (
            <ul className="auth-scopes" aria-label="Scopes asked for">
              {r.scopes.map((s) => (
                <li key={s}>
                  <code className="code-tag">{visibleText(s)}</code>
                  {added.has(s) && <span className="tag tag-warning">new</span>}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
    </dl>
  );
}

/** Where the browser is sent back to: Steward's own listener on this computer. */
function ReturnAddress({ url }: { url: string }) {
  const back = returnAddress(url);
  return back ? (
    <p className="field-hint">
      Afterwards the browser comes back to <code className="mono-text">{back}</code>, where only the answer to this sign-in is accepted.
    </p>
  ) : null;
}

/** How the sign-in ended, once the host no longer waits for it. */
function Outcome({ item, host, auth }: { item: SignInItem; host: string; auth: Loaded<AuthView> }) {
  if (auth.state !== 'ready') return null;
  const v = auth.data;
  if (v.pending) return null;
  if (v.lastError) return <Notice tone="danger">{v.lastError}</Notice>;
  if (v.signedIn) {
    return (
      <Notice tone="info" icon={CircleCheck}>
        Signed in to “{item.serverName}” at {host}. It connects now.
      </Notice>
    );
  }
  return (
    <Notice tone="info" icon={Info}>
      This sign-in is no longer waiting: it was cancelled, or answered elsewhere.
    </Notice>
  );
}
