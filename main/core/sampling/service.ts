// Sampling requests from servers. Each one is a round whose life the round machine decides; this service checks the
// request, asks the policy, and applies what the machine says: the inbox, the model, the answer, the record, the audit.
import { ProtocolError } from '@modelcontextprotocol/client';
import type { InboxDecision } from '../../../shared/domain/inbox.js';
import {
  SamplingPolicySchema,
  type AskReason,
  type LoopView,
  type RoundRecord,
  type SamplingEdits,
  type SamplingPolicy,
  type SamplingPolicyPatch,
  type SamplingReply,
  type SamplingRequestView,
} from '../../../shared/domain/sampling.js';
import { StewardError } from '../../../shared/errors.js';
import type { Audit } from '../audit/index.js';
import type { HostEvents } from '../events.js';
import { timeOrderedId } from '../ids.js';
import type { Inbox } from '../inbox/index.js';
import { detached } from '../background.js';
import { CallControl, chooseModel, sortParameters, type ModelProvider, type ModelSettingsService } from '../models/index.js';
import { isoNow, type Clock, type Unexpected } from '../ports.js';
import type { LoopSummary, OwnerKey } from '../store/index.js';
import { applyEdits } from './edits.js';
import { LoopTracker } from './loops.js';
import { samplingVerdict } from './policy.js';
import { RoundLog, type SamplingRecords } from './round-log.js';
import { isFinal, received, roundTransition, type RoundEffect, type RoundEvent } from './round-machine.js';
import { auditEntry, momentOf, requestView, resultOf, rowOf, type Round, type SamplingContext } from './round.js';
import { UsageMeter } from './usage.js';
import { validateSamplingRequest, type SamplingRequest } from './validate.js';
import { roundRecord, roundView } from './views.js';

export { USER_REJECTED } from './round-machine.js';
export type { SamplingContext } from './round.js';
const INVALID_PARAMS = -32602;

export interface SamplingDeps {
  records: SamplingRecords;
  audit: Audit;
  inbox: Inbox;
  events: HostEvents;
  clock: Clock;
  provider: ModelProvider;
  models: ModelSettingsService;
  /** Tool calls in flight to a server, to say which one a request belongs to. */
  callsInFlight(serverId: string): { callId: string | null; name: string; ref: string }[];
  /** Errors in the work nobody waits for (timer flushes, asking the user). */
  unexpected: Unexpected;
  /** This Steward process: each round records who answers it, and nobody else finalises it while that process lives. */
  owner: OwnerKey;
}

type Decision = Extract<InboxDecision, { kind: 'sampling' }>;
type ReviewDecision = Extract<InboxDecision, { kind: 'sampling_review' }>;
export type PolicyPatch = SamplingPolicyPatch;

export class SamplingService {
  private readonly loops: LoopTracker;
  private readonly log: RoundLog;
  private readonly rounds = new Map<string, Round>();
  /** Open loops' summaries, kept here so a round's write and its event need no read. */
  private readonly loopInfo = new Map<string, LoopSummary>();
  private readonly loopGrants = new Set<string>();
  private readonly sessionGrants = new Set<string>();
  private readonly keptEdits = new Map<string, { edits: SamplingEdits; fromRound: number }>();
  /** Per-server policies as last read: policiesChanged() is how a change made elsewhere reaches this cache. */
  private readonly policies = new Map<string, SamplingPolicy>();
  private readonly usage: UsageMeter;

  constructor(private readonly deps: SamplingDeps) {
    this.loops = new LoopTracker(
      () => timeOrderedId(deps.clock.now()),
      () => deps.clock.now(),
      (loopId) => this.forget(loopId),
    );
    this.log = new RoundLog({
      records: deps.records,
      owner: deps.owner,
      loopOf: (loopId) => this.loopInfo.get(loopId),
      written: (loopIds) => loopIds.forEach((id) => this.changed(id)),
      alsoPending: () => deps.audit.flush(),
      unexpected: deps.unexpected,
    });
    this.usage = new UsageMeter(deps.records.sampling, deps.clock);
    deps.inbox.handle('sampling', (item, decision) => this.decide(item.request.requestId, decision, 'user'));
    deps.inbox.handle('sampling_review', (item, decision) => this.review(item.request.requestId, decision, 'user'));
  }

