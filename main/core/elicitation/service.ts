// Elicitation: forms the server asks the user to fill, and pages it asks them to open in their own browser. Both wait
// in the inbox. A form answer is checked against the schema before it leaves; a URL is opened only through the gate,
// only after the user's click; a tool call refused with -32042 waits for its pages and is then tried again.
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import { ElicitRequestURLParamsSchema } from '@modelcontextprotocol/core';
import { answerProblems, withDefaults, type Answer, type UrlRequestView } from '../../../shared/domain/elicitation.js';
import type { InboxDecision, InboxItem } from '../../../shared/domain/inbox.js';
import { StewardError } from '../../../shared/errors.js';
import type { Audit } from '../audit/index.js';
import type { Inbox } from '../inbox/index.js';
import { asSent, judgeUrl, type UrlVerdict } from '../security/index.js';
import { readForm } from './form-schema.js';

const INVALID_PARAMS = -32602;
const REQUEST_CANCELLED = -32800;
const RELATED_TASK = 'io.modelcontextprotocol/related-task';
/** Versions with URL mode (-32042 only in 2025-11-25; 2026-07-28 asks for pages inside input_required). */
const URL_MODE_VERSIONS = new Set(['2025-11-25', '2026-07-28']);
/**
 * Versions where a URL question is a round of a request the server retries with the answer (input_required), and the
 * server has no way to say the page is done (notifications/elicitation/complete is gone): "accept" is sent only once
 * the user says the page is finished, so the retry never comes before the user has done what the page asked.
 */
const ANSWER_AFTER_PAGE_VERSIONS = new Set(['2026-07-28']);

export interface ElicitationDeps {
  inbox: Inbox;
  audit: Audit;
  /** Hands a URL to the system browser, through the URL gate (which judges it again). */
  open(url: string): Promise<UrlVerdict>;
  /** Steward's own task for a server's task id, to say which task a question belongs to. */
  relatedTask(serverId: string, remoteTaskId: string): { taskId: string; label: string } | null;
  /** Told when a server reports a page Steward waits for as done, before the question leaves the inbox. */
  completed?: (event: { serverId: string; elicitationId: string; at: string }) => void;
  now?: () => string;
}

export interface ElicitationContext {
  serverId: string;
  serverName: string;
  protocolVersion: string;
  /** The request's own signal: the server cancelled it. */
  signal: AbortSignal;
  /** The server's connection: when it ends, its questions go, including pages still waiting to be reported done. */
  sessionSignal?: AbortSignal;
}

type ElicitResult = { action: 'accept' | 'decline' | 'cancel'; content?: Answer };
type Decision<K extends 'elicitation' | 'elicitation_url'> = Extract<InboxDecision, { kind: K }>;

interface Pending {
  decide(decision: InboxDecision): Promise<void> | void;
}

const audited = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text);

export class ElicitationService {
  /** Inbox items waiting for the user, by item id. */
  private readonly pending = new Map<string, Pending>();
  /**
   * Pages the server may report complete, by server and elicitationId. One id may name a page several -32042 calls
   * wait for (a server's sign-in page for each call), so a completion finishes every one of them.
   */
  private readonly completions = new Map<string, Set<() => void>>();
  /** Pages the server asked for with elicitation/create and not yet finished, by server and elicitationId. */
  private readonly asked = new Set<string>();

  constructor(private readonly deps: ElicitationDeps) {
    const route = async (item: InboxItem, decision: InboxDecision) => {
      const pending = this.pending.get(item.id);
      if (!pending) throw new StewardError('not_found', 'That question is no longer waiting for an answer.');
      await pending.decide(decision);
    };
    deps.inbox.handle('elicitation', route);
    deps.inbox.handle('elicitation_url', route);
  }

