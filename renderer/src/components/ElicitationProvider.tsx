// Holds the one elicitation dialog: any screen opens it for an inbox item, and a question that arrives while the app is
// open opens it by itself. Questions that arrive while it is open wait their turn; closing one without an answer stops
// that queue (they stay in the Inbox). A page the user opened comes back as a new item waiting for the server, and the
// dialog moves on to it.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ElicitationContext, type ElicitationOpener } from '../lib/elicitation-context.js';
import { isElicitation, samePage, type ElicitationItem } from '../lib/elicitation-words.js';
import { useHostState } from '../lib/host-state.js';
import { ElicitationDialog } from './ElicitationDialog.js';
import { UrlElicitationDialog } from './UrlElicitationDialog.js';

export function ElicitationProvider({ children }: { children: ReactNode }) {
  const { inbox, servers } = useHostState();
  const [open, setOpen] = useState<ElicitationItem | null>(null);
  const openRef = useRef<ElicitationItem | null>(null);
  const inboxRef = useRef(inbox);
  /** Question ids already on screen or in the Inbox; null until the first inbox list arrived. */
  const known = useRef<Set<string> | null>(null);
  const queue = useRef<string[]>([]);

  const show = (item: ElicitationItem | null) => {
    openRef.current = item;
    setOpen(item);
  };

  useEffect(() => {
    inboxRef.current = inbox;
    // The inbox arrives with the server list; what waited before the app opened is announced by the Inbox badge only.
    if (servers.state !== 'ready') return;
    const questions = inbox.filter(isElicitation);
    const before = known.current;
    known.current = new Set(questions.map((i) => i.id));
    if (before === null) return;
    let arrived = questions.filter((i) => !before.has(i.id));
    const current = openRef.current;
    if (current?.kind === 'elicitation_url' && !questions.some((i) => i.id === current.id)) {
      const next = arrived.find((i) => i.kind === 'elicitation_url' && samePage(i, current));
      if (next) {
        arrived = arrived.filter((i) => i !== next);
        show(next);
      }
    }
    if (arrived.length === 0) return;
    if (openRef.current) queue.current.push(...arrived.map((i) => i.id));
    else {
      queue.current.push(...arrived.slice(1).map((i) => i.id));
      show(arrived[0]!);
    }
  }, [inbox, servers.state]);

  const opener = useMemo<ElicitationOpener>(
    () => ({
      openElicitation: (itemId) => {
        const item = inboxRef.current.filter(isElicitation).find((i) => i.id === itemId);
        if (item) show(item);
      },
    }),
    [],
  );

  const close = (advance: boolean) => {
    if (!advance) queue.current = [];
    let next: ElicitationItem | undefined;
    while (!next && queue.current.length > 0) {
      const id = queue.current.shift();
      next = inboxRef.current.filter(isElicitation).find((i) => i.id === id);
    }
    show(next ?? null);
  };

  const waiting = open !== null && inbox.some((i) => i.id === open.id);
  return (
    <ElicitationContext.Provider value={opener}>
      {children}
      {open?.kind === 'elicitation' && <ElicitationDialog key={open.id} item={open} waiting={waiting} onClose={close} />}
      {open?.kind === 'elicitation_url' && <UrlElicitationDialog key={open.id} item={open} waiting={waiting} onClose={close} />}
    </ElicitationContext.Provider>
  );
}
