// The supervisor: one runtime per server, their log sink, memory sampling, idle stop, and the records of every process
// it starts (servers, what they start, the sandbox's helpers) so that what a Steward that died left running is stopped.
import { pathToFileURL } from 'node:url';
import { StewardError } from '../../../shared/errors.js';
import { detached, guarded } from '../background.js';
import { startTokenOf, type OwnerKey } from '../owners/index.js';
import type { Clock } from '../ports.js';
import type { LaunchPlan } from '../security/index.js';
import type { ProcessRecord } from '../store/index.js';
import { eraKey, recallEra, serverLabel, settleEra } from './era-memory.js';
import { LogSink } from './log-sink.js';
import type { ConnectPorts, LaunchPorts, ServerRecords, ServerSinks, SupervisionSettings } from './ports.js';
import { commandLineOf, killTree, readProcessTable, TreeSnapshot, type Member, type ProcessTable } from './process-tree.js';
import { ServerRuntime } from './runtime.js';
import { TreeReads } from './tree-reads.js';

export interface SupervisorDeps {
  records: Pick<ServerRecords, 'servers' | 'logs' | 'processes' | 'owners' | 'settings' | 'transaction'>;
  clock: Clock;
  launch: Pick<LaunchPorts, 'sandbox' | 'platform' | 'homeDir' | 'downloadTimeoutMs'>;
  connect: Pick<ConnectPorts, 'identity' | 'connectTimeoutMs' | 'messageBytes' | 'capabilities' | 'serverRequest' | 'serverNotification'>;
  supervision: SupervisionSettings;
  sinks: Pick<ServerSinks, 'events' | 'audit' | 'unexpected'>;
  /** This Steward process, as the process and session records name their owner. */
  owner: OwnerKey;
  /** The server's view changed (status, memory). */
  changed(serverId: string): void;
  /** The consented plan for a restart; throws when the server may no longer run. */
  replan(serverId: string): Promise<LaunchPlan>;
}

export interface OrphanReport {
  owner: OwnerKey;
  stopped: ProcessRecord[];
}

export class Supervisor {
  readonly logs: LogSink;
  private readonly runtimes = new Map<string, ServerRuntime>();
  private readonly lastUsed = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  /** The consent hash each server was launched with, so a consent refused elsewhere stops it here. */
  private readonly hashes = new Map<string, string>();
  private sampler: ReturnType<typeof setInterval> | undefined;
  /** Trees of servers that came up, and the sandbox's helpers, read together soon after (see TreeReads). */
  private readonly trees: TreeReads;
  /** Helper processes on record (pid to start token): while every bridge has a live one, a launch looks no further. */
  private readonly helpers = new Map<number, string>();
  private disposed = false;
  /** After dispose the store may be closed: late callbacks of a connection that ends now record nothing. */
  private finished = false;

