// One view for one tool call, kept alive outside React: the proxy frame on the server's own origin, the AppBridge that
// speaks MCP Apps with the view (with no MCP client of its own: every request goes to the host over the contract, which
// checks, limits and logs it), and the state the view's chrome shows. Moving between screens moves the frame, not a copy.
import { AppBridge, PostMessageTransport, type McpUiHostContext } from '@modelcontextprotocol/ext-apps/app-bridge';
import { ProtocolError, type JSONRPCMessage } from '@modelcontextprotocol/client';
import type { AppViewSpec, ViewViolation } from '../../../../shared/domain/apps.js';
import type { CallResult } from '../../../../shared/domain/mcp.js';
import { STEWARD_VERSION } from '../../../../shared/version.js';
import { call, HostError } from '../../lib/steward.js';
import type { ColorScheme } from '../../lib/theme.js';
import { FloodGuard } from './flood-guard.js';
import { hostCapabilities, hostContext, INLINE_MAX_HEIGHT, type DisplayMode } from './host-context.js';
import { oversizedRequest } from './request-size.js';

/** How long a view gets to answer ui/resource-teardown before its frame goes anyway. */
export const TEARDOWN_MS = 2000;
const MIN_HEIGHT = 48;
const START_HEIGHT = 160;

export interface ViewCall {
  serverId: string;
  tool: string;
  input: Record<string, unknown>;
  result: CallResult | null;
  /** Why the call ended without a result (cancelled or failed), once it has. */
  cancelled: string | null;
}

export interface LinkRequest {
  url: string;
  verdict: { allowed: boolean; problems: string[]; warnings: string[]; display: string; host: string };
}

export interface ViewState {
  phase: 'opening' | 'loading' | 'ready' | 'closed' | 'failed';
  spec: AppViewSpec | null;
  error: HostError | null;
  displayMode: DisplayMode;
  /** The display modes the view declared it supports (both, when it declared none). */
  modes: DisplayMode[];
  messages: { at: string; text: string }[];
  modelContext: { at: string; text: string } | null;
  violations: ViewViolation[];
  link: LinkRequest | null;
  closedReason: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map((b: unknown) => (isRecord(b) && b.type === 'text' && typeof b.text === 'string' ? b.text : isRecord(b) ? `[${String(b.type)}]` : ''))
    .join(' ')
    .trim();
}

/** A host refusal as the JSON-RPC error the view gets; `logged` says the host has it on record already. */
function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof HostError) {
    const code = typeof error.details?.rpcCode === 'number' ? error.details.rpcCode : -32000;
    return new ProtocolError(code, error.message, { logged: true });
  }
  return new ProtocolError(-32603, 'Steward could not handle the request.', { logged: true });
}

export class LiveView {
  readonly container: HTMLDivElement;
  private frame: HTMLIFrameElement | undefined;
  private bridge: AppBridge | undefined;
  private state: ViewState = {
    phase: 'opening',
    spec: null,
    error: null,
    displayMode: 'inline',
    modes: ['inline', 'fullscreen'],
    messages: [],
    modelContext: null,
    violations: [],
    link: null,
    closedReason: null,
  };
  private readonly listeners = new Set<() => void>();
  private started = false;
  private initialized = false;
  private inputSent = false;
  private endSent = false;
  private loads = 0;
  private width = 600;
  private fullHeight: number | undefined;
  private reportedHeight = START_HEIGHT;
  private answerLink: ((opened: boolean) => void) | undefined;
  lastUsed = Date.now();

  constructor(
    readonly key: string,
    private readonly view: ViewCall,
    private scheme: ColorScheme,
    private readonly dock: HTMLElement,
  ) {
    this.container = document.createElement('div');
    this.container.className = 'app-view-box';
    dock.appendChild(this.container);
  }

  get viewId(): string | undefined {
    return this.state.spec?.viewId;
  }

  get serverId(): string {
    return this.view.serverId;
  }

