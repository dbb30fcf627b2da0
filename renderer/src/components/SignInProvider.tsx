// Holds the one sign-in dialog, queued as use-dialog-queue describes. Once the user opens the page, the host asks again
// with an item that waits for the browser (one sign-in per server), and the dialog moves on to it.
import { useMemo, type ReactNode } from 'react';
import { isSignIn, type SignInItem } from '../lib/auth-words.js';
import { SignInContext, type SignInOpener } from '../lib/sign-in-context.js';
import { useDialogQueue } from '../lib/use-dialog-queue.js';
import { SignInDialog } from './SignInDialog.js';

const sameServer = (current: SignInItem, arrived: SignInItem) => arrived.serverId === current.serverId;

export function SignInProvider({ children }: { children: ReactNode }) {
  const { open, waiting, show, close } = useDialogQueue(isSignIn, sameServer);
  const opener = useMemo<SignInOpener>(() => ({ openSignIn: show }), [show]);
  return (
    <SignInContext.Provider value={opener}>
      {children}
      {open && <SignInDialog key={open.id} item={open} waiting={waiting} onClose={(advance) => close(open.id, advance)} />}
    </SignInContext.Provider>
  );
}
