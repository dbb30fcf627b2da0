// Lets any screen open the one sign-in dialog for an inbox item.
import { openerContext } from './opener-context.js';

export interface SignInOpener {
  openSignIn: (itemId: string) => void;
}

export const [SignInContext, useSignInDialog] = openerContext<SignInOpener>('useSignInDialog', 'SignInProvider');
