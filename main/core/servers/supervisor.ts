// The supervisor: one runtime per server, their log sink, memory sampling, idle stop and orphan cleanup.
import { pathToFileURL } from 'node:url';
import type { Audit } from '../audit/index.js';
import type { HostEvents } from '../events.js';
import { detached, guarded } from '../background.js';
import type { Clock, Unexpected } from '../ports.js';
import type { LaunchPlan, SandboxRunner } from '../security/index.js';
import type { ClientIdentity, HostCapabilities, ServerRequestInfo, ServerNotificationMethod } from '../sessions/index.js';
import type { Store } from '../store/index.js';
import type { BackoffPolicy } from './backoff.js';
import { LogSink } from './log-sink.js';
import { isAlive, readProcessTable, startTokenOf, TreeSnapshot } from './process-tree.js';
import { ServerRuntime } from './runtime.js';

export interface SupervisorDeps {
  store: Store;
  events: HostEvents;
  audit: Audit;
  clock: Clock;
  sandbox: SandboxRunner;
  identity: ClientIdentity;
  backoff: BackoffPolicy;
  stopGraceMs: number;
  connectTimeoutMs: number;
  messageBytes: number;
  sampleIntervalMs: number;
  unexpected: Unexpected;
  /** The server's view changed (status, memory). */
  changed(serverId: string): void;
  /** The consented plan for a restart; throws when the server may no longer run. */
  replan(serverId: string): Promise<LaunchPlan>;
  capabilities(serverId: string): HostCapabilities;
  serverRequest(serverId: string, method: string, params: unknown, info: ServerRequestInfo): Promise<Record<string, unknown>>;
  serverNotification(serverId: string, method: ServerNotificationMethod, params: Record<string, unknown>): void;
}

export class Supervisor {
  readonly logs: LogSink;
  private readonly runtimes = new Map<string, ServerRuntime>();
  private readonly lastUsed = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private sampler: ReturnType<typeof setInterval> | undefined;
  private disposed = false;

  constructor(private readonly deps: SupervisorDeps) {
    this.logs = new LogSink(deps.store, deps.clock, (serverId, lines) => deps.events.emit('logs:changed', { serverId, lines }), deps.unexpected);
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  get(id: string): ServerRuntime | undefined {
    return this.runtimes.get(id);
  }

  /** The server's runtime, created on first need. */
  obtain(id: string): ServerRuntime {
    let runtime = this.runtimes.get(id);
    if (runtime) return runtime;
    const { store, audit } = this.deps;
    runtime = new ServerRuntime({
      serverId: id,
      identity: this.deps.identity,
      clock: this.deps.clock,
      backoff: this.deps.backoff,
      sandbox: this.deps.sandbox,
      connectTimeoutMs: this.deps.connectTimeoutMs,
      messageBytes: this.deps.messageBytes,
      stopGraceMs: this.deps.stopGraceMs,
      unexpected: this.deps.unexpected,
      log: (stream, level, text) => this.logs.add(id, stream, level, text),
      changed: () => this.deps.changed(id),
      listChanged: (kind) => {
        if (kind === 'tools') this.deps.events.emit('tools:changed', { serverId: id });
      },
      roots: () => (store.servers.get(id)?.roots ?? []).map((r) => ({ uri: pathToFileURL(r.path).href, ...(r.name ? { name: r.name } : {}) })),
      replan: () => this.deps.replan(id),
      capabilities: () => this.deps.capabilities(id),
      serverRequest: (method, params, info) => this.deps.serverRequest(id, method, params, info),
      serverNotification: (method, params) => this.deps.serverNotification(id, method, params),
      wantsRestart: () => {
        const record = store.servers.get(id);
        return !this.disposed && record?.desiredState === 'running' && record.options.restartOnCrash;
      },
      launched: ({ pid, pidStarted }) => store.runs.put({ serverId: id, pid, pidStarted, hostPid: process.pid, startedAt: this.now() }),
      exited: ({ pid, crashed, error }) => {
        store.runs.clear(id, pid);
        const record = store.servers.get(id);
        if (crashed && record) {
          audit.record('server.crashed', {
            serverId: id,
            serverName: record.name,
            actor: 'host',
            summary: `"${record.name}" stopped unexpectedly: ${error?.message ?? ''}`,
            data: { stderrTail: error?.stderrTail.slice(-5) ?? [] },
          });
        }
      },
    });
    this.runtimes.set(id, runtime);
    return runtime;
  }

  /** Launches a consented plan; memory sampling starts with the first running server. */
  async launch(id: string, plan: LaunchPlan): Promise<ServerRuntime> {
    const runtime = this.obtain(id);
    runtime.resetRestarts();
    await runtime.startStdio(plan);
    this.touch(id);
    if (!this.sampler && !this.disposed) {
      // A failed sample is reported; the interval keeps running and the next one tries again.
      this.sampler = setInterval(() => guarded(this.deps.unexpected, 'sampling server memory and idle time', () => this.sample()), this.deps.sampleIntervalMs);
      this.sampler.unref();
    }
    return runtime;
  }

  async forget(id: string): Promise<void> {
    await this.runtimes.get(id)?.stop();
    this.runtimes.delete(id);
    this.logs.flush();
  }

  /** Marks a server as used now (idle stop counts from here). */
  touch(id: string): void {
    this.lastUsed.set(id, this.deps.clock.now());
  }

  beginUse(id: string): () => void {
    this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1);
    this.touch(id);
    return () => {
      this.inFlight.set(id, Math.max(0, (this.inFlight.get(id) ?? 1) - 1));
      this.touch(id);
    };
  }