  /**
   * What Steward processes that are gone left: rounds only their journals held get their rows, then their open rounds
   * go through the round machine to "interrupted", with the reason, and their loops are announced. Rounds of a live
   * process (this one or another) are never touched; when two processes recover the same dead one, each round is ended
   * by exactly one. Returns how many loops were affected.
   */
  recover(isDead: (owner: { pid: number | null; started: string | null }) => boolean): number {
    const loops = new Set<string>();
    for (const owner of this.deps.records.sampling.journalOwners()) {
      if (isDead(owner)) for (const loopId of this.log.recoverJournal(owner, isDead)) loops.add(loopId);
    }
    const at = isoNow(this.deps.clock);
    for (const owner of this.deps.records.sampling.openRoundOwners()) {
      if (isDead(owner)) for (const round of this.log.interruptOpen(owner, at)) loops.add(round.loopId);
    }
    for (const loopId of loops) this.changed(loopId);
    return loops.size;
  }

  policy(serverId: string): SamplingPolicy {
    let policy = this.policies.get(serverId);
    if (!policy) {
      policy = this.deps.records.sampling.policy(serverId);
      this.policies.set(serverId, policy);
    }
    return policy;
  }

  /** Policies changed in another process: the next decision reads them again, and screens showing one hear of it. */
  policiesChanged(serverIds: readonly string[]): void {
    const before = new Map(this.policies);
    this.policies.clear();
    for (const serverId of serverIds) {
      const next = this.policy(serverId);
      if (JSON.stringify(before.get(serverId)) !== JSON.stringify(next)) this.deps.events.emit('sampling:policyChanged', { serverId, policy: next });
    }
  }

  /** Rounds recorded by another process count against the daily budget: the running totals are read again. */
  usageChanged(): void {
    this.flush();
    this.usage.clear();
  }

  /** Changes only the fields the patch names; the rest stay as they are. */
  setPolicy(serverId: string, serverName: string, patch: SamplingPolicyPatch): SamplingPolicy {
    const current = this.deps.records.sampling.policy(serverId);
    const next = SamplingPolicySchema.parse({ ...current, ...defined(patch), budgets: { ...current.budgets, ...defined(patch.budgets ?? {}) } });
    this.policies.set(serverId, next);
    this.deps.records.transaction(() => {
      this.deps.records.sampling.setPolicy(serverId, next);
      this.deps.audit.record('sampling.policy', {
        serverId,
        serverName,
        actor: 'user',
        summary: `Sampling for "${serverName}": ${next.mode === 'ask' ? 'ask every time' : next.mode === 'allow' ? 'allow within budget' : 'deny'}${next.reviewReplies ? ', review replies' : ''}.`,
        data: { ...next, changed: Object.keys(defined(patch)) },
      });
    });
    this.deps.events.emit('sampling:policyChanged', { serverId, policy: next });
    return next;
  }

  /** Handles one sampling/createMessage from a server; resolves to the MCP result or throws a ProtocolError. */
  handle(ctx: SamplingContext, params: unknown): Promise<Record<string, unknown>> {
    const policy = this.policy(ctx.serverId);
    const checked = validateSamplingRequest(params, { toolsAllowed: ctx.toolsDeclared && policy.allowTools });
    if (!checked.ok) return Promise.reject(new ProtocolError(INVALID_PARAMS, checked.message));
    const request = checked.request;
    const calls = this.deps.callsInFlight(ctx.serverId);
    const toolCall = calls.length === 1 ? (calls[0] ?? null) : null;
    const placed = this.loops.place(ctx.serverId, request.messages, toolCall?.ref ?? null);
    const at = isoNow(this.deps.clock);
    const info = this.loopInfo.get(placed.loopId) ?? this.newLoop(placed.loopId, ctx, toolCall?.name ?? null, at);
    info.rounds += 1;
    info.updatedAt = at;

    const kept = this.keptEdits.get(placed.loopId) ?? null;
    const choice = chooseModel(request.modelPreferences, this.deps.models.enabled(), this.deps.models.defaultModel());
    const sorted = sortParameters(request);
    const estimatedInputTokens = Math.max(1, Math.ceil(request.json.length / 4));
    const verdict = samplingVerdict({
      policy,
      granted: this.loopGrants.has(placed.loopId) ? 'loop' : this.sessionGrants.has(ctx.sessionKey) ? 'session' : null,
      usage: {
        tokensLastDay: this.usage.tokensLastDay(ctx.serverId),
        requestsLastMinute: this.usage.requestsLastMinute(ctx.serverId),
        loopRound: placed.round,
        waiting: this.waiting(ctx.serverId),
      },
      maxTokens: kept?.edits.maxTokens ?? request.maxTokens,
      estimatedInputTokens,
    });
    this.usage.noteRequest(ctx.serverId);

    return new Promise((resolve, reject) => {
      const round: Round = {
        id: timeOrderedId(this.deps.clock.now()),
        loopId: placed.loopId,
        number: placed.round,
        ctx,
        toolCall: toolCall ? { name: toolCall.name, callId: toolCall.callId } : null,
        receivedAt: at,
        request,
        model: choice.model,
        modelReason: choice.reason,
        estimatedInputTokens,
        parameters: sorted.parameters,
        paramsReport: sorted.report,
        state: received(at),
        sent: null,
        reply: null,
        returned: null,
        latencyMs: null,
        modelCall: undefined,
        recorded: false,
        owner: this.deps.owner,
        resolve,
        reject,
        detach: () => undefined,
        row: () => rowOf(round),
      };
      this.rounds.set(round.id, round);
      const onAbort = () => this.fire(round, { type: 'withdrawn', at: isoNow(this.deps.clock), why: 'The server cancelled the request.' });
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      round.detach = () => ctx.signal.removeEventListener('abort', onAbort);
      this.fire(round, { type: 'checked', at, verdict, review: policy.reviewReplies, kept });
      if (ctx.signal.aborted) onAbort();
    });
  }

