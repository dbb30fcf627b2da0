// createHost: the composition root of the core. Wires store, security, servers, sessions, inbox and audit to the ports.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, type Dispatch } from '../../shared/dispatch.js';
import { Audit } from './audit/index.js';
import { createHandlers } from './api.js';
import { bundledServers, type BundledRuntime } from './defaults.js';
import { HostEvents } from './events.js';
import { Inbox } from './inbox/index.js';
import { systemClock, type BrowserOpener, type Clock, type DataDir, type Notifier, type SecretStore } from './ports.js';
import { createOsSandbox, gatedOpener, nodeFsView, type FsView, type Platform, type SandboxRunner } from './security/index.js';
import { DEFAULT_BACKOFF, isAlive, ServersService, startTokenOf, type BackoffPolicy } from './servers/index.js';
import { ToolCalls, type ClientIdentity } from './sessions/index.js';
import { createAnthropicProvider, ModelSettingsService, type ModelProvider } from './models/index.js';
import { SamplingService } from './sampling/index.js';
import { createServerTraffic } from './server-requests.js';
import { createToolRunner, type ToolRunner } from './tool-runner.js';
import { ELICITATION_GATE, ElicitationService } from './elicitation/index.js';
import { AuthRecords, AuthService } from './auth/index.js';
import { TasksService } from './tasks/index.js';
import { openStore, type Store } from './store/index.js';

export const STEWARD_VERSION = '0.1.0';

export interface HostOptions {
  dataDir: DataDir;
  secrets: SecretStore;
  browser: BrowserOpener;
  notifier?: Notifier;
  clock?: Clock;
  /** The host's own environment; children get only an allowlisted part of it. */
  env?: Readonly<Record<string, string | undefined>>;
  platform?: Platform;
  homeDir?: string;
  sandbox?: SandboxRunner;
  fs?: FsView;
  /** Start servers the user left running (the app and browser mode do; the CLI does not). */
  autostart?: boolean;
  /** Register the bundled example servers on first run. */
  bundled?: { examplesDir: string; runtime: BundledRuntime };
  backoff?: Partial<BackoffPolicy>;
  stopGraceMs?: number;
  connectTimeoutMs?: number;
  sampleIntervalMs?: number;
  /** The model behind sampling; the Anthropic provider (with the key from the SecretStore) unless given. */
  provider?: ModelProvider;
  /** Steward's client ID metadata document URL (null: never use CIMD); the setting, else the published default, when absent. */
  clientMetadataUrl?: string | null;
  /** Loopback ports for the sign-in redirect, in order of preference (0: any free port). */
  redirectPorts?: readonly number[];
  /** Told about unexpected errors inside handlers (the front end decides where its log goes). */
  onUnexpected?: (where: string, error: unknown) => void;
}

export interface Host {
  readonly store: Store;
  readonly events: HostEvents;
  readonly servers: ServersService;
  readonly tools: ToolCalls;
  readonly inbox: Inbox;
  readonly audit: Audit;
  readonly sampling: SamplingService;
  readonly tasks: TasksService;
  readonly elicitation: ElicitationService;
  readonly auth: AuthService;
  /** A tool call as the app makes it: as a task when it must be, retried after URL elicitation (-32042). */
  readonly runTool: ToolRunner;
  readonly models: ModelSettingsService;
  readonly dispatch: Dispatch;
  readonly identity: ClientIdentity;
  dispose(): Promise<void>;
}

const SUPPORTED_PLATFORMS: readonly Platform[] = ['linux', 'darwin', 'win32'];

