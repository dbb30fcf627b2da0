// Lets any screen open the one sign-in dialog for an inbox item.
import { createContext, useContext } from 'react';

export interface SignInOpener {
  openSignIn: (itemId: string) => void;
}

export const SignInContext = createContext<SignInOpener | null>(null);

export function useSignInDialog(): SignInOpener {
  const opener = useContext(SignInContext);
  if (!opener) throw new Error('useSignInDialog needs a SignInProvider above it.');
  return opener;
}
