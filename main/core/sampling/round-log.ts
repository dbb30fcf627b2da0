// Writes sampling rounds and their loops. A round's row is its whole record as it stands, written in batches (one
// transaction for every round that moved within a few milliseconds, with the audit lines waiting to be written); a
// round headed for the model before its row is written goes into the journal first, one cheap append. Journal entries
// outlive their rows for a while (they are cleared in bulk), so reading the journal back after a crash is idempotent.
import { guarded } from '../background.js';
import type { Transact, Unexpected } from '../ports.js';
import type { LoopSummary, OwnerKey, RoundRow, SamplingRepo } from '../store/index.js';
import { roundTransition, type RoundState } from './round-machine.js';
import { roundView } from './views.js';

type OwnerLike = { pid: number | null; started: string | null };

export interface LoggedRound {
  id: string;
  loopId: string;
  /** The row as it stands now. */
  row(): RoundRow;
}

/** What the sampling domain keeps in the store (rounds, loops, policies, the journal) and a transaction over it. */
export interface SamplingRecords {
  sampling: Pick<
    SamplingRepo,
    | 'policy'
    | 'setPolicy'
    | 'putLoop'
    | 'loop'
    | 'loops'
    | 'putRound'
    | 'round'
    | 'rounds'
    | 'openRoundOwners'
    | 'openRoundsOf'
    | 'moveRound'
    | 'usageSince'
    | 'journal'
    | 'journalOwners'
    | 'takeJournal'
    | 'clearJournal'
  >;
  transaction: Transact;
}

export interface RoundLogDeps {
  records: SamplingRecords;
  /** This process: its journal entries are its own to clear, and its rows record it as the round's owner. */
  owner: OwnerKey;
  /** A loop's summary as it stands (the service keeps it in memory). */
  loopOf(loopId: string): LoopSummary | undefined;
  /** Told which loops a write touched, once it is committed. */
  written(loopIds: string[]): void;
  /** Other writes waiting for their batch (the audit's), which join this transaction rather than commit on their own. */
  alsoPending?: () => void;
  unexpected: Unexpected;
}

/**
 * How long a batch gathers. A commit costs about as much as several rounds' rows (it writes every page it touched: the
 * tables, their indexes, the change feed's revisions), and a batch runs while some round waits for its reply, so fewer,
 * larger batches delay fewer rounds. Every round that reached the model is in the journal meanwhile.
 */
const BATCH_MS = 50;
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

  constructor(private readonly deps: RoundLogDeps) {}

  private get store(): SamplingRecords {
    return this.deps.records;
  }

  /** The round's row goes into the next batch. */
  queue(round: LoggedRound): void {
    this.rounds.set(round.id, round);
    this.loops.add(round.loopId);
    // A batch nobody waits for: a failed write is reported (its rounds' journal entries stay) and the next change starts anew.
    this.timer ??= setTimeout(() => guarded(this.deps.unexpected, `writing ${this.rounds.size} queued sampling round(s)`, () => this.flush()), BATCH_MS);
  }

  /** Whether a write for this loop waits in the batch. */
  has(loopId: string): boolean {
    return this.loops.has(loopId);
  }

  /**
   * Puts a round and its loop on record at once, in the journal: for a round about to reach the model. Its row goes into
   * the next batch as well (it usually is there already): an entry is cleared once the rows written before it are, so a
   * round whose row was written just before it changed (one the user decided on, written at the decision) must have
   * its row written again, or a bulk clear would take the entry and leave the row as it was.
   */
  journal(round: LoggedRound): void {
    const loop = this.deps.loopOf(round.loopId);
    if (!loop) return;
    this.queue(round);
    this.journaledUpTo = this.store.sampling.journal(this.deps.owner, { loop, round: round.row() });
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
          const loop = this.deps.loopOf(id);
          if (loop) this.store.sampling.putLoop(loop);
        }
        for (const round of rounds) this.store.sampling.putRound(round.row());
        this.deps.alsoPending?.();
        also?.();
      });
    } catch (error) {
      for (const round of rounds) this.keepFrom = Math.min(this.keepFrom, this.entryOf.get(round.id) ?? Number.POSITIVE_INFINITY);
      throw error;
    }
    for (const round of rounds) this.entryOf.delete(round.id);
    // Only once the rows are committed may their entries go.
    if (clear > 0) {
      this.store.sampling.clearJournal(this.deps.owner, clear);
      this.clearedUpTo = clear;
    }
    if (loops.length > 0) this.deps.written(loops);
  }

  /** Steward stopping: what is queued is written, and with every row on record this process's journal is cleared. */
  close(): void {
    this.flush();
    if (this.keepFrom === Number.POSITIVE_INFINITY && this.journaledUpTo > this.clearedUpTo) {
      this.store.sampling.clearJournal(this.deps.owner, this.journaledUpTo);
      this.clearedUpTo = this.journaledUpTo;
    }
  }

  /**
   * For a Steward process that is gone: each round its journal holds whose row is missing, or older than the entry (fewer
   * steps), gets the entry as its row, so the record holds every round that reached the model. Entries whose rows were
   * written since (most of them: the journal is cleared in bulk) change nothing. The entries are claimed before they
   * are read, so two processes recovering the same owner never both write (a claim whose reader is `gone` is taken
   * over), and deleted once their rows are committed. Returns the loops it touched.
   */
  recoverJournal(owner: OwnerLike, gone: (o: OwnerLike) => boolean = () => false): string[] {
    const loops = new Set<string>();
    let release: (() => void) | undefined;
    this.store.transaction(() => {
      const taken = this.store.sampling.takeJournal(owner, this.deps.owner, gone);
      release = () => taken.release();
      for (const entry of taken.entries) {
        if (!entry) continue;
        const row = this.store.sampling.round(entry.round.id);
        if (row && !behind(row, entry.round)) continue;
        const loop = this.store.sampling.loop(entry.loop.id);
        // A loop's summary only grows: an entry older than the stored summary leaves it as it is.
        if (!loop || entry.loop.rounds > loop.rounds || (entry.loop.rounds === loop.rounds && entry.loop.updatedAt > loop.updatedAt)) {
          this.store.sampling.putLoop(entry.loop);
        }
        this.store.sampling.putRound(entry.round);
        loops.add(entry.loop.id);
      }
    });
    release?.();
    return [...loops];
  }

  /**
   * A gone process's open rounds go through the round machine ("Steward stopped") and are written only if they are still
   * as they were read: another recoverer that got there first wins, and the round is ended once. Returns the rounds it ended.
   */
  interruptOpen(owner: OwnerLike, at: string): { id: string; loopId: string }[] {
    const ended: { id: string; loopId: string }[] = [];
    for (const row of this.store.sampling.openRoundsOf(owner)) {
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
      if (this.store.sampling.moveRound(row.id, row.status, { status: next.status, steps: JSON.stringify(next.steps), error: next.error })) {
        ended.push({ id: row.id, loopId: row.loop_id });
      }
    }
    return ended;
  }
}

/**
 * Whether a stored row is behind a journal entry for the same round: it holds fewer steps, or as many without the body
 * the entry says went to the model (a round the user decided on is written when they decide, and journaled again with
 * its body as it leaves for the model).
 */
function behind(row: RoundRow, entry: RoundRow): boolean {
  const stored = stepCount(row.steps);
  const journaled = stepCount(entry.steps);
  return stored < journaled || (stored === journaled && row.sent === null && entry.sent !== null);
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
