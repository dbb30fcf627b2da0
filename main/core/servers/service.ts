// Servers as the user manages them: add, import, consent, start, stop, restart, remove, roots, logs.
import { randomUUID } from 'node:crypto';
import {
  ServerConfigSchema,
  type ConsentRequest,
  type ImportReport,
  type LogLine,
  type Root,
  type SandboxSettings,
  type ServerConfig,
  type ServerInput,
  type ServerOptions,
  type ServerView,
  SandboxSettingsSchema,
  ServerOptionsSchema,
} from '../../../shared/domain/servers.js';
import type { EditOutcome, ServerEdit, ServerExport } from '../../../shared/domain/server-edit.js';
import { StewardError } from '../../../shared/errors.js';
import type { LaunchPlan } from '../security/index.js';
import type { OwnerKey } from '../owners/index.js';
import type { McpSession } from '../sessions/index.js';
import type { ServerRecord } from '../store/index.js';
import { eraKey } from './era-memory.js';
import { forgetSecrets, loadConfig, saveSecrets, toStored } from './config.js';
import { applyGrants, grantAudit, refuseBadGrants, type GrantChange } from './grants.js';
import { checkRoots } from './roots.js';
import { LaunchPlanner } from './launch-planner.js';
import type { ServersDeps } from './ports.js';
import { Supervisor, shuttingDown, type OrphanReport } from './supervisor.js';
import { applyExternalChange } from './external-change.js';
import { ShownViews, toView } from './views.js';
import { ServerEditor } from './editor.js';
import type { ParsedCommandLine } from './command-line.js';

type Actor = 'user' | 'host' | 'policy';

interface SettingsPatch {
  name?: string | undefined;
  config?: ServerConfig | undefined;
  sandbox?: Partial<SandboxSettings> | undefined;
  options?: Partial<ServerOptions> | undefined;
}

export class ServersService {
  private readonly supervisor: Supervisor;
  private readonly planner: LaunchPlanner;
  private readonly settingsCache = new Map<string, { name: string; toolTimeoutSeconds: number }>();
  private readonly shown = new ShownViews();
  private readonly editor: ServerEditor;
  /** Starts under way, which a shutdown waits for; and whether it began (no start is begun after). */
  private readonly starting = new Set<Promise<McpSession>>();
  private closing = false;

