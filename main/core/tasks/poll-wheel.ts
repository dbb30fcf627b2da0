// One timer for every followed task. Each turn goes into a slot of a wheel, the least loaded slot its window allows,
// so tasks started together at one interval spread over it instead of polling in bursts. A slot never fires early.
import type { Clock } from '../ports.js';

export const SLOT_MS = 50;
/**
 * How far from now a turn may be asked for, either way: slot numbers stay small whole numbers (about 6e8 at 50 ms),
 * where past 2^53 `slot + 1 === slot` and a search over slots would never end. A turn asked for later is taken at the
 * horizon; whoever asked for it is asked again then.
 */
export const HORIZON_MS = 365 * 24 * 3600_000;
/** The longest wait one timer holds: Node fires a timer asked for longer at once. A wait past it takes several timers. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class PollWheel {
  /**
   * Slots are counted from the one the wheel was made in: slot numbers of the epoch (about 3.5e10 at 50 ms) are past
   * V8's small integers, so every key in the maps and the heap would be a boxed number. Slot n opens at
   * (base + n) × slotMs, the same boundaries as counting from the epoch.
   */
  private readonly base: number;
  private readonly slots = new Map<number, Set<string>>();
  private readonly slotOf = new Map<string, number>();
  /** Slot numbers in use, as a binary min-heap; a slot emptied by cancel() stays until it comes up and is skipped. */
  private readonly heap: number[] = [];
  private timer: { cancel(): void } | undefined;
  private armedFor: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly due: (id: string) => void,
    private readonly slotMs = SLOT_MS,
  ) {
    this.base = Math.floor(clock.now() / slotMs);
  }

  /** When a slot opens, in ms since the epoch. */
  private opens(slot: number): number {
    return (this.base + slot) * this.slotMs;
  }

  /**
   * Schedules an id's next turn: never before `earliest`, in the least loaded slot from there to `spreadMs` later (the
   * earliest of those on a tie, so a task alone keeps its exact interval). Replaces any turn already scheduled. Returns
   * the time the slot opens. Times are taken within HORIZON_MS of now.
   */
  schedule(id: string, earliest: number, spreadMs: number): number {
    this.cancel(id);
    const now = this.clock.now();
    const from = Number.isNaN(earliest) ? now : Math.min(now + HORIZON_MS, Math.max(now - HORIZON_MS, earliest));
    const to = Math.min(now + HORIZON_MS, from + (spreadMs > 0 ? Math.min(spreadMs, HORIZON_MS) : 0));
    const first = Math.ceil(from / this.slotMs) - this.base;
    const span = Math.max(0, Math.floor(to / this.slotMs) - this.base - first);
    let best = first;
    let load = this.slots.get(first)?.size ?? 0;
    for (let step = 1; step <= span && load > 0; step++) {
      const slot = first + step;
      const size = this.slots.get(slot)?.size ?? 0;
      if (size < load) {
        best = slot;
        load = size;
      }
    }
    let ids = this.slots.get(best);
    if (!ids) {
      ids = new Set();
      this.slots.set(best, ids);
      this.push(best);
    }
    ids.add(id);
    this.slotOf.set(id, best);
    this.arm();
    return this.opens(best);
  }

  cancel(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    const ids = this.slots.get(slot);
    ids?.delete(id);
    if (ids?.size === 0) this.slots.delete(slot);
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** When the id's turn comes (ms since the epoch), if it has one. */
  dueAt(id: string): number | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.opens(slot);
  }

  get size(): number {
    return this.slotOf.size;
  }

  dispose(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.armedFor = undefined;
    this.slots.clear();
    this.slotOf.clear();
    this.heap.length = 0;
  }

  private arm(): void {
    const next = this.peek();
    if (next === undefined) {
      this.timer?.cancel();
      this.timer = undefined;
      this.armedFor = undefined;
      return;
    }
    if (this.armedFor === next && this.timer) return;
    this.timer?.cancel();
    this.armedFor = next;
    // A wait cut to MAX_TIMER_MS fires early and finds nothing due: fire() arms again for the rest.
    this.timer = this.clock.setTimeout(() => this.fire(), Math.min(MAX_TIMER_MS, Math.max(0, this.opens(next) - this.clock.now())));
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = undefined;
    const now = this.clock.now();
    const turns: string[] = [];
    for (let slot = this.peek(); slot !== undefined && this.opens(slot) <= now; slot = this.peek()) {
      this.pop();
      for (const id of this.slots.get(slot) ?? []) {
        this.slotOf.delete(id);
        turns.push(id);
      }
      this.slots.delete(slot);
    }
    // Arm for what is left before the turns run: a turn may schedule its task again.
    this.arm();
    for (const id of turns) this.due(id);
  }

  /** The earliest slot that still holds an id. */
  private peek(): number | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0];
      if (top !== undefined && this.slots.has(top)) return top;
      this.pop();
    }
    return undefined;
  }

  private push(slot: number): void {
    const heap = this.heap;
    heap.push(slot);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      const [a, b] = [heap[parent] ?? 0, heap[i] ?? 0];
      if (a <= b) break;
      heap[parent] = b;
      heap[i] = a;
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < heap.length && (heap[l] ?? 0) < (heap[smallest] ?? 0)) smallest = l;
      if (r < heap.length && (heap[r] ?? 0) < (heap[smallest] ?? 0)) smallest = r;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest] ?? 0, heap[i] ?? 0];
      i = smallest;
    }
  }
}