  /** A server another Steward process (or a crashed one) started: stop its tree by the recorded pid. Returns that pid. */
  async stopElsewhere(id: string): Promise<number | undefined> {
    const run = this.deps.store.runs.get(id);
    if (!run) return undefined;
    const ours = startTokenOf(run.pid) === run.pidStarted;
    if (ours) await killTree(run.pid, this.deps.stopGraceMs);
    this.deps.store.runs.clear(id, run.pid);
    return ours ? run.pid : undefined;
  }

  /** Processes a Steward that died left behind are stopped; the ones a live Steward owns are left alone. */
  async cleanOrphans(): Promise<void> {
    for (const run of this.deps.store.runs.list()) {
      if (run.hostPid !== process.pid && isAlive(run.hostPid)) continue;
      if (startTokenOf(run.pid) === run.pidStarted) await killTree(run.pid, this.deps.stopGraceMs);
      this.deps.store.runs.clear(run.serverId, run.pid);
    }
  }

  /** Memory per server and idle stop, from one read of the process table. */
  sample(): void {
    const running = [...this.runtimes].filter(([, r]) => r.pid !== null);
    if (running.length > 0) {
      const table = readProcessTable();
      for (const [id, runtime] of running) {
        const before = runtime.rssBytes ?? 0;
        runtime.sample(table);
        if (Math.abs((runtime.rssBytes ?? 0) - before) > 1024 * 1024) this.deps.changed(id);
      }
    }
    const now = this.deps.clock.now();
    for (const [id, runtime] of this.runtimes) {
      const minutes = this.deps.store.servers.get(id)?.options.idleStopMinutes;
      if (!minutes || runtime.status !== 'running' || (this.inFlight.get(id) ?? 0) > 0) continue;
      if (now - (this.lastUsed.get(id) ?? now) >= minutes * 60_000) {
        this.logs.add(id, 'host', 'info', `Stopped after ${minutes} minute(s) without use; it starts again when needed.`);
        detached(this.deps.unexpected, `stopping idle server ${id}`, runtime.stop());
      }
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.sampler) clearInterval(this.sampler);
    await Promise.all([...this.runtimes.values()].map((r) => r.stop().catch(() => undefined)));
    this.logs.flush();
  }
}

async function killTree(pid: number, graceMs: number): Promise<void> {
  const snapshot = new TreeSnapshot(pid);
  snapshot.refresh();
  snapshot.signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (snapshot.alive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (snapshot.alive().length > 0) snapshot.signal('SIGKILL');
}
