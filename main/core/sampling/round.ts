// A sampling round in flight, and what is read off it: its row for the record, its view for the inbox, and the result
// the server gets. Pure projections; the service owns the rounds and changes them only through the round machine.
import type { AuditKind } from '../../../shared/domain/audit.js';
import type { ModelInfo, ParamNote, SamplingReply, SamplingRequestView } from '../../../shared/domain/sampling.js';
import { costEstimate, type CallControl, type SamplingParameters } from '../models/index.js';
import type { OwnerKey, RoundRow } from '../store/index.js';
import type { RoundState } from './round-machine.js';
import type { SamplingRequest } from './validate.js';

export interface SamplingContext {
  serverId: string;
  serverName: string;
  /** Changes each time the server's session is re-established: "for this session" grants end with it. */
  sessionKey: string;
  toolsDeclared: boolean;
  signal: AbortSignal;
}

/** A round on its way: what the server asked, what the machine decided so far, and what its effects produced. */
export interface Round {
  id: string;
  loopId: string;
  number: number;
  ctx: SamplingContext;
  toolCall: { name: string; callId: string | null } | null;
  receivedAt: string;
  request: SamplingRequest;
  model: string;
  modelReason: string;
  estimatedInputTokens: number;
  parameters: SamplingParameters;
  paramsReport: ParamNote[];
  state: RoundState;
  /** The Messages API body sent to the model, JSON. */
  sent: string | null;
  /** The reply as the model gave it. */
  reply: SamplingReply | null;
  /** The reply as the server gets it: the model's, one the user changed in review, or one the user wrote. */
  returned: SamplingReply | null;
  latencyMs: number | null;
  /** Stops the model call under way. */
  modelCall: CallControl | undefined;
  /** The Steward process answering it (this one). */
  owner: OwnerKey;
  /** Its row or its journal entry is on record. */
  recorded: boolean;
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  /** Stops listening for the server's cancel (once the round is over). */
  detach: () => void;
  row: () => RoundRow;
}

/** A round's steps as JSON, kept per list: a state's steps never change, and its row is built more than once. */
const stepsText = new WeakMap<readonly unknown[], string>();
function stepsJson(steps: readonly unknown[]): string {
  let text = stepsText.get(steps);
  if (text === undefined) {
    text = JSON.stringify(steps);
    stepsText.set(steps, text);
  }
  return text;
}

/** The round's record as it stands. */
export function rowOf(round: Round): RoundRow {
  const { state, reply, returned } = round;
  return {
    id: round.id,
    loop_id: round.loopId,
    server_id: round.ctx.serverId,
    round: round.number,
    received_at: round.receivedAt,
    status: state.status,
    decided_by: state.decidedBy,
    model: reply?.model ?? (round.sent ? round.model : null),
    input_tokens: reply?.inputTokens ?? 0,
    output_tokens: reply?.outputTokens ?? 0,
    latency_ms: round.latencyMs,
    stop_reason: returned?.stopReason ?? null,
    request: round.request.json,
    reply: reply ? JSON.stringify(reply.content) : null,
    error: state.error,
    edits: state.edits.length > 0 ? JSON.stringify(state.edits) : null,
    sent: round.sent,
    reply_returned: returned ? JSON.stringify(returned.content) : null,
    steps: stepsJson(state.steps),
    params_report: round.paramsReport.length > 0 ? JSON.stringify(round.paramsReport) : null,
    owner_pid: round.owner.pid,
    owner_started: round.owner.started,
  };
}

/** The request as the approval and review dialogs show it. */
export function requestView(round: Round, model: ModelInfo | undefined): SamplingRequestView {
  const r = round.request;
  const kept = round.state.kept?.edits ?? null;
  return {
    requestId: round.id,
    serverId: round.ctx.serverId,
    serverName: round.ctx.serverName,
    loopId: round.loopId,
    round: round.number,
    toolCall: round.toolCall,
    systemPrompt: r.systemPrompt,
    messages: r.messages,
    tools: r.tools,
    toolChoice: r.toolChoice,
    maxTokens: r.maxTokens,
    stopSequences: r.stopSequences,
    temperature: r.temperature ?? null,
    paramsReport: round.paramsReport,
    keptEdits: kept,
    model: round.model,
    modelReason: round.modelReason,
    estimatedInputTokens: round.estimatedInputTokens,
    costEstimateUsd: costEstimate(model, round.estimatedInputTokens, kept?.maxTokens ?? r.maxTokens),
    askReasons: [],
    noKey: false,
  };
}

/** The MCP result: the reply as returned; one block when the server offered no tools, as older servers expect. */
export function resultOf(round: Round): Record<string, unknown> {
  const reply = round.returned ?? { model: round.model, content: [{ type: 'text' as const, text: '' }], stopReason: null, inputTokens: 0, outputTokens: 0 };
  const withTools = round.request.tools.length > 0;
  return {
    role: 'assistant',
    model: reply.model,
    content: withTools ? reply.content : reply.content[0],
    ...(reply.stopReason ? { stopReason: reply.stopReason } : {}),
  };
}

/** What of a round changes as it moves on; each of these is replaced, never changed in place, so a copy of them holds. */
export type RoundMoment = Pick<Round, 'state' | 'reply' | 'returned' | 'latencyMs'>;

/** The round as it stands now, for an audit line built later. */
export const momentOf = (round: Round): RoundMoment => ({ state: round.state, reply: round.reply, returned: round.returned, latencyMs: round.latencyMs });

/**
 * An audit line for a step of the round: the machine says what and why; the round adds the numbers, as they stood at
 * `at` (by default, now).
 */
export function auditEntry(round: Round, kind: AuditKind, why: string, at: RoundMoment = round): { summary: string; data: Record<string, unknown> } {
  const serverName = round.ctx.serverName;
  const reply = at.returned ?? at.reply;
  const base = { requestId: round.id, loopId: round.loopId, round: round.number, decidedBy: at.state.decidedBy };
  if (kind === 'sampling.replied' && reply) {
    return {
      summary: `Model ${reply.model} answered "${serverName}" (round ${round.number}): ${reply.inputTokens} in, ${reply.outputTokens} out, ${at.latencyMs ?? 0} ms. ${why}`,
      data: {
        ...base,
        model: reply.model,
        inputTokens: reply.inputTokens,
        outputTokens: reply.outputTokens,
        latencyMs: at.latencyMs,
        stopReason: reply.stopReason,
        edited: at.returned !== null && at.returned !== at.reply,
      },
    };
  }
  if (kind === 'sampling.failed') return { summary: `Sampling for "${serverName}" failed: ${why}`, data: { ...base, model: round.model } };
  return {
    summary: `Sampling round ${round.number} for "${serverName}": ${why}`,
    data: { ...base, model: round.model, edited: at.state.edits.length > 0, manual: at.reply === null && at.returned !== null },
  };
}
