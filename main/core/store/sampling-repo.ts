// Sampling policies, loops and rounds. A round's row holds its whole record (the request as the server sent it, edits,
// the request sent to the model, the reply as received and as returned, the steps) and the process that answers it; a
// short journal, per process, keeps a round that is on its way to the model until its row is written.
import {
  FINAL_ROUND_STATUSES,
  ROUND_STATUSES,
  SamplingPolicySchema,
  type LoopView,
  type RoundStatus,
  type SamplingPolicy,
} from '../../../shared/domain/sampling.js';
import type { Db } from './database.js';
import type { OwnerKey } from './owners-repo.js';
import { SamplingJournal } from './sampling-journal.js';

type OwnerLike = { pid: number | null; started: string | null };

interface LoopRow {
  id: string;
  server_id: string;
  server_name: string;
  tool_call: string | null;
  started_at: string;
  updated_at: string;
  rounds: number;
  input_tokens: number;
  output_tokens: number;
}

export interface RoundRow {
  id: string;
  loop_id: string;
  server_id: string;
  round: number;
  received_at: string;
  status: RoundStatus;
  decided_by: string | null;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  latency_ms: number | null;
  stop_reason: string | null;
  /** The request as the server sent it, JSON. */
  request: string;
  /** The reply as the model gave it, JSON blocks. */
  reply: string | null;
  error: string | null;
  /** The user's edits, JSON (RoundEdit[]). */
  edits: string | null;
  /** The Messages API body sent, JSON. */
  sent: string | null;
  /** The reply as the server got it, JSON blocks. */
  reply_returned: string | null;
  /** JSON (RoundStep[]). */
  steps: string | null;
  /** JSON (ParamNote[]). */
  params_report: string | null;
  /** The Steward process answering it (null for rounds recorded before rounds had owners). */
  owner_pid: number | null;
  owner_started: string | null;
}

type JournalEntry = { loop: LoopSummary; round: RoundRow };

export type LoopSummary = Omit<LoopView, 'status' | 'entries'>;

const loopFrom = (r: LoopRow): LoopSummary => ({
  id: r.id,
  serverId: r.server_id,
  serverName: r.server_name,
  toolCall: r.tool_call,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
  rounds: r.rounds,
  inputTokens: r.input_tokens,
  outputTokens: r.output_tokens,
});

/** Rounds still in play, as SQL; anything else is over, and its row never changes again. */
const OPEN = ROUND_STATUSES.filter((s) => !FINAL_ROUND_STATUSES.includes(s))
  .map((s) => `'${s}'`)
  .join(', ');

export class SamplingRepo {
  private readonly s;
  private readonly file: SamplingJournal;

