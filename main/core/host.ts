// createHost: the composition root of the core. Wires store, security, servers, sessions, inbox and audit to the ports,
// and this host to the other Steward processes sharing its data folder.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, type Dispatch } from '../../shared/dispatch.js';
import { SamplingPolicySchema } from '../../shared/domain/sampling.js';
import { STEWARD_VERSION } from '../../shared/version.js';
import { Audit } from './audit/index.js';
import { createHandlers } from './api.js';
import { AppearanceService } from './appearance.js';
import type { BundledRuntime } from './defaults.js';
import { HostEvents } from './events.js';
import { Inbox } from './inbox/index.js';
import { messageBytesFrom } from './limits.js';
import {
  isoNow,
  systemClock,
  unexpectedToStderr,
  type BrowserOpener,
  type Clock,
  type DataDir,
  type Notifier,
  type PathPicker,
  type SecretStore,
  type Unexpected,
} from './ports.js';
import { createOsSandbox, gatedOpener, hiddenLocations, judgeUrl, nodeFsView, type FsView, type Platform, type SandboxRunner } from './security/index.js';
import { DEFAULT_BACKOFF, registryResolver, ServersService, type BackoffPolicy, type PackageResolver } from './servers/index.js';
import { isSameProcess, Ownership, startTokenOf } from './owners/index.js';
import { CrossProcess } from './cross-process.js';
import { ToolCalls, type ClientIdentity } from './sessions/index.js';
import { createAnthropicProvider, ModelSettingsService, type ModelProvider } from './models/index.js';
import { SamplingService } from './sampling/index.js';
import { createServerTraffic } from './server-requests.js';
import { createToolRunner, type ToolRunner } from './tool-runner.js';
import { ElicitationService } from './elicitation/index.js';
import { AuthRecords, AuthService } from './auth/index.js';
import { TasksService } from './tasks/index.js';
import { BundlesService, type BundleRuntime, type ZipCaps } from './bundles/index.js';
import { openStore, type Store } from './store/index.js';
import { AppsService } from './apps/index.js';
import {
  crossProcessRecords,
  hostCapabilities,
  registerBundled,
  relatedTaskOf,
  remoteServerOf,
  serverRecords,
  taskServerOf,
  toolAcquirer,
  toolCallRecorder,
  viewSampler,
  viewServerOf,
  viewSession,
} from './wiring.js';

export { STEWARD_VERSION };