  get attached(): boolean {
    return this.container.parentElement !== this.dock && this.container.isConnected;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ViewState => this.state;

  private set(patch: Partial<ViewState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** Puts the frame into `slot` (moved, not reloaded, where the browser can move frames), and opens it the first time. */
  attach(slot: HTMLElement): void {
    this.lastUsed = Date.now();
    move(slot, this.container);
    if (!this.started) {
      this.started = true;
      void this.open();
    }
  }

  /** Back to the hidden dock: the view goes on running, ready to be shown again. */
  detach(slot: HTMLElement): void {
    if (this.container.parentElement !== slot) return;
    if (this.state.displayMode === 'fullscreen') this.setDisplayMode('inline');
    move(this.dock, this.container);
  }

  /** The call's result (or its end) when it arrives after the view was opened. */
  update(next: Pick<ViewCall, 'result' | 'cancelled'>): void {
    this.view.result ??= next.result;
    this.view.cancelled ??= next.cancelled;
    this.deliver();
  }

  setScheme(scheme: ColorScheme): void {
    if (scheme === this.scheme) return;
    this.scheme = scheme;
    if (this.frame) this.frame.style.colorScheme = scheme;
    this.contextChanged();
  }

  /** The room the view has: the slot's width inline; the whole area (and its height) in full screen. */
  resize(width: number, height?: number): void {
    const w = Math.max(1, Math.round(width));
    const h = height === undefined ? undefined : Math.max(1, Math.round(height));
    if (w === this.width && h === this.fullHeight) return;
    this.width = w;
    this.fullHeight = h;
    this.contextChanged();
  }

  private context(): McpUiHostContext | undefined {
    const spec = this.state.spec;
    if (!spec) return undefined;
    const full = this.state.displayMode === 'fullscreen';
    return hostContext({ spec, scheme: this.scheme, displayMode: this.state.displayMode, width: this.width, height: full ? this.fullHeight : undefined });
  }

  /** Nothing goes to the view before it said it is initialized; what changed meanwhile goes right after. */
  private contextChanged(): void {
    const context = this.context();
    if (this.bridge && this.initialized && context) this.bridge.setHostContext(context);
  }

  private async open(): Promise<void> {
    let spec: AppViewSpec;
    try {
      spec = await call('apps:open', { serverId: this.view.serverId, tool: this.view.tool, hostOrigin: window.location.origin });
    } catch (error) {
      this.set({ phase: 'failed', error: error instanceof HostError ? error : new HostError('internal_error', String(error)) });
      return;
    }
    if (this.state.phase === 'closed') {
      void call('apps:close', { viewId: spec.viewId, reason: 'closed before it loaded' }).catch(() => undefined);
      return;
    }
    this.set({ phase: 'loading', spec });
    const frame = document.createElement('iframe');
    frame.className = 'app-view-frame';
    frame.title = `View of ${spec.tool.title ?? spec.tool.name} from ${spec.serverName}`;
    frame.setAttribute('sandbox', spec.sandbox);
    if (spec.allow) frame.setAttribute('allow', spec.allow);
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.style.height = `${START_HEIGHT}px`;
    frame.style.colorScheme = this.scheme;
    frame.addEventListener('load', () => {
      let blank = false;
      try {
        blank = frame.contentWindow?.location.href === 'about:blank';
      } catch {
        // Not readable: the proxy page on the server's origin has loaded.
      }
      if (blank) return;
      this.loads += 1;
      // A frame that loads again (moved where the browser cannot keep it, or reloaded) is a new view: it gets the
      // call's input and result again over a new bridge.
      if (this.loads > 1) void this.connect(spec);
    });
    this.frame = frame;
    this.container.appendChild(frame);
    await this.connect(spec);
    frame.src = spec.proxyUrl;
  }

  private async connect(spec: AppViewSpec): Promise<void> {
    const frame = this.frame;
    const target = frame?.contentWindow;
    if (!frame || !target) return;
    await this.bridge?.close().catch(() => undefined);
    this.initialized = false;
    this.inputSent = false;
    this.endSent = false;
    const context = this.context();
    const bridge = new AppBridge(null, { name: 'Steward', version: STEWARD_VERSION }, hostCapabilities(spec), context ? { hostContext: context } : {});
    this.bridge = bridge;
    this.wire(bridge, spec);
    const transport = new PostMessageTransport(target, target);
    await bridge.connect(transport);
    this.watch(transport, spec.viewId);
  }

  private wire(bridge: AppBridge, spec: AppViewSpec): void {
    const viewId = spec.viewId;
    // Thrown unmarked as logged: the watch on the wire tells the host's log of the refusal.
    const sized = (payload: unknown) => {
      const refusal = oversizedRequest(payload);
      if (refusal) throw refusal;
    };
    const relay = async (method: string, params: unknown) => {
      sized({ method, params });
      try {
        return await call('apps:request', { viewId, method, params });
      } catch (error) {
        throw toProtocolError(error);
      }
    };
    bridge.addEventListener('sandboxready', () => {
      void bridge.sendSandboxResourceReady({ html: spec.html, sandbox: spec.sandbox, csp: spec.csp.declared, permissions: spec.permissions });
    });
    bridge.addEventListener('initialized', () => {
      this.initialized = true;
      const declared = bridge.getAppCapabilities()?.availableDisplayModes;
      const modes = declared ? (['inline', 'fullscreen'] as const).filter((m) => declared.includes(m)) : (['inline', 'fullscreen'] as const);
      this.set({ phase: 'ready', modes: [...modes] });
      const context = this.context();
      if (context) bridge.setHostContext(context);
      this.deliver();
    });
    bridge.addEventListener('sizechange', ({ height }) => {
      if (typeof height === 'number' && Number.isFinite(height)) {
        this.reportedHeight = Math.min(INLINE_MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(height)));
        this.applyHeight();
      }
    });
    bridge.oncalltool = async (params) => (await relay('tools/call', params)) as never;
    bridge.onreadresource = async (params) => (await relay('resources/read', params)) as never;
    bridge.onlistresources = async (params) => (await relay('resources/list', params ?? {})) as never;
    bridge.onlistresourcetemplates = async (params) => (await relay('resources/templates/list', params ?? {})) as never;
    bridge.onlistprompts = async (params) => (await relay('prompts/list', params ?? {})) as never;
    bridge.oncreatesamplingmessage = async (params) => (await relay('sampling/createMessage', params)) as never;
    bridge.fallbackRequestHandler = async (request) => relay(request.method, request.params ?? {});
    bridge.fallbackNotificationHandler = async (notification) => {
      await call('apps:rejected', { viewId, method: notification.method.slice(0, 200), reason: 'not a notification a view may send' }).catch(() => undefined);
    };
    bridge.onmessage = async (params) => {
      sized(params);
      try {
        await call('apps:message', { viewId, params });
      } catch (error) {
        throw toProtocolError(error);
      }
      this.set({ messages: [...this.state.messages.slice(-49), { at: new Date().toISOString(), text: textOf(params.content) }] });
      return {};
    };
    bridge.onupdatemodelcontext = async (params) => {
      sized(params);
      try {
        await call('apps:modelContext', { viewId, params });
      } catch (error) {
        throw toProtocolError(error);
      }
      const text = textOf(params.content) || (params.structuredContent ? JSON.stringify(params.structuredContent) : '');
      this.set({ modelContext: { at: new Date().toISOString(), text } });
      return {};
    };
    bridge.addEventListener('loggingmessage', (params) => {
      const text = typeof params.data === 'string' ? params.data : JSON.stringify(params.data);
      const logger = params.logger ? `[${params.logger}] ` : '';
      void call('apps:log', { viewId, level: params.level, text: `${logger}${text}`.slice(0, 20_000) }).catch(() => undefined);
    });
    bridge.onopenlink = async ({ url }) => {
      sized(url);
      let verdict: LinkRequest['verdict'];
      try {
        verdict = await call('apps:checkLink', { viewId, url });
      } catch (error) {
        throw toProtocolError(error);
      }
      // The gate's refusal needs no decision from the user: the view hears it at once (the host logged it).
      if (!verdict.allowed) throw new ProtocolError(-32000, `Steward will not open this address: ${verdict.problems.join(' ')}`, { logged: true });
      if (this.answerLink) throw new ProtocolError(-32000, 'Another page is waiting for the user to decide.');
      const opened = await new Promise<boolean>((resolve) => {
        this.answerLink = resolve;
        this.set({ link: { url, verdict } });
      });
      if (!opened) throw new ProtocolError(-32000, 'The user did not open the page.', { logged: true });
      return {};
    };
    bridge.onrequestdisplaymode = async ({ mode }) => {
      await relay('ui/request-display-mode', { mode });
      if ((mode === 'inline' || mode === 'fullscreen') && this.state.modes.includes(mode)) this.setDisplayMode(mode);
      return { mode: this.state.displayMode };
    };
    bridge.addEventListener('requestteardown', () => {
      void this.dispose('The view asked to be closed.');
    });
  }

  /**
   * Watches the wire under the bridge: a flood is cut off before it reaches the bridge, the proxy's word that the view
   * navigated away closes the view, and anything the bridge refuses on its own (a malformed message) is reported to the
   * host's log like every other refusal.
   */
  private watch(transport: PostMessageTransport, viewId: string): void {
    const guard = new FloodGuard((dropped) => {
      void call('apps:rejected', { viewId, method: 'messages', reason: `${dropped} message(s) dropped: more than ${FloodGuard.PER_SECOND} a second` }).catch(
        () => undefined,
      );
    });
    const receive = transport.onmessage;
    const send = transport.send.bind(transport);
    const methods = new Map<string | number, string>();
    transport.onmessage = (message: JSONRPCMessage, extra) => {
      const method = 'method' in message ? message.method : undefined;
      const id = 'id' in message ? message.id : undefined;
      if (!guard.admit()) {
        if (method !== undefined && id !== undefined)
          void send({ jsonrpc: '2.0', id, error: { code: -32000, message: 'Too many messages.', data: { logged: true } } });
        return;
      }
      if (method === 'ui/notifications/sandbox-view-navigated') {
        void call('apps:rejected', { viewId, method: 'navigation', reason: 'the view’s frame left its page' }).catch(() => undefined);
        void this.dispose('The view left its page, so Steward closed it.');
        return;
      }
      if (method !== undefined && id !== undefined) methods.set(id, method);
      receive?.call(transport, message, extra);
    };
    transport.send = async (message, options) => {
      if ('id' in message && message.id !== undefined && ('result' in message || 'error' in message)) {
        const method = methods.get(message.id);
        methods.delete(message.id);
        const error = 'error' in message ? message.error : undefined;
        if (error && method !== undefined && !(isRecord(error.data) && error.data.logged === true)) {
          const reason = error.message.replace(/\s+/g, ' ').slice(0, 2000);
          void call('apps:rejected', { viewId, method: method.slice(0, 200), reason }).catch(() => undefined);
        }
      }
      return send(message, options);
    };
  }

  /** Input once, then the result — or that the call was cancelled — and only once the view is initialized. */
  private deliver(): void {
    const bridge = this.bridge;
    if (!bridge || !this.initialized) return;
    if (!this.inputSent) {
      this.inputSent = true;
      void bridge.sendToolInput({ arguments: this.view.input });
    }
    if (this.endSent) return;
    if (this.view.result) {
      this.endSent = true;
      // The content is the server's, as its session received and checked it.
      void bridge.sendToolResult({ ...this.view.result } as Parameters<AppBridge['sendToolResult']>[0]);
    } else if (this.view.cancelled !== null) {
      this.endSent = true;
      void bridge.sendToolCancelled({ reason: this.view.cancelled });
    }
  }

  toolsChanged(): void {
    if (this.bridge && this.initialized) void this.bridge.sendToolListChanged();
  }

  violated(violation: ViewViolation): void {
    this.set({ violations: [...this.state.violations.slice(-19), violation] });
  }

  setDisplayMode(mode: DisplayMode): void {
    if (mode === this.state.displayMode) return;
    if (mode === 'inline') this.fullHeight = undefined;
    this.set({ displayMode: mode });
    this.applyHeight();
    this.contextChanged();
  }

  private applyHeight(): void {
    if (this.frame) this.frame.style.height = this.state.displayMode === 'fullscreen' ? '100%' : `${this.reportedHeight}px`;
  }

  /** The user's answer to a page the view asked to open. */
  async decideLink(open: boolean): Promise<void> {
    const link = this.state.link;
    const viewId = this.viewId;
    if (!link || !viewId) return;
    if (open) await call('apps:openLink', { viewId, url: link.url });
    this.answerLink?.(open);
    this.answerLink = undefined;
    this.set({ link: null });
  }

  /** ui/resource-teardown first (the view may save its work), then the frame goes, answered or not. */
  async dispose(reason: string): Promise<void> {
    if (this.state.phase === 'closed') return;
    const bridge = this.bridge;
    const viewId = this.viewId;
    this.set({ phase: 'closed', closedReason: reason, link: null, displayMode: 'inline' });
    this.answerLink?.(false);
    this.answerLink = undefined;
    if (bridge && this.initialized) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        bridge.teardownResource({ reason }, { timeout: TEARDOWN_MS }).catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, TEARDOWN_MS))),
      ]);
      clearTimeout(timer);
    }
    await bridge?.close().catch(() => undefined);
    this.bridge = undefined;
    this.frame?.remove();
    this.frame = undefined;
    if (viewId) void call('apps:close', { viewId, reason }).catch(() => undefined);
  }

  /** Takes the container out of the page for good (after dispose). */
  remove(): void {
    this.container.remove();
  }
}

/** A state-preserving move where the browser has one (the frame keeps running); elsewhere the frame reloads. */
function move(parent: HTMLElement, node: HTMLElement): void {
  if (node.parentElement === parent) return;
  if ('moveBefore' in parent && typeof parent.moveBefore === 'function' && node.isConnected && parent.isConnected) {
    try {
      parent.moveBefore(node, null);
      return;
    } catch {
      // A move the browser refuses falls back to a plain one.
    }
  }
  parent.appendChild(node);
}
