// Writes sampling rounds and their loops. A round's row is its whole record as it stands, written in batches (one
// transaction for every round that moved within a few milliseconds); a round headed for the model before its row is
// written goes into the journal first, one cheap append.
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

export class RoundLog {
  private readonly rounds = new Map<string, LoggedRound>();
  private readonly loops = new Set<string>();
  private journaledUpTo = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: Store,
    /** A loop's summary as it stands (the service keeps it in memory). */
    private readonly loopOf: (loopId: string) => LoopSummary | undefined,
    /** Told which loops a write touched, once it is committed. */
    private readonly written: (loopIds: string[]) => void,
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
  }

  /** Writes everything queued in one transaction (with `also`, when given), clears the journal, then tells who listens. */
  flush(also?: () => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.rounds.size === 0 && !also) return;
    const rounds = [...this.rounds.values()];
    const loops = [...this.loops];
    const journaled = this.journaledUpTo;
    this.rounds.clear();
    this.loops.clear();
    this.journaledUpTo = 0;
    this.store.transaction(() => {
      for (const id of loops) {
        const loop = this.loopOf(id);
        if (loop) this.store.sampling.putLoop(loop);
      }
      for (const round of rounds) this.store.sampling.putRound(round.row());
      also?.();
      if (journaled > 0) this.store.sampling.clearJournal(journaled);
    });
    if (loops.length > 0) this.written(loops);
  }

  /**
   * After a restart: rounds that were only in the journal get their rows, so the record holds every round that reached
   * the model. Returns how many.
   */
  recoverJournal(): number {
    const entries = this.store.sampling.journaled();
    if (entries.length === 0) return 0;
    let recovered = 0;
    this.store.transaction(() => {
      for (const { entry } of entries) {
        if (!entry || this.store.sampling.round(entry.round.id)) continue;
        // The journal's loop is at least as new as its row: the batch that would have updated both never ran.
        this.store.sampling.putLoop(entry.loop);
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