  /** elicitation/create from a server: resolves to its ElicitResult, or throws a ProtocolError for the server. */
  async handle(ctx: ElicitationContext, raw: unknown): Promise<Record<string, unknown>> {
    const params = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const related = this.related(ctx.serverId, params._meta);
    const mode = params.mode ?? 'form';
    if (mode === 'url') {
      if (!URL_MODE_VERSIONS.has(ctx.protocolVersion)) {
        this.refused(ctx, `URL mode is not part of MCP ${ctx.protocolVersion || 'as negotiated'}`);
        throw new ProtocolError(INVALID_PARAMS, 'URL elicitation was not offered on this connection.');
      }
      // 2026-07-28 pages carry no elicitationId (nothing reports them complete); one is made to key the waiting item.
      const modern = ANSWER_AFTER_PAGE_VERSIONS.has(ctx.protocolVersion) && params.elicitationId === undefined;
      const parsed = ElicitRequestURLParamsSchema.safeParse(modern ? { ...params, elicitationId: `local-${randomUUID()}` } : params);
      if (!parsed.success) {
        this.refused(ctx, 'the URL request is malformed');
        throw new ProtocolError(
          INVALID_PARAMS,
          `Invalid URL elicitation: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`,
        );
      }
      // The id is how the server reports the page done: a second question under an id still waiting could not be told apart.
      const key = `${ctx.serverId}\u0000${parsed.data.elicitationId}`;
      if (this.asked.has(key) || this.completions.has(key)) {
        this.refused(ctx, `elicitationId ${JSON.stringify(parsed.data.elicitationId)} is already waiting`);
        throw new ProtocolError(
          INVALID_PARAMS,
          `Invalid URL elicitation: elicitationId ${JSON.stringify(parsed.data.elicitationId)} belongs to a page this server asked for that is still waiting; each elicitation needs its own id.`,
        );
      }
      this.asked.add(key);
      return this.urlRequest(ctx, parsed.data, related, () => this.asked.delete(key));
    }
    if (mode !== 'form') {
      this.refused(ctx, `unknown mode ${JSON.stringify(mode)}`);
      throw new ProtocolError(INVALID_PARAMS, `Unknown elicitation mode ${JSON.stringify(mode)}.`);
    }
    if (typeof params.message !== 'string') {
      this.refused(ctx, 'the form has no message');
      throw new ProtocolError(INVALID_PARAMS, 'Invalid elicitation request: message must be a string.');
    }
    // The schema is judged here rather than by the SDK's schema, so a server hears exactly what Steward cannot show.
    let form;
    try {
      form = readForm(params.requestedSchema);
    } catch (error) {
      this.refused(ctx, error instanceof Error ? error.message : String(error));
      throw error;
    }
    // What the server wrote past the form's keywords must at least compile, or no answer could ever be sent.
    const preparing = form.problem();
    const unusable = preparing && (await preparing);
    if (unusable) {
      this.refused(ctx, unusable);
      throw new ProtocolError(INVALID_PARAMS, `Steward cannot show this form: ${unusable}`);
    }
    const message = params.message;
    this.deps.audit.record('elicitation.requested', {
      serverId: ctx.serverId,
      serverName: ctx.serverName,
      actor: 'host',
      summary: `"${ctx.serverName}" asked you to fill in a form: ${audited(message)}`,
      data: { mode: 'form', fields: form.fields.map((f) => f.name) },
    });
    return this.ask<'elicitation', ElicitResult>(
      ctx,
      { kind: 'elicitation', serverId: ctx.serverId, serverName: ctx.serverName, request: { message, fields: form.fields, relatedTask: related } },
      async (decision, settle) => {
        if (decision.action !== 'accept') {
          settle({ action: decision.action });
          return;
        }
        // Empty text means "left blank"; what is left out gets the schema's default (applyDefaults).
        const given = Object.fromEntries(Object.entries(decision.content ?? {}).filter(([, v]) => v !== ''));
        const content = withDefaults(form.fields, given);
        const problems = answerProblems(form.fields, content);
        const names = Object.keys(problems);
        if (names.length > 0) {
          throw new StewardError('invalid_payload', `Some answers need fixing: ${names.map((n) => `${n}: ${problems[n]}`).join(' ')}`, { problems });
        }
        const mismatch = await form.validate(content);
        if (mismatch) throw new StewardError('invalid_payload', `The answer does not match the server's form: ${mismatch}`);
        settle({ action: 'accept', content });
      },
    ).then((result) => {
      this.deps.audit.record('elicitation.answered', {
        serverId: ctx.serverId,
        serverName: ctx.serverName,
        actor: 'user',
        summary: `You ${result.action === 'accept' ? 'answered' : result.action === 'decline' ? 'declined' : 'dismissed'} the form from "${ctx.serverName}".`,
        // Values are never recorded, only which fields were answered.
        data: { mode: 'form', action: result.action, answered: Object.keys(result.content ?? {}) },
      });
      return result;
    });
  }

