// Sampling policies, loops and rounds. A round row is written when a request arrives and updated as it moves on.
import { SamplingPolicySchema, type LoopView, type RoundView, type SamplingPolicy } from '../../../shared/domain/sampling.js';
import type { Db } from './database.js';

export interface NewRound {
  id: string;
  loopId: string;
  serverId: string;
  round: number;
  receivedAt: string;
  status: RoundView['status'];
  /** The request as received (validated), JSON. */
  request: string;
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

export class SamplingRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      policy: db.prepare<[string], { policy: string }>('SELECT policy FROM sampling_policies WHERE server_id = ?'),
      putPolicy: db.prepare<[string, string]>(
        'INSERT INTO sampling_policies (server_id, policy) VALUES (?, ?) ON CONFLICT (server_id) DO UPDATE SET policy = excluded.policy',
      ),
      insertLoop: db.prepare(
        `INSERT INTO sampling_loops (id, server_id, server_name, tool_call, started_at, updated_at) VALUES (@id, @serverId, @serverName, @toolCall, @at, @at)`,
      ),
      touchLoop: db.prepare<[string, number, number, string]>(
        'UPDATE sampling_loops SET updated_at = ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, rounds = (SELECT COUNT(*) FROM sampling_rounds WHERE loop_id = sampling_loops.id) WHERE id = ?',
      ),
      loop: db.prepare<[string], LoopRow>('SELECT * FROM sampling_loops WHERE id = ?'),
      loops: db.prepare<{ serverId: string | null; before: string | null; limit: number }, LoopRow>(
        'SELECT * FROM sampling_loops WHERE (@serverId IS NULL OR server_id = @serverId) AND (@before IS NULL OR updated_at < @before) ORDER BY updated_at DESC LIMIT @limit',
      ),
      insertRound: db.prepare(
        `INSERT INTO sampling_rounds (id, loop_id, server_id, round, received_at, status, request)
         VALUES (@id, @loopId, @serverId, @round, @receivedAt, @status, @request)`,
      ),
      updateRound: db.prepare(
        `UPDATE sampling_rounds SET status = @status, decided_by = COALESCE(@decidedBy, decided_by), model = COALESCE(@model, model),
           input_tokens = @inputTokens, output_tokens = @outputTokens, latency_ms = COALESCE(@latencyMs, latency_ms),
           stop_reason = COALESCE(@stopReason, stop_reason), reply = COALESCE(@reply, reply), error = COALESCE(@error, error)
         WHERE id = @id`,
      ),
      round: db.prepare<[string], RoundRow>('SELECT * FROM sampling_rounds WHERE id = ?'),
      rounds: db.prepare<[string], RoundRow>('SELECT * FROM sampling_rounds WHERE loop_id = ? ORDER BY round'),
      tokensSince: db.prepare<[string, string], { total: number | null }>(
        'SELECT SUM(input_tokens + output_tokens) AS total FROM sampling_rounds WHERE server_id = ? AND received_at >= ?',
      ),
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
    this.s.insertRound.run(round);
  }

  updateRound(id: string, loopId: string, at: string, update: RoundUpdate, tokens: { input: number; output: number } = { input: 0, output: 0 }): void {
    const current = this.s.round.get(id);
    if (!current) return;
    this.s.updateRound.run({
      id,
      status: update.status,
      decidedBy: update.decidedBy ?? null,
      model: update.model ?? null,
      inputTokens: update.inputTokens ?? current.input_tokens,
      outputTokens: update.outputTokens ?? current.output_tokens,
      latencyMs: update.latencyMs ?? null,
      stopReason: update.stopReason ?? null,
      reply: update.reply ?? null,
      error: update.error ?? null,
    });
    this.s.touchLoop.run(at, tokens.input, tokens.output, loopId);
  }

  rounds(loopId: string): RoundRow[] {
    return this.s.rounds.all(loopId);
  }

  tokensSince(serverId: string, since: string): number {
    return this.s.tokensSince.get(serverId, since)?.total ?? 0;
  }
}
