// One MCP client per server: connect with capabilities declared up front, list, call with progress and cancel, reconnect.
import { randomUUID } from 'node:crypto';
import { Client, ProtocolError, type Transport } from '@modelcontextprotocol/client';
import type { CallResult, PromptView, ResourceView, ToolView } from '../../../shared/domain/mcp.js';
import type { LogLine } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import { isSessionExpired, toStewardError } from './errors.js';

export interface ClientIdentity {
  name: string;
  version: string;
  title?: string;
  description?: string;
}

/** What a server may ask of the host, declared before connecting. */
export interface HostCapabilities {
  sampling: { tools: boolean } | null;
}

export interface ServerRequestInfo {
  /** Changes when the session is re-established. */
  sessionKey: string;
  /** Whether sampling tools were declared and the negotiated protocol version has them. */
  samplingTools: boolean;
  signal: AbortSignal;
}

export interface SessionHooks {
  /** A `notifications/message` from the server, or a note about the connection. */
  log(level: LogLine['level'], text: string): void;
  listChanged(kind: 'tools' | 'prompts' | 'resources'): void;
  /** Folders the user granted this server, as file:// URIs. */
  roots(): { uri: string; name?: string }[];
  /** The connection ended without Steward asking for it. */
  closed(): void;
  /** sampling/createMessage from the server; resolves to the MCP result or throws a ProtocolError. */
  sampling?(params: unknown, info: ServerRequestInfo): Promise<Record<string, unknown>>;
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
}

/** Protocol versions that know sampling with tools. */
const SAMPLING_TOOLS_VERSIONS = new Set(['2025-11-25']);

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  onProgress?: (p: { progress: number; total?: number; message?: string }) => void;
}

export interface ServerInfo {
  protocolVersion: string | null;
  serverInfo: { name: string; version: string; title?: string } | null;
  instructions: string | null;
}

const LOG_LEVELS = new Set(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);

