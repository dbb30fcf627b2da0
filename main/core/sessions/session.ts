// One MCP client per server: connect with capabilities declared up front, list, call with progress and cancel, reconnect.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Client, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { TaskStatusNotificationParamsSchema } from '@modelcontextprotocol/core';
import type { AuthProvider, FetchLike, MessageExtraInfo, OAuthClientProvider, StandardSchemaV1, VersionNegotiationOptions } from '@modelcontextprotocol/client';
import type { CallResult, ToolView } from '../../../shared/domain/mcp.js';
import { APP_MIME_TYPE, APPS_EXTENSION, readToolUi } from '../../../shared/domain/apps.js';
import type { LogLine, ProtocolEra, ProtocolEraSetting } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import { SERVER_LIMITS } from '../limits.js';
import { hasTaskServerCapabilityV2, TASKS_EXTENSION_ID_V2 } from '@modelcontextprotocol/ext-tasks/core/v2';
import { isSessionExpired, toStewardError, unanswered } from './errors.js';
import { FramedRequests, type FramedOptions } from './framed-requests.js';
import { mcpParamHeaders } from './param-headers.js';
import type { WireLog } from './wire-log.js';

/** How a remote server's transport authenticates: an OAuth (or other) provider, and the fetch its sign-in requests go through. */
export interface HttpAuth {
  authProvider?: AuthProvider | OAuthClientProvider;
  fetch?: FetchLike;
  /** Only for a 2025-03-26 server whose authorization server, on its own origin, names a different issuer path. */
  skipIssuerMetadataValidation?: boolean;
}

export interface ClientIdentity {
  name: string;
  version: string;
  title?: string;
  description?: string;
}

/** What a server may ask of the host, declared before connecting. */
export interface HostCapabilities {
  sampling: { tools: boolean } | null;
  /** Elicitation modes the host shows (form with defaults applied, URL in the system browser). */
  elicitation: { form: boolean; url: boolean } | null;
  /** Requests the host runs as tasks when a server asks (task-augmented requests), and tasks/list, tasks/cancel. */
  taskRequests: ('sampling/createMessage' | 'elicitation/create')[];
  /** MCP Apps: the host renders tools' views (the io.modelcontextprotocol/ui extension). */
  apps: boolean;
}

export interface ServerRequestInfo {
  /** Changes when the session is re-established. */
  sessionKey: string;
  /** Whether sampling tools were declared and the negotiated protocol version has them. */
  samplingTools: boolean;
  /** Whether task-augmented requests of this method were declared (and the protocol version has tasks). */
  taskAugmentation: boolean;
  /** The negotiated protocol version ('' before it is known). */
  protocolVersion: string;
  signal: AbortSignal;
  /** Aborted when this connection ends: what the server asked of the user goes with it. */
  sessionSignal: AbortSignal;
}

export type ServerNotificationMethod = 'notifications/tasks/status' | 'notifications/elicitation/complete';

export interface SessionHooks {
  /** A `notifications/message` from the server, or a note about the connection. */
  log: (level: LogLine['level'], text: string) => void;
  listChanged: (kind: 'tools' | 'prompts' | 'resources') => void;
  /** `notifications/resources/updated` for a URI the user subscribed to. */
  resourceUpdated?: (uri: string) => void;
  /** Folders the user granted this server, as file:// URIs. */
  roots: () => { uri: string; name?: string }[];
  /** The connection ended without Steward asking for it. */
  closed: () => void;
  /**
   * A request from the server the SDK does not answer itself (sampling/createMessage, elicitation/create,
   * tasks/*): resolves to the result or throws a ProtocolError.
   */
  request?: (method: string, params: unknown, info: ServerRequestInfo) => Promise<Record<string, unknown>>;
  /** Notifications the host acts on: notifications/tasks/status, notifications/elicitation/complete (params validated). */
  notification?: (method: ServerNotificationMethod, params: Record<string, unknown>) => void;
}

