// Holds the one sampling dialog: any screen opens it for an inbox item, and a request that arrives while the app is
// open opens it by itself. Requests that arrive while it is open wait their turn; dismissing one without an answer
// stops that queue (they stay in the Inbox).
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useHostState } from '../lib/host-state.js';
import { SamplingContext, type SamplingOpener } from '../lib/sampling-context.js';
import { isAsk, type AskItem } from '../lib/sampling-words.js';
import { ReviewDialog } from './ReviewDialog.js';
import { SamplingDialog } from './SamplingDialog.js';

export function SamplingProvider({ children }: { children: ReactNode }) {
  const { inbox, servers } = useHostState();
  const [open, setOpen] = useState<AskItem | null>(null);
  const openRef = useRef<AskItem | null>(null);
  const inboxRef = useRef(inbox);
  /** Ask ids already on screen or in the Inbox; null until the first inbox list arrived. */
  const known = useRef<Set<string> | null>(null);
  const queue = useRef<string[]>([]);

  const show = (item: AskItem | null) => {
    openRef.current = item;
    setOpen(item);
  };

  useEffect(() => {
    inboxRef.current = inbox;
    // The inbox arrives with the server list; what waited before the app opened is announced by the Inbox badge only.
    if (servers.state !== 'ready') return;
    const asks = inbox.filter(isAsk);
    const before = known.current;
    known.current = new Set(asks.map((i) => i.id));
    if (before === null) return;
    const arrived = asks.filter((i) => !before.has(i.id));
    if (arrived.length === 0) return;
    if (openRef.current) queue.current.push(...arrived.map((i) => i.id));
    else {
      queue.current.push(...arrived.slice(1).map((i) => i.id));
      show(arrived[0]!);
    }
  }, [inbox, servers.state]);

  const opener = useMemo<SamplingOpener>(
    () => ({
      openSampling: (itemId) => {
        const item = inboxRef.current.filter(isAsk).find((i) => i.id === itemId);
        if (item) show(item);
      },
    }),
    [],
  );

  const close = (advance: boolean) => {
    if (!advance) queue.current = [];
    let next: AskItem | undefined;
    while (!next && queue.current.length > 0) {
      const id = queue.current.shift();
      next = inboxRef.current.filter(isAsk).find((i) => i.id === id);
    }
    show(next ?? null);
  };

  const waiting = open !== null && inbox.some((i) => i.id === open.id);
  return (
    <SamplingContext.Provider value={opener}>
      {children}
      {open?.kind === 'sampling' && <SamplingDialog key={open.id} item={open} waiting={waiting} onClose={close} />}
      {open?.kind === 'sampling_review' && <ReviewDialog key={open.id} item={open} waiting={waiting} onClose={close} />}
    </SamplingContext.Provider>
  );
}
