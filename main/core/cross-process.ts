// How this host lives beside other Steward processes on the same data folder: it recovers what dead ones left, hears
// what live ones change (change feed), answers their requests (control channel), and carries requests about what they
// own to them instead of acting behind their backs.
import { randomBytes } from 'node:crypto';
import type { ServerView, OwnerTag } from '../../shared/domain/servers.js';
import { TaskViewSchema, TERMINAL_STATUSES, type TaskView } from '../../shared/domain/tasks.js';
import { StewardError } from '../../shared/errors.js';
import type { Audit } from './audit/index.js';
import type { HostEvents } from './events.js';
import type { Inbox } from './inbox/index.js';
import type { ModelSettingsService } from './models/index.js';
import {
  ChangeFeed,
  controlAddress,
  controlRequest,
  removeStaleFor,
  SharedInbox,
  startControlServer,
  type ControlArgs,
  type ControlOp,
  type ControlServer,
  type OwnerKey,
  type OwnerLike,
  type Ownership,
} from './owners/index.js';
import type { SamplingService } from './sampling/index.js';
import type { ServersService } from './servers/index.js';
import { taskView, type ChangesRepo, type InboxRepo, type OwnersRepo, type ProcessesRepo, type ServersRepo, type TasksRepo } from './store/index.js';
import type { TasksService } from './tasks/index.js';

/** How long a request to another owner may take (a task's cancel waits for its server). */
const ASK_TIMEOUT_MS = 60_000;
/** How often the change feed looks for other processes' writes, unless the host says otherwise. */
const FEED_INTERVAL_MS = 200;

/** The shared records this host reads to live beside other processes, and the few it clears for the dead. */
export interface CrossProcessRecords {
  changes: Pick<ChangesRepo, 'dataVersion' | 'revisions'>;
  inbox: Pick<InboxRepo, 'replaceOwn' | 'changeOwn' | 'others' | 'get' | 'owners' | 'withdraw'>;
  owners: Pick<OwnersRepo, 'list' | 'remove' | 'sessions' | 'dropSessions'>;
  processes: Pick<ProcessesRepo, 'ofServer' | 'clearHelpers'>;
  servers: Pick<ServersRepo, 'list'>;
  tasks: Pick<TasksRepo, 'get' | 'changedSince' | 'lastChange'>;
}

export interface CrossProcessDeps {
  dataDir: string;
  records: CrossProcessRecords;
  ownership: Ownership;
  events: HostEvents;
  audit: Audit;
  inbox: Inbox;
  servers: ServersService;
  sampling: SamplingService;
  tasks: TasksService;
  models: ModelSettingsService;
  log(line: string): void;
  onUnexpected(where: string, error: unknown): void;
  pollMs?: number;
}

export class CrossProcess {
  readonly feed: ChangeFeed;
  readonly inbox: SharedInbox;
  private control: ControlServer | undefined;
  private recovering: Promise<void> | undefined;
  /** The last task change this process has heard of (TasksRepo.lastChange). */
  private tasksSeen: number;

  constructor(private readonly deps: CrossProcessDeps) {
    const { records, ownership, events } = deps;
    this.feed = new ChangeFeed(records.changes, (error) => deps.onUnexpected('change feed', error));
    this.inbox = new SharedInbox({
      self: ownership.self,
      local: deps.inbox,
      rows: records.inbox,
      state: (owner) => ownership.state(owner),
      record: (owner) => ownership.record(owner),
      answerElsewhere: async (owner, itemId, decision) => {
        await this.ask(owner, 'inbox.decide', { itemId, decision });
      },
      changed: (change) => events.emit('inbox:changed', change),
    });
    this.tasksSeen = records.tasks.lastChange();
    const servers = () => void deps.servers.externalChange().catch((error: unknown) => deps.onUnexpected('servers feed', error));
    this.feed.on('servers', servers);
    this.feed.on('sessions', servers);
    this.feed.on('owners', () => {
      servers();
      this.inbox.othersChanged();
    });
    this.feed.on('policies', () => deps.sampling.policiesChanged(records.servers.list().map((s) => s.id)));
    this.feed.on('rounds', () => deps.sampling.usageChanged());
    this.feed.on('settings', () => deps.models.forget());
    this.feed.on('inbox', () => this.inbox.othersChanged());
    this.feed.on('tasks', () => this.tasksChanged());
  }