  /** A decision on a waiting request, by the user (the inbox) or by the command line, which cannot show it. */
  private decide(requestId: string, decision: Decision, by: 'user' | 'unattended'): Promise<void> {
    const round = this.rounds.get(requestId);
    if (round?.state.status !== 'waiting') return Promise.reject(new StewardError('not_found', 'That request is no longer waiting.'));
    if (decision.decision === 'approve' && decision.edits) {
      // Edits that cannot apply are the decider's to fix: the request keeps waiting.
      try {
        applyEdits(round.request, decision.edits);
      } catch (error) {
        return Promise.reject(new StewardError('invalid_payload', (error as Error).message));
      }
    }
    const manual = decision.decision === 'approve' && decision.manualReply !== undefined;
    if (manual && decision.manualReply) {
      round.returned = {
        model: 'written-by-user',
        content: [{ type: 'text', text: decision.manualReply.text }],
        stopReason: 'endTurn',
        inputTokens: 0,
        outputTokens: 0,
      };
    }
    this.fire(round, {
      type: 'decided',
      at: isoNow(this.deps.clock),
      by,
      decision: decision.decision,
      grant: decision.grant,
      edits: decision.edits ?? null,
      keep: decision.keepEdits ?? false,
      manual,
    });
    return Promise.resolve();
  }

  private review(requestId: string, decision: ReviewDecision, by: 'user' | 'unattended'): Promise<void> {
    const round = this.rounds.get(requestId);
    if (round?.state.status !== 'reviewing' || !round.reply) return Promise.reject(new StewardError('not_found', 'That reply is no longer waiting.'));
    const edited = decision.decision === 'send' && decision.replyText !== undefined;
    if (edited && decision.replyText !== undefined) {
      if (round.reply.content.some((b) => b.type !== 'text')) {
        return Promise.reject(new StewardError('invalid_payload', 'Only a reply of text alone can be changed; this one asks for tools.'));
      }
      round.returned = { ...round.reply, content: [{ type: 'text', text: decision.replyText }] };
    }
    this.fire(round, { type: 'reviewed', at: isoNow(this.deps.clock), by, decision: decision.decision, edited });
    return Promise.resolve();
  }

  /** The command line cannot show a request or a reply: it is refused (and recorded as the command line's doing). */
  refuseUnattended(requestId: string): Promise<void> {
    const round = this.rounds.get(requestId);
    if (round?.state.status === 'reviewing') return this.review(requestId, { kind: 'sampling_review', decision: 'deny' }, 'unattended');
    return this.decide(requestId, { kind: 'sampling', decision: 'deny', grant: 'once' }, 'unattended');
  }

  /** One event through the round machine: the new state goes on record, then its effects are applied in order. */
  private fire(round: Round, event: RoundEvent): void {
    const { state, effects } = roundTransition(round.state, event);
    if (state === round.state) return;
    round.state = state;
    this.log.queue(round);
    for (const effect of effects) this.apply(round, effect);
    if (isFinal(state.status)) {
      this.rounds.delete(round.id);
      round.detach();
    }
  }

