// A remote server's sign-in: whether Steward holds a token for it, from which issuer, with which scopes and until when,
// how Steward is registered there; signing in and out; and how Steward signs in (the settings form).
import { CircleCheck, Hourglass, LogIn, LogOut, RotateCcw, UserX } from 'lucide-react';
import { useState } from 'react';
import type { AuthView } from '../../../../shared/domain/auth.js';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { ErrorNote, Loading, Notice } from '../../components/States.js';
import { formatExpiry, REGISTRATION_WORDS } from '../../lib/auth-words.js';
import { formatDateTime, formatMoment } from '../../lib/format.js';
import { call } from '../../lib/steward.js';
import { useAuthView } from '../../lib/use-auth-view.js';
import { useNow } from '../../lib/use-now.js';
import { useSignIn } from '../../lib/use-sign-in.js';
import { AuthSettingsForm } from './AuthSettingsForm.js';
import '../../components/auth.css';
import './server-tabs.css';

export function SignInTab({ server }: { server: ServerView }) {
  const auth = useAuthView(server.id);
  return (
    <div className="scroll-pane settings">
      {auth.view.state === 'loading' && <Loading label="Loading the sign-in…" />}
      {auth.view.state === 'error' && <ErrorNote title="Steward could not read the sign-in." error={auth.view.error} onRetry={auth.reload} />}
      {auth.view.state === 'ready' && (
        <>
          <SignInStatus server={server} view={auth.view.data} onChanged={auth.show} />
          {/* One form per server: what was typed for one never carries over to another. */}
          <AuthSettingsForm key={server.id} view={auth.view.data} onSaved={auth.show} />
        </>
      )}
    </div>
  );
}

function SignInStatus({ server, view, onChanged }: { server: ServerView; view: AuthView; onChanged: (view: AuthView) => void }) {
  const now = useNow(1000);
  const signIn = useSignIn(server.id);
  const [signingOut, setSigningOut] = useState(false);
  const [reauthorizing, setReauthorizing] = useState(false);
  const name = `“${server.name}”`;
  return (
    <section className="settings-section card vstack" aria-labelledby="auth-status-title">
      <h2 className="settings-title" id="auth-status-title">
        Sign-in
      </h2>
      <p className={`auth-state ${view.signedIn ? 'auth-state-on' : 'auth-state-off'}`} data-testid="auth-state">
        {view.pending ? <Hourglass size={14} aria-hidden /> : view.signedIn ? <CircleCheck size={14} aria-hidden /> : <UserX size={14} aria-hidden />}
        {view.pending ? 'Waiting for you to sign in' : view.signedIn ? 'Signed in' : 'Not signed in'}
      </p>
      <dl className="auth-facts" aria-label="Sign-in details">
        <div>
          <dt>Issuer</dt>
          <dd>{view.issuer ? <code className="mono-text">{view.issuer}</code> : <span className="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Scopes</dt>
          <dd>
            {view.scopes.length === 0 ? (
              <span className="muted">—</span>
            ) : (
              <ul className="auth-scopes" aria-label="Scopes granted">
                {view.scopes.map((s) => (
                  <li key={s}>
                    <code className="code-tag">{s}</code>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>Token</dt>
          <dd>
            {!view.signedIn ? (
              <span className="muted">None held</span>
            ) : view.expiresAt ? (
              <span title={formatDateTime(view.expiresAt)}>
                Expires {formatExpiry(view.expiresAt, now)} ({formatMoment(view.expiresAt, now)}); Steward renews it when it can.
              </span>
            ) : (
              <span>The authorization server gave no expiry.</span>
            )}
            {view.signedIn && view.dpop && <span> Bound to this server’s key on this computer (DPoP): a copy of it is useless elsewhere.</span>}
          </dd>
        </div>
        <div>
          <dt>Steward is known as</dt>
          <dd>
            {view.registration ? REGISTRATION_WORDS[view.registration] : <span className="muted">Not registered yet: that happens at the first sign-in.</span>}
            {view.clientId && (
              <>
                {' '}
                — client ID <code className="mono-text">{view.clientId}</code>
              </>
            )}
          </dd>
        </div>
      </dl>
      {view.lastError && <Notice tone="danger">{view.lastError}</Notice>}
      <div className="auth-actions">
        {view.pending && signIn.waiting ? (
          <button type="button" className="btn btn-attention" onClick={() => void signIn.start.run()}>
            <LogIn size={14} aria-hidden /> Continue signing in
          </button>
        ) : (
          !view.signedIn && (
            <button type="button" className="btn btn-primary" disabled={signIn.start.pending} onClick={() => void signIn.start.run()}>
              <LogIn size={14} aria-hidden /> {signIn.start.pending ? 'Signing in…' : `Sign in to ${server.name}`}
            </button>
          )
        )}
        {view.signedIn && view.config.mode === 'oauth' && !view.pending && (
          <button type="button" className="btn" onClick={() => setReauthorizing(true)}>
            <RotateCcw size={14} aria-hidden /> Sign in again…
          </button>
        )}
        {view.signedIn && (
          <button type="button" className="btn btn-danger-outline" onClick={() => setSigningOut(true)}>
            <LogOut size={14} aria-hidden /> Sign out…
          </button>
        )}
        {signIn.start.error && (
          <span className="inline-error" role="alert">
            {signIn.start.error.message}
          </span>
        )}
      </div>
      {reauthorizing && (
        <ConfirmDialog
          title={<>Sign in to {name} again?</>}
          confirmLabel="Sign in again"
          onClose={() => setReauthorizing(false)}
          onConfirm={async () => {
            onChanged(await call('auth:signIn', { serverId: server.id, again: true }));
            setReauthorizing(false);
          }}
        >
          <p>
            Steward deletes the tokens it holds for {name}, disconnects it and asks you to sign in again — as another account, or to grant different access.
            Steward stays registered with the authorization server as it is.
          </p>
        </ConfirmDialog>
      )}
      {signingOut && (
        <ConfirmDialog
          title={<>Sign out of {name}?</>}
          confirmLabel="Sign out"
          onClose={() => setSigningOut(false)}
          onConfirm={async () => {
            onChanged(await call('auth:signOut', { serverId: server.id }));
            setSigningOut(false);
          }}
        >
          <p>
            Steward deletes the tokens it holds for {name} and disconnects it. Using {name} again asks you to sign in again. The sign-in settings below stay as
            they are.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
