// Sampling requests from servers: validate, group into loops, apply policy and budgets, ask the user, call the model, record.
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import type { InboxDecision } from '../../../shared/domain/inbox.js';
import {
  SamplingPolicySchema,
  type Budgets,
  type LoopView,
  type RoundView,
  type SamplingEdits,
  type SamplingPolicy,
  type SamplingReply,
  type SamplingRequestView,
} from '../../../shared/domain/sampling.js';
import { present, StewardError } from '../../../shared/errors.js';
import type { Audit } from '../audit/index.js';
import type { HostEvents } from '../events.js';
import type { Inbox } from '../inbox/index.js';
import { chooseModel, costEstimate, estimateTokens, type ModelProvider, type ModelSettingsService } from '../models/index.js';
import { guarded } from '../background.js';
import type { Clock, Unexpected } from '../ports.js';
import type { OwnerKey, Store } from '../store/index.js';
import { applyEdits } from './edits.js';
import { LoopTracker } from './loops.js';
import { samplingVerdict } from './policy.js';
import { validateSamplingRequest, type SamplingRequest } from './validate.js';
import { roundView } from './views.js';

/** JSON-RPC code the spec suggests for a request the user rejected. */
export const USER_REJECTED = -1;
const INVALID_PARAMS = -32602;

export interface SamplingContext {
  serverId: string;
  serverName: string;
  /** Changes each time the server's session is re-established: "for this session" grants end with it. */
  sessionKey: string;
  toolsDeclared: boolean;
  signal: AbortSignal;
}

export interface SamplingDeps {
  store: Store;
  audit: Audit;
  inbox: Inbox;
  events: HostEvents;
  clock: Clock;
  provider: ModelProvider;
  models: ModelSettingsService;
  /** Tool calls in flight to a server, to say which one a request belongs to. */
  callsInFlight(serverId: string): { callId: string | null; name: string; ref: string }[];
  /** Errors in the flushes nobody waits for. */
  unexpected: Unexpected;
  /** This Steward process: each round records who answers it, and nobody else finalises it while that process lives. */
  owner: OwnerKey;
}

type Decision = Extract<InboxDecision, { kind: 'sampling' }>;
export type PolicyPatch = Partial<Omit<SamplingPolicy, 'budgets'>> & { budgets?: Partial<Budgets> | undefined };

interface Waiting {
  resolve(decision: Decision | { kind: 'sampling_review'; decision: 'send' | 'deny' }): void;
}

export class SamplingService {
  private readonly loops: LoopTracker;
  private readonly waiting = new Map<string, Waiting>();
  private readonly loopGrants = new Set<string>();
  private readonly sessionGrants = new Set<string>();
  private readonly recent = new Map<string, number[]>();
  private pending: Array<() => void> = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly policies = new Map<string, SamplingPolicy>();
  private readonly dirty = new Set<string>();
  /** Tokens per round over the last 24 hours, per server: loaded from the record once, then kept up to date. */
  private readonly usage = new Map<string, { entries: { at: number; tokens: number }[]; total: number }>();

  constructor(private readonly deps: SamplingDeps) {
    this.loops = new LoopTracker(
      () => randomUUID(),
      () => deps.clock.now(),
    );
    const answer = (item: { id: string }, decision: Decision | { kind: 'sampling_review'; decision: 'send' | 'deny' }) => {
      const waiting = this.waiting.get(item.id);
      if (!waiting) throw new StewardError('not_found', 'That request is no longer waiting.');
      this.waiting.delete(item.id);
      deps.inbox.removeKey(item.id);
      waiting.resolve(decision);
    };
    deps.inbox.handle('sampling', (item, decision) => answer({ id: item.request.requestId }, decision));
    deps.inbox.handle('sampling_review', (item, decision) => answer({ id: `review:${item.request.requestId}` }, decision));
  }