  /** A URL elicitation the server asked for directly: accept means the user opened the page; the server says when it is done. */
  private async urlRequest(
    ctx: ElicitationContext,
    params: { message: string; url: string; elicitationId: string },
    related: UrlRequestView['relatedTask'],
    release: () => void,
  ): Promise<Record<string, unknown>> {
    const view = this.urlView(params, 'request', null, related);
    let result: ElicitResult;
    try {
      result = await this.urlConsent(ctx, params, view);
    } catch (error) {
      release();
      throw error;
    }
    if (result.action !== 'accept') {
      release();
      this.answered(ctx.serverId, ctx.serverName, params.elicitationId, result.action);
      return result;
    }
    const finished = this.awaitCompletion(ctx.serverId, ctx.serverName, { ...view, stage: 'waiting' }, ctx.sessionSignal).finally(release);
    if (!ANSWER_AFTER_PAGE_VERSIONS.has(ctx.protocolVersion)) return result;
    const how = await finished;
    if (how === 'ended') throw new StewardError('cancelled', 'The server disconnected before the page was done.');
    // Not kept waiting (over the server's cap): with no way to learn when the page is done, the question is withdrawn.
    return how === 'cancel' || how === 'kept' ? { action: 'cancel' } : result;
  }

  /** The page put to the user: accept once they opened it. */
  private urlConsent(ctx: ElicitationContext, params: { url: string; elicitationId: string }, view: UrlRequestView): Promise<ElicitResult> {
    this.deps.audit.record('elicitation.requested', {
      serverId: ctx.serverId,
      serverName: ctx.serverName,
      actor: 'host',
      summary: `"${ctx.serverName}" asked you to open ${view.verdict.host || 'a page'}${view.verdict.allowed ? '' : ' (refused by the URL gate)'}.`,
      data: { mode: 'url', elicitationId: params.elicitationId, host: view.verdict.host, allowed: view.verdict.allowed, problems: view.verdict.problems },
    });
    return this.ask<'elicitation_url', ElicitResult>(
      ctx,
      { kind: 'elicitation_url', serverId: ctx.serverId, serverName: ctx.serverName, request: view },
      async (decision, settle) => {
        if (decision.action === 'done') throw new StewardError('invalid_payload', 'Open the page first.');
        if (decision.action !== 'open') {
          settle({ action: decision.action });
          return;
        }
        await this.openPage(ctx.serverId, ctx.serverName, params.url);
        settle({ action: 'accept' });
      },
    );
  }