  constructor(private readonly deps: ServersDeps) {
    this.supervisor = new Supervisor({
      records: deps.records,
      clock: deps.clock,
      launch: deps.launch,
      connect: deps.connect,
      supervision: deps.supervision,
      sinks: deps.sinks,
      owner: deps.owners.owner,
      changed: (id) => this.changed(id),
      replan: async (id) => this.checkedPlan(this.record(id)),
    });
    this.planner = new LaunchPlanner({
      records: deps.records,
      launch: deps.launch,
      audit: deps.sinks.audit,
      now: () => this.now(),
      changed: (id) => this.changed(id),
      refused: (id, error) => {
        const runtime = this.supervisor.obtain(id);
        // An edited launch Steward cannot run leaves the earlier one running; the reason goes to its log.
        if (runtime.status === 'running') this.supervisor.logs.add(id, 'host', 'warning', `The changed launch cannot run: ${error.message}`);
        else runtime.refused(error);
      },
    });
    this.editor = new ServerEditor({
      records: deps.records,
      inbox: deps.sinks.inbox,
      audit: deps.sinks.audit,
      record: (id) => this.record(id),
      get: (id) => this.get(id),
      save: async (id, patch, actor) => {
        await this.save(id, { name: patch.name, config: patch.config, ...(patch.protocolEra ? { options: { protocolEra: patch.protocolEra } } : {}) }, actor);
      },
      add: (input, source, actor) => this.add(input, source, actor),
      plan: (record) => this.planner.plan(record),
      consentRequest: (record, plan) => this.planner.consentRequest(record, plan),
      launchedHash: (id) => this.supervisor.launchedHash(id),
      connected: (id) => this.supervisor.get(id)?.status === 'running',
      restart: (id) => this.restart(id),
      bundled: (id) => (deps.launch.bundleOf?.(id).readPaths.length ?? 0) > 0,
    });
    deps.sinks.inbox.handle('consent', async (item, decision) => {
      await this.decideConsent(item.serverId, decision.hash, decision.decision, 'user');
    });
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private record(id: string): ServerRecord {
    const record = this.deps.records.servers.get(id);
    if (!record) throw new StewardError('not_found', 'There is no such server.');
    return record;
  }

  /** Finds a server by id or, for scripts, by name. */
  resolve(idOrName: string): ServerRecord {
    const record = this.deps.records.servers.get(idOrName) ?? this.deps.records.servers.findByName(idOrName);
    if (!record) throw new StewardError('not_found', `There is no server named "${idOrName}".`);
    return record;
  }

  list(): ServerView[] {
    const elsewhere = this.deps.owners.elsewhere();
    return this.deps.records.servers.list().map((r) => toView(r, this.supervisor.get(r.id), elsewhere.get(r.id)));
  }

  get(id: string): ServerView {
    return toView(this.record(id), this.supervisor.get(id), this.deps.owners.elsewhere().get(id));
  }

  private changed(id: string): void {
    const record = this.deps.records.servers.get(id);
    if (!record) return;
    const view = toView(record, this.supervisor.get(id), this.deps.owners.elsewhere().get(id));
    this.shown.note(view);
    this.deps.sinks.events.emit('servers:changed', view);
  }

  /**
   * Another process changed servers, consents or sessions: cached settings are dropped, a server removed elsewhere is
   * stopped here, one whose running launch was refused elsewhere is stopped, and the UI hears of every view that changed.
   */
  async externalChange(): Promise<void> {
    this.settingsCache.clear();
    await applyExternalChange({
      records: this.deps.records,
      supervisor: this.supervisor,
      shown: this.shown,
      events: this.deps.sinks.events,
      elsewhere: () => this.deps.owners.elsewhere(),
    });
  }

  async add(input: ServerInput, source = 'manual', actor: Actor = 'user'): Promise<ServerView> {
    const config = ServerConfigSchema.parse(input.config);
    const at = this.now();
    const record: ServerRecord = {
      id: randomUUID(),
      name: input.name,
      config: toStored(config),
      sandbox: SandboxSettingsSchema.parse(input.sandbox ?? {}),
      options: ServerOptionsSchema.parse(input.options ?? {}),
      roots: [],
      source,
      desiredState: 'stopped',
      createdAt: at,
      updatedAt: at,
      pins: [],
      lastError: null,
    };
    if (this.deps.records.servers.findByName(record.name)) {
      throw new StewardError('name_taken', `A server named "${record.name}" already exists.`);
    }
    await saveSecrets(this.deps.records.secrets, record.id, config);
    try {
      this.deps.records.transaction(() => {
        this.deps.records.servers.insert(record);
        this.deps.sinks.audit.record('server.added', {
          serverId: record.id,
          serverName: record.name,
          actor,
          summary: `Added ${config.transport} server "${record.name}" (${source}).`,
          data: { source, transport: config.transport, sandbox: record.sandbox.enabled },
        });
      });
    } catch (error) {
      // Another process took the name meanwhile: the secrets saved for this record have no server.
      await forgetSecrets(this.deps.records.secrets, record.id).catch(() => undefined);
      throw error;
    }
    const view = toView(record, undefined);
    this.deps.sinks.events.emit('servers:changed', view);
    return view;
  }

  async update(id: string, patch: SettingsPatch, actor: Actor = 'user'): Promise<ServerView> {
    const before = this.record(id).options.protocolEra;
    const next = await this.save(id, patch, actor);
    // The era is chosen when connecting: a running server reconnects in the era now asked for.
    if (before !== next.options.protocolEra && this.supervisor.get(id)?.status === 'running') return this.restart(id);
    return this.get(id);
  }

  /** Writes a change of settings with its audit lines; restarts nothing. */
  private async save(id: string, patch: SettingsPatch, actor: Actor): Promise<ServerRecord> {
    const current = this.record(id);
    const next: ServerRecord = {
      ...current,
      name: patch.name ?? current.name,
      config: patch.config ? toStored(patch.config) : current.config,
      sandbox: SandboxSettingsSchema.parse({ ...current.sandbox, ...patch.sandbox }),
      options: ServerOptionsSchema.parse({ ...current.options, ...patch.options }),
      updatedAt: this.now(),
    };
    // A grant Steward will not give is refused now, with its reason, not at the next start.
    if (patch.sandbox) refuseBadGrants(next.sandbox, this.deps.launch);
    if (next.name !== current.name) {
      const other = this.deps.records.servers.findByName(next.name);
      if (other && other.id !== id) throw new StewardError('name_taken', `A server named "${next.name}" already exists.`);
    }
    if (patch.config) await saveSecrets(this.deps.records.secrets, id, patch.config);
    this.settingsCache.delete(id);
    this.deps.records.transaction(() => {
      this.deps.records.servers.update(next);
      this.deps.sinks.audit.record('server.updated', {
        serverId: id,
        serverName: next.name,
        actor,
        summary: `Changed the settings of "${next.name}"${next.name !== current.name ? ` (renamed from "${current.name}")` : ''}${patch.config ? ', its launch included' : ''}.`,
      });
      if (current.sandbox.enabled !== next.sandbox.enabled) {
        this.deps.sinks.audit.record(next.sandbox.enabled ? 'sandbox.enabled' : 'sandbox.disabled', {
          serverId: id,
          serverName: next.name,
          actor,
          summary: next.sandbox.enabled
            ? `Turned the sandbox back on for "${next.name}".`
            : `Turned the sandbox off for "${next.name}": it will run with all of the user's rights.`,
        });
      }
    });
    this.changed(id);
    return next;
  }

  /** Changes the launch, address, name or era; see ServerEditor for what follows for consent and a running process. */
  edit(id: string, edit: ServerEdit, actor: Actor = 'user'): Promise<EditOutcome> {
    return this.editor.edit(id, edit, actor);
  }

  clone(id: string, name: string, actor: Actor = 'user'): Promise<ServerView> {
    return this.editor.clone(id, name, actor);
  }

  exportConfig(id: string | undefined, actor: Actor = 'user'): ServerExport {
    return this.editor.exportConfig(id, actor);
  }

  /** A pasted command line, read without a shell (shell features refused by name). Its parser loads on first use. */
  async parseCommand(text: string): Promise<ParsedCommandLine> {
    const { parseCommandLine } = await import('./command-line.js');
    return parseCommandLine(text, this.deps.launch.homeDir);
  }

  async remove(id: string, actor: Actor = 'user'): Promise<void> {
    // A damaged row can still be removed: that is how the user gets rid of it.
    let record: Pick<ServerRecord, 'name'>;
    try {
      record = this.record(id);
    } catch (error) {
      if (!(error instanceof StewardError && error.code === 'config_invalid')) throw error;
      record = { name: id };
    }
    await this.supervisor.forget(id);
    this.settingsCache.delete(id);
    this.deps.sinks.inbox.removeKey(`consent:${id}`);
    this.deps.records.transaction(() => {
      this.deps.records.servers.remove(id);
      this.deps.records.settings.remove(eraKey(id));
      this.deps.sinks.audit.record('server.removed', { serverId: id, serverName: record.name, actor, summary: `Removed server "${record.name}".` });
    });
    await forgetSecrets(this.deps.records.secrets, id);
    await this.deps.sinks.forgotten(id);
    this.deps.sinks.events.emit('servers:removed', { serverId: id });
  }

  /** Another host's config file; the JSONC reader loads on first use. */
  async import(text: string, fileName: string | undefined, actor: Actor = 'user'): Promise<ImportReport> {
    const { importServers } = await import('./import.js');
    return importServers(
      text,
      fileName,
      {
        homeDir: this.deps.launch.homeDir,
        audit: this.deps.sinks.audit,
        add: (input, source) => this.add(input, source, actor),
        unexpected: this.deps.sinks.unexpected,
      },
      actor,
    );
  }

  /** Updating pinned packages is its own step: the newest matching versions are pinned, and consent is asked again. */
  async upgrade(id: string, actor: Actor = 'user'): Promise<{ server: ServerView; changes: Array<{ name: string; from: string; to: string }> }> {
    const changes = await this.planner.upgrade(this.record(id), actor);
    return { server: this.get(id), changes };
  }

  async grant(id: string, change: GrantChange, mode: 'grant' | 'revoke', actor: Actor = 'user'): Promise<ServerView> {
    const record = this.record(id);
    await this.update(id, { sandbox: applyGrants(record.sandbox, change, mode, this.deps.launch) }, actor);
    this.deps.sinks.audit.record(mode === 'grant' ? 'sandbox.granted' : 'sandbox.revoked', grantAudit(record, change, mode, actor));
    return this.get(id);
  }

  async consentRequest(id: string): Promise<ConsentRequest> {
    const record = this.record(id);
    if (record.config.transport !== 'stdio') {
      throw new StewardError('not_supported', 'Remote servers run nothing on this machine and need no launch consent.');
    }
    return this.planner.consentRequest(record, await this.planner.plan(record));
  }

  async decideConsent(id: string, hash: string, decision: 'approve' | 'deny', actor: Actor): Promise<ServerView> {
    const record = this.record(id);
    const plan = await this.planner.plan(record);
    if (plan.spec.hash !== hash) {
      throw new StewardError('consent_mismatch', 'The launch changed since it was shown; review the new command before deciding.');
    }
    const approved = decision === 'approve';
    this.deps.records.transaction(() => {
      this.deps.records.consents.record({
        serverId: id,
        specHash: hash,
        // Values are kept only as digests: even the shown loader variables are left out of the record.
        spec: JSON.stringify({ ...plan.spec, flaggedEnv: plan.spec.flaggedEnv.map((f) => ({ name: f.name, why: f.why })) }),
        decision: approved ? 'approved' : 'denied',
        decidedBy: actor,
        decidedAt: this.now(),
      });
      this.deps.sinks.audit.record(approved ? 'consent.approved' : 'consent.denied', {
        serverId: id,
        serverName: record.name,
        actor,
        summary: `${approved ? 'Allowed' : 'Refused'} launching "${record.name}": ${plan.commandLine}`,
        data: {
          hash,
          command: plan.spec.command,
          args: plan.spec.args,
          cwd: plan.spec.cwd,
          envNames: plan.spec.envNames,
          sandbox: plan.spec.sandbox,
          findings: plan.findings.map((f) => f.code),
        },
      });
    });
    this.deps.sinks.inbox.removeKey(`consent:${id}`);
    const runtime = this.supervisor.obtain(id);
    if (!approved) {
      runtime.lastError = { code: 'consent_denied', message: 'You refused to let this server run.', stderrTail: [] };
      await runtime.stop();
      this.changed(id);
      return this.get(id);
    }
    // A server still running its earlier launch (the user edited it) restarts on the one just allowed.
    const earlier = this.supervisor.launchedHash(id);
    if (earlier !== undefined && earlier !== plan.spec.hash) {
      await runtime.stop();
      this.supervisor.logs.add(id, 'host', 'notice', 'Restarting on the changed launch you just allowed.');
    }
    try {
      await this.launchApproved(record, plan);
    } catch {
      // The view carries the failure (status and lastError).
    }
    return this.get(id);
  }

  /** The plan, if the user approved exactly it; otherwise asks (inbox) and throws. */
  private async checkedPlan(record: ServerRecord): Promise<LaunchPlan> {
    const plan = await this.planner.plan(record);
    const consent = this.deps.records.consents.find(record.id, plan.spec.hash);
    if (consent?.decision === 'approved') return plan;
    const runtime = this.supervisor.obtain(record.id);
    if (consent?.decision === 'denied') {
      throw new StewardError('consent_denied', `You refused to let "${record.name}" run this command. Approve it from its consent request to run it.`);
    }
    this.deps.sinks.inbox.put(`consent:${record.id}`, {
      kind: 'consent',
      serverId: record.id,
      serverName: record.name,
      request: this.planner.consentRequest(record, plan),
    });
    runtime.markAwaitingConsent();
    throw new StewardError('consent_required', `"${record.name}" needs your approval before it runs.`);
  }

  private async launchApproved(record: ServerRecord, plan: LaunchPlan): Promise<void> {
    this.deps.records.servers.setDesiredState(record.id, 'running', this.now());
    const runtime = await this.supervisor.launch(record.id, plan);
    this.deps.sinks.audit.record('server.launched', {
      serverId: record.id,
      serverName: record.name,
      actor: 'host',
      summary: `Started "${record.name}" (pid ${runtime.pid ?? '?'})${plan.spec.sandbox.mode === 'enforced' ? ' in the sandbox' : ''}.`,
      data: { pid: runtime.pid, hash: plan.spec.hash, sandbox: plan.spec.sandbox.mode },
    });
  }

  /** Explicit start: asks for consent when needed instead of failing. */
  async start(id: string): Promise<ServerView> {
    await this.ensureRunning(id, true).catch((error: unknown) => {
      if (error instanceof StewardError && (error.code === 'consent_required' || error.code === 'consent_denied')) return;
      throw error;
    });
    return this.get(id);
  }

  /** The live session of a server, starting it (lazy start) when it is allowed to run. */
  async ensureRunning(id: string, explicit = false): Promise<McpSession> {
    // The hot path (every tool call): a running server needs no store read.
    const live = this.supervisor.get(id);
    if (live?.session && live.status === 'running') {
      this.touch(id);
      return live.session;
    }
    if (this.closing) throw shuttingDown();
    const started = this.startNow(id, explicit);
    this.starting.add(started);
    try {
      return await started;
    } finally {
      this.starting.delete(started);
    }
  }

  private async startNow(id: string, explicit: boolean): Promise<McpSession> {
    const record = this.record(id);
    const runtime = this.supervisor.obtain(id);
    if (runtime.pendingStart) await runtime.pendingStart.catch(() => undefined);
    if (runtime.session && runtime.status === 'running') {
      this.touch(id);
      return runtime.session;
    }
    if (record.config.transport === 'http') {
      const config = await loadConfig(this.deps.records.secrets, id, record.config);
      if (config.transport !== 'http') throw new StewardError('internal_error', 'Stored config does not match its transport.');
      if (this.closing) throw shuttingDown();
      this.deps.records.servers.setDesiredState(id, 'running', this.now());
      try {
        await runtime.startHttp(config.url, config.headers, await this.deps.connect.httpAuth(id, config.url));
      } catch (error) {
        if (!(error instanceof StewardError) || !(await this.deps.connect.httpAuthRetry(id, config.url, error))) throw error;
        await runtime.startHttp(config.url, config.headers, await this.deps.connect.httpAuth(id, config.url));
      }
    } else {
      if (explicit) runtime.resetRestarts();
      const plan = await this.checkedPlan(record);
      await this.launchApproved(record, plan);
    }
    if (!runtime.session) throw new StewardError('server_not_running', `"${record.name}" is not running.`);
    return runtime.session;
  }

  /** This process's JSON-RPC history with the server (empty when it never ran here). */
  wire(id: string, query: { afterSeq?: number | undefined; method?: string | undefined; limit: number }) {
    this.record(id);
    return this.supervisor.get(id)?.wire.list(query) ?? { messages: [], total: 0 };
  }

  /** Stops this process's session with the server (other processes are asked by the caller, through their owners). */
  async stop(id: string, actor: Actor = 'user'): Promise<ServerView> {
    const record = this.record(id);
    this.deps.records.servers.setDesiredState(id, 'stopped', this.now());
    this.deps.sinks.inbox.removeKey(`consent:${id}`);
    const runtime = this.supervisor.get(id);
    if (runtime && (runtime.pid !== null || runtime.session)) {
      await runtime.stop();
      this.deps.sinks.audit.record('server.stopped', { serverId: id, serverName: record.name, actor, summary: `Stopped "${record.name}".` });
    } else {
      await runtime?.stop();
    }
    return this.get(id);
  }

  async restart(id: string): Promise<ServerView> {
    await this.supervisor.get(id)?.stop();
    return this.start(id);
  }

  /** A line from the host in a server's log (a cap reached, a request refused, what a view did). */
  note(id: string, level: LogLine['level'], text: string): void {
    this.supervisor.logs.add(id, 'host', level, text);
  }

  logsPage(id: string, limit: number, beforeId?: number): LogLine[] {
    this.record(id);
    this.supervisor.logs.flush();
    return this.deps.records.logs.page(id, limit, beforeId);
  }

  async setRoots(id: string, roots: Root[], actor: Actor = 'user'): Promise<ServerView> {
    const record = this.record(id);
    const clean = checkRoots(roots, this.deps.launch);
    this.deps.records.transaction(() => {
      this.deps.records.servers.update({ ...record, roots: clean, updatedAt: this.now() });
      this.deps.sinks.audit.record('roots.changed', {
        serverId: id,
        serverName: record.name,
        actor,
        summary: `Shared ${clean.length} folder(s) with "${record.name}".`,
        data: { roots: clean.map((r) => r.path) },
      });
    });
    await this.supervisor.get(id)?.session?.rootsChanged();
    this.changed(id);
    return this.get(id);
  }

  /** The server's session if it is connected now; never starts it. */
  liveSession(id: string): McpSession | undefined {
    const runtime = this.supervisor.get(id);
    return runtime?.status === 'running' ? runtime.session : undefined;
  }

  /** What a tool call needs to know about its server, without reading the store for a running one. */
  callSettings(id: string): { name: string; toolTimeoutSeconds: number } {
    const cached = this.settingsCache.get(id);
    if (cached) return cached;
    const record = this.record(id);
    const settings = { name: record.name, toolTimeoutSeconds: record.options.toolTimeoutSeconds };
    this.settingsCache.set(id, settings);
    return settings;
  }

  touch(id: string): void {
    this.supervisor.touch(id);
  }

  beginUse(id: string): () => void {
    return this.supervisor.beginUse(id);
  }

  /** Processes that Steward processes which are gone left running are stopped (see Supervisor.cleanOrphans). */
  cleanOrphans(isDead: (owner: OwnerKey) => boolean): Promise<OrphanReport[]> {
    return this.supervisor.cleanOrphans(isDead);
  }

  /** Host start: start what should run (what a Steward that died left behind was cleaned up before). */
  bootstrap(autostart: boolean): void {
    if (!autostart) return;
    for (const record of this.deps.records.servers.list()) {
      if (record.desiredState !== 'running' || record.options.lazyStart) continue;
      // Nobody waits for these starts: a failure is written to the server's own log, beside its status.
      this.ensureRunning(record.id).catch((error: unknown) =>
        this.supervisor.logs.add(record.id, 'host', 'error', `Steward could not start it: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  /** Memory per server and idle stop (also runs on a timer while servers run). */
  sample(): void {
    this.supervisor.sample();
  }

  /** Synchronous: kills every server this process runs, for an exit that cannot wait (a second Ctrl+C). */
  killNow(): void {
    this.supervisor.killNow();
  }

  /**
   * Refuses new starts, stops what runs (which fails a launch under way), waits for the starts under way to end, then
   * stops whatever got through meanwhile: nothing this process started outlives it, or writes after its store closed.
   */
  async dispose(): Promise<void> {
    this.closing = true;
    await this.supervisor.stopAll();
    await Promise.allSettled([...this.starting]);
    await this.supervisor.dispose();
  }
}
