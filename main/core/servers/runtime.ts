// One server's life: spawn (or dial), connect, supervise, restart with backoff, stop the whole process tree.
import { spawn, type ChildProcess } from 'node:child_process';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { LogLine, ProtocolEra, ProtocolEraSetting, ServerError, ServerStatus } from '../../../shared/domain/servers.js';
import { present, StewardError } from '../../../shared/errors.js';
import { detached, guarded } from '../background.js';
import type { Clock, Unexpected } from '../ports.js';
import {
  passEnvironment,
  classifyFailure,
  RUNTIME_WRITE_PATHS,
  serverSandboxRequest,
  startErrorCode,
  type FailureOutcome,
  type LaunchPlan,
  type Platform,
  type SandboxRunner,
  type WrappedCommand,
} from '../security/index.js';
import {
  McpSession,
  WireLog,
  type ClientIdentity,
  type HostCapabilities,
  type ServerRequestInfo,
  type ServerNotificationMethod,
  type HttpAuth,
} from '../sessions/index.js';
import { megabytes } from '../limits.js';
import { restartDelay, type BackoffPolicy } from './backoff.js';
import { cappedFetch } from './capped-fetch.js';
import { withServerHeaders } from './server-headers.js';
import { ChildTransport } from './child-transport.js';
import { startDownload, type DownloadRun } from './download.js';
import { prepareFolders } from './launch-folders.js';
import type { OversizedMessage } from './oversized.js';
import { LineSplitter } from './line-splitter.js';
import { startTokenOf } from '../owners/index.js';
import { TreeSnapshot, type Member, type ProcessTable } from './process-tree.js';

export type RuntimeError = ServerError;

export interface RuntimeDeps {
  serverId: string;
  identity: ClientIdentity;
  clock: Clock;
  backoff: BackoffPolicy;
  sandbox: SandboxRunner;
  platform: Platform;
  homeDir: string;
  /** The server's name now (it may be renamed), for the fix commands a failure names. */
  serverName(): string;
  connectTimeoutMs: number;
  downloadTimeoutMs: number;
  /** The most bytes one JSON-RPC message from the server may have. */
  messageBytes: number;
  /** Time between closing stdin and SIGTERM, and between SIGTERM and SIGKILL. */
  stopGraceMs: number;
  /** Errors in work nobody waits for: exit handling, restarts, closing a dead session. */
  unexpected: Unexpected;
  log(stream: LogLine['stream'], level: LogLine['level'], text: string): void;
  changed(): void;
  listChanged(kind: 'tools' | 'prompts' | 'resources'): void;
  resourceUpdated(uri: string): void;
  roots(): { uri: string; name?: string }[];
  /** What to declare to the server at connect time. */
  capabilities(): HostCapabilities;
  /** Which protocol era to speak (the server's setting now). */
  era(): ProtocolEraSetting;
  /** What this server spoke the last time a launch with this consent hash came up (see era-memory.ts). */
  eraMemory: {
    knownLegacy(hash: string): boolean;
    /** After a connection came up: what it negotiated, and the server's name and version. */
    settle(hash: string, outcome: { era: ProtocolEra | null; server: { name: string; version: string } | null }): void;
    forget(): void;
  };
  serverRequest(method: string, params: unknown, info: ServerRequestInfo): Promise<Record<string, unknown>>;
  serverNotification(method: ServerNotificationMethod, params: Record<string, unknown>): void;
  /** Plans the next launch again (config and consent may have changed). Throws when it may not run. */
  replan(): Promise<LaunchPlan>;
  /** Whether a crash should lead to a restart (the user may have stopped it elsewhere). */
  wantsRestart(): boolean;
  launched(info: { pid: number; pidStarted: string }): void;
  /** Runs writes that belong to one moment in one commit of the records. */
  together(fn: () => void): void;
  /** Processes of the server's tree (group, session, descendants) seen for the first time. */
  members(members: Member[]): void;
  /**
   * The server is up: its tree (descendants, group, session) is read soon, in one read of the process table with the
   * trees of the servers coming up with it (reading the table means reading every process's stat file), and given to
   * `sample`. A stop reads the table afresh.
   */
  treeSoon(): void;
  exited(info: { pid: number; code: number | null; signal: NodeJS.Signals | null; crashed: boolean; error?: RuntimeError }): void;
  /** A failure to keep with the server (it outlives this process); null once the server is up again. */
  failed(error: RuntimeError | null): void;
}

const STDERR_TAIL = 30;