export interface HostOptions {
  dataDir: DataDir;
  secrets: SecretStore;
  browser: BrowserOpener;
  /** A file and folder chooser of the front end's own (the desktop app's dialog); none elsewhere. */
  pathPicker?: PathPicker;
  notifier?: Notifier;
  clock?: Clock;
  /** The host's own environment; children get only an allowlisted part of it. */
  env?: Readonly<Record<string, string | undefined>>;
  platform?: Platform;
  homeDir?: string;
  sandbox?: SandboxRunner;
  /** Start the sandbox runtime as soon as a sandboxed launch is planned (true unless told; the CLI turns it off). */
  warmSandbox?: boolean;
  fs?: FsView;
  /** Start servers the user left running (the app and browser mode do; the CLI does not). */
  autostart?: boolean;
  /** Register the bundled example servers on first run. */
  bundled?: { examplesDir: string; runtime: BundledRuntime };
  backoff?: Partial<BackoffPolicy>;
  stopGraceMs?: number;
  connectTimeoutMs?: number;
  /** How long one request of a sign-in may take, its body included (30 s). */
  signInRequestMs?: number;
  /** How long a runner's download step may take. */
  downloadTimeoutMs?: number;
  sampleIntervalMs?: number;
  /** Which exact version a package runner would fetch; the real registries unless given. */
  packages?: PackageResolver;
  /** What runs a bundle whose server is `node` (Electron's own Node in the app); the bundled examples' runtime unless given. */
  bundleRuntime?: BundleRuntime;
  /** Caps on a bundle file and what it unpacks to (tests lower them). */
  bundleCaps?: Partial<ZipCaps>;
  /** The most bytes one JSON-RPC message from a server may have (else STEWARD_MAX_MESSAGE_BYTES, else 10 MB). */
  maxMessageBytes?: number;
  /** The model behind sampling; the Anthropic provider (with the key from the SecretStore) unless given. */
  provider?: ModelProvider;
  /** Steward's client ID metadata document URL (null: never use CIMD); the setting, else the published default, when absent. */
  clientMetadataUrl?: string | null;
  /** Loopback ports for the sign-in redirect, in order of preference (0: any free port). */
  redirectPorts?: readonly number[];
  /**
   * Told about unexpected errors inside handlers and in work nobody waits for (timer flushes, pollers, restarts);
   * the front end decides where its log goes. Standard error when absent.
   */
  onUnexpected?: Unexpected;
  /** Notes for the front end's log (e.g. what a Steward that died left running and this one stopped). */
  log?: (line: string) => void;
  /** What other processes call this one: 'app', 'browser', 'cli'. */
  ownerKind?: string;
  /** How long this process's lease lasts; it renews it three times within. */
  leaseMs?: number;
  /** How often the change feed looks for other processes' writes (for screens; decisions read through regardless). */
  changePollMs?: number;
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
  readonly bundles: BundlesService;
  /** A tool call as the app makes it: as a task when it must be, retried after URL elicitation (-32042). */
  readonly runTool: ToolRunner;
  readonly models: ModelSettingsService;
  readonly dispatch: Dispatch;
  readonly identity: ClientIdentity;
  /** This host beside other Steward processes: shared inbox, routed actions, change feed, recovery. */
  readonly cross: CrossProcess;
  readonly ownership: Ownership;
  /** MCP Apps: views of tools, their sandbox, and what they ask of their servers. */
  readonly apps: AppsService;
  /** The theme every window shows. */
  readonly appearance: AppearanceService;
  dispose(): Promise<void>;
}

const SUPPORTED_PLATFORMS: readonly Platform[] = ['linux', 'darwin', 'win32'];
/** The WAL is checkpointed, off the commit path, once it holds this many pages (SQLite's own threshold). */
const CHECKPOINT_PAGES = 1000;

