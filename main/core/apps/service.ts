// MCP Apps on the host side: a tool's view fetched and checked, the sandbox it gets (CSP, permissions, a proxy frame on
// its server's own origin), and every request a view makes — admitted under its limits, checked, relayed only to its
// own server, and logged there.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ListResourcesResultSchema, ReadResourceResultSchema } from '@modelcontextprotocol/core';
import {
  VIEW_LOCAL_METHODS,
  VIEW_METHODS,
  VIEW_REQUEST_MAX_BYTES,
  ViewMessageSchema,
  ViewModelContextSchema,
  type AppViewSpec,
  type CspInForce,
} from '../../../shared/domain/apps.js';
import type { LogLine } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import type { Audit } from '../audit/index.js';
import type { HostEvents } from '../events.js';
import type { Clock } from '../ports.js';
import { judgeUrl, type UrlVerdict } from '../security/index.js';
import type { McpSession } from '../sessions/index.js';
import { buildCsp, type ViewServer } from './csp.js';
import { TokenBucket, VIEW_LIMITS } from './limits.js';
import { FRAME_REPORT_PREFIX, framePage, VIEW_SANDBOX } from './proxy-page.js';
import { describe, relay, ViewRefusal, type Relayed } from './relay.js';
import { allowAttribute, readUiContent, viewMeta } from './resource.js';
import { ViewLog, type LoggedView } from './view-log.js';

/** How long a closed view's requests under way may still take before they are cancelled. */
const CLOSE_GRACE_MS = 5000;
/** Bytes of JSON in one ui/message or ui/update-model-context. */
const MAX_NOTE_BYTES = 256 * 1024;

/** Where a front end frames views: the Steward pages allowed to, and the address of a view's proxy page. */
export interface ViewFrames {
  hostOrigins(): ReadonlySet<string>;
  url(label: string, token: string): string;
}

export interface AppsDeps {
  /** The server's session, started if needed (opening a view is the user's action). */
  open(serverId: string): Promise<McpSession>;
  /** The session a view's request goes to: never one the user stopped. */
  session(serverId: string): Promise<McpSession>;
  beginUse(serverId: string): () => void;
  settings(serverId: string): { name: string; toolTimeoutSeconds: number };
  /**
   * The server as it is configured now: where it runs, and what it launches (its packages' pinned versions included) or
   * its address as one string (the same string, the same server); undefined once it is removed. A view belongs to the
   * server as it was when the view opened.
   */
  server(serverId: string): (ViewServer & { launch: string }) | undefined;
  log(serverId: string, level: LogLine['level'], text: string): void;
  audit: Audit;
  events: HostEvents;
  clock: Clock;
  /** The gate, then the system browser. */
  openLink(url: string): Promise<UrlVerdict>;
  /** sampling/createMessage through the same entry point, policy and budgets as a server's own request. */
  sample(serverId: string, session: McpSession, params: unknown, signal: AbortSignal): Promise<Record<string, unknown>>;
}

interface OpenView extends LoggedView {
  token: string;
  label: string;
  launch: string;
  hostOrigin: string;
  csp: CspInForce;
  allow: string;
  requests: TokenBucket;
  logs: TokenBucket;
  reports: TokenBucket;
  inFlight: number;
  controller: AbortController;
  modelContext: string | null;
}

/**
 * What ends a view's requests when it closes. Every request of the view in flight listens to its signal (the SDK's
 * request, or a sampling round) until it ends, and VIEW_LIMITS caps those at 16: past Node's default of 10 listeners it
 * warned of a leak under a busy view. Twice the cap leaves room for a request that listens twice; more is still reported.
 */
function viewController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(VIEW_LIMITS.inFlight * 2, controller.signal);
  return controller;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const RPC_CODES: Partial<Record<string, number>> = { invalid_payload: -32602, not_supported: -32601 };

export class AppsService {
  private readonly views = new Map<string, OpenView>();
  private readonly byToken = new Map<string, string>();
  private readonly salt = randomBytes(16);
  private readonly log: ViewLog;
  private frames: ViewFrames | undefined;
  private readonly unsubscribe: Array<() => void>;
  private readonly closedListeners = new Set<(label: string) => void>();

  constructor(private readonly deps: AppsDeps) {
    this.log = new ViewLog({ log: (serverId, level, text) => deps.log(serverId, level, text), audit: deps.audit, clock: deps.clock });
    // A view, its origin and the browser features granted to it last no longer than its server as the user allowed it.
    this.unsubscribe = [
      deps.events.on('servers:removed', ({ serverId }) => this.serverChanged(serverId)),
      deps.events.on('servers:changed', ({ id }) => this.serverChanged(id)),
    ];
  }