export interface SessionOptions {
  identity: ClientIdentity;
  hooks: SessionHooks;
  connectTimeoutMs: number;
  /** Create a fresh transport; called again when an HTTP session is lost. */
  transport: () => Transport;
  /** Whether a lost HTTP session (404) may be re-established with a new initialize. */
  reconnectOnSessionLoss: boolean;
  capabilities: HostCapabilities;
  /**
   * Which era to speak: auto probes with server/discover and falls back to initialize; the others are pinned.
   * Servers always pass their setting (auto by default); a session made without one speaks 2025-11-25 only.
   */
  era?: ProtocolEraSetting;
  /**
   * With `auto`: this server spoke 2025 the last time this exact launch ran, so the connection opens with initialize and
   * no server/discover probe. A server that refuses it fails the connect like any refused handshake.
   */
  knownLegacy?: boolean;
  /**
   * Where every message both ways is kept; it outlives the session (restarts, re-established HTTP sessions). Left out
   * when the transport hands the log each message with its own text (a server's pipes).
   */
  wire?: WireLog;
}

/** The modern revision Steward speaks, and the one a `modern` pin asks for. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
/**
 * How long an `auto` probe waits before calling a stdio server legacy (silence on a local pipe means a server that
 * ignores unknown requests before initialize). Over HTTP silence is an outage, and the connect timeout applies.
 */
const STDIO_PROBE_TIMEOUT_MS = 5_000;

/** Protocol versions that know sampling with tools, and tasks. */
const SAMPLING_TOOLS_VERSIONS = new Set(['2025-11-25', MODERN_PROTOCOL_VERSION]);
const TASK_VERSIONS = new Set(['2025-11-25']);

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  onProgress?: (p: { progress: number; total?: number; message?: string }) => void;
}

export interface ServerInfo {
  protocolVersion: string | null;
  era: ProtocolEra | null;
  serverInfo: { name: string; version: string; title?: string } | null;
  instructions: string | null;
}

const LOG_LEVELS = new Set(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);

export class McpSession {
  private client: Client | undefined;
  private tools: ToolView[] | undefined;
  private closing = false;
  /** The one reconnect under way, which every request that found the session gone waits for. */
  private reopening: Promise<void> | undefined;
  private sessionKey = randomUUID();
  /** Ends with the connection (and with each one re-established): questions tied to it are withdrawn. */
  private sessionEnd = new AbortController();
  private opened = false;
  private readonly notifications = new NotificationBudget((dropped) =>
    this.options.hooks.log(
      'warning',
      dropped === 0
        ? `Dropping notifications: the server sends more than ${SERVER_LIMITS.notificationsPerSecond} a second (after a burst of ${SERVER_LIMITS.notificationBurst}).`
        : `Dropped ${dropped} notification(s) in all before the server slowed down.`,
    ),
  );
  private readonly subscribed = new Set<string>();
  private readonly progressWatchers = new Map<string, (p: { progress: number; total?: number; message?: string }) => void>();
  /** On a 2026-07-28 connection: the requests Steward frames itself (the tasks extension). */
  private framed: FramedRequests | undefined;
  /** On a 2025 connection over a server's pipes: the task polls Steward frames itself (see poll). */
  private polls: FramedRequests | undefined;

  private constructor(private readonly options: SessionOptions) {}

  static async connect(options: SessionOptions): Promise<McpSession> {
    const session = new McpSession(options);
    await session.open();
    return session;
  }

  get info(): ServerInfo {
    const c = this.client;
    const v = c?.getServerVersion();
    return {
      protocolVersion: c?.getNegotiatedProtocolVersion() ?? null,
      era: c?.getProtocolEra() ?? null,
      serverInfo: v ? { name: v.name, version: v.version, ...(v.title ? { title: v.title } : {}) } : null,
      instructions: c?.getInstructions() ?? null,
    };
  }

