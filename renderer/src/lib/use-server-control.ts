// Start, stop and restart a server from any screen; a start that needs the user's approval opens the consent dialog, and
// a remote server that wants the user signs in.
import type { ServerView } from '../../../shared/domain/servers.js';
import { useConsent } from './consent-context.js';
import { useHostState } from './host-state.js';
import { call } from './steward.js';
import { useAction, type Action } from './use-action.js';
import { useSignIn } from './use-sign-in.js';

export interface ServerControl {
  start: Action<[]>;
  stop: Action<[]>;
  restart: Action<[]>;
  /** Opens the sign-in waiting for the server, or connects it, which asks when it must. */
  signIn: Action<[]>;
  pending: boolean;
}

function needsDecision(view: ServerView): boolean {
  return view.status === 'awaiting_consent' || (view.status !== 'running' && view.lastError?.code === 'consent_denied');
}

export function useServerControl(serverId: string): ServerControl {
  const { upsert } = useHostState();
  const { openConsent } = useConsent();
  const afterStart = (view: ServerView) => {
    upsert(view);
    if (needsDecision(view)) openConsent(serverId);
  };
  const start = useAction(async () => afterStart(await call('servers:start', { serverId })));
  const restart = useAction(async () => afterStart(await call('servers:restart', { serverId })));
  const stop = useAction(async () => upsert(await call('servers:stop', { serverId })));
  const signIn = useSignIn(serverId).start;
  return { start, stop, restart, signIn, pending: start.pending || stop.pending || restart.pending || signIn.pending };
}
