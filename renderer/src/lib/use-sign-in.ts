// "Sign in" from any screen: open the sign-in already waiting for the server, or ask the host to connect, which puts
// one in the Inbox (and so on screen) when the server wants it.
import { isSignIn, type SignInItem } from './auth-words.js';
import { useHostState } from './host-state.js';
import { useSignInDialog } from './sign-in-context.js';
import { call } from './steward.js';
import { useAction, type Action } from './use-action.js';

export interface SignIn {
  /** The sign-in waiting in the Inbox for this server, if any. */
  waiting: SignInItem | undefined;
  start: Action<[]>;
}

export function useSignIn(serverId: string): SignIn {
  const { inbox } = useHostState();
  const { openSignIn } = useSignInDialog();
  const waiting = inbox.filter(isSignIn).find((i) => i.serverId === serverId);
  const start = useAction(async () => {
    if (waiting) openSignIn(waiting.id);
    else await call('auth:signIn', { serverId });
  });
  return { waiting, start };
}