export async function createHost(options: HostOptions): Promise<Host> {
  const clock = options.clock ?? systemClock;
  const now = () => new Date(clock.now()).toISOString();
  const platform = options.platform ?? (SUPPORTED_PLATFORMS.includes(process.platform as Platform) ? (process.platform as Platform) : 'linux');
  const env = options.env ?? process.env;
  const store = openStore(join(options.dataDir.path, 'steward.db'));
  const events = new HostEvents();
  const audit = new Audit(store, now);
  const inbox = new Inbox(now, (items) => events.emit('inbox:changed', items));
  const sandbox = options.sandbox ?? createOsSandbox();
  const identity: ClientIdentity = {
    name: 'steward',
    version: STEWARD_VERSION,
    title: 'Steward',
    description: 'A desktop MCP host that runs servers under the user’s control.',
  };

  const models = new ModelSettingsService(store, options.secrets, env.ANTHROPIC_BASE_URL);
  const provider = options.provider ?? createAnthropicProvider({ apiKey: () => models.apiKey(), baseUrl: () => models.baseUrl() });
  // Sampling needs the calls in flight, and the servers need sampling: `tools` (below) is read only when a request arrives.
  const sampling = new SamplingService({ store, audit, inbox, events, clock, provider, models, callsInFlight: (id) => tools.inFlight(id) });

  const servers = new ServersService({
    store,
    secrets: options.secrets,
    events,
    inbox,
    audit,
    clock,
    sandbox,
    fs: options.fs ?? nodeFsView,
    platform,
    homeDir: options.homeDir ?? env.HOME ?? homedir(),
    dataDir: options.dataDir.path,
    hostEnv: env,
    identity,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    stopGraceMs: options.stopGraceMs ?? 2000,
    connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
    sampleIntervalMs: options.sampleIntervalMs ?? 5000,
    capabilities: (serverId) => ({
      sampling: { tools: sampling.policy(serverId).allowTools },
      elicitation: { form: true, url: true },
      taskRequests: ['sampling/createMessage', 'elicitation/create'],
    }),
    serverRequest: (serverId, method, params, info) => traffic.request(serverId, method, params, info),
    serverNotification: (serverId, method, params) => traffic.notification(serverId, method, params),
    httpAuth: (serverId, url) => auth.transportAuth(serverId, url),
    httpAuthRetry: (serverId, url, error) => auth.legacyFallback(serverId, url, error),
    forgotten: (serverId) => auth.forget(serverId),
  });

  const auth = new AuthService({
    store,
    records: new AuthRecords(options.secrets),
    inbox,
    audit,
    clock,
    // The auth service judged the page already (with the rules for its server); the gate judges it once more.
    open: async (url) => {
      await gatedOpener((u) => options.browser.open(u), { allowLoopbackHttp: true })(url);
    },
    changed: (view) => events.emit('auth:changed', view),
    server: (serverId) => {
      const record = store.servers.get(serverId);
      return record && record.config.transport === 'http' ? { name: record.name, url: record.config.url } : undefined;
    },
    reconnect: async (serverId) => {
      await servers.ensureRunning(serverId);
    },
    disconnect: async (serverId) => {
      await servers.stop(serverId, 'user');
    },
    clientMetadataUrl: options.clientMetadataUrl,
    redirectPorts: options.redirectPorts,
  });

  const tasks = new TasksService({
    store,
    events,
    audit,
    clock,
    notifier: options.notifier,
    session: (serverId) => servers.ensureRunning(serverId),
    live: (serverId) => servers.liveSession(serverId),
    server: (serverId) => {
      const view = store.servers.get(serverId);
      return view ? { name: view.name, transport: view.config.transport } : undefined;
    },
    owner: { pid: process.pid, started: startTokenOf(process.pid) ?? null },
    ownerAlive: (owner) => isAlive(owner.pid) && (owner.started === null || startTokenOf(owner.pid) === owner.started),
  });
  const elicitation = new ElicitationService({
    inbox,
    audit,
    // The one path from the host to the system browser for server-supplied pages: the gate, then the opener.
    open: gatedOpener((url) => options.browser.open(url), ELICITATION_GATE),
    completed: (event) => events.emit('elicitation:completed', event),
    now,
    relatedTask: (serverId, remoteTaskId) => {
      const row = store.tasks.byRemote(serverId, 'outgoing', remoteTaskId);
      return row ? { taskId: row.id, label: row.label } : null;
    },
  });
  const traffic = createServerTraffic({
    sampling,
    elicitation,
    tasks,
    serverName: (id) => servers.callSettings(id).name,
    live: (id) => servers.liveSession(id),
  });

  const tools: ToolCalls = new ToolCalls({
    acquire: async (serverId) => {
      const session = await servers.ensureRunning(serverId);
      const { name, toolTimeoutSeconds } = servers.callSettings(serverId);
      return { session, release: servers.beginUse(serverId), timeoutSeconds: toolTimeoutSeconds, serverName: name };
    },
    progress: (p) => events.emit('calls:changed', p),
    ended: (serverId, ref) => sampling.toolCallEnded(serverId, ref),
    record: (entry) =>
      audit.recordSoon('tool.called', {
        serverId: entry.serverId,
        serverName: entry.serverName,
        actor: 'user',
        summary: `Called ${entry.tool} on "${entry.serverName}": ${entry.outcome} in ${entry.ms} ms.`,
        data: { tool: entry.tool, argumentNames: entry.argumentNames, outcome: entry.outcome, ms: entry.ms },
      }),
    now: () => clock.now(),
  });

  if (options.bundled && !store.settings.get('bundled.registered')) {
    for (const input of bundledServers(options.bundled.examplesDir, options.bundled.runtime)) {
      if (!store.servers.findByName(input.name)) await servers.add(input, 'bundled', 'host');
    }
    store.settings.put('bundled.registered', true);
  }

  const runTool = createToolRunner({ servers, tools, tasks, elicitation, audit });

  let disposed = false;
  const host: Host = {
    store,
    events,
    servers,
    tools,
    inbox,
    audit,
    sampling,
    tasks,
    elicitation,
    auth,
    models,
    identity,
    runTool,
    dispatch: createDispatcher(createHandlers({ servers, tools, inbox, audit, sampling, tasks, models, runTool, auth }), {
      onUnexpected: options.onUnexpected,
    }),
    async dispose() {
      if (disposed) return;
      disposed = true;
      tools.cancelAll();
      tasks.dispose();
      await servers.dispose();
      await auth.dispose();
      sampling.flush();
      audit.flush();
      await sandbox.dispose().catch(() => undefined);
      store.close();
    },
  };
  await servers.bootstrap(options.autostart ?? false);
  tasks.recover();
  return host;
}