  constructor(private readonly deps: SupervisorDeps) {
    this.logs = new LogSink(
      deps.records.logs,
      deps.clock,
      (serverId, lines) => deps.sinks.events.emit('logs:changed', { serverId, lines }),
      deps.sinks.unexpected,
    );
    this.trees = new TreeReads(deps.clock, (ids, helpers) =>
      guarded(deps.sinks.unexpected, 'reading the process trees of servers that came up', () => this.readTrees(ids, helpers)),
    );
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  get(id: string): ServerRuntime | undefined {
    return this.runtimes.get(id);
  }

  ids(): string[] {
    return [...this.runtimes.keys()];
  }

  /** The consent hash of the launch running now, if one runs. */
  launchedHash(id: string): string | undefined {
    const runtime = this.runtimes.get(id);
    return runtime && runtime.pid !== null ? this.hashes.get(id) : undefined;
  }

  /** The server's runtime, created on first need. */
  obtain(id: string): ServerRuntime {
    let runtime = this.runtimes.get(id);
    if (runtime) return runtime;
    if (this.disposed) throw shuttingDown();
    const { records: store, owner } = this.deps;
    const { audit } = this.deps.sinks;
    /** Whether this process's session record with the server is written (see changed). */
    let held = false;
    const record = (role: ProcessRecord['role'], pid: number, started: string) =>
      store.processes.record({ pid, started, role, serverId: id, command: commandLineOf(pid), owner, recordedAt: this.now() });
    const created = new ServerRuntime({
      serverId: id,
      identity: this.deps.connect.identity,
      clock: this.deps.clock,
      backoff: this.deps.supervision.backoff,
      sandbox: this.deps.launch.sandbox,
      platform: this.deps.launch.platform,
      homeDir: this.deps.launch.homeDir,
      serverName: () => store.servers.get(id)?.name ?? id,
      connectTimeoutMs: this.deps.connect.connectTimeoutMs,
      downloadTimeoutMs: this.deps.launch.downloadTimeoutMs,
      messageBytes: this.deps.connect.messageBytes,
      stopGraceMs: this.deps.supervision.stopGraceMs,
      unexpected: this.deps.sinks.unexpected,
      log: (stream, level, text) => this.logs.add(id, stream, level, text),
      changed: () => {
        if (this.finished) return;
        // The session record follows the status: other processes see who holds a session with this server. It is
        // written when that changes, not on every status (a start passes through several).
        const running = created.status === 'running';
        if (running !== held) {
          if (running) store.owners.holdSession(id, owner, this.now());
          else store.owners.releaseSession(id, owner);
          held = running;
        }
        this.deps.changed(id);
      },
      listChanged: (kind) => this.deps.sinks.events.emit(`${kind}:changed`, { serverId: id }),
      resourceUpdated: (uri) => this.deps.sinks.events.emit('resources:updated', { serverId: id, uri }),
      roots: () => (store.servers.get(id)?.roots ?? []).map((r) => ({ uri: pathToFileURL(r.path).href, ...(r.name ? { name: r.name } : {}) })),
      replan: async () => {
        const plan = await this.deps.replan(id);
        this.hashes.set(id, plan.spec.hash);
        return plan;
      },
      capabilities: () => this.deps.connect.capabilities(id),
      era: () => store.servers.get(id)?.options.protocolEra ?? 'auto',
      eraMemory: {
        knownLegacy: (hash) => recallEra(store.settings.get(eraKey(id)), hash) !== undefined,
        settle: (hash, outcome) => {
          const next = settleEra(recallEra(store.settings.get(eraKey(id)), hash), hash, { era: outcome.era, server: serverLabel(outcome.server) });
          if (next === null) store.settings.remove(eraKey(id));
          else if (next) store.settings.put(eraKey(id), next);
        },
        forget: () => store.settings.remove(eraKey(id)),
      },
      serverRequest: (method, params, info) => this.deps.connect.serverRequest(id, method, params, info),
      serverNotification: (method, params) => this.deps.connect.serverNotification(id, method, params),
      wantsRestart: () => {
        const stored = store.servers.get(id);
        return !this.disposed && stored?.desiredState === 'running' && stored.options.restartOnCrash;
      },
      failed: (error) => {
        store.servers.setLastError(id, error);
        const stored = store.servers.get(id);
        // A crash of a running server has its own record; this one is for launches that never came up.
        if (error && stored && error.failure?.phase !== 'running') {
          audit.record('server.failed', {
            serverId: id,
            serverName: stored.name,
            actor: 'host',
            summary: `"${stored.name}" did not start: ${error.failure?.summary ?? error.message}`,
            data: { code: error.code, class: error.failure?.class ?? null, evidence: error.failure?.evidence ?? null },
          });
        }
      },
      launched: ({ pid, pidStarted }) => record('server', pid, pidStarted),
      together: (fn) => store.transaction(fn),
      treeSoon: () => this.trees.soon(id),
      members: (members: Member[]) => {
        // One commit for all the processes seen together.
        store.transaction(() => {
          for (const m of members) if (m.pid !== created.pid) record('member', m.pid, m.started);
        });
      },
      exited: ({ crashed, error }) => {
        // Everything of the tree was signalled before this runs: its records go with it.
        store.processes.clearServer(id, owner);
        const stored = store.servers.get(id);
        if (crashed && stored) {
          audit.record('server.crashed', {
            serverId: id,
            serverName: stored.name,
            actor: 'host',
            summary: `"${stored.name}" stopped unexpectedly: ${error?.message ?? ''}`,
            data: { stderrTail: error?.stderrTail.slice(-5) ?? [] },
          });
        }
      },
    });
    runtime = created;
    this.runtimes.set(id, runtime);
    return runtime;
  }

  /** Launches a consented plan; memory sampling starts with the first running server. */
  async launch(id: string, plan: LaunchPlan): Promise<ServerRuntime> {
    const runtime = this.obtain(id);
    runtime.resetRestarts();
    this.hashes.set(id, plan.spec.hash);
    try {
      await runtime.startStdio(plan);
    } finally {
      if (plan.spec.sandbox.mode === 'enforced') this.trees.soon(undefined, true);
    }
    this.touch(id);
    if (!this.sampler && !this.disposed) {
      // A failed sample is reported; the interval keeps running and the next one tries again.
      this.sampler = setInterval(
        () => guarded(this.deps.sinks.unexpected, 'sampling server memory and idle time', () => this.sample()),
        this.deps.supervision.sampleIntervalMs,
      );
      this.sampler.unref();
    }
    return runtime;
  }

  /** The sandbox runtime's own processes (the socat bridges to its proxies) are children of this process: record them. */
  private recordHelpers(table: ProcessTable): void {
    const markers = this.deps.launch.sandbox.bridges?.() ?? [];
    if (markers.length === 0) return;
    for (const [pid, token] of this.helpers) if (startTokenOf(pid) !== token) this.helpers.delete(pid);
    if (this.helpers.size >= markers.length) return;
    for (const pid of table.children(process.pid)) {
      if (this.helpers.has(pid)) continue;
      const command = commandLineOf(pid);
      const started = table.startToken(pid);
      if (started === undefined || !markers.some((m) => command.includes(m))) continue;
      this.deps.records.processes.record({ pid, started, role: 'helper', serverId: null, command, owner: this.deps.owner, recordedAt: this.now() });
      this.helpers.set(pid, started);
    }
  }

  /** One read of the table for the trees of the servers that came up (see TreeReads), and the sandbox's helpers. */
  private readTrees(ids: readonly string[], helpers: boolean): void {
    const table = readProcessTable();
    for (const id of ids) {
      const runtime = this.runtimes.get(id);
      if (!runtime) continue;
      runtime.sample(table);
      this.deps.changed(id);
    }
    if (helpers) this.recordHelpers(table);
  }

  async forget(id: string): Promise<void> {
    await this.runtimes.get(id)?.stop();
    this.runtimes.delete(id);
    this.hashes.delete(id);
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

  /**
   * Stops what Steward processes that are gone left running. Their records are taken over first (one statement per
   * owner), so when two Stewards start together each process is stopped and reported once; a record whose pid now
   * belongs to another process (the start token differs) is dropped without touching it.
   */
  async cleanOrphans(isDead: (owner: OwnerKey) => boolean): Promise<OrphanReport[]> {
    const reports: OrphanReport[] = [];
    for (const owner of this.deps.records.processes.owners()) {
      if (!isDead(owner)) continue;
      const claimed = this.deps.records.processes.claim(owner, this.deps.owner);
      const running = claimed.filter((p) => startTokenOf(p.pid) === p.started);
      await Promise.all(
        running.map((p) => {
          const snapshot = new TreeSnapshot(p.pid);
          snapshot.adopt([{ pid: p.pid, started: p.started }]);
          return killTree(snapshot, this.deps.supervision.stopGraceMs);
        }),
      );
      for (const p of claimed) this.deps.records.processes.clear(p.pid, p.started);
      if (running.length > 0) reports.push({ owner, stopped: running });
      for (const p of running) {
        if (p.serverId && this.deps.records.servers.get(p.serverId)) {
          this.logs.add(
            p.serverId,
            'host',
            'notice',
            `Stopped process ${p.pid}${p.command ? ` (${p.command.slice(0, 200)})` : ''}, left running by a Steward that is gone (pid ${owner.pid}).`,
          );
        }
      }
    }
    this.logs.flush();
    return reports;
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
      const minutes = this.deps.records.servers.get(id)?.options.idleStopMinutes;
      if (!minutes || runtime.status !== 'running' || (this.inFlight.get(id) ?? 0) > 0) continue;
      if (now - (this.lastUsed.get(id) ?? now) >= minutes * 60_000) {
        this.logs.add(id, 'host', 'info', `Stopped after ${minutes} minute(s) without use; it starts again when needed.`);
        detached(this.deps.sinks.unexpected, `stopping idle server ${id}`, runtime.stop());
      }
    }
  }

  /** Synchronous: every server's tree and this process's sandbox helpers are killed, for an exit that cannot wait. */
  killNow(): void {
    this.disposed = true;
    this.trees.close();
    for (const runtime of this.runtimes.values()) runtime.killNow();
    for (const p of this.deps.records.processes.list()) {
      if (p.role !== 'helper' || p.owner.pid !== this.deps.owner.pid || p.owner.started !== this.deps.owner.started) continue;
      if (startTokenOf(p.pid) !== p.started) continue;
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** No runtime is made from now on; every one there is stops (a launch under way fails as its process goes). */
  async stopAll(): Promise<void> {
    this.disposed = true;
    if (this.sampler) clearInterval(this.sampler);
    this.trees.close();
    await Promise.all([...this.runtimes.values()].map((r) => r.stop().catch(() => undefined)));
  }

  /** Stops what still runs (a start that got past its last check before stopAll), then lets go of the records. */
  async dispose(): Promise<void> {
    await this.stopAll();
    this.deps.records.owners.dropSessions(this.deps.owner);
    this.logs.flush();
    this.finished = true;
  }
}

/** The refusal of a start asked for while this process shuts down. */
export function shuttingDown(): StewardError {
  return new StewardError('server_not_running', 'Steward is shutting down, so it starts no server.');
}
