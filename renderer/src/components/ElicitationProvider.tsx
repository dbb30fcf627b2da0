// Holds the one elicitation dialog (a form, or a page to open), queued as use-dialog-queue describes. A page the user
// opened comes back as a new item waiting for the server, and the dialog moves on to it.
import { useMemo, type ReactNode } from 'react';
import { ElicitationContext, type ElicitationOpener } from '../lib/elicitation-context.js';
import { isElicitation, samePage, type ElicitationItem } from '../lib/elicitation-words.js';
import { useDialogQueue } from '../lib/use-dialog-queue.js';
import { ElicitationDialog } from './ElicitationDialog.js';
import { UrlElicitationDialog } from './UrlElicitationDialog.js';

const samePageWaiting = (current: ElicitationItem, arrived: ElicitationItem) =>
  current.kind === 'elicitation_url' && arrived.kind === 'elicitation_url' && samePage(arrived, current);

export function ElicitationProvider({ children }: { children: ReactNode }) {
  const { open, waiting, show, close } = useDialogQueue(isElicitation, samePageWaiting);
  const opener = useMemo<ElicitationOpener>(() => ({ openElicitation: show }), [show]);
  return (
    <ElicitationContext.Provider value={opener}>
      {children}
      {open?.kind === 'elicitation' && <ElicitationDialog key={open.id} item={open} waiting={waiting} onClose={(advance) => close(open.id, advance)} />}
      {open?.kind === 'elicitation_url' && <UrlElicitationDialog key={open.id} item={open} waiting={waiting} onClose={(advance) => close(open.id, advance)} />}
    </ElicitationContext.Provider>
  );
}
