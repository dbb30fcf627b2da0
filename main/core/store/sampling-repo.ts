// Sampling policies, loops and rounds. A round row is written when a request arrives and updated as it moves on.
import { SamplingPolicySchema, type LoopView, type RoundView, type SamplingPolicy } from '../../../shared/domain/sampling.js';
import type { Db } from './database.js';
import type { OwnerKey } from './owners-repo.js';

export interface NewRound {
  id: string;
  loopId: string;
  serverId: string;
  round: number;
  receivedAt: string;
  status: RoundView['status'];
  decidedBy: string | null;
  error: string | null;
  /** The request as received (validated), JSON. */
  request: string;
  /** The Steward process answering it: nobody else finalises the round while that process lives. */
  owner: OwnerKey;
}

export interface RoundUpdate {
  status: RoundView['status'];
  decidedBy?: string | null;
  model?: string | null;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs?: number | null;
  stopReason?: string | null;
  reply?: string | null;
  error?: string | null;
}

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
  status: RoundView['status'];
  decided_by: string | null;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  latency_ms: number | null;
  stop_reason: string | null;
  request: string;
  reply: string | null;
  error: string | null;
}

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

/** Rounds still in play; anything else is over. */
const OPEN = "'waiting', 'approved', 'sending', 'reviewing'";

export class SamplingRepo {
  private readonly s;

  private readonly updateBoth: (id: string, loopId: string, at: string, update: RoundUpdate, tokens: { input: number; output: number }) => void;

  constructor(db: Db) {
    this.s = {
      policy: db.prepare<[string], { policy: string }>('SELECT policy FROM sampling_policies WHERE server_id = ?'),
      putPolicy: db.prepare<[string, string]>(
        'INSERT INTO sampling_policies (server_id, policy) VALUES (?, ?) ON CONFLICT (server_id) DO UPDATE SET policy = excluded.policy',
      ),
      insertLoop: db.prepare(
        `INSERT INTO sampling_loops (id, server_id, server_name, tool_call, started_at, updated_at) VALUES (@id, @serverId, @serverName, @toolCall, @at, @at)`,
      ),
      touchLoop: db.prepare<[string, number, number, number, string]>(
        'UPDATE sampling_loops SET updated_at = ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, rounds = rounds + ? WHERE id = ?',
      ),
      loop: db.prepare<[string], LoopRow>('SELECT * FROM sampling_loops WHERE id = ?'),
      loops: db.prepare<{ serverId: string | null; before: string | null; limit: number }, LoopRow>(
        'SELECT * FROM sampling_loops WHERE (@serverId IS NULL OR server_id = @serverId) AND (@before IS NULL OR updated_at < @before) ORDER BY updated_at DESC LIMIT @limit',
      ),
      insertRound: db.prepare(
        `INSERT INTO sampling_rounds (id, loop_id, server_id, round, received_at, status, decided_by, error, request, owner_pid, owner_started)
         VALUES (@id, @loopId, @serverId, @round, @receivedAt, @status, @decidedBy, @error, @request, @ownerPid, @ownerStarted)`,
      ),
      updateRound: db.prepare(
        `UPDATE sampling_rounds SET status = @status, decided_by = COALESCE(@decidedBy, decided_by), model = COALESCE(@model, model),
           input_tokens = COALESCE(@inputTokens, input_tokens), output_tokens = COALESCE(@outputTokens, output_tokens),
           latency_ms = COALESCE(@latencyMs, latency_ms), stop_reason = COALESCE(@stopReason, stop_reason),
           reply = COALESCE(@reply, reply), error = COALESCE(@error, error)
         WHERE id = @id`,
      ),
      rounds: db.prepare<[string], RoundRow>('SELECT * FROM sampling_rounds WHERE loop_id = ? ORDER BY round'),
      usageSince: db.prepare<[string, string], { at: string; tokens: number }>(
        'SELECT received_at AS at, input_tokens + output_tokens AS tokens FROM sampling_rounds WHERE server_id = ? AND received_at >= ? AND input_tokens + output_tokens > 0',
      ),
      openOwners: db.prepare<[], { owner_pid: number | null; owner_started: string | null }>(
        `SELECT DISTINCT owner_pid, owner_started FROM sampling_rounds WHERE status IN (${OPEN})`,
      ),
      interrupt: db.prepare<[string, number | null, string | null], { id: string; loop_id: string }>(
        `UPDATE sampling_rounds SET status = 'interrupted', error = ? WHERE status IN (${OPEN}) AND owner_pid IS ? AND owner_started IS ? RETURNING id, loop_id`,
      ),
    };
    this.updateBoth = db.transaction((id: string, loopId: string, at: string, update: RoundUpdate, tokens: { input: number; output: number }) => {
      this.s.updateRound.run({
        id,
        status: update.status,
        decidedBy: update.decidedBy ?? null,
        model: update.model ?? null,
        inputTokens: update.inputTokens ?? null,
        outputTokens: update.outputTokens ?? null,
        latencyMs: update.latencyMs ?? null,
        stopReason: update.stopReason ?? null,
        reply: update.reply ?? null,
        error: update.error ?? null,
      });
      this.s.touchLoop.run(at, tokens.input, tokens.output, 0, loopId);
    });
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

  createLoop(loop: { id: string; serverId: string; serverName: string; toolCall: string | null; at: string }): void {
    this.s.insertLoop.run(loop);
  }

  loop(id: string): LoopSummary | undefined {
    const row = this.s.loop.get(id);
    return row ? loopFrom(row) : undefined;
  }

  loops(serverId: string | null, before: string | null, limit: number): LoopSummary[] {
    return this.s.loops.all({ serverId, before, limit }).map(loopFrom);
  }

  addRound(round: NewRound): void {
    const { owner, ...fields } = round;
    this.s.insertRound.run({ ...fields, ownerPid: owner.pid, ownerStarted: owner.started });
    // The loop counts the round (and moves up the list) as soon as it arrives, not only once it is decided.
    this.s.touchLoop.run(round.receivedAt, 0, 0, 1, round.loopId);
  }

  updateRound(id: string, loopId: string, at: string, update: RoundUpdate, tokens: { input: number; output: number } = { input: 0, output: 0 }): void {
    this.updateBoth(id, loopId, at, update, tokens);
  }

  rounds(loopId: string): RoundRow[] {
    return this.s.rounds.all(loopId);
  }

  /** Tokens used per round since a time, oldest first: the starting point for a running daily total. */
  usageSince(serverId: string, since: string): { at: string; tokens: number }[] {
    return this.s.usageSince.all(serverId, since);
  }

  /** The processes that own open rounds (null for rounds recorded before rounds had owners). */
  openRoundOwners(): { pid: number | null; started: string | null }[] {
    return this.s.openOwners.all().map((r) => ({ pid: r.owner_pid, started: r.owner_started }));
  }

  /**
   * An owner's open rounds become "interrupted" with the reason, in one statement: when two processes recover the same
   * dead owner, each round is ended (and reported) by exactly one. Returns the rounds it ended.
   */
  interruptRoundsOf(owner: { pid: number | null; started: string | null }, reason: string): { id: string; loopId: string }[] {
    return this.s.interrupt.all(reason, owner.pid, owner.started).map((r) => ({ id: r.id, loopId: r.loop_id }));
  }
}