  /**
   * A call failed with -32042: every page it names is shown; resolves once each is complete (the server's
   * notification, or the user's "I'm done"); rejects when the user declines one.
   */
  async required(serverId: string, serverName: string, tool: string, elicitations: unknown[], signal?: AbortSignal): Promise<void> {
    const pages = elicitations.flatMap((e) => {
      const parsed = ElicitRequestURLParamsSchema.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    });
    if (pages.length === 0 || pages.length < elicitations.length) {
      throw new StewardError(
        'protocol_error',
        `"${serverName}" said "${tool}" needs a page opened first, but did not say which page in a form Steward can read.`,
      );
    }
    return new Promise<void>((resolve, reject) => {
      let left = pages.length;
      const keys: string[] = [];
      const cleanups: Array<() => void> = [];
      const finish = (error?: StewardError) => {
        for (const clean of cleanups.splice(0)) clean();
        for (const key of keys) this.deps.inbox.removeKey(key);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => finish(new StewardError('cancelled', `The call to "${tool}" was cancelled.`));
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      const one = () => {
        left -= 1;
        if (left === 0) finish();
      };
      const ask = (page: (typeof pages)[number]): void => {
        const view = this.urlView(page, 'required', tool, null);
        const key = `elicitation-url:${serverId}:${page.elicitationId}:${randomUUID()}`;
        keys.push(key);
        let done = false;
        const complete = () => {
          if (done) return;
          done = true;
          this.answered(serverId, serverName, page.elicitationId, 'completed');
          this.deps.inbox.removeKey(key);
          one();
        };
        // The id is known from now on: a completion that comes before the click still counts.
        cleanups.push(this.waitFor(`${serverId}\u0000${page.elicitationId}`, complete));
        const show = (stage: UrlRequestView['stage']) => {
          const item = { id: randomUUID() };
          this.pending.set(item.id, {
            decide: async (decision) => {
              if (decision.kind !== 'elicitation_url') throw new StewardError('invalid_payload', 'That question needs a page answer.');
              if (decision.action === 'open' && stage === 'consent') {
                await this.openPage(serverId, serverName, page.url);
                this.pending.delete(item.id);
                show('waiting');
              } else if (decision.action === 'done') {
                this.pending.delete(item.id);
                complete();
              } else if (decision.action === 'open') {
                await this.openPage(serverId, serverName, page.url);
              } else {
                this.pending.delete(item.id);
                this.answered(serverId, serverName, page.elicitationId, decision.action);
                finish(new StewardError('cancelled', `You did not open the page "${tool}" needs, so it was not tried again.`));
              }
            },
          });
          cleanups.push(() => this.pending.delete(item.id));
          this.deps.inbox.put<'elicitation_url'>(key, { kind: 'elicitation_url', serverId, serverName, request: { ...view, stage } }, item.id);
        };
        show('consent');
      };
      try {
        pages.forEach(ask);
      } catch (error) {
        // Over the server's cap on pages: none of them waits, and the call is not tried again.
        finish(error instanceof StewardError ? error : new StewardError('internal_error', String(error)));
        return;
      }
      this.deps.audit.record('elicitation.requested', {
        serverId,
        serverName,
        actor: 'host',
        summary: `"${serverName}" needs ${pages.length === 1 ? 'a page' : `${pages.length} pages`} opened before "${tool}" can run.`,
        data: {
          mode: 'url',
          origin: 'required',
          tool,
          elicitationIds: pages.map((p) => p.elicitationId),
          hosts: pages.map((p) => judgeUrl(p.url, 'browser').host),
        },
      });
    });
  }

  /** notifications/elicitation/complete: ids Steward does not know (or already finished) are ignored. */
  complete(serverId: string, params: Record<string, unknown>): void {
    const id = typeof params.elicitationId === 'string' ? params.elicitationId : undefined;
    if (!id) return;
    const key = `${serverId}\u0000${id}`;
    const waiting = this.completions.get(key);
    if (!waiting) return;
    this.completions.delete(key);
    // The dialog hears what the server said before its question goes: it shows the completion, not a bare "gone".
    this.deps.completed?.({ serverId, elicitationId: id, at: this.deps.now?.() ?? new Date().toISOString() });
    for (const done of waiting) done();
  }

  /** Registers a page waiting for the server's completion; returns what stops it waiting. */
  private waitFor(key: string, done: () => void): () => void {
    const waiting = this.completions.get(key) ?? new Set();
    waiting.add(done);
    this.completions.set(key, waiting);
    return () => {
      // A completion removes the whole set first: a finished page must not clear the set a newer page waits in.
      if (this.completions.get(key) !== waiting) return;
      waiting.delete(done);
      if (waiting.size === 0) this.completions.delete(key);
    };
  }

  private async openPage(serverId: string, serverName: string, url: string): Promise<void> {
    const verdict = await this.deps.open(url);
    this.deps.audit.record('elicitation.url_opened', {
      serverId,
      serverName,
      actor: 'user',
      summary: `You opened ${verdict.host} in your browser for "${serverName}".`,
      data: { host: verdict.host, warnings: verdict.warnings },
    });
  }

  /**
   * After the page was opened: the item waits for the server's completion (or the user's "I'm done"); resolves with
   * how it ended ('kept' when the item could not be kept waiting: over the server's cap).
   */
  private awaitCompletion(
    serverId: string,
    serverName: string,
    view: UrlRequestView,
    session?: AbortSignal,
  ): Promise<'completed' | 'done' | 'cancel' | 'ended' | 'kept'> {
    let ended!: (how: 'completed' | 'done' | 'cancel' | 'ended' | 'kept') => void;
    const outcome = new Promise<'completed' | 'done' | 'cancel' | 'ended' | 'kept'>((resolve) => (ended = resolve));
    const key = `elicitation-url:${serverId}:${view.elicitationId}:${randomUUID()}`;
    const itemId = randomUUID();
    let stopWaiting: () => void = () => undefined;
    const finish = (how: 'completed' | 'done' | 'cancel' | 'ended') => {
      session?.removeEventListener('abort', onEnded);
      this.pending.delete(itemId);
      stopWaiting();
      this.deps.inbox.removeKey(key);
      this.answered(serverId, serverName, view.elicitationId, how);
      ended(how);
    };
    const onComplete = () => finish('completed');
    const onEnded = () => finish('ended');
    if (session?.aborted) {
      this.answered(serverId, serverName, view.elicitationId, 'ended');
      return Promise.resolve('ended');
    }
    session?.addEventListener('abort', onEnded, { once: true });
    stopWaiting = this.waitFor(`${serverId}\u0000${view.elicitationId}`, onComplete);
    this.pending.set(itemId, {
      decide: async (decision) => {
        if (decision.kind !== 'elicitation_url') throw new StewardError('invalid_payload', 'That question needs a page answer.');
        if (decision.action === 'open') return this.openPage(serverId, serverName, view.url);
        finish(decision.action === 'done' ? 'done' : 'cancel');
      },
    });
    try {
      this.deps.inbox.put<'elicitation_url'>(key, { kind: 'elicitation_url', serverId, serverName, request: view }, itemId);
    } catch {
      // Over the server's cap: the page was opened, but it is not kept waiting to be reported done.
      session?.removeEventListener('abort', onEnded);
      this.pending.delete(itemId);
      stopWaiting();
      ended('kept');
    }
    return outcome;
  }

  private answered(serverId: string, serverName: string, elicitationId: string, how: string): void {
    this.deps.audit.record(how === 'completed' ? 'elicitation.completed' : 'elicitation.answered', {
      serverId,
      serverName,
      actor: how === 'completed' || how === 'ended' ? 'host' : 'user',
      summary:
        how === 'completed'
          ? `"${serverName}" reported the page you opened as done.`
          : how === 'ended'
            ? `"${serverName}" disconnected before the page it asked you to open was done; the question was withdrawn.`
            : how === 'done'
              ? `You said you finished the page for "${serverName}".`
              : `You ${how === 'decline' ? 'declined' : 'dismissed'} the page "${serverName}" asked you to open.`,
      data: { mode: 'url', elicitationId, action: how },
    });
  }

  private urlView(
    params: { message: string; url: string; elicitationId: string },
    origin: UrlRequestView['origin'],
    retryTool: string | null,
    related: UrlRequestView['relatedTask'],
  ): UrlRequestView {
    return {
      message: params.message,
      url: asSent(params.url),
      elicitationId: params.elicitationId,
      verdict: judgeUrl(params.url, 'browser'),
      stage: 'consent',
      origin,
      retryTool,
      relatedTask: related,
    };
  }

  private related(serverId: string, meta: unknown): UrlRequestView['relatedTask'] {
    const taskId = (meta as Record<string, { taskId?: unknown } | undefined> | undefined)?.[RELATED_TASK]?.taskId;
    return typeof taskId === 'string' ? this.deps.relatedTask(serverId, taskId) : null;
  }

  private refused(ctx: ElicitationContext, why: string): void {
    this.deps.audit.record('elicitation.refused', {
      serverId: ctx.serverId,
      serverName: ctx.serverName,
      actor: 'host',
      summary: `Refused an elicitation from "${ctx.serverName}": ${audited(why)}`,
      data: {},
    });
  }

  /**
   * Puts a question in the inbox and waits: `decide` turns the user's answer into the result (or throws, leaving the
   * question open); the server cancelling its request withdraws the question.
   */
  private ask<K extends 'elicitation' | 'elicitation_url', R>(
    ctx: ElicitationContext,
    item: Omit<Extract<InboxItem, { kind: K }>, 'id' | 'createdAt'>,
    decide: (decision: Decision<K>, settle: (result: R) => void) => Promise<void> | void,
  ): Promise<R> {
    const key = `${item.kind}:${randomUUID()}`;
    return new Promise<R>((resolve, reject) => {
      let itemId = '';
      const close = () => {
        this.pending.delete(itemId);
        this.deps.inbox.removeKey(key);
        ctx.signal.removeEventListener('abort', onAbort);
        ctx.sessionSignal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        close();
        reject(
          new ProtocolError(
            REQUEST_CANCELLED,
            ctx.sessionSignal?.aborted ? 'The connection to the server ended; its question was withdrawn.' : 'The server cancelled the request.',
          ),
        );
      };
      if (ctx.signal.aborted || ctx.sessionSignal?.aborted) {
        onAbort();
        return;
      }
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      ctx.sessionSignal?.addEventListener('abort', onAbort, { once: true });
      itemId = randomUUID();
      this.pending.set(itemId, {
        decide: async (decision) => {
          if (decision.kind !== item.kind) throw new StewardError('invalid_payload', `That question needs a ${item.kind} answer.`);
          await decide(decision as Decision<K>, (result) => {
            // Withdrawn while the answer was being checked: nothing reaches the server, and the user is told so.
            if (ctx.signal.aborted || ctx.sessionSignal?.aborted) {
              throw new StewardError('cancelled', 'The server withdrew its question while your answer was being checked; the answer was not sent.');
            }
            close();
            resolve(result);
          });
        },
      });
      try {
        this.deps.inbox.put<K>(key, item, itemId);
      } catch (error) {
        close();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
}
