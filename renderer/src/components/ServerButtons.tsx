// The start/stop buttons that fit a server's status; a server waiting for approval offers to review its launch, and a
// remote server that stopped short for want of a sign-in offers to sign in.
import { CircleStop, LogIn, Play, RotateCw, ShieldAlert } from 'lucide-react';
import type { ServerView } from '../../../shared/domain/servers.js';
import { needsSignIn } from '../lib/auth-words.js';
import { useConsent } from '../lib/consent-context.js';
import type { ServerControl } from '../lib/use-server-control.js';

export function ServerButtons({ server, control, restart = false }: { server: ServerView; control: ServerControl; restart?: boolean }) {
  const { openConsent } = useConsent();
  const { status } = server;
  const busy = control.pending;
  const label = `“${server.name}”`;
  if (status === 'awaiting_consent') {
    return (
      <>
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => void control.stop.run()} aria-label={`Cancel start of ${label}`}>
          Cancel start
        </button>
        <button type="button" className="btn btn-small btn-attention" onClick={() => openConsent(server.id)} aria-label={`Review launch of ${label}`}>
          <ShieldAlert size={14} aria-hidden /> Review launch
        </button>
      </>
    );
  }
  if (status === 'running' || status === 'starting' || status === 'backoff' || status === 'stopping') {
    return (
      <>
        {restart && status === 'running' && (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => void control.restart.run()}
            aria-label={`${control.restart.pending ? 'Restarting' : 'Restart'} ${label}`}
          >
            <RotateCw size={14} aria-hidden /> {control.restart.pending ? 'Restarting…' : 'Restart'}
          </button>
        )}
        <button
          type="button"
          className="btn btn-small"
          disabled={busy || status === 'stopping'}
          onClick={() => void control.stop.run()}
          aria-label={`${status === 'stopping' || control.stop.pending ? 'Stopping' : 'Stop'} ${label}`}
        >
          <CircleStop size={14} aria-hidden /> {status === 'stopping' || control.stop.pending ? 'Stopping…' : 'Stop'}
        </button>
      </>
    );
  }
  if (needsSignIn(server)) {
    return (
      <button
        type="button"
        className="btn btn-small btn-attention"
        disabled={busy}
        onClick={() => void control.signIn.run()}
        aria-label={`${control.signIn.pending ? 'Signing in to' : 'Sign in to'} ${label}`}
      >
        <LogIn size={14} aria-hidden /> {control.signIn.pending ? 'Signing in…' : 'Sign in'}
      </button>
    );
  }
  return (
    <button
      type="button"
      className="btn btn-small"
      disabled={busy}
      onClick={() => void control.start.run()}
      aria-label={`${control.start.pending ? 'Starting' : 'Start'} ${label}`}
    >
      <Play size={14} aria-hidden /> {control.start.pending ? 'Starting…' : 'Start'}
    </button>
  );
}

/** The error of the last button press, if any. */
export function controlError(control: ServerControl) {
  return control.start.error ?? control.stop.error ?? control.restart.error ?? control.signIn.error;
}