  /** `journalDir`: the folder of the journal's files (none for a database in memory). */
  constructor(db: Db, journalDir: string | null) {
    this.file = new SamplingJournal(journalDir);
    this.s = {
      policy: db.prepare<[string], { policy: string }>('SELECT policy FROM sampling_policies WHERE server_id = ?'),
      putPolicy: db.prepare<[string, string]>(
        'INSERT INTO sampling_policies (server_id, policy) VALUES (?, ?) ON CONFLICT (server_id) DO UPDATE SET policy = excluded.policy',
      ),
      putLoop: db.prepare<LoopSummary>(
        `INSERT INTO sampling_loops (id, server_id, server_name, tool_call, started_at, updated_at, rounds, input_tokens, output_tokens)
         VALUES (@id, @serverId, @serverName, @toolCall, @startedAt, @updatedAt, @rounds, @inputTokens, @outputTokens)
         ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, rounds = excluded.rounds,
           input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens`,
      ),
      loop: db.prepare<[string], LoopRow>('SELECT * FROM sampling_loops WHERE id = ?'),
      loops: db.prepare<{ serverId: string | null; before: string | null; limit: number }, LoopRow>(
        'SELECT * FROM sampling_loops WHERE (@serverId IS NULL OR server_id = @serverId) AND (@before IS NULL OR updated_at < @before) ORDER BY updated_at DESC LIMIT @limit',
      ),
      putRound: db.prepare<RoundRow>(
        `INSERT INTO sampling_rounds (id, loop_id, server_id, round, received_at, status, decided_by, model, input_tokens, output_tokens,
           latency_ms, stop_reason, request, reply, error, edits, sent, reply_returned, steps, params_report, owner_pid, owner_started)
         VALUES (@id, @loop_id, @server_id, @round, @received_at, @status, @decided_by, @model, @input_tokens, @output_tokens,
           @latency_ms, @stop_reason, @request, @reply, @error, @edits, @sent, @reply_returned, @steps, @params_report, @owner_pid, @owner_started)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, decided_by = excluded.decided_by, model = excluded.model,
           input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, latency_ms = excluded.latency_ms,
           stop_reason = excluded.stop_reason, reply = excluded.reply, error = excluded.error, edits = excluded.edits,
           sent = excluded.sent, reply_returned = excluded.reply_returned, steps = excluded.steps, params_report = excluded.params_report
         WHERE sampling_rounds.status IN (${OPEN})`,
      ),
      round: db.prepare<[string], RoundRow>('SELECT * FROM sampling_rounds WHERE id = ?'),
      rounds: db.prepare<[string], RoundRow>('SELECT * FROM sampling_rounds WHERE loop_id = ? ORDER BY round'),
      usageSince: db.prepare<[string, string], { at: string; tokens: number }>(
        'SELECT received_at AS at, input_tokens + output_tokens AS tokens FROM sampling_rounds WHERE server_id = ? AND received_at >= ? AND input_tokens + output_tokens > 0',
      ),
      openOwners: db.prepare<[], { owner_pid: number | null; owner_started: string | null }>(
        `SELECT DISTINCT owner_pid, owner_started FROM sampling_rounds WHERE status IN (${OPEN})`,
      ),
      openOf: db.prepare<[number | null, string | null], RoundRow>(
        `SELECT * FROM sampling_rounds WHERE status IN (${OPEN}) AND owner_pid IS ? AND owner_started IS ?`,
      ),
      move: db.prepare<{ id: string; from: RoundStatus; status: RoundStatus; steps: string; error: string | null }>(
        'UPDATE sampling_rounds SET status = @status, steps = @steps, error = @error WHERE id = @id AND status = @from',
      ),
      journaled: db.prepare<[], { seq: number; entry: string }>('SELECT seq, entry FROM sampling_journal ORDER BY seq'),
      journalOwners: db.prepare<[], { owner_pid: number | null; owner_started: string | null }>(
        'SELECT DISTINCT owner_pid, owner_started FROM sampling_journal',
      ),
      takeJournal: db.prepare<[number | null, string | null], { seq: number; entry: string }>(
        'DELETE FROM sampling_journal WHERE owner_pid IS ? AND owner_started IS ? RETURNING seq, entry',
      ),
      clearJournal: db.prepare<[number, string, number]>('DELETE FROM sampling_journal WHERE owner_pid = ? AND owner_started = ? AND seq <= ?'),
    };
  }

  policy(serverId: string): SamplingPolicy {
    const row = this.s.policy.get(serverId);
    if (!row) return SamplingPolicySchema.parse({});
    try {
      return SamplingPolicySchema.parse(JSON.parse(row.policy));
    } catch {
      // A damaged policy falls back to the safest one: ask every time.
      return SamplingPolicySchema.parse({});
    }
  }

  setPolicy(serverId: string, policy: SamplingPolicy): void {
    this.s.putPolicy.run(serverId, JSON.stringify(policy));
  }

  /** Writes a loop's summary as it now stands (inserted the first time). */
  putLoop(loop: LoopSummary): void {
    this.s.putLoop.run(loop);
  }

  loop(id: string): LoopSummary | undefined {
    const row = this.s.loop.get(id);
    return row ? loopFrom(row) : undefined;
  }