  /** Opens the control channel and records this process as an owner; the feed starts looking. */
  async start(): Promise<void> {
    const { ownership } = this.deps;
    const token = randomBytes(32).toString('hex');
    const place = controlAddress(this.deps.dataDir, ownership.self.pid);
    if (place.ok) {
      try {
        this.control = await startControlServer({
          address: place.address,
          token,
          handlers: this.handlers(),
          onUnexpected: (error) => this.deps.onUnexpected('control channel', error),
        });
      } catch (error) {
        this.deps.log(`No control channel (${(error as Error).message}); other Steward processes cannot hand requests to this one.`);
      }
    } else {
      this.deps.log(`No control channel: ${place.reason}.`);
    }
    ownership.register(this.control ? { address: this.control.address, token } : null);
    this.feed.start(this.deps.pollMs ?? FEED_INTERVAL_MS);
  }

  /** What another process may ask of this one: always about something this one owns, carried out here. */
  private handlers(): { [K in ControlOp]: (args: ControlArgs<K>) => Promise<unknown> } {
    const { servers, tasks, inbox, ownership } = this.deps;
    return {
      ping: () => Promise.resolve({ pid: ownership.self.pid }),
      'tasks.cancel': ({ taskId }) => tasks.cancel(taskId),
      'inbox.decide': async ({ itemId, decision }) => {
        await inbox.decide(itemId, decision);
        return { ok: true };
      },
      'servers.stop': ({ serverId }) => servers.stop(serverId),
    };
  }

  private async ask<K extends ControlOp>(owner: OwnerLike, op: K, args: ControlArgs<K>): Promise<unknown> {
    const record = this.deps.ownership.record(owner);
    if (!record?.address || !record.token) {
      throw new StewardError('owner_unreachable', `Another Steward process (pid ${owner.pid}) holds this, and it has no control channel to ask.`);
    }
    return controlRequest({ pid: record.pid, kind: record.kind, address: record.address, token: record.token }, op, args, ASK_TIMEOUT_MS);
  }

  /** Other live processes with a session, by server, for the views. */
  elsewhere(): Map<string, OwnerTag[]> {
    const { ownership } = this.deps;
    const out = new Map<string, OwnerTag[]>();
    for (const holder of this.deps.records.owners.sessions()) {
      const state = ownership.state(holder);
      if (state === 'self' || state === 'dead') continue;
      const list = out.get(holder.serverId) ?? [];
      list.push({ pid: holder.pid, kind: ownership.record(holder)?.kind ?? 'steward' });
      out.set(holder.serverId, list);
    }
    return out;
  }

  /** Cancels a task where it is followed: here, by its live owner, or here after taking it over from a dead one. */
  async cancelTask(taskId: string): Promise<TaskView> {
    const row = this.deps.records.tasks.get(taskId);
    if (!row || TERMINAL_STATUSES.includes(row.status)) return this.deps.tasks.cancel(taskId);
    const state = this.deps.ownership.state({ pid: row.owner_pid, started: row.owner_started });
    if (state === 'self') return this.deps.tasks.cancel(taskId);
    if (state === 'dead') {
      await this.recover();
      return this.deps.tasks.cancel(taskId);
    }
    const parsed = TaskViewSchema.safeParse(await this.ask({ pid: row.owner_pid, started: row.owner_started }, 'tasks.cancel', { taskId }));
    return parsed.success ? parsed.data : taskView(this.deps.records.tasks.get(taskId) ?? row);
  }

