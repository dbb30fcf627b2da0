// Tools, prompts and resources come from a running server: explain when it is not, and offer to start it.
// A lazy-start server is asked directly; asking starts it. A remote server that wants a sign-in offers that instead.
import { LogIn, Play, ShieldAlert } from 'lucide-react';
import type { ReactNode } from 'react';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { ErrorNote, Loading } from '../../components/States.js';
import { needsSignIn } from '../../lib/auth-words.js';
import { useConsent } from '../../lib/consent-context.js';
import { useServerControl } from '../../lib/use-server-control.js';

export function NeedsRunning({ server, what, children }: { server: ServerView; what: string; children: ReactNode }) {
  const control = useServerControl(server.id);
  const { openConsent } = useConsent();
  const { status } = server;
  if (status === 'running' || (server.options.lazyStart && (status === 'stopped' || status === 'starting'))) return <>{children}</>;
  if (status === 'starting' || status === 'backoff') return <Loading label={`Waiting for “${server.name}” to start…`} />;
  const waiting = status === 'awaiting_consent';
  if (needsSignIn(server)) {
    return (
      <div className="not-running">
        <p>
          “{server.name}” answers only once you sign in. Its {what} are shown after that.
        </p>
        <button type="button" className="btn btn-attention" disabled={control.pending} onClick={() => void control.signIn.run()}>
          <LogIn size={14} aria-hidden /> {control.signIn.pending ? 'Signing in…' : `Sign in to ${server.name}`}
        </button>
        {control.signIn.error && <ErrorNote title="Signing in did not start." error={control.signIn.error} />}
      </div>
    );
  }
  return (
    <div className="not-running">
      <p>
        {waiting
          ? `“${server.name}” is waiting for you to approve its launch. Its ${what} are shown once it runs.`
          : `“${server.name}” is not running. Start it to see its ${what}.`}
      </p>
      {waiting ? (
        <button type="button" className="btn btn-attention" onClick={() => openConsent(server.id)}>
          <ShieldAlert size={14} aria-hidden /> Review launch
        </button>
      ) : (
        <button type="button" className="btn btn-primary" disabled={control.pending || status === 'stopping'} onClick={() => void control.start.run()}>
          <Play size={14} aria-hidden /> {control.start.pending ? 'Starting…' : `Start ${server.name}`}
        </button>
      )}
      {control.start.error && <ErrorNote title="It did not start." error={control.start.error} />}
    </div>
  );
}