  private apply(round: Round, effect: RoundEffect): void {
    switch (effect.type) {
      case 'ask':
        // On record before the user is asked.
        this.recordNow(round);
        detached(this.deps.unexpected, `asking the user about sampling round ${round.id}`, this.ask(round, effect.reasons));
        return;
      case 'ask_review':
        this.recordNow(round);
        this.askReview(round);
        return;
      case 'withdraw':
        this.deps.inbox.removeKey(round.id);
        this.deps.inbox.removeKey(`review:${round.id}`);
        return;
      case 'grant':
        if (effect.grant === 'loop') this.loopGrants.add(round.loopId);
        else if (effect.grant === 'session') this.sessionGrants.add(round.ctx.sessionKey);
        else this.setPolicy(round.ctx.serverId, round.ctx.serverName, { mode: 'allow' });
        return;
      case 'keep_edits':
        if (effect.edits) this.keptEdits.set(round.loopId, { edits: effect.edits, fromRound: round.number });
        else this.keptEdits.delete(round.loopId);
        return;
      case 'call_model':
        this.callModel(round, effect.edits);
        return;
      case 'stop_model':
        round.modelCall?.stop();
        return;
      case 'answer':
        // The model's reply goes back as it came, unless the user changed it in review or wrote it.
        round.returned ??= round.reply;
        this.journal(round);
        round.resolve(resultOf(round));
        return;
      case 'refuse':
        this.journal(round);
        round.reject(new ProtocolError(effect.code, effect.message));
        return;
      case 'audit':
        this.audit(round, effect);
        return;
      case 'loop_replied':
        if (round.returned) this.loops.replied(round.loopId, round.request.messages, round.returned.content);
        return;
      case 'close_loop':
        this.loops.close(round.loopId);
        this.loopGrants.delete(round.loopId);
        this.keptEdits.delete(round.loopId);
        return;
    }
  }

  private callModel(round: Round, edits: SamplingEdits | null): void {
    let edited: SamplingRequest;
    try {
      edited = applyEdits(round.request, edits ?? undefined);
    } catch (error) {
      this.fire(round, { type: 'edits_refused', at: isoNow(this.deps.clock), message: (error as Error).message });
      return;
    }
    let prepared;
    try {
      prepared = this.deps.provider.prepare({
        model: round.model,
        systemPrompt: edited.systemPrompt,
        messages: edited.messages,
        tools: edited.tools,
        toolChoice: edited.toolChoice,
        maxTokens: edited.maxTokens,
        stopSequences: edited.stopSequences,
        parameters: round.parameters,
      });
    } catch (error) {
      this.fire(round, { type: 'model_failed', at: isoNow(this.deps.clock), message: error instanceof Error ? error.message : String(error) });
      return;
    }
    round.sent = JSON.stringify(prepared.body);
    // On record before the model is asked: the round, who let it go and the exact body (its row follows within moments).
    // Always, even for a round already on record: a round the user decided on was written when they decided, before
    // the body was prepared, and a crash during the model call must not leave its record without what was sent.
    this.log.journal(round);
    round.recorded = true;
    round.modelCall = new CallControl();
    const started = this.deps.clock.now();
    const reply = this.deps.provider.complete({ prepared, control: round.modelCall });
    reply.then(
      (answer) => {
        round.reply = answer;
        round.latencyMs = this.deps.clock.now() - started;
        this.countUsage(round, answer);
        this.fire(round, { type: 'model_replied', at: isoNow(this.deps.clock) });
      },
      (error: unknown) => {
        round.latencyMs = this.deps.clock.now() - started;
        this.fire(round, { type: 'model_failed', at: isoNow(this.deps.clock), message: error instanceof StewardError ? error.message : String(error) });
      },
    );
  }

  private async ask(round: Round, reasons: AskReason[]): Promise<void> {
    // A key that cannot be read (a damaged secrets file) is as good as none: the user can still write the reply.
    const view = { ...this.view(round), askReasons: reasons, noKey: !(await this.deps.models.hasKey().catch(() => false)) };
    // The request may have been withdrawn while the key was looked up.
    if (round.state.status !== 'waiting') return;
    this.deps.inbox.put<'sampling'>(round.id, { kind: 'sampling', serverId: round.ctx.serverId, serverName: round.ctx.serverName, request: view });
  }

  private askReview(round: Round): void {
    if (!round.reply) return;
    this.deps.inbox.put<'sampling_review'>(`review:${round.id}`, {
      kind: 'sampling_review',
      serverId: round.ctx.serverId,
      serverName: round.ctx.serverName,
      request: this.view(round),
      reply: round.reply,
    });
  }

  private view(round: Round): SamplingRequestView {
    return requestView(
      round,
      this.deps.models.enabled().find((m) => m.id === round.model),
    );
  }

  /** Puts a round that is not on record yet into the journal. */
  private journal(round: Round): void {
    if (round.recorded) return;
    this.log.journal(round);
    round.recorded = true;
  }