  /** A front end that can frame views says where; without one, views cannot be opened. */
  attachFrames(frames: ViewFrames | undefined): void {
    this.frames = frames;
  }

  /** Each server's views share an origin of their own: a label no other server's matches, unguessable across runs. */
  labelOf(serverId: string): string {
    return `v${createHash('sha256').update(this.salt).update(serverId).digest('hex').slice(0, 24)}`;
  }

  async open(serverId: string, toolName: string, hostOrigin: string): Promise<AppViewSpec> {
    const frames = this.frames;
    if (!frames) throw new StewardError('not_supported', 'This Steward front end cannot show views.');
    if (!frames.hostOrigins().has(hostOrigin)) throw new StewardError('invalid_payload', 'Views can only be framed by Steward’s own page.');
    const session = await this.deps.open(serverId);
    const serverName = this.deps.settings(serverId).name;
    const tool = (await session.listTools()).find((t) => t.name === toolName);
    if (!tool) throw new StewardError('not_found', `“${serverName}” has no tool named “${toolName}”.`);
    const uri = tool.ui?.resourceUri;
    if (uri === undefined) throw new StewardError('not_supported', tool.ui?.problem ?? `The tool “${toolName}” has no view.`);
    const read = await session.request('Reading the view', 'resources/read', { uri }, ReadResourceResultSchema, { timeoutMs: 60_000 });
    const content = readUiContent(read, uri);
    if (!content.ok) {
      this.deps.log(serverId, 'warning', `[view of ${toolName}] not shown: ${content.reason}`);
      this.deps.audit.record('app.refused', {
        serverId,
        serverName,
        actor: 'host',
        summary: `Did not show the view of ${toolName} on "${serverName}": ${content.reason}`,
        data: { tool: toolName, resourceUri: uri },
      });
      throw new StewardError('protocol_error', content.reason);
    }
    const hasOwnMeta = isRecord(content.meta) && isRecord(content.meta.ui);
    const meta = viewMeta(content.meta, hasOwnMeta ? undefined : await this.listEntryMeta(session, uri));
    // Read after the last wait: a server removed while its view was fetched gets no view.
    const server = this.serverNow(serverId);
    if (!server) throw new StewardError('not_found', `“${serverName}” was removed.`);

    const viewId = randomUUID();
    const token = randomBytes(24).toString('base64url');
    const label = this.labelOf(serverId);
    const csp = buildCsp(meta.csp, meta.source, {
      frameAncestor: hostOrigin,
      reportUri: `${FRAME_REPORT_PREFIX}${token}`,
      server,
    });
    const allow = allowAttribute(meta.permissions);
    const now = () => this.deps.clock.now();
    const view: OpenView = {
      viewId,
      serverId,
      serverName,
      tool: toolName,
      token,
      label,
      launch: server.launch,
      hostOrigin,
      csp,
      allow,
      requests: new TokenBucket(VIEW_LIMITS.burst, VIEW_LIMITS.perSecond, now),
      logs: new TokenBucket(VIEW_LIMITS.logBurst, VIEW_LIMITS.logPerSecond, now),
      reports: new TokenBucket(VIEW_LIMITS.logBurst, VIEW_LIMITS.logPerSecond, now),
      inFlight: 0,
      controller: viewController(),
      modelContext: null,
    };
    this.evictBeyond(VIEW_LIMITS.openViews - 1);
    this.views.set(viewId, view);
    this.byToken.set(token, viewId);

    const digest = createHash('sha256').update(content.html).digest('hex');
    const refused = csp.refused.map((r) => `${r.directive} "${r.value}" (${r.reason})`).join('; ');
    this.log.line(view, 'info', `opened ${uri} (${content.html.length} characters, sha256 ${digest.slice(0, 16)}) under CSP: ${csp.header}`);
    if (refused) this.log.line(view, 'warning', `left out of its CSP: ${refused}`);
    this.deps.audit.record('app.opened', {
      serverId,
      serverName,
      actor: 'user',
      summary: `Opened the view of ${toolName} on "${serverName}"${csp.refused.length > 0 ? ` (${csp.refused.length} declared source(s) refused)` : ''}.`,
      data: {
        viewId,
        tool: toolName,
        resourceUri: uri,
        sha256: digest,
        csp: csp.header,
        refused: csp.refused,
        permissions: meta.permissions,
        metaFrom: meta.source,
      },
    });
    return {
      viewId,
      serverId,
      serverName,
      tool: {
        name: tool.name,
        ...(tool.title ? { title: tool.title } : {}),
        ...(tool.description ? { description: tool.description } : {}),
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
        ...(tool.annotations ? { annotations: tool.annotations } : {}),
        _meta: { ui: { resourceUri: uri, ...(tool.ui?.visibility ? { visibility: tool.ui.visibility } : {}) } },
      },
      resourceUri: uri,
      html: content.html,
      csp,
      permissions: meta.permissions,
      allow,
      sandbox: VIEW_SANDBOX,
      proxyUrl: frames.url(label, token),
      prefersBorder: meta.prefersBorder,
    };
  }