export class ServerRuntime {
  status: ServerStatus = 'stopped';
  lastError: RuntimeError | null = null;
  restarts = 0;
  rssBytes: number | null = null;
  session: McpSession | undefined;
  /** The JSON-RPC history with this server, across its restarts. */
  readonly wire = new WireLog();

  private child: ChildProcess | undefined;
  private snapshot: TreeSnapshot | undefined;
  private wrapped: WrappedCommand | undefined;
  private download: DownloadRun | undefined;
  private plan: LaunchPlan | undefined;
  private lastExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private stderrTail: string[] = [];
  private attempt = 0;
  private startedAt = 0;
  private restartTimer: { cancel(): void } | undefined;
  private releasedWrap: WrappedCommand | undefined;
  private stopping: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private exitWaiters: Array<() => void> = [];
  /** How many stops were asked for: a relaunch that sees another one since gives way to it. */
  private stops = 0;
  /** A child Steward ends itself on the way to a relaunch: its exit is no failure of its own. */
  private ending: ChildProcess | undefined;

  constructor(private readonly deps: RuntimeDeps) {}

  /** Set while a launch is connecting. */
  get pendingStart(): Promise<void> | undefined {
    return this.starting;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Launch a stdio server from a consented plan and connect to it. */
  startStdio(plan: LaunchPlan): Promise<void> {
    this.cancelRestart();
    this.starting ??= this.launch(plan).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Connect to a Streamable HTTP server. */
  startHttp(url: string, headers: Record<string, string>, auth: HttpAuth): Promise<void> {
    if (this.session) return Promise.resolve();
    this.starting ??= this.connectHttp(url, headers, auth).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async connectHttp(url: string, headers: Record<string, string>, auth: HttpAuth): Promise<void> {
    this.setStatus('starting');
    try {
      this.session = await McpSession.connect({
        identity: this.deps.identity,
        connectTimeoutMs: this.deps.connectTimeoutMs,
        reconnectOnSessionLoss: true,
        capabilities: this.deps.capabilities(),
        era: this.deps.era(),
        wire: this.wire,
        // Step-up re-authorizes at most once per request; the auth service caps prompts across requests.
        transport: () =>
          new StreamableHTTPClientTransport(new URL(url), {
            ...auth,
            // The configured headers go to the server's own origin only, never to an authorization server it names.
            fetch: cappedFetch(withServerHeaders(new URL(url), headers, auth.fetch ?? fetch), this.deps.messageBytes, {
              oversized: (bytes, message) => this.oversized(bytes, message),
            }),
            maxStepUpRetries: 1,
          }),
        hooks: this.sessionHooks(() => {
          this.session = undefined;
          this.fail({ code: 'connect_failed', message: 'The connection to the server closed.', stderrTail: [] });
        }),
      });
      this.lastError = null;
      this.setStatus('running');
    } catch (error) {
      const e = error instanceof StewardError ? error : new StewardError('connect_failed', String(error));
      this.fail({ code: e.code, message: e.message, stderrTail: [] });
      throw e;
    }
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  /** `probe` false: a launch that may go straight to the handshake its last launch negotiated. */
  private async launch(plan: LaunchPlan, probe = false): Promise<void> {
    if (this.child) return;
    this.setStatus('starting');
    this.stderrTail = [];
    this.lastExit = undefined;
    this.plan = plan;
    try {
      prepareFolders(plan.spec);
    } catch (error) {
      const e = error instanceof StewardError ? error : new StewardError('spawn_failed', String(error));
      this.fail(this.refusalError(e.code, e.message));
      throw e;
    }
    if (plan.spec.runner?.download) {
      const run = startDownload(plan, {
        sandbox: this.deps.sandbox,
        platform: this.deps.platform,
        homeDir: this.deps.homeDir,
        serverName: this.deps.serverName(),
        timeoutMs: this.deps.downloadTimeoutMs,
        log: (stream, level, text) => {
          if (stream === 'stderr') this.keepStderr(text);
          this.deps.log(stream, level, text);
        },
        // Recorded like the server's own processes, so a Steward that dies mid-download leaves nothing running.
        started: (pid) =>
          guarded(this.deps.unexpected, `recording the download of server ${this.deps.serverId}`, () =>
            this.deps.members([{ pid, started: startTokenOf(pid) ?? '' }]),
          ),
        now: () => this.now(),
      });
      this.download = run;
      this.setStatus('downloading');
      const result = await run.done.finally(() => {
        this.download = undefined;
      });
      if (!result.ok) {
        this.fail(result.error);
        throw new StewardError(result.error.code === 'cancelled' ? 'cancelled' : 'download_failed', result.error.message, {
          stderrTail: result.error.stderrTail,
        });
      }
      if (this.stopping) throw new StewardError('cancelled', 'The server was stopped before it started.');
      this.setStatus('starting');
    }
    let file = plan.spec.command;
    let args = plan.spec.args;
    // Node's stdio pipes are sockets; bash takes a socket on stdin for a remote login and reads
    // ~/.bashrc unless SHLVL says it is nested. A server that is a bash script must not.
    let env: Record<string, string> = { ...plan.env, SHLVL: '1' };
    if (plan.spec.sandbox.mode === 'enforced') {
      try {
        this.wrapped = await this.deps.sandbox.wrap(serverSandboxRequest(plan.spec, this.deps.platform, this.deps.homeDir, plan.env));
      } catch (error) {
        const e = error instanceof StewardError ? error : new StewardError('sandbox_unavailable', `The sandbox could not wrap the server: ${String(error)}`);
        this.fail({ code: e.code, message: e.message, stderrTail: [], at: this.now() });
        throw e;
      }
      file = this.wrapped.file;
      args = this.wrapped.args;
      // The wrapper runs outside the sandbox, so it starts with the sandbox's own fixed environment; the server's is set
      // inside, just before the server starts.
      env = this.wrapped.env;
    }
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd: plan.spec.cwd,
        env,
        // A wrapped server's environment comes in on one more pipe (see passEnvironment).
        stdio: this.wrapped ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
        shell: false,
        windowsHide: true,
        // Its own process group, so stop can signal every process the server started.
        detached: process.platform !== 'win32',
      });
    } catch (error) {
      this.spawnFailed(error as Error, plan);
      return;
    }
    this.child = child;
    if (this.wrapped) passEnvironment(child, this.wrapped.environment);
    this.startedAt = this.deps.clock.now();
    const spawned = new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (error) => resolve(error));
    });
    const stderr = new LineSplitter((line) => this.stderrLine(line));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stderr?.on('end', () => stderr.flush());
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) =>
      guarded(this.deps.unexpected, `handling the exit of server ${this.deps.serverId}`, () => this.onExit(child, code, signal)),
    );

    const spawnError = await spawned;
    if (spawnError) {
      this.spawnFailed(spawnError, plan);
      return;
    }

    const pid = present(child.pid, 'the process id of a spawned server');
    this.snapshot = new TreeSnapshot(pid);
    this.deps.launched({ pid, pidStarted: startTokenOf(pid) ?? '' });
    this.deps.log('host', 'info', `Started process ${pid}: ${plan.commandLine}${plan.spec.sandbox.mode === 'enforced' ? ' (sandboxed)' : ''}`);

    const transport = new ChildTransport(
      child,
      {
        onBadLine: (line, error) =>
          this.deps.log(
            'protocol',
            'warning',
            `Ignored a line on stdout that is not a JSON-RPC message (${error.message.split('\n')[0]}): ${line.slice(0, 300)}`,
          ),
        onOversized: (bytes, message) => this.oversized(bytes, message),
        // The wire log takes each line as it crossed the pipe, rather than the session writing the message out again.
        onMessage: (direction, message, line) => this.wire.record(direction, message, line),
      },
      this.deps.messageBytes,
    );
    const era = this.deps.era();
    const knownLegacy = !probe && era === 'auto' && this.deps.eraMemory.knownLegacy(plan.spec.hash);
    try {
      const session = await McpSession.connect({
        identity: this.deps.identity,
        connectTimeoutMs: this.deps.connectTimeoutMs,
        reconnectOnSessionLoss: false,
        capabilities: this.deps.capabilities(),
        era,
        knownLegacy,
        transport: () => transport,
        hooks: this.sessionHooks(() => undefined),
      });
      if (this.child !== child) {
        await session.close();
        throw new StewardError('server_exited', 'The server exited while connecting.');
      }
      this.session = session;
      this.lastError = null;
      // What coming up writes (the era verdict, the cleared error, the session record) is one commit. The server's own
      // process is on record since its launch; the rest of its tree follows once the table is read (treeSoon).
      this.deps.together(() => {
        if (era === 'auto') this.deps.eraMemory.settle(plan.spec.hash, { era: session.info.era, server: session.info.serverInfo });
        this.deps.failed(null);
        this.setStatus('running');
      });
      this.deps.treeSoon();
    } catch (error) {
      const e = error instanceof StewardError ? error : new StewardError('connect_failed', String(error));
      if (this.stopping && !this.hasExited()) throw e;
      // The server refused (or died on) the 2025 handshake it took last time: it changed under the same command. What
      // was kept goes, and it is started once more to be asked afresh. A silent one is not: that would double the wait.
      if (knownLegacy && e.code !== 'timeout') return this.relaunchToProbe(plan, child, exited, e);
      let outcome: FailureOutcome;
      if (this.child === child) {
        // Alive but no MCP answer: stop it (no restart: the same start would fail the same way).
        outcome = e.code === 'timeout' ? { kind: 'timeout', seconds: Math.round(this.deps.connectTimeoutMs / 1000) } : { kind: 'protocol', message: e.message };
        this.lastError = { code: e.code, message: e.message, stderrTail: [...this.stderrTail] };
        await this.stop('error');
      } else {
        await exited;
        // A closed connection says nothing of its own, so the exit tells; a refused handshake (an unknown protocol version) does.
        const closed = e.code === 'connect_failed' || e.code === 'server_exited';
        outcome = closed ? this.exitOutcome() : { kind: 'protocol', message: e.message };
      }
      const failure = await this.classify(plan, 'start', outcome);
      const code = startErrorCode(e.code, failure);
      this.fail({ code, message: failure.summary, stderrTail: [...this.stderrTail], failure, at: this.now() });
      throw new StewardError(code, failure.summary, { stderrTail: [...this.stderrTail] });
    }
  }

  private async relaunchToProbe(plan: LaunchPlan, child: ChildProcess, exited: Promise<void>, error: StewardError): Promise<void> {
    this.deps.eraMemory.forget();
    this.deps.log(
      'host',
      'notice',
      `The server did not take the 2025 handshake it took last time (${error.message}); starting it again to ask which protocol it speaks.`,
    );
    const stops = this.stops;
    if (this.child === child) {
      this.ending = child;
      // As a stop would: stdin closed first, then the tree killed if it lingers.
      try {
        child.stdin?.end();
      } catch {
        // already closed
      }
      const gone = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => this.deps.clock.setTimeout(() => r(false), this.deps.stopGraceMs)),
      ]);
      if (!gone) this.snapshot?.signal('SIGKILL');
    }
    await exited;
    // Stopped meanwhile: the stop stands.
    if (this.stops !== stops) throw error;
    return this.launch(plan, true);
  }

  private hasExited(): boolean {
    return this.lastExit !== undefined;
  }

  private exitOutcome(): FailureOutcome {
    const exit = this.lastExit;
    return { kind: 'exit', code: exit?.code ?? null, signal: exit?.signal ?? null };
  }

  /** Reads the sandbox's denials and stderr into a classified failure (denials arrive a moment after the exit). */
  private async classify(plan: LaunchPlan, phase: 'start' | 'running', outcome: FailureOutcome) {
    const wrapped = this.wrapped ?? this.releasedWrap;
    if (phase === 'start') await new Promise((r) => setTimeout(r, 100));
    const request = serverSandboxRequest(plan.spec, this.deps.platform, this.deps.homeDir, plan.env);
    const failure = classifyFailure({
      serverName: this.deps.serverName(),
      phase,
      outcome,
      stderr: this.stderrTail,
      violations: wrapped?.violations() ?? [],
      writable: [...request.allowWrite, ...RUNTIME_WRITE_PATHS],
      hidden: plan.hidden,
      readOnlyOwn: plan.spec.sandbox.ownReadPaths,
      command: plan.configCommand,
      platform: this.deps.platform,
    });
    this.releasedWrap = undefined;
    return failure;
  }

  private refusalError(code: string, message: string): RuntimeError {
    return {
      code,
      message,
      stderrTail: [],
      at: this.now(),
      failure: {
        class: 'refused',
        phase: 'plan',
        summary: message,
        evidence: message,
        fix: { kind: 'edit', label: 'Change the grants', value: null, command: null, hint: message },
        retryable: false,
      },
    };
  }

  private sessionHooks(onClosed: () => void) {
    return {
      log: (level: LogLine['level'], text: string) => this.deps.log('protocol', level, text),
      listChanged: (kind: 'tools' | 'prompts' | 'resources') => this.deps.listChanged(kind),
      resourceUpdated: (uri: string) => this.deps.resourceUpdated(uri),
      roots: () => this.deps.roots(),
      closed: onClosed,
      request: (method: string, params: unknown, info: ServerRequestInfo) => this.deps.serverRequest(method, params, info),
      notification: (method: ServerNotificationMethod, params: Record<string, unknown>) => this.deps.serverNotification(method, params),
    };
  }

  /** A message over the size limit: said in the log; one that cannot be matched to anything stops the server. */
  private oversized(bytes: number, message: OversizedMessage): void {
    const size = `a ${megabytes(bytes)} message, over the limit of ${megabytes(this.deps.messageBytes)} for one message`;
    if (message.kind === 'unreadable') {
      const text = `Stopped the server: it sent ${size}, and its id could not be read, so what it sends next could not be matched safely.`;
      this.deps.log('host', 'error', text);
      this.lastError = { code: 'message_too_large', message: text, stderrTail: [...this.stderrTail], at: this.now() };
      void this.stop('error');
      return;
    }
    const what =
      message.kind === 'request'
        ? `request ${JSON.stringify(message.id)} (${message.method}); it was answered with an error`
        : message.kind === 'response'
          ? `reply to request ${JSON.stringify(message.id)}; that request failed`
          : `notification (${message.method}); it was dropped`;
    this.deps.log('protocol', 'error', `The server sent ${size}: a ${what}.`);
  }

  private keepStderr(line: string): void {
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
  }

  private stderrLine(line: string): void {
    this.keepStderr(line);
    this.deps.log('stderr', 'info', line);
  }

  private spawnFailed(error: Error, plan: LaunchPlan): void {
    this.child = undefined;
    this.releaseSandbox();
    const code = (error as NodeJS.ErrnoException).code ?? error.message;
    const failure = classifyFailure({
      serverName: this.deps.serverName(),
      phase: 'start',
      outcome: { kind: 'spawn_error', code },
      stderr: [],
      violations: [],
      writable: [],
      hidden: plan.hidden,
      readOnlyOwn: [],
      command: plan.configCommand,
      platform: this.deps.platform,
    });
    const message = `The server could not be started (${code}): ${failure.summary}`;
    this.fail({ code: 'spawn_failed', message, stderrTail: [], failure, at: this.now() });
    throw new StewardError('spawn_failed', message);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const pid = child.pid;
    // A process that never got a pid was handled as a failed spawn.
    if (this.child !== child || pid === undefined) return;
    const wasStopping = this.stopping !== undefined || this.ending === child;
    const wasRunning = this.status === 'running';
    const snapshot = this.snapshot;
    this.child = undefined;
    this.snapshot = undefined;
    this.rssBytes = null;
    this.lastExit = { code, signal };
    // The launch that is still connecting reads this run's denials once the exit has settled.
    if (!wasRunning) this.releasedWrap = this.wrapped;
    this.releaseSandbox();
    const session = this.session;
    this.session = undefined;
    if (session) detached(this.deps.unexpected, `closing the session of exited server ${this.deps.serverId}`, session.close());
    // Whatever the server left behind (a grandchild in its group or session, or one it started earlier) goes too.
    snapshot?.refresh();
    snapshot?.signal('SIGKILL');
    for (const waiter of this.exitWaiters.splice(0)) waiter();

    // The exit's record is written on the side: if it fails, the server's status and its restart still follow.
    const recordExit = (info: Parameters<RuntimeDeps['exited']>[0]) =>
      guarded(this.deps.unexpected, `recording the exit of server ${this.deps.serverId}`, () => this.deps.exited(info));
    if (wasStopping) {
      recordExit({ pid, code, signal, crashed: false });
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (!wasRunning) {
      // It never came up: the launch classifies this and nothing restarts it, since the same start would fail again.
      this.deps.log('host', 'error', `The server ${how} before it finished starting.`);
      recordExit({ pid, code, signal, crashed: false });
      return;
    }
    const failure = classifyFailure({
      serverName: this.deps.serverName(),
      phase: 'running',
      outcome: { kind: 'exit', code, signal },
      stderr: this.stderrTail,
      violations: [],
      writable: [],
      hidden: this.plan?.hidden ?? [],
      readOnlyOwn: this.plan?.spec.sandbox.ownReadPaths ?? [],
      command: this.plan?.configCommand ?? '',
      platform: this.deps.platform,
    });
    const error: RuntimeError = { code: 'server_crashed', message: `The server ${how}.`, stderrTail: [...this.stderrTail], failure, at: this.now() };
    this.deps.log('host', 'error', error.message);
    recordExit({ pid, code, signal, crashed: true, error });
    this.lastError = error;
    this.deps.failed(error);
    if (this.deps.clock.now() - this.startedAt >= this.deps.backoff.healthyAfterMs) this.attempt = 0;
    this.attempt += 1;
    const delay = this.deps.wantsRestart() ? restartDelay(this.deps.backoff, this.attempt) : undefined;
    if (delay === undefined) {
      this.setStatus(this.deps.wantsRestart() ? 'crashed' : 'stopped');
      return;
    }
    this.setStatus('backoff');
    this.deps.log('host', 'notice', `Restarting in ${Math.round(delay / 100) / 10} s (attempt ${this.attempt} of ${this.deps.backoff.maxRestarts}).`);
    this.restartTimer = this.deps.clock.setTimeout(() => {
      this.restartTimer = undefined;
      this.restarts += 1;
      detached(this.deps.unexpected, `restarting server ${this.deps.serverId}`, this.restart());
    }, delay);
  }

  /** One relaunch after a crash. A failure that is not a crash of its own shows as the server's error. */
  private async restart(): Promise<void> {
    try {
      await this.startStdio(await this.deps.replan());
    } catch (e) {
      // A crash during the relaunch already scheduled the next attempt (or gave up) in onExit.
      if (this.restartTimer || this.child || this.status === 'crashed' || this.status === 'stopped') return;
      const err = e instanceof StewardError ? e : new StewardError('spawn_failed', String(e));
      if (err.code === 'consent_required') return;
      this.fail({ code: err.code, message: err.message, stderrTail: this.lastError?.stderrTail ?? [] });
    }
  }

  private fail(error: RuntimeError): void {
    this.lastError = error;
    if (error.code !== 'cancelled') this.deps.failed(error);
    this.setStatus(error.code === 'server_crashed' ? 'crashed' : error.code === 'cancelled' ? 'stopped' : 'error');
  }

  /** A launch refused before anything ran (a plan refusal): kept like any other failure. */
  refused(error: RuntimeError): void {
    this.fail(error);
  }

  /** Close stdin, then SIGTERM, then SIGKILL the whole tree. Resolves when every process is gone. */
  stop(finalStatus: 'stopped' | 'error' = 'stopped'): Promise<void> {
    this.stops += 1;
    this.cancelRestart();
    this.download?.kill();
    if (this.stopping) return this.stopping;
    const child = this.child;
    const session = this.session;
    if (!child) {
      this.session = undefined;
      this.stopping = (async () => {
        await session?.close();
      })().finally(() => {
        this.stopping = undefined;
        this.rssBytes = null;
        this.setStatus(finalStatus);
      });
      return this.stopping;
    }
    this.setStatus('stopping');
    this.stopping = (async () => {
      this.refreshTree();
      const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
      const wait = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => this.deps.clock.setTimeout(() => r(false), ms))]);
      await (session?.close() ?? Promise.resolve());
      try {
        child.stdin?.end();
      } catch {
        // already closed
      }
      if (!(await wait(this.deps.stopGraceMs))) {
        this.refreshTree();
        this.deps.log('host', 'notice', 'The server did not exit after stdin closed; sending SIGTERM.');
        this.snapshot?.signal('SIGTERM');
        if (!(await wait(this.deps.stopGraceMs))) {
          this.deps.log('host', 'warning', 'The server ignored SIGTERM; sending SIGKILL to its whole process tree.');
          this.snapshot?.signal('SIGKILL');
          await exited;
        }
      }
    })().finally(() => {
      this.stopping = undefined;
      this.setStatus(finalStatus);
    });
    return this.stopping;
  }

  /** Samples memory of the server's process tree and remembers new descendants. */
  sample(table: ProcessTable): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    this.refreshTree(table);
    this.rssBytes = table.rssBytes(table.tree(pid));
  }

  private refreshTree(table?: ProcessTable): void {
    const added = this.snapshot?.refresh(table) ?? [];
    if (added.length > 0) this.deps.members(added);
  }

  private cancelRestart(): void {
    this.restartTimer?.cancel();
    this.restartTimer = undefined;
  }

  private releaseSandbox(): void {
    this.wrapped?.release();
    this.wrapped = undefined;
  }

  private setStatus(status: ServerStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.deps.changed();
  }

  /** Kills the whole tree at once (synchronous): for a process that must exit now. */
  killNow(): void {
    this.cancelRestart();
    this.download?.kill();
    this.snapshot?.signal('SIGKILL');
  }

  /** Reset counters after a user-initiated start. */
  resetRestarts(): void {
    this.attempt = 0;
  }

  markAwaitingConsent(): void {
    this.setStatus('awaiting_consent');
  }
}