  /** The round's row, then the audit line, in one transaction (for a decision that must be on record first). */
  private recordNow(round: Round, also?: () => void): void {
    this.log.queue(round);
    this.log.flush(also);
    round.recorded = true;
  }

  private audit(round: Round, effect: Extract<RoundEffect, { type: 'audit' }>): void {
    const { serverId, serverName } = round.ctx;
    const at = momentOf(round);
    const entry = () => ({ serverId, serverName, actor: effect.actor, ...auditEntry(round, effect.kind, effect.summary, at) });
    if (effect.now) this.recordNow(round, () => this.deps.audit.record(effect.kind, entry()));
    // Something that already happened (a policy's approval, a reply): written with the round's row in its batch (every
    // step is queued there), and its line is built then too, off the round's latency, from the round as it stood.
    else this.deps.audit.queue(effect.kind, entry);
  }

  private newLoop(loopId: string, ctx: SamplingContext, toolCall: string | null, at: string): LoopSummary {
    const info: LoopSummary = {
      id: loopId,
      serverId: ctx.serverId,
      serverName: ctx.serverName,
      toolCall,
      startedAt: at,
      updatedAt: at,
      rounds: 0,
      inputTokens: 0,
      outputTokens: 0,
    };
    this.loopInfo.set(loopId, info);
    return info;
  }

  private countUsage(round: Round, reply: SamplingReply): void {
    this.usage.addTokens(round.ctx.serverId, reply.inputTokens + reply.outputTokens);
    const info = this.loopInfo.get(round.loopId);
    if (info) {
      info.inputTokens += reply.inputTokens;
      info.outputTokens += reply.outputTokens;
      info.updatedAt = isoNow(this.deps.clock);
    }
  }

  private waiting(serverId: string): number {
    let count = 0;
    for (const round of this.rounds.values()) if (round.ctx.serverId === serverId && round.state.status === 'waiting') count++;
    return count;
  }

  /** Writes what is queued now (reads call it first, so they see every round). */
  flush(): void {
    this.log.flush();
  }

  /** Steward stopping: every row written, and this process's journal cleared (nothing in it is needed any more). */
  close(): void {
    this.log.close();
  }

  /** The event carries the loop's summary (from memory while the loop is in use); a transcript is fetched with sampling:loop. */
  private changed(loopId: string): void {
    const summary = this.loopInfo.get(loopId) ?? this.deps.records.sampling.loop(loopId);
    if (!summary) return;
    const active = this.loops.isOpen(loopId);
    this.deps.events.emit('sampling:changed', { ...summary, status: active ? 'active' : 'ended' });
    if (!active) this.forget(loopId);
  }

  /** A closed loop's summary leaves memory once nothing of it is in flight or waiting to be written. */
  private forget(loopId: string): void {
    if (this.log.has(loopId)) return;
    for (const round of this.rounds.values()) if (round.loopId === loopId) return;
    this.loopInfo.delete(loopId);
  }

  listLoops(serverId: string | null, before: string | null, limit: number): LoopView[] {
    this.flush();
    return this.deps.records.sampling.loops(serverId, before, limit).map((l) => ({ ...l, status: this.loops.isOpen(l.id) ? 'active' : 'ended' }));
  }

  loop(loopId: string): LoopView | undefined {
    this.flush();
    const summary = this.deps.records.sampling.loop(loopId);
    if (!summary) return undefined;
    const rows = this.deps.records.sampling.rounds(loopId);
    return { ...summary, status: this.loops.isOpen(loopId) ? 'active' : 'ended', entries: rows.map((row, i) => roundView(row, rows[i - 1])) };
  }

  /** One round's whole record: the request as the server sent it and the request the model got, besides its view. */
  round(requestId: string): RoundRecord | undefined {
    this.flush();
    const row = this.deps.records.sampling.round(requestId);
    if (!row) return undefined;
    const rows = this.deps.records.sampling.rounds(row.loop_id);
    const previous = rows[rows.findIndex((r) => r.id === row.id) - 1];
    return roundRecord(row, previous, this.deps.records.sampling.loop(row.loop_id)?.serverName ?? '');
  }

  /** The loops a tool call started end with it. */
  toolCallEnded(serverId: string, ref: string): void {
    for (const loopId of this.loops.closeByToolCall(serverId, ref)) {
      this.loopGrants.delete(loopId);
      this.keptEdits.delete(loopId);
      this.changed(loopId);
    }
  }

  /** Session grants end when the session does. */
  sessionEnded(sessionKey: string): void {
    this.sessionGrants.delete(sessionKey);
  }
}

/** The fields a patch names (an absent or undefined field is not a change). */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
