// The decisions behind one dialog at a time for a kind of inbox item (see use-dialog-queue.ts), as pure functions of
// the queue's state: what a new inbox list puts on screen or in line, and what closing the dialog leaves open.

export interface QueueState<T extends { id: string }> {
  /** The item on screen, if any. */
  open: T | null;
  /** Ids waiting their turn, oldest first. */
  queue: readonly string[];
  /** Ids already on screen or in the Inbox; null until the first inbox list arrived. */
  known: ReadonlySet<string> | null;
}

export const EMPTY_QUEUE: QueueState<never> = { open: null, queue: [], known: null };

/**
 * The inbox's items of this kind as they are now. What waited before the first list is left to the Inbox; an item
 * that arrives opens when nothing is open, else waits; the successor of the item on screen (which has just left the
 * inbox) takes its place.
 */
export function inboxArrived<T extends { id: string }>(
  state: QueueState<T>,
  items: readonly T[],
  successor: (current: T, arrived: T) => boolean,
): QueueState<T> {
  const before = state.known;
  const known = new Set(items.map((i) => i.id));
  if (before === null) return { ...state, known };
  let arrived = items.filter((i) => !before.has(i.id));
  let open = state.open;
  if (open && !items.some((i) => i.id === open?.id)) {
    const current = open;
    const next = arrived.find((i) => successor(current, i));
    if (next) {
      arrived = arrived.filter((i) => i !== next);
      open = next;
    }
  }
  const [first, ...rest] = arrived;
  if (!first) return { ...state, open, known };
  if (open) return { open, known, queue: [...state.queue, ...arrived.map((i) => i.id)] };
  return { open: first, known, queue: [...state.queue, ...rest.map((i) => i.id)] };
}

/**
 * The dialog for `itemId` closed: after an answer (`advance`) the next waiting item still in the inbox opens; without
 * one the queue is dropped. A close from a dialog another item has replaced changes nothing.
 */
export function dialogClosed<T extends { id: string }>(
  state: QueueState<T>,
  itemId: string,
  advance: boolean,
  find: (id: string) => T | undefined,
): QueueState<T> {
  if (state.open?.id !== itemId) return state;
  const queue = advance ? [...state.queue] : [];
  let next: T | undefined;
  while (!next && queue.length > 0) next = find(queue.shift() ?? '');
  return { ...state, open: next ?? null, queue };
}