  private iso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  policy(serverId: string): SamplingPolicy {
    let policy = this.policies.get(serverId);
    if (!policy) {
      policy = this.deps.store.sampling.policy(serverId);
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

  /**
   * Open rounds whose process is gone become "interrupted" with the reason, and their loops are announced; rounds of a
   * live process (this one or another) are never touched. Returns how many loops were affected.
   */
  recover(isDead: (owner: { pid: number | null; started: string | null }) => boolean): number {
    const reason = 'The Steward process answering this request stopped before it was answered.';
    const loops = new Set<string>();
    for (const owner of this.deps.store.sampling.openRoundOwners()) {
      if (!isDead(owner)) continue;
      for (const round of this.deps.store.sampling.interruptRoundsOf(owner, reason)) loops.add(round.loopId);
    }
    for (const loopId of loops) this.changed(loopId);
    return loops.size;
  }

  setPolicy(serverId: string, serverName: string, patch: PolicyPatch): SamplingPolicy {
    const next = SamplingPolicySchema.parse({ ...this.policy(serverId), ...patch, budgets: { ...this.policy(serverId).budgets, ...patch.budgets } });
    this.policies.set(serverId, next);
    this.deps.store.transaction(() => {
      this.deps.store.sampling.setPolicy(serverId, next);
      this.deps.audit.record('sampling.policy', {
        serverId,
        serverName,
        actor: 'user',
        summary: `Sampling for "${serverName}": ${next.mode === 'ask' ? 'ask every time' : next.mode === 'allow' ? 'allow within budget' : 'deny'}${next.reviewReplies ? ', review replies' : ''}.`,
        data: next,
      });
    });
    this.deps.events.emit('sampling:policyChanged', { serverId, policy: next });
    return next;
  }

  /** Handles one sampling/createMessage from a server; resolves to the MCP result or throws a ProtocolError. */
  async handle(ctx: SamplingContext, params: unknown): Promise<Record<string, unknown>> {
    const policy = this.policy(ctx.serverId);
    const checked = validateSamplingRequest(params, { toolsAllowed: ctx.toolsDeclared && policy.allowTools });
    if (!checked.ok) throw new ProtocolError(INVALID_PARAMS, checked.message);
    const request = checked.request;

    const calls = this.deps.callsInFlight(ctx.serverId);
    const toolCall = calls.length === 1 ? (calls[0] ?? null) : null;
    const placed = this.loops.place(ctx.serverId, request.messages, toolCall?.ref ?? null);
    const requestId = randomUUID();

    const enabled = this.deps.models.enabled();
    const choice = chooseModel(request.modelPreferences, enabled, this.deps.models.defaultModel());
    const estimatedInputTokens = estimateTokens(request);
    const view: SamplingRequestView = {
      requestId,
      serverId: ctx.serverId,
      serverName: ctx.serverName,
      loopId: placed.loopId,
      round: placed.round,
      toolCall: toolCall ? { name: toolCall.name, callId: toolCall.callId } : null,
      systemPrompt: request.systemPrompt,
      messages: request.messages,
      tools: request.tools,
      toolChoice: request.toolChoice,
      maxTokens: request.maxTokens,
      stopSequences: request.stopSequences,
      model: choice.model,
      modelReason: choice.reason,
      estimatedInputTokens,
      costEstimateUsd: costEstimate(
        enabled.find((m) => m.id === choice.model),
        estimatedInputTokens,
        request.maxTokens,
      ),
      askReasons: [],
      noKey: !(await this.deps.models.hasKey()),
    };

    const verdict = samplingVerdict({
      policy,
      granted: this.loopGrants.has(placed.loopId) || this.sessionGrants.has(ctx.sessionKey),
      usage: {
        tokensLastDay: this.tokensLastDay(ctx.serverId),
        requestsLastMinute: this.countRecent(ctx.serverId),
        loopRound: placed.round,
        waiting: this.deps.inbox.count(ctx.serverId, 'sampling'),
      },
      maxTokens: request.maxTokens,
      estimatedInputTokens,
    });
    this.noteRequest(ctx.serverId);

    // The arrival row and everything after it are written in one transaction before the server hears back
    // (or before the user is asked): one commit per round, and nothing is acknowledged before it is on record.
    const at = this.iso();
    const refused = verdict.action === 'deny' || verdict.action === 'refuse';
    this.write(placed.loopId, () => {
      if (placed.isNew) {
        this.deps.store.sampling.createLoop({ id: placed.loopId, serverId: ctx.serverId, serverName: ctx.serverName, toolCall: toolCall?.name ?? null, at });
      }
      this.deps.store.sampling.addRound({
        id: requestId,
        loopId: placed.loopId,
        serverId: ctx.serverId,
        round: placed.round,
        receivedAt: at,
        status: refused ? 'denied' : verdict.action === 'allow' ? 'sending' : 'waiting',
        decidedBy: verdict.action === 'ask' ? null : verdict.action === 'allow' ? `policy:${verdict.by}` : 'policy',
        error: refused ? verdict.reason : null,
        request: JSON.stringify(request),
        owner: this.deps.owner,
      });
      if (refused) {
        this.deps.audit.record('sampling.denied', {
          serverId: ctx.serverId,
          serverName: ctx.serverName,
          actor: 'policy',
          summary: verdict.reason,
          data: { requestId, loopId: placed.loopId },
        });
      }
    });
    if (refused) {
      this.flush();
      // A policy denial ends the loop; a request refused in a flood leaves the loop to its other rounds.
      if (verdict.action === 'deny') this.loops.close(placed.loopId);
      throw new ProtocolError(verdict.action === 'deny' ? USER_REJECTED : -32000, verdict.reason);
    }

    let edits: SamplingEdits | undefined;
    let manualReply: string | undefined;
    let decidedBy = `policy:${verdict.action === 'allow' ? verdict.by : ''}`;
    if (verdict.action === 'ask') {
      view.askReasons = verdict.reasons;
      this.flush();
      const decision = await this.ask(view, ctx.signal);
      if (decision.decision === 'deny') {
        this.finish(view, { status: 'denied', decidedBy: 'user', error: 'Denied by the user.' });
        this.deps.audit.record('sampling.denied', {
          serverId: ctx.serverId,
          serverName: ctx.serverName,
          actor: 'user',
          summary: `Denied sampling request ${placed.round} of a loop from "${ctx.serverName}".`,
          data: { requestId, loopId: placed.loopId },
        });
        throw new ProtocolError(USER_REJECTED, 'User rejected sampling request');
      }
      edits = decision.edits;
      manualReply = decision.manualReply?.text;
      decidedBy = 'user';
      this.grant(decision.grant, ctx, placed.loopId);
    }
    // A user's decision is on record before anything is sent; a policy's is the round row itself, and its audit line follows.
    this.deps.audit[decidedBy === 'user' ? 'record' : 'recordSoon']('sampling.approved', {
      serverId: ctx.serverId,
      serverName: ctx.serverName,
      actor: decidedBy === 'user' ? 'user' : 'policy',
      summary: `Sampling round ${placed.round} for "${ctx.serverName}" approved by ${decidedBy === 'user' ? 'you' : 'policy'}${edits ? ' with edits' : ''}.`,
      data: {
        requestId,
        loopId: placed.loopId,
        model: choice.model,
        maxTokens: edits?.maxTokens ?? request.maxTokens,
        edited: edits !== undefined,
        manual: manualReply !== undefined,
      },
    });
    if (decidedBy === 'user') this.update(view, { status: 'sending', decidedBy });

    const replying = this.produce(view, request, edits, manualReply, ctx.signal);
    // The arrival row and the decision are committed while the model works, not before the request leaves.
    setImmediate(() => this.flushQueued());
    const reply = await replying;
    if (policy.reviewReplies && manualReply === undefined) {
      this.update(view, {
        status: 'reviewing',
        model: reply.model,
        inputTokens: reply.inputTokens,
        outputTokens: reply.outputTokens,
        reply: JSON.stringify(reply.content),
      });
      this.flush();
      const review = await this.review(view, reply, ctx.signal);
      if (review.decision === 'deny') {
        this.finish(view, { status: 'denied', decidedBy: 'user', error: 'The user did not send the reply.' });
        throw new ProtocolError(USER_REJECTED, 'User rejected the model reply');
      }
    }
    this.loops.replied(placed.loopId, request.messages, reply.content);
    // The answer's details (tokens, latency, reply) follow in the next batch, within a few milliseconds.
    this.scheduleFlush();
    const withTools = request.tools.length > 0;
    return {
      role: 'assistant',
      model: reply.model,
      content: withTools ? reply.content : reply.content[0],
      ...(reply.stopReason ? { stopReason: reply.stopReason } : {}),
    };
  }

  private async produce(
    view: SamplingRequestView,
    request: SamplingRequest,
    edits: SamplingEdits | undefined,
    manualReply: string | undefined,
    signal: AbortSignal,
  ): Promise<SamplingReply> {
    const started = this.deps.clock.now();
    if (manualReply !== undefined) {
      const reply: SamplingReply = {
        model: 'written-by-user',
        content: [{ type: 'text', text: manualReply }],
        stopReason: 'endTurn',
        inputTokens: 0,
        outputTokens: 0,
      };
      this.complete(view, reply, 0);
      return reply;
    }
    let edited: SamplingRequest;
    try {
      edited = applyEdits(request, edits);
    } catch (error) {
      this.finish(view, { status: 'failed', error: (error as Error).message });
      throw new ProtocolError(INVALID_PARAMS, (error as Error).message);
    }
    try {
      const reply = await this.deps.provider.complete({
        request: {
          model: present(view.model, 'the chosen model'),
          systemPrompt: edited.systemPrompt,
          messages: edited.messages,
          tools: edited.tools,
          toolChoice: edited.toolChoice,
          maxTokens: edited.maxTokens,
          stopSequences: edited.stopSequences,
        },
        signal,
      });
      this.complete(view, reply, this.deps.clock.now() - started);
      return reply;
    } catch (error) {
      const message = error instanceof StewardError ? error.message : String(error);
      this.finish(view, { status: 'failed', error: message, latencyMs: this.deps.clock.now() - started });
      this.deps.audit.record('sampling.failed', {
        serverId: view.serverId,
        serverName: view.serverName,
        actor: 'host',
        summary: `Sampling for "${view.serverName}" failed: ${message}`,
        data: { requestId: view.requestId, model: view.model },
      });
      throw new ProtocolError(-32603, `The model request failed: ${message}`);
    }
  }

  private complete(view: SamplingRequestView, reply: SamplingReply, latencyMs: number): void {
    const usage = this.usageOf(view.serverId);
    usage.entries.push({ at: this.deps.clock.now(), tokens: reply.inputTokens + reply.outputTokens });
    usage.total += reply.inputTokens + reply.outputTokens;
    this.update(
      view,
      {
        status: 'replied',
        model: reply.model,
        inputTokens: reply.inputTokens,
        outputTokens: reply.outputTokens,
        latencyMs,
        stopReason: reply.stopReason,
        reply: JSON.stringify(reply.content),
      },
      { input: reply.inputTokens, output: reply.outputTokens },
    );
    this.deps.audit.recordSoon('sampling.replied', {
      serverId: view.serverId,
      serverName: view.serverName,
      actor: 'host',
      summary: `Model ${reply.model} answered "${view.serverName}" (round ${view.round}): ${reply.inputTokens} in, ${reply.outputTokens} out, ${latencyMs} ms.`,
      data: {
        requestId: view.requestId,
        loopId: view.loopId,
        model: reply.model,
        inputTokens: reply.inputTokens,
        outputTokens: reply.outputTokens,
        latencyMs,
        stopReason: reply.stopReason,
      },
    });
  }

  private ask(view: SamplingRequestView, signal: AbortSignal): Promise<Decision> {
    return this.wait(
      view.requestId,
      () => this.deps.inbox.put<'sampling'>(view.requestId, { kind: 'sampling', serverId: view.serverId, serverName: view.serverName, request: view }),
      signal,
    ) as Promise<Decision>;
  }

  private review(view: SamplingRequestView, reply: SamplingReply, signal: AbortSignal): Promise<{ kind: 'sampling_review'; decision: 'send' | 'deny' }> {
    const key = `review:${view.requestId}`;
    return this.wait(
      key,
      () =>
        this.deps.inbox.put<'sampling_review'>(key, { kind: 'sampling_review', serverId: view.serverId, serverName: view.serverName, request: view, reply }),
      signal,
    ) as Promise<{ kind: 'sampling_review'; decision: 'send' | 'deny' }>;
  }

  /** Waits for the user; the server cancelling its request (or its session ending) withdraws the question. */
  private wait(key: string, put: () => void, signal: AbortSignal): Promise<Decision | { kind: 'sampling_review'; decision: 'send' | 'deny' }> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiting.delete(key);
        this.deps.inbox.removeKey(key);
        reject(new ProtocolError(-32800, 'The server cancelled the request.'));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(key, {
        resolve: (decision) => {
          signal.removeEventListener('abort', onAbort);
          resolve(decision);
        },
      });
      put();
    });
  }

  private grant(grant: Decision['grant'], ctx: SamplingContext, loopId: string): void {
    if (grant === 'loop') this.loopGrants.add(loopId);
    if (grant === 'session') this.sessionGrants.add(ctx.sessionKey);
    if (grant === 'always') this.setPolicy(ctx.serverId, ctx.serverName, { mode: 'allow' });
  }

  private usageOf(serverId: string): { entries: { at: number; tokens: number }[]; total: number } {
    let usage = this.usage.get(serverId);
    if (!usage) {
      const since = new Date(this.deps.clock.now() - 86_400_000).toISOString();
      const entries = this.deps.store.sampling.usageSince(serverId, since).map((r) => ({ at: Date.parse(r.at), tokens: r.tokens }));
      usage = { entries, total: entries.reduce((sum, e) => sum + e.tokens, 0) };
      this.usage.set(serverId, usage);
    }
    return usage;
  }

  private tokensLastDay(serverId: string): number {
    const usage = this.usageOf(serverId);
    const cutoff = this.deps.clock.now() - 86_400_000;
    for (let oldest = usage.entries[0]; oldest && oldest.at < cutoff; oldest = usage.entries[0]) {
      usage.entries.shift();
      usage.total -= oldest.tokens;
    }
    return usage.total;
  }

  private countRecent(serverId: string): number {
    const cutoff = this.deps.clock.now() - 60_000;
    const times = (this.recent.get(serverId) ?? []).filter((t) => t > cutoff);
    this.recent.set(serverId, times);
    return times.length;
  }

  private noteRequest(serverId: string): void {
    const times = this.recent.get(serverId);
    if (times) times.push(this.deps.clock.now());
    else this.recent.set(serverId, [this.deps.clock.now()]);
  }

  /** Queues a change to a round; it is written with the round's other changes at the next flush. */
  private update(view: SamplingRequestView, update: Parameters<Store['sampling']['updateRound']>[3], tokens?: { input: number; output: number }): void {
    const at = this.iso();
    this.write(view.loopId, () => this.deps.store.sampling.updateRound(view.requestId, view.loopId, at, update, tokens));
  }

  private write(loopId: string, write: () => void): void {
    this.pending.push(write);
    this.dirty.add(loopId);
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flushQueued(), 20);
  }

  /** A flush nobody waits for: a failed write is reported and its batch dropped; the next change starts a new one. */
  private flushQueued(): void {
    guarded(this.deps.unexpected, `writing ${this.pending.length} queued sampling change(s)`, () => this.flush());
  }

  /** Writes what is queued in one transaction, then tells the UI about the loops it touched. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0 && this.dirty.size === 0) return;
    const writes = this.pending;
    const loops = [...this.dirty];
    this.pending = [];
    this.dirty.clear();
    if (writes.length > 0) this.deps.store.transaction(() => writes.forEach((write) => write()));
    for (const loopId of loops) this.changed(loopId);
  }

  private finish(view: SamplingRequestView, update: Parameters<Store['sampling']['updateRound']>[3]): void {
    this.update(view, update);
    this.flush();
    this.loops.close(view.loopId);
  }

  /** The event carries the loop's summary; a screen showing the transcript fetches it with sampling:loop. */
  private changed(loopId: string): void {
    const summary = this.deps.store.sampling.loop(loopId);
    if (summary) this.deps.events.emit('sampling:changed', { ...summary, status: this.isActive(loopId) ? 'active' : 'ended' });
  }

  listLoops(serverId: string | null, before: string | null, limit: number): LoopView[] {
    this.flush();
    return this.deps.store.sampling.loops(serverId, before, limit).map((l) => ({ ...l, status: this.isActive(l.id) ? 'active' : 'ended' }));
  }

  loop(loopId: string): LoopView | undefined {
    this.flush();
    const summary = this.deps.store.sampling.loop(loopId);
    if (!summary) return undefined;
    const rows = this.deps.store.sampling.rounds(loopId);
    const entries: RoundView[] = rows.map((row, i) => roundView(row, rows[i - 1]));
    return { ...summary, status: this.isActive(loopId) ? 'active' : 'ended', entries };
  }

  private isActive(loopId: string): boolean {
    return this.loops.isOpen(loopId);
  }

  /** The loops a tool call started end with it. */
  toolCallEnded(serverId: string, ref: string): void {
    for (const loopId of this.loops.closeByToolCall(serverId, ref)) {
      this.loopGrants.delete(loopId);
      this.changed(loopId);
    }
  }

  /** Session grants end when the session does. */
  sessionEnded(sessionKey: string): void {
    this.sessionGrants.delete(sessionKey);
  }
}