export async function createHost(options: HostOptions): Promise<Host> {
  const clock = options.clock ?? systemClock;
  const unexpected = options.onUnexpected ?? unexpectedToStderr;
  const now = () => isoNow(clock);
  const platform = options.platform ?? (SUPPORTED_PLATFORMS.includes(process.platform as Platform) ? (process.platform as Platform) : 'linux');
  const env = options.env ?? process.env;
  const store = openStore(join(options.dataDir.path, 'steward.db'), {
    checkpoints: { pages: CHECKPOINT_PAGES, everyMs: 250, failed: (error) => unexpected('checkpointing the database', error) },
  });
  const events = new HostEvents();
  const audit = new Audit({ audit: store.audit, transaction: store.transaction }, now, unexpected);
  const log = options.log ?? (() => undefined);
  // Late-bound: the cross-process layer needs the services, and the services report to it.
  const late: { cross?: CrossProcess } = {};
  const self = { pid: process.pid, started: startTokenOf(process.pid) ?? '' };
  const ownership = new Ownership({
    self,
    kind: options.ownerKind ?? 'host',
    owners: store.owners,
    running: (owner) => isSameProcess(owner.pid, owner.started),
    now: () => Date.now(),
    leaseMs: options.leaseMs ?? 15_000,
    unexpected,
    ownerDied: () => {
      late.cross?.recover().catch((error: unknown) => {
        unexpected('recovery', error);
      });
    },
  });
  const inbox = new Inbox(now, (change) => {
    if (late.cross) late.cross.inbox.localChanged(change);
    else events.emit('inbox:changed', change);
  });
  const sandbox = options.sandbox ?? createOsSandbox();
  const identity: ClientIdentity = {
    name: 'steward',
    version: STEWARD_VERSION,
    title: 'Steward',
    description: 'A desktop MCP host that runs servers under the user’s control.',
  };

  const models = new ModelSettingsService(store.settings, options.secrets, env.ANTHROPIC_BASE_URL, (settings) => {
    events.emit('models:changed', settings);
  });
  const appearance = new AppearanceService(store.settings, (value) => {
    events.emit('appearance:changed', value);
  });
  const provider = options.provider ?? createAnthropicProvider({ apiKey: () => models.apiKey(), baseUrl: () => models.baseUrl() });
  // Sampling needs the calls in flight, and the servers need sampling: `tools` (below) is read only when a request arrives.
  const sampling = new SamplingService({
    records: { sampling: store.sampling, transaction: store.transaction },
    audit,
    inbox,
    events,
    clock,
    provider,
    models,
    callsInFlight: (id) => tools.inFlight(id),
    unexpected,
    owner: self,
  });

  const homeDir = options.homeDir ?? env.HOME ?? homedir();
  // The servers' requests, sign-in and bundles are answered by services made below: each is read only when a server calls.
  const servers = new ServersService({
    records: serverRecords(store, options.secrets),
    clock,
    launch: {
      sandbox,
      warmSandbox: options.warmSandbox ?? true,
      fs: options.fs ?? nodeFsView,
      platform,
      homeDir,
      dataDir: options.dataDir.path,
      hostEnv: env,
      packages: options.packages ?? registryResolver,
      downloadTimeoutMs: options.downloadTimeoutMs ?? 10 * 60_000,
      bundleOf: (serverId) => ({ readPaths: bundles.readPathsFor(serverId), refusal: bundles.launchRefusal(serverId) }),
    },
    connect: {
      identity,
      connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
      messageBytes: messageBytesFrom(options.maxMessageBytes, env),
      capabilities: hostCapabilities((serverId) => sampling.policy(serverId).allowTools),
      serverRequest: (serverId, method, params, info) => traffic.request(serverId, method, params, info),
      serverNotification: (serverId, method, params) => traffic.notification(serverId, method, params),
      httpAuth: (serverId, url) => auth.transportAuth(serverId, url),
      httpAuthRetry: (serverId, url, error) => auth.legacyFallback(serverId, url, error),
    },
    supervision: {
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      stopGraceMs: options.stopGraceMs ?? 2000,
      sampleIntervalMs: options.sampleIntervalMs ?? 5000,
    },
    owners: { owner: self, elsewhere: () => late.cross?.elsewhere() ?? new Map() },
    sinks: { events, inbox, audit, unexpected, forgotten: (serverId) => auth.forget(serverId) },
  });
  const bundles: BundlesService = new BundlesService({
    records: { bundles: store.bundles, servers: store.servers, transaction: store.transaction },
    servers,
    secrets: options.secrets,
    audit,
    clock,
    dataDir: options.dataDir.path,
    homeDir,
    hostEnv: env,
    platform,
    runtime: options.bundleRuntime ?? options.bundled?.runtime ?? { command: process.execPath, env: {} },
    resetSampling: (serverId, serverName) => sampling.setPolicy(serverId, serverName, SamplingPolicySchema.parse({})),
    ...(options.bundleCaps ? { caps: options.bundleCaps } : {}),
  });

  const auth = new AuthService({
    settings: store.settings,
    records: new AuthRecords(options.secrets),
    inbox,
    audit,
    clock,
    // The auth service judged the page already (with the rules for its server); the gate judges it once more.
    open: async (url) => {
      await gatedOpener((u) => options.browser.open(u))(url);
    },
    changed: (view) => events.emit('auth:changed', view),
    server: remoteServerOf(store.servers),
    reconnect: async (serverId) => {
      await servers.ensureRunning(serverId);
    },
    disconnect: async (serverId) => {
      await servers.stop(serverId, 'user');
    },
    clientMetadataUrl: options.clientMetadataUrl,
    redirectPorts: options.redirectPorts,
    signInRequestMs: options.signInRequestMs,
    tokenFiles: { platform, hidden: hiddenLocations(platform, homeDir, options.dataDir.path, env) },
    unexpected,
  });

  const tasks = new TasksService({
    records: store.tasks,
    events,
    audit,
    clock,
    notifier: options.notifier,
    session: (serverId) => servers.ensureRunning(serverId),
    live: (serverId) => servers.liveSession(serverId),
    server: taskServerOf(store.servers),
    owner: self,
    ownerAlive: (owner) => ownership.state(owner) !== 'dead',
    unexpected,
  });
  const elicitation = new ElicitationService({
    inbox,
    audit,
    // The one path from the host to the system browser for server-supplied pages: the gate, then the opener.
    open: gatedOpener((url) => options.browser.open(url)),
    completed: (event) => events.emit('elicitation:completed', event),
    now,
    relatedTask: relatedTaskOf(store.tasks, self),
  });
  const traffic = createServerTraffic({
    sampling,
    elicitation,
    tasks,
    inbox,
    note: (id, text) => servers.note(id, 'warning', text),
    serverName: (id) => servers.callSettings(id).name,
    live: (id) => servers.liveSession(id),
    fresh: () => late.cross?.feed.sync(),
  });

  const apps = new AppsService({
    open: (serverId) => servers.ensureRunning(serverId),
    session: viewSession(servers, store.servers),
    beginUse: (serverId) => servers.beginUse(serverId),
    settings: (serverId) => servers.callSettings(serverId),
    server: viewServerOf(store.servers),
    log: (serverId, level, text) => servers.note(serverId, level, text),
    audit,
    events,
    clock,
    openLink: gatedOpener((url) => options.browser.open(url)),
    sample: viewSampler(traffic),
  });

  const tools: ToolCalls = new ToolCalls({
    acquire: toolAcquirer(servers),
    progress: (p) => events.emit('calls:changed', p),
    unexpected,
    ended: (serverId, ref) => sampling.toolCallEnded(serverId, ref),
    record: toolCallRecorder(audit),
    now: () => clock.now(),
  });

  if (options.bundled) await registerBundled(store.settings, store.servers, servers, options.bundled);

  const runTool = createToolRunner({
    servers,
    tools,
    tasks,
    elicitation,
    audit,
    now,
    history: {
      record: (call) => {
        if (store.toolCalls.record(call) !== null) events.emit('tools:called', { serverId: call.serverId });
      },
      onError: (error) => unexpected('call history', error),
    },
  });
  const cross = new CrossProcess({
    dataDir: options.dataDir.path,
    records: crossProcessRecords(store),
    ownership,
    events,
    audit,
    inbox,
    servers,
    sampling,
    tasks,
    models,
    log,
    onUnexpected: unexpected,
    ...(options.changePollMs === undefined ? {} : { pollMs: options.changePollMs }),
  });
  late.cross = cross;
  cross.feed.on('settings', () => appearance.forget());
  const dispatch = createDispatcher(
    createHandlers({
      servers,
      tools,
      inbox: cross.inbox,
      audit,
      sampling,
      tasks,
      models,
      runTool,
      auth,
      cross,
      bundles,
      apps,
      pathPicker: options.pathPicker,
      callHistory: store.toolCalls,
      links: { check: (url) => judgeUrl(url, 'browser'), open: gatedOpener((url) => options.browser.open(url)) },
      appearance,
    }),
    {
      onUnexpected: unexpected,
    },
  );

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
    bundles,
    models,
    identity,
    runTool,
    cross,
    ownership,
    apps,
    appearance,
    // Every call sees what other processes wrote before it: the feed is read (a few microseconds) first.
    dispatch: (name, payload) => {
      cross.feed.sync();
      return dispatch(name, payload);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      apps.dispose();
      tools.cancelAll();
      tasks.dispose();
      await servers.dispose();
      await auth.dispose();
      bundles.dispose();
      sampling.close();
      audit.flush();
      await sandbox.dispose().catch(() => undefined);
      await cross.dispose();
      store.close();
    },
  };
  await cross.start();
  await cross.recover();
  servers.bootstrap(options.autostart ?? false);
  return host;
}