  /** The resources/list entry's `_meta` for `uri`, the fallback when the content carries none. */
  private async listEntryMeta(session: McpSession, uri: string): Promise<unknown> {
    let cursor: string | undefined;
    try {
      for (let page = 0; page < 20; page++) {
        const list = await session.request('Listing resources', 'resources/list', cursor ? { cursor } : {}, ListResourcesResultSchema, { timeoutMs: 30_000 });
        const entry = list.resources.find((r) => r.uri === uri);
        if (entry) return entry._meta;
        cursor = list.nextCursor;
        if (!cursor) return undefined;
      }
    } catch {
      // A server may leave its views out of resources/list, or have no list at all: then there is no fallback.
    }
    return undefined;
  }

  private view(viewId: string): OpenView {
    const view = this.views.get(viewId);
    if (!view) throw new StewardError('not_found', 'That view is closed.');
    return view;
  }

  /** Checks that come before anything else a view asks: its rate, what it has in flight, the size of what it sends. */
  private admit(view: OpenView, method: string, params: unknown): void {
    if (!view.requests.take()) throw new ViewRefusal('rate_limited', `more than ${VIEW_LIMITS.perSecond} requests a second`);
    if (view.inFlight >= VIEW_LIMITS.inFlight) throw new ViewRefusal('rate_limited', `more than ${VIEW_LIMITS.inFlight} requests waiting at once`);
    if (JSON.stringify(params ?? null).length > (method === 'tools/call' ? VIEW_REQUEST_MAX_BYTES : MAX_NOTE_BYTES)) {
      throw new ViewRefusal('invalid_payload', 'the request is too large');
    }
  }

  /** A refusal on record (aggregated under a flood), and the error the view gets, with a JSON-RPC code for it. */
  private refuse(view: OpenView, what: string, error: ViewRefusal): never {
    this.log.refused(view, `refused ${what.slice(0, 300)}: ${error.message}`);
    throw new StewardError(error.code, error.message, { rpcCode: RPC_CODES[error.code] ?? -32000 });
  }