export class McpSession {
  private client: Client | undefined;
  private tools: ToolView[] | undefined;
  private closing = false;
  private sessionKey = randomUUID();

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
      serverInfo: v ? { name: v.name, version: v.version, ...(v.title ? { title: v.title } : {}) } : null,
      instructions: c?.getInstructions() ?? null,
    };
  }

  private async open(): Promise<void> {
    const { hooks, identity } = this.options;
    const client = new Client(
      { name: identity.name, version: identity.version, ...(identity.title ? { title: identity.title } : {}), ...(identity.description ? { description: identity.description } : {}) },
      {
        capabilities: {
          roots: { listChanged: true },
          ...(this.options.capabilities.sampling ? { sampling: this.options.capabilities.sampling.tools ? { tools: {} } : {} } : {}),
        },
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
      const level = LOG_LEVELS.has(n.params.level) ? (n.params.level as LogLine['level']) : 'info';
      const logger = n.params.logger ? `[${n.params.logger}] ` : '';
      const data = typeof n.params.data === 'string' ? n.params.data : JSON.stringify(n.params.data);
      hooks.log(level, `${logger}${data}`);
    });
    client.setRequestHandler('roots/list', async () => ({ roots: hooks.roots() }));
    const sampling = hooks.sampling;
    if (sampling && this.options.capabilities.sampling) {
      const declaredTools = this.options.capabilities.sampling.tools;
      // Sampling is handled here rather than through the typed handler so that Steward's own validation
      // answers malformed requests with a message that says what is wrong, not a schema dump.
      client.fallbackRequestHandler = async (request, ctx) => {
        if (request.method !== 'sampling/createMessage') throw new ProtocolError(-32601, `Method not found: ${request.method}`);
        const version = client.getNegotiatedProtocolVersion() ?? '';
        const result = await sampling(request.params, {
          sessionKey: this.sessionKey,
          samplingTools: declaredTools && SAMPLING_TOOLS_VERSIONS.has(version),
          signal: ctx.mcpReq.signal,
        });
        return result as never;
      };
    }
    client.onclose = () => {
      if (this.client === client && !this.closing) hooks.closed();
    };
    client.onerror = (error) => hooks.log('warning', `Connection: ${error.message}`);

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.connectTimeoutMs);
    try {
      await client.connect(this.options.transport(), { signal: controller.signal, timeout: this.options.connectTimeoutMs });
    } catch (error) {
      this.closing = true;
      await client.close().catch(() => undefined);
      throw controller.signal.aborted
        ? new StewardError('timeout', `The server did not finish the MCP handshake within ${Math.round(this.options.connectTimeoutMs / 1000)} s.`)
        : toStewardError(error, 'Connecting to the server');
    } finally {
      clearTimeout(timer);
    }
    this.client = client;
    this.tools = undefined;
    this.sessionKey = randomUUID();
  }

  get key(): string {
    return this.sessionKey;
  }

  private live(): Client {
    if (!this.client || this.closing) throw new StewardError('server_not_running', 'The server is not connected.');
    return this.client;
  }

  /** Runs a request; when an HTTP session was lost, re-initializes once and retries. */
  private async withSession<T>(what: string, fn: (c: Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await fn(this.live());
    } catch (error) {
      if (this.options.reconnectOnSessionLoss && isSessionExpired(error) && !this.closing) {
        this.options.hooks.log('notice', 'The server ended the HTTP session; starting a new one.');
        const old = this.client;
        this.client = undefined;
        await old?.close().catch(() => undefined);
        await this.open();
        try {
          return await fn(this.live());
        } catch (retryError) {
          throw toStewardError(retryError, what, signal?.aborted);
        }
      }
      throw toStewardError(error, what, signal?.aborted);
    }
  }

  async listTools(): Promise<ToolView[]> {
    if (this.tools) return this.tools;
    const caps = this.live().getServerCapabilities();
    if (!caps?.tools) return [];
    const result = await this.withSession('Listing tools', (c) => c.listTools());
    this.tools = result.tools.map(toToolView);
    return this.tools;
  }

  async listPrompts(): Promise<PromptView[]> {
    if (!this.live().getServerCapabilities()?.prompts) return [];
    const result = await this.withSession('Listing prompts', (c) => c.listPrompts());
    return result.prompts.map((p) => ({
      name: p.name,
      ...(p.title ? { title: p.title } : {}),
      ...(p.description ? { description: p.description } : {}),
      arguments: (p.arguments ?? []).map((a) => ({
        name: a.name,
        ...(a.description ? { description: a.description } : {}),
        ...(a.required !== undefined ? { required: a.required } : {}),
      })),
    }));
  }

  async listResources(): Promise<ResourceView[]> {
    if (!this.live().getServerCapabilities()?.resources) return [];
    const result = await this.withSession('Listing resources', (c) => c.listResources());
    return result.resources.map((r) => ({
      uri: r.uri,
      name: r.name,
      ...(r.title ? { title: r.title } : {}),
      ...(r.description ? { description: r.description } : {}),
      ...(r.mimeType ? { mimeType: r.mimeType } : {}),
    }));
  }

  async callTool(name: string, args: Record<string, unknown>, options: CallOptions): Promise<CallResult> {
    const result = await this.withSession(
      `Calling tool "${name}"`,
      (c) =>
        c.callTool(
          { name, arguments: args },
          {
            ...(options.signal ? { signal: options.signal } : {}),
            timeout: options.timeoutMs,
            resetTimeoutOnProgress: true,
            maxTotalTimeout: options.timeoutMs * 10,
            ...(options.onProgress
              ? {
                  onprogress: (p: { progress: number; total?: number; message?: string }) =>
                    options.onProgress!({ progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message ? { message: p.message } : {}) }),
                }
              : {}),
          },
        ),
      options.signal,
    );
    return {
      content: (result.content ?? []) as Record<string, unknown>[],
      ...(result.structuredContent ? { structuredContent: result.structuredContent as Record<string, unknown> } : {}),
      isError: result.isError === true,
    };
  }

  async ping(): Promise<void> {
    await this.withSession('Ping', (c) => c.ping({ timeout: 10_000 }));
  }

  async rootsChanged(): Promise<void> {
    const c = this.client;
    if (c && !this.closing) await c.sendRootsListChanged().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closing = true;
    const c = this.client;
    this.client = undefined;
    await c?.close().catch(() => undefined);
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
}): ToolView {
  return {
    name: tool.name,
    ...(tool.title ? { title: tool.title } : {}),
    ...(tool.description ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema as Record<string, unknown>,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema as Record<string, unknown> } : {}),
    ...(tool.annotations ? { annotations: tool.annotations as Record<string, unknown> } : {}),
    ...(tool.execution?.taskSupport ? { taskSupport: tool.execution.taskSupport } : {}),
  };
}