  private async open(): Promise<void> {
    const { hooks, identity } = this.options;
    // The first open has no earlier connection to end, and aborting makes an exception with a stack: skipped.
    if (this.opened) this.sessionEnd.abort();
    this.opened = true;
    const sessionEnd = new AbortController();
    // Each question waiting for the user listens to it; the caps bound how many there can be.
    setMaxListeners(SERVER_LIMITS.inFlightRequests * 2, sessionEnd.signal);
    this.sessionEnd = sessionEnd;
    const declared = {
      roots: { listChanged: true },
      ...(this.options.capabilities.sampling ? { sampling: this.options.capabilities.sampling.tools ? { tools: {} } : {} } : {}),
      ...(this.options.capabilities.elicitation
        ? {
            elicitation: {
              ...(this.options.capabilities.elicitation.form ? { form: { applyDefaults: true } } : {}),
              ...(this.options.capabilities.elicitation.url ? { url: {} } : {}),
            },
          }
        : {}),
      ...(this.options.capabilities.taskRequests.length > 0
        ? {
            tasks: {
              list: {},
              cancel: {},
              requests: {
                ...(this.options.capabilities.taskRequests.includes('sampling/createMessage') ? { sampling: { createMessage: {} } } : {}),
                ...(this.options.capabilities.taskRequests.includes('elicitation/create') ? { elicitation: { create: {} } } : {}),
              },
            },
          }
        : {}),
      ...(this.options.capabilities.apps ? { extensions: { [APPS_EXTENSION]: { mimeTypes: [APP_MIME_TYPE] } } } : {}),
    };
    const client = new Client(
      {
        name: identity.name,
        version: identity.version,
        ...(identity.title ? { title: identity.title } : {}),
        ...(identity.description ? { description: identity.description } : {}),
      },
      {
        capabilities: declared,
        listChanged: {
          tools: {
            onChanged: (error, items) => {
              this.tools = error || !items ? undefined : items.map(toToolView);
              hooks.listChanged('tools');
            },
          },
          prompts: { onChanged: () => hooks.listChanged('prompts') },
          resources: { onChanged: () => hooks.listChanged('resources') },
        },
      },
    );
    client.setNotificationHandler('notifications/message', (n) => {
      const level = LOG_LEVELS.has(n.params.level) ? n.params.level : 'info';
      const logger = n.params.logger ? `[${n.params.logger}] ` : '';
      const data = typeof n.params.data === 'string' ? n.params.data : JSON.stringify(n.params.data);
      hooks.log(level, `${logger}${data}`);
    });
    client.setNotificationHandler('notifications/resources/updated', (n) => {
      // Only what the user subscribed to is passed on: a server cannot make the host chase URIs it never asked for.
      if (this.subscribed.has(n.params.uri)) hooks.resourceUpdated?.(n.params.uri);
    });
    client.setRequestHandler('roots/list', () => ({ roots: hooks.roots() }));
    const serve = hooks.request;
    if (serve) {
      const declaredTools = this.options.capabilities.sampling?.tools ?? false;
      const taskRequests = new Set<string>(this.options.capabilities.taskRequests);
      // Server requests are answered here rather than by the SDK's typed handlers, so Steward's own
      // validation (not a schema dump) answers a malformed request, and task-augmented requests and
      // tasks/* can be served at all.
      client.fallbackRequestHandler = async (request, ctx) => {
        const version = client.getNegotiatedProtocolVersion() ?? '';
        const result = await serve(request.method, request.params, {
          sessionKey: this.sessionKey,
          samplingTools: declaredTools && SAMPLING_TOOLS_VERSIONS.has(version),
          taskAugmentation: taskRequests.has(request.method) && TASK_VERSIONS.has(version),
          protocolVersion: version,
          signal: ctx.mcpReq.signal,
          sessionSignal: sessionEnd.signal,
        });
        return result;
      };
    }
    const notify = hooks.notification;
    if (notify) {
      client.setNotificationHandler('notifications/tasks/status', { params: TaskStatusNotificationParamsSchema }, (params) =>
        notify('notifications/tasks/status', params as Record<string, unknown>),
      );
      client.setNotificationHandler('notifications/elicitation/complete', (n) =>
        notify('notifications/elicitation/complete', { elicitationId: n.params.elicitationId }),
      );
    }
    let framed: FramedRequests | undefined;
    let polls: FramedRequests | undefined;
    client.onclose = () => {
      sessionEnd.abort();
      framed?.close();
      polls?.close();
      if (this.client === client && !this.closing) hooks.closed();
    };
    client.onerror = (error) => hooks.log('warning', `Connection: ${error.message}`);

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.connectTimeoutMs);
    const transport = this.options.transport();
    client.setVersionNegotiation(negotiation(this.options.era ?? 'legacy', isStdio(transport)));
    this.tap(transport, (message) => framed?.take(message) === true || polls?.take(message) === true);
    try {
      const prior = this.options.knownLegacy === true && this.options.era === 'auto' ? { prior: { kind: 'legacy' as const } } : {};
      await client.connect(transport, { signal: controller.signal, timeout: this.options.connectTimeoutMs, ...prior });
      if (client.getProtocolEra() === 'modern') {
        if (serve) this.serveInputRequests(client, serve, sessionEnd.signal);
        framed = new FramedRequests(transport, () => this.envelope(client, declared), !isStdio(transport));
      } else if (isStdio(transport)) polls = new FramedRequests(transport, undefined, false);
    } catch (error) {
      this.closing = true;
      await client.close().catch(() => undefined);
      throw controller.signal.aborted
        ? new StewardError('timeout', `The server did not finish the MCP handshake within ${Math.round(this.options.connectTimeoutMs / 1000)} s.`)
        : toStewardError(error, 'Connecting to the server');
    } finally {
      clearTimeout(timer);
    }
    if (this.closing) {
      // Closed while this handshake was under way (a stop raced a reconnect): the new client must not outlive the session.
      await client.close().catch(() => undefined);
      throw new StewardError('server_not_running', 'The server was stopped while Steward reconnected to it.');
    }
    this.client = client;
    this.framed?.close();
    this.framed = framed;
    this.polls?.close();
    this.polls = polls;
    this.tools = undefined;
    this.sessionKey = randomUUID();
    for (const uri of this.subscribed) {
      client.subscribeResource({ uri }).catch((error: unknown) => {
        this.subscribed.delete(uri);
        hooks.log('warning', `Could not subscribe again to ${uri}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }

  /**
   * On a modern connection the server never sends requests: it answers a tool call, prompt or read with
   * `input_required`, and the SDK hands each embedded request to the handler registered for its method before it
   * retries with the answers. Those handlers lead to the same place as a 2025 server request (the inbox, policy,
   * budgets and audit), so a question looks and is decided the same whichever era asked it.
   */
  private serveInputRequests(client: Client, serve: NonNullable<SessionHooks['request']>, sessionSignal: AbortSignal): void {
    const declaredTools = this.options.capabilities.sampling?.tools ?? false;
    const info = (signal: AbortSignal): ServerRequestInfo => ({
      sessionKey: this.sessionKey,
      samplingTools: declaredTools,
      taskAugmentation: false,
      protocolVersion: client.getNegotiatedProtocolVersion() ?? MODERN_PROTOCOL_VERSION,
      signal,
      sessionSignal,
    });
    // A question left unanswered fails the whole request with the reason (an input response cannot carry an error).
    const answer = async (method: string, params: unknown, signal: AbortSignal) => {
      try {
        return await serve(method, params, info(signal));
      } catch (error) {
        throw unanswered(method, error);
      }
    };
    if (this.options.capabilities.elicitation) {
      client.setRequestHandler('elicitation/create', async (request, ctx) => (await answer(request.method, request.params, ctx.mcpReq.signal)) as never);
    }
    if (this.options.capabilities.sampling) {
      client.setRequestHandler('sampling/createMessage', async (request, ctx) => (await answer(request.method, request.params, ctx.mcpReq.signal)) as never);
    }
  }

  /**
   * The per-request _meta of a request Steward frames itself: the capabilities it declared to the SDK, minus the
   * 2025-11-25 tasks slot (replaced by the extension), plus the tasks extension; a 2026-07-28 server takes nothing
   * from earlier requests, so each one carries all of it.
   */
  private envelope(client: Client, declared: Record<string, unknown>): Record<string, unknown> {
    const { tasks: _legacyTasks, ...capabilities } = declared;
    const extensions = (declared.extensions ?? {}) as Record<string, unknown>;
    const { name, version } = this.options.identity;
    return {
      'io.modelcontextprotocol/protocolVersion': client.getNegotiatedProtocolVersion() ?? MODERN_PROTOCOL_VERSION,
      'io.modelcontextprotocol/clientInfo': { name, version },
      'io.modelcontextprotocol/clientCapabilities': { ...capabilities, extensions: { ...extensions, [TASKS_EXTENSION_ID_V2]: {} } },
    };
  }

  /** Whether this is a 2026-07-28 connection to a server that offers the tasks extension (io.modelcontextprotocol/tasks). */
  get tasksExtension(): boolean {
    return this.framed !== undefined && hasTaskServerCapabilityV2(this.serverCapabilities);
  }

  /** A request of the tasks extension, framed by Steward (2026-07-28 connections only); the raw result comes back. */
  async framedRequest(what: string, method: string, params: Record<string, unknown>, options: FramedOptions): Promise<Record<string, unknown>> {
    if (this.reopening) await this.reopening.catch(() => undefined);
    this.live();
    const framed = this.framed;
    if (!framed) throw new StewardError('not_supported', 'The server does not speak MCP 2026-07-28, where the tasks extension lives.');
    return framed.send(what, method, params, options);
  }

  /**
   * The Mcp-Param-* headers a framed tools/call carries over HTTP, from the tool's listed input schema (the list is
   * cached, so this is free inside its freshness). None over stdio, where the spec lets a client leave them out, and
   * none for a tool the list does not hold (the SDK does the same for the calls it sends).
   */
  async toolHeaders(tool: string, args: Record<string, unknown>): Promise<Record<string, string>> {
    if (!this.framed?.perRequest) return {};
    const listed = (await this.listTools()).find((t) => t.name === tool);
    return listed ? mcpParamHeaders(listed.inputSchema, args) : {};
  }

  /**
   * A question a 2026-07-28 server put in a result (inputRequests) that the SDK does not carry for Steward (those of a
   * task, or of a request Steward framed): it goes the way every server question goes, to the same inbox, policy,
   * budgets and audit. Resolves to the answer for inputResponses; a refusal throws.
   */
  async ask(method: string, params: unknown, signal: AbortSignal): Promise<Record<string, unknown>> {
    const serve = this.options.hooks.request;
    if (!serve) throw new StewardError('not_supported', 'This connection does not take questions from the server.');
    return serve(method, params, {
      sessionKey: this.sessionKey,
      samplingTools: this.options.capabilities.sampling?.tools ?? false,
      taskAugmentation: false,
      protocolVersion: this.client?.getNegotiatedProtocolVersion() ?? MODERN_PROTOCOL_VERSION,
      signal,
      sessionSignal: this.sessionEnd.signal,
    });
  }

  get key(): string {
    return this.sessionKey;
  }

  /** Aborted when the current connection ends. */
  get ended(): AbortSignal {
    return this.sessionEnd.signal;
  }

  /**
   * Taps a new transport before the SDK connects over it: every message both ways goes to the wire log; every
   * notification is counted against the server's budget first (past it they are dropped, before any work is done);
   * progress for a task outlives its tools/call request, which the SDK forgets once it is answered with
   * CreateTaskResult, so notifications for tokens watched here are taken off the wire before the SDK sees them.
   */
  private tap(transport: Transport, ours: (message: JSONRPCMessage) => boolean): void {
    const wire = this.options.wire;
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      wire?.record('out', message);
      return send(message, options);
    };
    let sdk: Transport['onmessage'];
    const receive = (message: JSONRPCMessage, extra?: MessageExtraInfo) => {
      wire?.record('in', message);
      if (ours(message)) return;
      if ('method' in message && !('id' in message) && !this.notifications.take()) return;
      if ('method' in message && message.method === 'notifications/progress' && !('id' in message)) {
        const params = (message.params ?? {}) as { progressToken?: unknown; progress?: unknown; total?: unknown; message?: unknown };
        const watcher = this.progressWatchers.get(String(params.progressToken));
        if (watcher) {
          // Only finite numbers: JSON text such as 1e999 parses to Infinity, which no record or view can hold.
          if (isFiniteNumber(params.progress)) {
            watcher({
              progress: params.progress,
              ...(isFiniteNumber(params.total) ? { total: params.total } : {}),
              ...(typeof params.message === 'string' ? { message: params.message } : {}),
            });
          }
          return;
        }
      }
      sdk?.call(transport, message, extra);
    };
    // The SDK sets onmessage when it connects; the transport calls whatever onmessage reads as.
    Object.defineProperty(transport, 'onmessage', {
      configurable: true,
      get: () => (sdk ? receive : undefined),
      set: (handler: Transport['onmessage']) => {
        sdk = handler;
      },
    });
  }

  watchProgress(token: string, watcher: (p: { progress: number; total?: number; message?: string }) => void): () => void {
    this.progressWatchers.set(token, watcher);
    return () => this.progressWatchers.delete(token);
  }

  get serverCapabilities(): Record<string, unknown> {
    return this.client?.getServerCapabilities() ?? {};
  }

  /** A request by method name with an explicit result schema (task methods have no typed SDK call). */
  async request<T>(
    what: string,
    method: string,
    params: Record<string, unknown>,
    schema: StandardSchemaV1<unknown, T>,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<T> {
    return this.withSession(
      what,
      (c) => c.request({ method, params } as never, schema as never, { signal: options.signal, timeout: options.timeoutMs ?? 60_000 }) as Promise<T>,
      options.signal,
    );
  }

  /**
   * A 2025 request sent many times a second (a task's tasks/get): on a server's pipes Steward frames it and takes its
   * answer off the wire, so it costs the result's validation by `schema` and none of the SDK's request machinery; its
   * errors are those of request(). Anywhere else (HTTP, whose lost sessions request() re-establishes) it is request().
   */
  poll<T>(what: string, method: string, params: Record<string, unknown>, schema: StandardSchemaV1<unknown, T>, timeoutMs: number): Promise<T> {
    const polls = this.polls;
    if (!polls || this.closing || this.reopening) return this.request(what, method, params, schema, { timeoutMs });
    return polls.send(what, method, params, { timeoutMs }, (result) => validated(schema, result, what, method));
  }

  /** A request through the SDK client, re-established once when an HTTP session was lost (see withSession). */
  use<T>(what: string, fn: (c: Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.withSession(what, fn, signal);
  }

  /** The URIs the user follows; subscribed again on a re-established session. */
  get subscriptions(): ReadonlySet<string> {
    return this.subscribed;
  }

  /** Followed before the request goes out: an update the server sends right after its answer is not lost. */
  async subscribe(uri: string): Promise<void> {
    const had = this.subscribed.has(uri);
    this.subscribed.add(uri);
    try {
      await this.withSession('Subscribing to the resource', (c) => c.subscribeResource({ uri }));
    } catch (error) {
      if (!had) this.subscribed.delete(uri);
      throw error;
    }
  }

  async unsubscribe(uri: string): Promise<void> {
    if (!this.subscribed.delete(uri)) return;
    await this.withSession('Unsubscribing from the resource', (c) => c.unsubscribeResource({ uri }));
  }

  private live(): Client {
    if (!this.client || this.closing) throw new StewardError('server_not_running', 'The server is not connected.');
    return this.client;
  }

  /** Runs a request; when an HTTP session was lost, re-initializes once and retries. */
  private async withSession<T>(what: string, fn: (c: Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.reopening) await this.reopening.catch(() => undefined);
    const client = this.live();
    try {
      return await fn(client);
    } catch (error) {
      // A request that failed because its client was closed by a reconnect under way retries on the new one as well.
      const replaced = this.reopening !== undefined || this.client !== client;
      if (this.options.reconnectOnSessionLoss && (isSessionExpired(error) || replaced) && !this.closing) {
        await this.reconnect(client);
        try {
          return await fn(this.live());
        } catch (retryError) {
          throw toStewardError(retryError, what, signal?.aborted);
        }
      }
      throw toStewardError(error, what, signal?.aborted);
    }
  }

  /**
   * Single flight: however many requests find the session gone at once, one new session is opened and the others wait
   * for it; a request that failed on a client already replaced just retries on the new one. No client is left behind.
   */
  private reconnect(lost: Client): Promise<void> {
    if (this.client !== undefined && this.client !== lost) return Promise.resolve();
    this.reopening ??= (async () => {
      this.options.hooks.log('notice', 'The server ended the HTTP session; starting a new one.');
      this.client = undefined;
      await lost.close().catch(() => undefined);
      await this.open();
    })().finally(() => {
      this.reopening = undefined;
    });
    return this.reopening;
  }

  async listTools(): Promise<ToolView[]> {
    // A 2026-07-28 list carries its own freshness (ttlMs), which the SDK's response cache keeps: asking it again is
    // free inside the ttl, and a list_changed empties it. A 2025 list is kept here until list_changed.
    if (this.tools && this.client?.getProtocolEra() !== 'modern') return this.tools;
    const caps = this.live().getServerCapabilities();
    if (!caps?.tools) return [];
    const result = await this.withSession('Listing tools', (c) => c.listTools());
    // With the 2026-07-28 tasks extension any tool call may run as a task (the server decides per call), so every tool
    // can be asked to; a tool that said otherwise keeps its word.
    const tasks = this.tasksExtension;
    this.tools = result.tools.map((t) => {
      const view = toToolView(t);
      return tasks && !view.taskSupport ? { ...view, taskSupport: 'optional' as const } : view;
    });
    return this.tools;
  }

  /** Reads a resource; on a 2026-07-28 connection a read still fresh by its cache hint is answered from the cache. */
  async readResource(uri: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<{ contents: Record<string, unknown>[] }> {
    const result = await this.withSession(
      `Reading "${uri}"`,
      (c) => c.readResource({ uri }, { ...(options.signal ? { signal: options.signal } : {}), timeout: options.timeoutMs ?? 60_000 }),
      options.signal,
    );
    return { contents: result.contents };
  }

  async callTool(name: string, args: Record<string, unknown>, options: CallOptions): Promise<CallResult> {
    const { onProgress, signal } = options;
    // One shape for every call, followed or not (absent members undefined): options spread together per call cost a
    // followed call more than the rest of Steward's work on it.
    const sdkOptions = {
      signal,
      timeout: options.timeoutMs,
      resetTimeoutOnProgress: true,
      maxTotalTimeout: options.timeoutMs * 10,
      onprogress: onProgress
        ? (p: { progress: number; total?: number; message?: string }) =>
            onProgress({
              progress: p.progress,
              ...(p.total !== undefined ? { total: p.total } : {}),
              ...(p.message ? { message: p.message } : {}),
            })
        : undefined,
    };
    const result = await this.withSession(`Calling tool "${name}"`, (c) => c.callTool({ name, arguments: args }, sdkOptions), signal);
    return {
      content: result.content,
      ...(result.structuredContent ? { structuredContent: result.structuredContent as Record<string, unknown> } : {}),
      isError: result.isError === true,
      ...(result._meta ? { _meta: result._meta } : {}),
    };
  }

  /** A round trip: ping on a legacy connection; 2026-07-28 has no ping, so server/discover there. */
  async ping(): Promise<void> {
    await this.withSession('Ping', async (c) => {
      if (c.getProtocolEra() === 'modern') await c.discover({ timeout: 10_000 });
      else await c.ping({ timeout: 10_000 });
    });
  }

  /** A notification to the server (e.g. a task's status); dropped when not connected. */
  async notify(method: string, params: Record<string, unknown>): Promise<void> {
    const c = this.client;
    if (c && !this.closing) await c.notification({ method, params });
  }

  async rootsChanged(): Promise<void> {
    const c = this.client;
    if (c && !this.closing) await c.sendRootsListChanged().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.sessionEnd.abort();
    this.framed?.close();
    this.polls?.close();
    const c = this.client;
    this.client = undefined;
    await c?.close().catch(() => undefined);
  }
}

/** A result as `schema` reads it, or the error the SDK gives a result that fails its schema (as request() reports it). */
function validated<T>(schema: StandardSchemaV1<unknown, T>, result: unknown, what: string, method: string): T | Promise<T> {
  const read = (checked: StandardSchemaV1.Result<T>): T => {
    if (!checked.issues?.length) return (checked as StandardSchemaV1.SuccessResult<T>).value;
    const issues = checked.issues.map((i) =>
      i.path?.length ? `${i.path.map((p) => String(typeof p === 'object' ? p.key : p)).join('.')}: ${i.message}` : i.message,
    );
    throw new StewardError('protocol_error', `${what} failed: Invalid result for ${method}: ${issues.join(', ')}`);
  };
  const checked = schema['~standard'].validate(result);
  return checked instanceof Promise ? checked.then(read) : read(checked);
}

/** The SDK's negotiation for an era setting: auto probes (briefly on stdio), a pin never falls back. */
function negotiation(era: ProtocolEraSetting, stdio: boolean): VersionNegotiationOptions {
  if (era === 'legacy') return { mode: 'legacy' };
  if (era === 'modern') return { mode: { pin: MODERN_PROTOCOL_VERSION } };
  return { mode: 'auto', ...(stdio ? { probe: { timeoutMs: STDIO_PROBE_TIMEOUT_MS } } : {}) };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A child's pipes (the SDK tells stdio from HTTP the same way: a transport with a pid and stderr). */
function isStdio(transport: Transport): boolean {
  return 'pid' in transport && 'stderr' in transport;
}

/**
 * A token bucket for one server's notifications: a burst, then a steady rate. A flood is reported when it starts
 * (report(0)) and, with the count, when it stops, so the report itself cannot flood the log.
 */
class NotificationBudget {
  private tokens: number = SERVER_LIMITS.notificationBurst;
  private at = Date.now();
  private dropped = 0;

  constructor(private readonly report: (dropped: number) => void) {}

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(SERVER_LIMITS.notificationBurst, this.tokens + ((now - this.at) / 1000) * SERVER_LIMITS.notificationsPerSecond);
    this.at = now;
    if (this.tokens < 1) {
      if (this.dropped === 0) this.report(0);
      this.dropped += 1;
      return false;
    }
    this.tokens -= 1;
    if (this.dropped > 0) {
      this.report(this.dropped);
      this.dropped = 0;
    }
    return true;
  }
}

function toToolView(tool: {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema: object;
  outputSchema?: object | undefined;
  annotations?: object | undefined;
  execution?: { taskSupport?: 'forbidden' | 'optional' | 'required' | undefined } | undefined;
  _meta?: Record<string, unknown> | undefined;
}): ToolView {
  const ui = readToolUi(tool._meta);
  return {
    name: tool.name,
    ...(tool.title ? { title: tool.title } : {}),
    ...(tool.description ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema as Record<string, unknown>,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema as Record<string, unknown> } : {}),
    ...(tool.annotations ? { annotations: tool.annotations as Record<string, unknown> } : {}),
    ...(tool.execution?.taskSupport ? { taskSupport: tool.execution.taskSupport } : {}),
    ...(ui ? { ui } : {}),
  };
}