  /** Stops a server here and in every live process holding a session with it; what dead ones left is cleaned up. */
  async stopServer(serverId: string): Promise<ServerView> {
    await this.deps.servers.stop(serverId);
    const failures: StewardError[] = [];
    let orphans = false;
    for (const holder of this.deps.records.owners.sessions(serverId)) {
      const state = this.deps.ownership.state(holder);
      if (state === 'self') continue;
      if (state === 'dead') {
        orphans = true;
        continue;
      }
      await this.ask(holder, 'servers.stop', { serverId }).catch((error: unknown) =>
        failures.push(error instanceof StewardError ? error : new StewardError('internal_error', String(error))),
      );
    }
    if (orphans || this.deps.records.processes.ofServer(serverId).some((p) => this.deps.ownership.isDead(p.owner))) await this.recover();
    if (failures[0]) throw failures[0];
    return this.deps.servers.get(serverId);
  }

  /**
   * Finishes what Steward processes that are gone left: their processes stopped (and logged), their sessions and
   * questions withdrawn, their sampling rounds interrupted, their tasks resumed or marked, their records removed.
   * Runs at start and whenever an owner is found dead; runs once at a time.
   */
  recover(): Promise<void> {
    this.recovering ??= this.recoverOnce().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  private async recoverOnce(): Promise<void> {
    const { records, ownership, servers, sampling, tasks, audit } = this.deps;
    const isDead = (owner: OwnerLike) => ownership.isDead(owner);
    // Read before anything is taken over: another recoverer may remove a dead owner's record meanwhile.
    const owners = records.owners.list();
    const kinds = new Map(owners.map((o) => [`${o.pid}:${o.started}`, o.kind]));
    // Only owners dead when this run began have their records removed at its end. One that dies during the run may have
    // had its processes looked at while it still ran (the orphans are stopped one owner at a time, waiting out each
    // one's grace); its record stays, so the next lease tick finds it dead and a run of its own finishes everything.
    const deadAtStart = new Set(owners.filter(isDead).map((o) => `${o.pid}:${o.started}`));
    for (const report of await servers.cleanOrphans(isDead)) {
      const kind = kinds.get(`${report.owner.pid}:${report.owner.started}`);
      const list = report.stopped.map((p) => `${p.pid}${p.command ? ` ${p.command.slice(0, 120)}` : ''}`);
      const summary = `Stopped ${report.stopped.length} process(es) left running by a Steward that is gone (pid ${report.owner.pid}${kind ? `, ${kind}` : ''}).`;
      this.deps.log(`${summary} ${list.join('; ')}`);
      audit.record('processes.cleaned', {
        actor: 'host',
        summary,
        data: {
          ownerPid: report.owner.pid,
          processes: report.stopped.map((p) => ({ pid: p.pid, role: p.role, serverId: p.serverId, command: p.command.slice(0, 300) })),
        },
      });
    }
    const gone = (owners: readonly OwnerKey[]) =>
      owners.filter((o, i) => isDead(o) && owners.findIndex((x) => x.pid === o.pid && x.started === o.started) === i);
    for (const owner of gone(records.owners.sessions())) records.owners.dropSessions(owner);
    sampling.recover(isDead);
    tasks.recover();
    for (const owner of gone(records.inbox.owners())) records.inbox.withdraw(owner);
    for (const owner of records.owners.list()) {
      if (deadAtStart.has(`${owner.pid}:${owner.started}`) && records.owners.remove(owner)) removeStaleFor(this.deps.dataDir, owner.pid);
    }
  }

  /** Tasks another process changed: the task center hears of each (its own changes it announced already). */
  private tasksChanged(): void {
    const { ownership } = this.deps;
    for (;;) {
      const rows = this.deps.records.tasks.changedSince(this.tasksSeen, 200);
      for (const row of rows) {
        this.tasksSeen = row.change_seq;
        if (!ownership.isSelf({ pid: row.owner_pid, started: row.owner_started })) this.deps.events.emit('tasks:changed', taskView(row));
      }
      if (rows.length < 200) return;
    }
  }

  async dispose(): Promise<void> {
    this.feed.dispose();
    await this.control?.close().catch(() => undefined);
    // What this process was asking goes with it.
    this.deps.records.inbox.replaceOwn(this.deps.ownership.self, []);
    this.deps.records.processes.clearHelpers(this.deps.ownership.self);
    this.deps.ownership.dispose();
  }
}