  loops(serverId: string | null, before: string | null, limit: number): LoopSummary[] {
    return this.s.loops.all({ serverId, before, limit }).map(loopFrom);
  }

  /** Writes a round's record as it now stands (inserted the first time); its loop must be written first. */
  putRound(round: RoundRow): void {
    this.s.putRound.run(round);
  }

  round(id: string): RoundRow | undefined {
    return this.s.round.get(id);
  }

  rounds(loopId: string): RoundRow[] {
    return this.s.rounds.all(loopId);
  }

  /** The processes that own open rounds (null for rounds recorded before rounds had owners). */
  openRoundOwners(): OwnerLike[] {
    return this.s.openOwners.all().map((r) => ({ pid: r.owner_pid, started: r.owner_started }));
  }

  /** One process's rounds not in a final status. */
  openRoundsOf(owner: OwnerLike): RoundRow[] {
    return this.s.openOf.all(owner.pid, owner.started);
  }

  /** Moves a round on only if it is still in status `from`: of two processes racing to end it, one does. */
  moveRound(id: string, from: RoundStatus, to: { status: RoundStatus; steps: string; error: string | null }): boolean {
    return this.s.move.run({ id, from, ...to }).changes === 1;
  }

  /** Tokens used per round since a time, oldest first: the starting point for a running daily total. */
  usageSince(serverId: string, since: string): { at: string; tokens: number }[] {
    return this.s.usageSince.all(serverId, since);
  }

  /**
   * Appends a round's record and its loop's to the owner's journal, in one small append to a file: the round is on
   * record before the model is asked, at a fraction of the cost of its indexed row (or of any SQLite transaction), which
   * follows within moments.
   */
  journal(owner: OwnerKey, entry: JournalEntry): number {
    return this.file.append(owner, JSON.stringify(entry));
  }

  /**
   * Every journal entry (a damaged one as null): the files', and what an older Steward left in the journal table, which
   * is still read back.
   */
  journaled(): { seq: number; entry: JournalEntry | null }[] {
    const fromTable = this.s.journaled.all().map((row) => parseEntry(row.entry));
    return [...fromTable, ...this.file.all().map(parseLine)].map((entry, seq) => ({ seq, entry }));
  }

  /** The processes with entries in the journal. */
  journalOwners(): OwnerLike[] {
    const owners = new Map<string, OwnerLike>();
    for (const o of [...this.s.journalOwners.all().map((r) => ({ pid: r.owner_pid, started: r.owner_started })), ...this.file.owners()]) {
      owners.set(`${String(o.pid)}:${String(o.started)}`, o);
    }
    return [...owners.values()];
  }

  /**
   * Takes one process's journal entries out for reading back (a damaged entry comes out as null). Its files are claimed
   * so that no other process reads them back too (a file claimed by a reader that is `gone` is claimed again), and
   * deleted by `release()` once the caller has committed their rows; the table's entries leave in the caller's
   * transaction.
   */
  takeJournal(owner: OwnerLike, reader: OwnerKey, gone: (o: OwnerLike) => boolean): { entries: (JournalEntry | null)[]; release(): void } {
    const fromTable = this.s.takeJournal
      .all(owner.pid, owner.started)
      .sort((a, b) => a.seq - b.seq)
      .map((row) => parseEntry(row.entry));
    const taken = this.file.take(owner, gone, reader);
    return { entries: [...fromTable, ...taken.lines.map(parseLine)], release: () => taken.release() };
  }

  /** Empties the owner's journal when `upTo` is its last entry: those rounds' rows are committed. */
  clearJournal(owner: OwnerKey, upTo: number): void {
    this.file.clear(owner, upTo);
  }

  /** Closes the journal's file; one with entries left stays for the next start to read back. */
  closeJournal(): void {
    this.file.close();
  }
}

const parseLine = (line: string | null) => (line === null ? null : parseEntry(line));

function parseEntry(text: string): JournalEntry | null {
  try {
    return JSON.parse(text) as JournalEntry;
  } catch {
    return null;
  }
}
