// One dialog at a time for a kind of inbox item (sampling requests, questions, sign-ins): any screen opens it for an
// item, and an item that arrives while the app is open opens it by itself. Items that arrive while it is open wait
// their turn; closing one without an answer stops that queue (they stay in the Inbox). When the item on screen leaves
// the inbox and its successor arrives (the same page now waiting for the server, the same server asking again), the
// dialog moves on to it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { InboxItem } from '../../../shared/domain/inbox.js';
import { dialogClosed, EMPTY_QUEUE, inboxArrived, type QueueState } from './dialog-queue.js';
import { useHostState } from './host-state.js';

export interface DialogQueue<T extends InboxItem> {
  /** The item on screen, if any. */
  open: T | null;
  /** Whether the item on screen is still waiting in the inbox (false once it was answered elsewhere). */
  waiting: boolean;
  /** Puts an inbox item of this kind on screen; unknown ids are ignored. */
  show: (itemId: string) => void;
  /**
   * The dialog for `itemId` closed: `advance` after an answer moves on to the next waiting item, else the queue is
   * dropped. A dialog that closes after another item replaced it (its answer came back late) changes nothing.
   */
  close: (itemId: string, advance: boolean) => void;
}

/** What the dialog of a queued item is given. */
export interface QueuedDialogProps<T extends InboxItem> {
  item: T;
  /** False once the host no longer waits for an answer (it was answered, the server withdrew it, or it was answered elsewhere). */
  waiting: boolean;
  /** advance: open the next item of this kind that arrived meanwhile (after an answer, or once this one is gone). */
  onClose: (advance: boolean) => void;
}

export function useDialogQueue<T extends InboxItem>(
  isKind: (item: InboxItem) => item is T,
  successor: (current: T, arrived: T) => boolean = () => false,
): DialogQueue<T> {
  const { inbox, servers } = useHostState();
  const [open, setOpen] = useState<T | null>(null);
  const state = useRef<QueueState<T>>(EMPTY_QUEUE);
  const inboxRef = useRef(inbox);
  const kindRef = useRef({ isKind, successor });
  kindRef.current = { isKind, successor };

  const apply = (next: QueueState<T>) => {
    state.current = next;
    setOpen(next.open);
  };
  const find = (id: string) => inboxRef.current.filter(kindRef.current.isKind).find((i) => i.id === id);

  useEffect(() => {
    inboxRef.current = inbox;
    // The inbox arrives with the server list; what waited before the app opened is announced by the Inbox badge only.
    if (servers.state !== 'ready') return;
    apply(inboxArrived(state.current, inbox.filter(kindRef.current.isKind), kindRef.current.successor));
  }, [inbox, servers.state]);

  // Stable across renders (they read refs only), so a context built on them does not change.
  const actions = useMemo(
    () => ({
      show: (itemId: string) => {
        const item = find(itemId);
        if (item) apply({ ...state.current, open: item });
      },
      close: (itemId: string, advance: boolean) => apply(dialogClosed(state.current, itemId, advance, find)),
    }),
    [],
  );
  return { open, waiting: open !== null && inbox.some((i) => i.id === open.id), ...actions };
}