  async request(viewId: string, method: string, params: unknown): Promise<Record<string, unknown>> {
    const view = this.view(viewId);
    const what = describe(method, params);
    try {
      this.admit(view, method, params);
      if (![...VIEW_METHODS, ...VIEW_LOCAL_METHODS].includes(method as never))
        throw new ViewRefusal('not_supported', `views may not send "${method.slice(0, 100)}"`);
    } catch (error) {
      if (error instanceof ViewRefusal) this.refuse(view, what, error);
      throw error;
    }
    if ((VIEW_LOCAL_METHODS as readonly string[]).includes(method)) {
      this.log.line(view, 'debug', `${what}: ${JSON.stringify(params ?? {}).slice(0, 200)}`);
      return {};
    }
    view.inFlight += 1;
    const started = this.deps.clock.now();
    const release = this.deps.beginUse(view.serverId);
    try {
      const session = await this.deps.session(view.serverId);
      const result =
        method === 'sampling/createMessage'
          ? await this.sample(view, session, params)
          : await relay(method as Relayed, params, {
              session,
              signal: view.controller.signal,
              timeoutMs: this.deps.settings(view.serverId).toolTimeoutSeconds * 1000,
            });
      const outcome = result.isError === true ? 'the tool reported an error' : 'ok';
      this.log.line(view, 'debug', `${what}: ${outcome} (${this.deps.clock.now() - started} ms)`);
      return result;
    } catch (error) {
      if (error instanceof ViewRefusal) this.refuse(view, what, error);
      this.log.line(view, 'warning', `${what}: failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      release();
      view.inFlight -= 1;
    }
  }

  private async sample(view: OpenView, session: McpSession, params: unknown): Promise<Record<string, unknown>> {
    try {
      return await this.deps.sample(view.serverId, session, params, view.controller.signal);
    } catch (error) {
      const code = isRecord(error) && typeof error.code === 'number' ? error.code : undefined;
      if (code === undefined) throw error;
      throw new StewardError(code === -1 ? 'not_allowed' : 'protocol_error', error instanceof Error ? error.message : 'Sampling failed.', { rpcCode: code });
    }
  }

  private note(viewId: string, method: string, params: unknown): OpenView {
    const view = this.view(viewId);
    try {
      this.admit(view, method, params);
    } catch (error) {
      if (error instanceof ViewRefusal) this.refuse(view, method, error);
      throw error;
    }
    return view;
  }

  /** The gate's verdict on a page the view asks to open; nothing is opened until the user clicks. */
  checkLink(viewId: string, url: string): UrlVerdict {
    const view = this.note(viewId, 'ui/open-link', { url });
    const verdict = judgeUrl(url, 'browser');
    if (verdict.allowed) this.log.line(view, 'info', `asks to open ${verdict.display}`);
    else this.log.refused(view, `refused ui/open-link ${verdict.display}: ${verdict.problems.join(' ')}`);
    return verdict;
  }

  async openLink(viewId: string, url: string): Promise<UrlVerdict> {
    const view = this.view(viewId);
    const verdict = await this.deps.openLink(url);
    this.log.line(view, 'info', `opened ${verdict.display} in the browser (the user clicked)`);
    this.deps.audit.record('app.link_opened', {
      serverId: view.serverId,
      serverName: view.serverName,
      actor: 'user',
      summary: `Opened ${verdict.display} for the view of ${view.tool} on "${view.serverName}".`,
      data: { viewId, tool: view.tool, url: verdict.display },
    });
    return verdict;
  }

  message(viewId: string, params: unknown): void {
    const view = this.note(viewId, 'ui/message', params);
    const parsed = ViewMessageSchema.safeParse(params);
    if (!parsed.success) this.refuse(view, 'ui/message', new ViewRefusal('invalid_payload', 'a message must be a user message with a list of content blocks'));
    const text = textOf(parsed.data.content);
    this.log.line(view, 'info', `sent a message: ${text.slice(0, 500)}`);
    this.deps.audit.record('app.message', {
      serverId: view.serverId,
      serverName: view.serverName,
      actor: 'view',
      summary: `The view of ${view.tool} on "${view.serverName}" sent a message: “${text.slice(0, 200)}”.`,
      data: { viewId, tool: view.tool, text: text.slice(0, 4000), blocks: parsed.data.content.map((b) => String(b.type)) },
    });
  }

  modelContext(viewId: string, params: unknown): void {
    const view = this.note(viewId, 'ui/update-model-context', params);
    const parsed = ViewModelContextSchema.safeParse(params);
    if (!parsed.success)
      this.refuse(view, 'ui/update-model-context', new ViewRefusal('invalid_payload', 'the context must be content blocks and structured content'));
    const json = JSON.stringify(parsed.data);
    // Each update replaces the last; the same one again is not recorded twice.
    if (json === view.modelContext) return;
    view.modelContext = json;
    const text = textOf(parsed.data.content ?? []);
    this.log.line(view, 'info', `updated its context for the model: ${text.slice(0, 300) || json.slice(0, 300)}`);
    this.deps.audit.record('app.model_context', {
      serverId: view.serverId,
      serverName: view.serverName,
      actor: 'view',
      summary: `The view of ${view.tool} on "${view.serverName}" updated its context for the model.`,
      data: { viewId, tool: view.tool, text: text.slice(0, 4000), structured: Object.keys(parsed.data.structuredContent ?? {}).slice(0, 50) },
    });
  }

  writeLog(viewId: string, level: LogLine['level'], text: string): void {
    const view = this.view(viewId);
    if (!view.logs.take()) {
      this.log.refused(view, `refused notifications/message: more than ${VIEW_LIMITS.logPerSecond} log lines a second`);
      return;
    }
    this.log.line(view, level, `says: ${text.slice(0, 4000)}`);
  }

  /** Something the renderer's bridge refused before it could reach the host. */
  rejected(viewId: string, method: string, reason: string): void {
    this.log.refused(this.view(viewId), `refused ${method.slice(0, 200)}: ${reason}`);
  }

  close(viewId: string, reason: string): void {
    const view = this.views.get(viewId);
    if (!view) return;
    // No new request is taken; what is under way (a view saving its work as it is torn down) gets a moment to finish.
    if (view.inFlight > 0) this.deps.clock.setTimeout(() => view.controller.abort(new StewardError('cancelled', 'The view was closed.')), CLOSE_GRACE_MS);
    else view.controller.abort(new StewardError('cancelled', 'The view was closed.'));
    this.views.delete(viewId);
    this.byToken.delete(view.token);
    this.log.flush(view);
    this.log.line(view, 'info', `closed (${reason.slice(0, 200)})`);
    for (const listener of this.closedListeners) listener(view.label);
  }

  /** `listener` hears the origin label of every view that closes, however it closed; returns the way to stop listening. */
  onClosed(listener: (label: string) => void): () => void {
    this.closedListeners.add(listener);
    return () => void this.closedListeners.delete(listener);
  }

  /** Closed by Steward rather than the page showing it: the page hears so, and takes the view down. */
  private end(viewId: string, serverId: string, reason: string): void {
    this.close(viewId, reason);
    this.deps.events.emit('apps:closed', { viewId, serverId, reason });
  }

  private evictBeyond(count: number): void {
    for (const [viewId, view] of [...this.views].slice(0, Math.max(0, this.views.size - count))) {
      this.end(viewId, view.serverId, `Steward keeps at most ${VIEW_LIMITS.openViews} views open; this was the oldest.`);
    }
  }

  /** The server as configured now; a row that can no longer be read counts as gone. */
  private serverNow(serverId: string): ReturnType<AppsDeps['server']> {
    try {
      return this.deps.server(serverId);
    } catch {
      return undefined;
    }
  }

  /** A server removed, or now launched or reached differently (which needs the user's consent again), ends its views. */
  private serverChanged(serverId: string): void {
    const open = [...this.views].filter(([, view]) => view.serverId === serverId);
    if (open.length === 0) return;
    const now = this.serverNow(serverId);
    for (const [viewId, view] of open) {
      if (!now) this.end(viewId, serverId, 'Its server was removed, so Steward closed the view.');
      else if (now.launch !== view.launch) this.end(viewId, serverId, 'Its server’s launch or address changed, so Steward closed the view.');
    }
  }

  // What the proxy frame's origin serves (browser mode's listener, the desktop app's protocol).

  /** True when some open view lives on this origin label. */
  knowsLabel(label: string): boolean {
    for (const view of this.views.values()) if (view.label === label) return true;
    return false;
  }

  /** The proxy page for an open view on its own origin: the document and the CSP header it goes out with. */
  frameDocument(label: string, token: string): { html: string; csp: string } | undefined {
    const view = this.byLabelAndToken(label, token);
    if (!view) return undefined;
    return { html: framePage({ host: view.hostOrigin, sandbox: VIEW_SANDBOX, allow: view.allow }), csp: view.csp.header };
  }

  /** A CSP violation report the browser sent from a view's frame. */
  frameReport(label: string, token: string, body: unknown): void {
    const view = this.byLabelAndToken(label, token);
    if (!view) return;
    const report = isRecord(body) && isRecord(body['csp-report']) ? body['csp-report'] : undefined;
    if (!report) return;
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const directive = (text(report['effective-directive']) || text(report['violated-directive']) || 'unknown').slice(0, 100);
    const blocked = text(report['blocked-uri']).slice(0, 500);
    this.log.refused(view, `its CSP blocked ${blocked || 'inline content'} (${directive})`);
    if (view.reports.take()) this.deps.events.emit('apps:violation', { viewId: view.viewId, serverId: view.serverId, directive, blockedUri: blocked });
  }

  /** Whether a view frame on `origin` may use a browser feature (the desktop app's permission handler asks). */
  permissionAllowed(label: string, feature: 'camera' | 'microphone' | 'geolocation' | 'clipboardWrite'): boolean {
    for (const view of this.views.values()) {
      if (view.label === label && view.allow.split('; ').includes(feature === 'clipboardWrite' ? 'clipboard-write' : feature)) return true;
    }
    return false;
  }

  private byLabelAndToken(label: string, token: string): OpenView | undefined {
    const viewId = this.byToken.get(token);
    const view = viewId === undefined ? undefined : this.views.get(viewId);
    return view && view.label === label ? view : undefined;
  }

  dispose(): void {
    for (const off of this.unsubscribe) off();
    for (const viewId of [...this.views.keys()]) this.close(viewId, 'Steward is shutting down');
  }
}

function textOf(blocks: readonly Record<string, unknown>[]): string {
  return blocks
    .map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : `[${String(b.type)}]`))
    .join(' ')
    .trim();
}
