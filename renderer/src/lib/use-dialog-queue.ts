// One dialog at a time for a kind of inbox item (sampling requests, questions, sign-ins): any screen opens it for an
// item, and an item that arrives while the app is open opens it by itself. Items that arrive while it is open wait
// their turn; closing one without an answer stops that queue (they stay in the Inbox). When the item on screen leaves
// the inbox and its successor arrives (the same page now waiting for the server, the same server asking again), the
// dialog moves on to it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { InboxItem } from '../../../shared/domain/inbox.js';
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

export function useDialogQueue<T extends InboxItem>(
  isKind: (item: InboxItem) => item is T,
  successor: (current: T, arrived: T) => boolean = () => false,
): DialogQueue<T> {
  const { inbox, servers } = useHostState();
  const [open, setOpen] = useState<T | null>(null);
  const openRef = useRef<T | null>(null);
  const inboxRef = useRef(inbox);
  /** Ids already on screen or in the Inbox; null until the first inbox list arrived. */
  const known = useRef<Set<string> | null>(null);
  const queue = useRef<string[]>([]);
  const kindRef = useRef({ isKind, successor });
  kindRef.current = { isKind, successor };

  const put = (item: T | null) => {
    openRef.current = item;
    setOpen(item);
  };
  const find = (id: string | undefined) => inboxRef.current.filter(kindRef.current.isKind).find((i) => i.id === id);

  useEffect(() => {
    inboxRef.current = inbox;
    // The inbox arrives with the server list; what waited before the app opened is announced by the Inbox badge only.
    if (servers.state !== 'ready') return;
    const items = inbox.filter(kindRef.current.isKind);
    const before = known.current;
    known.current = new Set(items.map((i) => i.id));
    if (before === null) return;
    let arrived = items.filter((i) => !before.has(i.id));
    const current = openRef.current;
    if (current && !items.some((i) => i.id === current.id)) {
      const next = arrived.find((i) => kindRef.current.successor(current, i));
      if (next) {
        arrived = arrived.filter((i) => i !== next);
        put(next);
      }
    }
    const [first, ...rest] = arrived;
    if (!first) return;
    if (openRef.current) queue.current.push(...arrived.map((i) => i.id));
    else {
      queue.current.push(...rest.map((i) => i.id));
      put(first);
    }
  }, [inbox, servers.state]);

  // Stable across renders (they read refs only), so a context built on them does not change.
  const actions = useMemo(
    () => ({
      show: (itemId: string) => {
        const item = find(itemId);
        if (item) put(item);
      },
      close: (itemId: string, advance: boolean) => {
        if (openRef.current?.id !== itemId) return;
        if (!advance) queue.current = [];
        let next: T | undefined;
        while (!next && queue.current.length > 0) next = find(queue.current.shift());
        put(next ?? null);
      },
    }),
    [],
  );
  return { open, waiting: open !== null && inbox.some((i) => i.id === open.id), ...actions };
}
