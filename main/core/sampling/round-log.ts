// Writes sampling rounds and their loops. A round's row is its whole record as it stands, written in batches (one
// transaction for every round that moved within a few milliseconds, with the audit lines waiting to be written); a
// round headed for the model before its row is written goes into the journal first, one cheap append. Journal entries
// outlive their rows for a while (they are cleared in bulk), so reading the journal back after a crash is idempotent.
import type { LoopSummary, RoundRow, Store } from '../store/index.js';
import { roundTransition, type RoundState } from './round-machine.js';
import { roundView } from './views.js';

export interface LoggedRound {
  id: string;
  loopId: string;
  /** The row as it stands now. */
  row(): RoundRow;
}

const BATCH_MS = 20;
/** Journal entries whose rows are written are cleared this many at a time: a delete per batch would cost a write per batch. */
export const CLEAR_EVERY = 256;

export class RoundLog {
  private readonly rounds = new Map<string, LoggedRound>();
  private readonly loops = new Set<string>();
  private journaledUpTo = 0;
  private clearedUpTo = 0;
  /** Journaled rounds whose rows are not committed yet, with their entry's sequence. */
  private readonly entryOf = new Map<string, number>();
  /** The first entry whose row a failed batch lost: it (and every later one) stays for the next start to read back. */
  private keepFrom = Number.POSITIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: Store,
    /** A loop's summary as it stands (the service keeps it in memory). */
    private readonly loopOf: (loopId: string) => LoopSummary | undefined,
    /** Told which loops a write touched, once it is committed. */
    private readonly written: (loopIds: string[]) => void,
    /** Other writes waiting for their batch (the audit's), which join this transaction rather than commit on their own. */
    private readonly alsoPending: () => void = () => undefined,
  ) {}

  /** The round's row goes into the next batch. */
  queue(round: LoggedRound): void {
    this.rounds.set(round.id, round);
    this.loops.add(round.loopId);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  /** Whether a write for this loop waits in the batch. */
  has(loopId: string): boolean {
    return this.loops.has(loopId);
  }

  /** Puts a round and its loop on record at once, in the journal: for a round about to reach the model. */
  journal(round: LoggedRound): void {
    const loop = this.loopOf(round.loopId);
    if (!loop) return;
    this.journaledUpTo = this.store.sampling.journal(round.id, { loop, round: round.row() });
    this.entryOf.set(round.id, this.journaledUpTo);
  }

  /**
   * Writes everything queued in one transaction (with `also`, when given, and the audit's queued lines), then tells who
   * listens. A batch that fails is gone from the queue (its rows as they then stood); the journal keeps the entries of
   * those rounds, so a round that reached the model is still read back at the next start.
   */
  flush(also?: () => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.rounds.size === 0 && !also) return;
    const rounds = [...this.rounds.values()];
    const loops = [...this.loops];
    this.rounds.clear();
    this.loops.clear();
    // Every journaled round was queued before its entry was written, so its row is in this batch or an earlier one.
    const upTo = Math.min(this.journaledUpTo, this.keepFrom - 1);
    const clear = upTo - this.clearedUpTo >= CLEAR_EVERY ? upTo : 0;
    try {
      this.store.transaction(() => {
        for (const id of loops) {
          const loop = this.loopOf(id);
          if (loop) this.store.sampling.putLoop(loop);
        }
        for (const round of rounds) this.store.sampling.putRound(round.row());
        this.alsoPending();
        also?.();
        if (clear > 0) this.store.sampling.clearJournal(clear);
      });
    } catch (error) {
      for (const round of rounds) this.keepFrom = Math.min(this.keepFrom, this.entryOf.get(round.id) ?? Number.POSITIVE_INFINITY);
      throw error;
    }
    for (const round of rounds) this.entryOf.delete(round.id);
    if (clear > 0) this.clearedUpTo = clear;
    if (loops.length > 0) this.written(loops);
  }

  /**
   * After a restart: each journaled round whose row is missing, or older than the entry (fewer steps), gets the entry as
   * its row, so the record holds every round that reached the model. Entries whose rows were written since (most of
   * them: the journal is cleared in bulk) change nothing, so reading the journal twice is harmless. Returns how many rows
   * it wrote.
   */
  recoverJournal(): number {
    const entries = this.store.sampling.journaled();
    if (entries.length === 0) return 0;
    let recovered = 0;
    this.store.transaction(() => {
      for (const { entry } of entries) {
        if (!entry) continue;
        const row = this.store.sampling.round(entry.round.id);
        if (row && stepCount(row.steps) >= stepCount(entry.round.steps)) continue;
        const loop = this.store.sampling.loop(entry.loop.id);
        // A loop's summary only grows: an entry older than the stored summary leaves it as it is.
        if (!loop || entry.loop.rounds > loop.rounds || (entry.loop.rounds === loop.rounds && entry.loop.updatedAt > loop.updatedAt)) {
          this.store.sampling.putLoop(entry.loop);
        }
        this.store.sampling.putRound(entry.round);
        recovered++;
      }
      this.store.sampling.clearJournal(entries.at(-1)?.seq ?? 0);
    });
    return recovered;
  }

  /** Open rounds on record (left by a Steward that stopped) are interrupted, through the round machine, with the reason. */
  interruptOpen(at: string): void {
    this.store.transaction(() => {
      for (const row of this.store.sampling.openRounds()) {
        const view = roundView(row, undefined);
        const state: RoundState = {
          status: row.status,
          decidedBy: view.decidedBy,
          steps: view.steps,
          edits: view.edits,
          review: false,
          kept: null,
          error: row.error,
        };
        const next = roundTransition(state, { type: 'host_stopped', at }).state;
        this.store.sampling.putRound({ ...row, status: next.status, steps: JSON.stringify(next.steps), error: next.error });
      }
    });
  }
}

/** How many steps a row's record holds (a damaged list counts as none). */
function stepCount(steps: string | null): number {
  try {
    const parsed: unknown = JSON.parse(steps ?? '[]');
    return Array.isArray(parsed) ? parsed.length : 0;
  } catch {
    return 0;
  }
}
