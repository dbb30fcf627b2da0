// Tool calls run as tasks: create, keep the row, poll at the server's pace from one wheel, follow input_required, fetch
// the result, cancel. What happens is decided by the task machine; this class talks to the server and applies effects.
import { randomUUID } from 'node:crypto';
import { CallToolResultSchema, CancelTaskResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/core';
import { TASK_STATUSES, type TaskStatus, type TaskView } from '../../../shared/domain/tasks.js';
import { present, StewardError } from '../../../shared/errors.js';
import type { CallResult } from '../../../shared/domain/mcp.js';
import { paced, type McpSession } from '../sessions/index.js';
import { SERVER_LIMITS } from '../limits.js';
import { detached, guarded } from '../background.js';
import { cutText, iso, stampOf, statusMessageOf, viewOf, type TaskDeps, type TaskRow } from './deps.js';
import { PollWheel } from './poll-wheel.js';
import { TaskResult } from './task-result.js';
import { stateOf, TaskRecord } from './record.js';
import { isTerminal, takesReports, type ServerTask, type TaskMachineEvent, type TaskState } from './task-machine.js';
import { nextPollDelay, pollIntervalOf, pollSpread } from './timing.js';
import { answerAll, callDeclaringTasks, cancelTask, getTask, MAX_INPUT_ROUNDS, modernServerTask, toCallResult, updateTask, type ModernCall } from './modern.js';
import type { DetailedTaskV2 } from '@modelcontextprotocol/ext-tasks/core/v2';

const TASK_GONE = -32602;
/** Statuses held for a task not on record yet: per task, and tasks at once. */
const EARLY_PER_TASK = 8;
const EARLY_TASKS = 64;
/** A task id longer than this names no task of Steward's (it is not held, nor looked up). */
const MAX_TASK_ID_CHARS = 1024;
/** Errors that say the server could not be reached, not what it thinks of the task: the task waits and is asked again. */
const UNREACHABLE = new Set(['server_not_running', 'server_exited', 'server_crashed', 'connect_failed', 'timeout', 'cancelled', 'auth_required']);

export interface StartRequest {
  serverId: string;
  tool: string;
  arguments: Record<string, unknown>;
  ttlMs?: number | undefined;
}

/** A task this process follows, with what the row does not hold: the pace of its polls and what is in flight. */
interface Followed {
  id: string;
  serverId: string;
  remoteTaskId: string;
  transport: 'stdio' | 'http';
  /** legacy: 2025-11-25 core tasks (tasks/result); modern: the 2026-07-28 extension (inline result, tasks/update). */
  era: 'legacy' | 'modern';
  /** modern: the server's last full report, with the result or the questions inline. */
  detail: DetailedTaskV2 | undefined;
  /** modern: the keys of the task's questions already taken (unique for the task's life: never answered twice). */
  asked: Set<string>;
  /** modern: rounds of questions taken so far (see MAX_INPUT_ROUNDS). */
  rounds: number;
  /** modern: the round of questions waiting for the user; aborting it withdraws them all from the inbox. */
  round: AbortController | undefined;
  state: TaskState;
  /** When the server last answered a poll (or accepted the task): the next poll is at least one interval after it. */
  lastAnswerAt: number;
  failures: number;
  /** The createdAt and ttl of the last poll's answer and the expiry they make: unchanged, they are not read again. */
  expiry: { createdAt: string; ttl: number | null; expiresAt: string | null } | undefined;
  first: boolean;
  polling: boolean;
  fetching: boolean;
  following: boolean;
  /** stdio: the session the task was created on; when that process is gone, so is the task. */
  origin: McpSession | undefined;
  unwatch: () => void;
}

/** The Task fields of a server's answer or notification, as the machine reads them. */
export function serverTask(
  task: {
    status: TaskStatus;
    statusMessage?: string | undefined;
    createdAt?: string | undefined;
    lastUpdatedAt?: string | undefined;
    ttl?: number | null | undefined;
    pollInterval?: number | undefined;
  },
  expiresAt: string | null = expiryOf(task.createdAt, task.ttl),
): ServerTask {
  return {
    status: task.status,
    statusMessage: statusMessageOf(task.statusMessage),
    lastUpdatedAt: stampOf(task.lastUpdatedAt),
    pollIntervalMs: pollIntervalOf(task.pollInterval),
    expiresAt,
  };
}

/** createdAt + ttl, when the server may forget the task; null for an unlimited ttl or a createdAt that is not a time. */
function expiryOf(createdAt: string | undefined, ttl: number | null | undefined): string | null {
  const created = Date.parse(createdAt ?? '');
  const expiresAt = typeof ttl === 'number' && Number.isFinite(created) && Number.isFinite(ttl) ? new Date(created + ttl) : null;
  return expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt.toISOString() : null;
}

export class TaskRequester {
  private readonly followed = new Map<string, Followed>();
  /** Statuses that came before their task was on record, by server and remote task id (see holdEarly). */
  private readonly early = new Map<string, ServerTask[]>();
  private readonly settled = new Map<string, Array<() => void>>();
  private readonly told = new Set<string>();
  private readonly wheel: PollWheel;
  private readonly record: TaskRecord;
  private disposed = false;

  constructor(
    private readonly deps: TaskDeps,
    private readonly changed: (row: TaskRow) => void,
  ) {
    this.record = new TaskRecord(deps, changed);
    this.wheel = new PollWheel(deps.clock, (id) => this.turn(id));
  }

  /** Calls a tool as a task. The row exists before the request leaves; the call returns once the server has accepted it. */
  async start(request: StartRequest): Promise<TaskView> {
    const session = await this.deps.session(request.serverId);
    if (session.tasksExtension) return viewOf(await this.startModern(request, session));
    const caps = session.serverCapabilities as { tasks?: { requests?: { tools?: { call?: unknown } } } };
    if (!caps.tasks?.requests?.tools?.call) {
      throw new StewardError('not_supported', 'This server does not run tool calls as tasks.');
    }
    const server = present(this.deps.server(request.serverId), 'the server of a task');
    const inserted = this.recordOutgoing(
      request,
      server,
      { era: 'legacy', remote: null, statusMessage: 'Starting…' },
      `Steward asked the server to run "${request.tool}" as a task.`,
    );
    const { id } = inserted;
    const f: Followed = {
      id,
      serverId: request.serverId,
      remoteTaskId: '',
      transport: server.transport,
      era: 'legacy',
      detail: undefined,
      asked: new Set(),
      rounds: 0,
      round: undefined,
      state: stateOf(inserted),
      lastAnswerAt: this.deps.clock.now(),
      failures: 0,
      expiry: undefined,
      first: true,
      polling: false,
      fetching: false,
      following: true,
      origin: server.transport === 'stdio' ? session : undefined,
      unwatch: this.watchProgress(session, id),
    };
    this.followed.set(id, f);
    let created;
    try {
      created = await session.request(
        `Starting "${request.tool}" as a task`,
        'tools/call',
        {
          name: request.tool,
          arguments: request.arguments,
          task: request.ttlMs !== undefined ? { ttl: request.ttlMs } : {},
          _meta: { progressToken: `task-${id}` },
        },
        CreateTaskResultSchema,
      );
    } catch (error) {
      const e = error instanceof StewardError ? error : new StewardError('tool_call_failed', String(error));
      this.apply(f, { type: 'refused', message: e.message, byServer: typeof e.details?.rpcCode === 'number' });
      throw e;
    }
    f.remoteTaskId = created.task.taskId;
    f.lastAnswerAt = this.deps.clock.now();
    this.deps.records.update(id, iso(this.deps.clock), { remoteTaskId: created.task.taskId });
    this.deps.audit.record('task.started', {
      serverId: request.serverId,
      serverName: server.name,
      actor: 'user',
      summary: `Started "${request.tool}" on "${server.name}" as a task.`,
      data: { taskId: id, remoteTaskId: created.task.taskId, argumentNames: Object.keys(request.arguments) },
    });
    this.apply(f, { type: 'reported', via: 'create', task: serverTask(created.task) });
    this.takeEarly(request.serverId, created.task.taskId);
    this.reschedule(f);
    return viewOf(present(this.deps.records.get(id), 'the task just started'));
  }

  /**
   * A 2026-07-28 tool call run as a task. As with 2025-11-25 tasks, the row exists before the request leaves; the server
   * answers with a task handle (it returns one only once the task exists), which is then followed like any other, or
   * with the result at once, recorded as a task that completed with it.
   */
  private async startModern(request: StartRequest, session: McpSession): Promise<TaskRow> {
    const server = present(this.deps.server(request.serverId), 'the server of a task');
    const row = this.recordOutgoing(
      request,
      server,
      { era: 'modern', remote: null, statusMessage: 'Starting…' },
      `Steward called "${request.tool}" as a task.`,
    );
    const { id } = row;
    const f = this.follow(row, server.transport === 'stdio' ? session : undefined);
    let outcome: ModernCall;
    try {
      outcome = await callDeclaringTasks(session, request.tool, request.arguments);
    } catch (error) {
      const e = error instanceof StewardError ? error : new StewardError('tool_call_failed', String(error));
      this.apply(f, { type: 'refused', message: e.message, byServer: typeof e.details?.rpcCode === 'number' });
      throw e;
    }
    const remote = outcome.kind === 'task' ? outcome.task.taskId : null;
    f.lastAnswerAt = this.deps.clock.now();
    if (remote !== null) {
      f.remoteTaskId = remote;
      this.deps.records.update(id, iso(this.deps.clock), { remoteTaskId: remote });
    }
    this.deps.audit.record('task.started', {
      serverId: request.serverId,
      serverName: server.name,
      actor: 'user',
      summary: `Started "${request.tool}" on "${server.name}" as a task (MCP 2026-07-28).`,
      data: { taskId: id, remoteTaskId: remote, argumentNames: Object.keys(request.arguments) },
    });
    if (outcome.kind === 'result') {
      const { result } = outcome;
      this.apply(f, {
        type: 'result',
        outcome: result.isError ? 'is_error' : 'ok',
        payload: JSON.stringify(result),
        message: result.isError ? textOf(result) : null,
      });
      const now = iso(this.deps.clock);
      this.apply(f, {
        type: 'reported',
        via: 'create',
        task: { status: 'completed', statusMessage: null, lastUpdatedAt: now, pollIntervalMs: null, expiresAt: null },
      });
    } else {
      this.apply(f, { type: 'reported', via: 'create', task: modernServerTask(outcome.task) });
      this.reschedule(f);
    }
    return present(this.deps.records.get(id), 'the task just started');
  }

  /** A tool call Steward runs as a task, recorded (with its first history entry) before it is followed. */
  private recordOutgoing(
    request: StartRequest,
    server: { name: string; transport: TaskRow['transport'] },
    fields: { era: 'legacy' | 'modern'; remote: string | null; statusMessage: string | null },
    message: string,
  ): TaskRow {
    const id = randomUUID();
    const at = iso(this.deps.clock);
    this.deps.records.insert(
      {
        id,
        server_id: request.serverId,
        server_name: server.name,
        transport: server.transport,
        direction: 'outgoing',
        remote_task_id: fields.remote,
        era: fields.era,
        method: 'tools/call',
        label: request.tool,
        status: 'working',
        status_message: fields.statusMessage,
        created_at: at,
        updated_at: at,
        expires_at: null,
        poll_interval_ms: null,
        arguments: JSON.stringify(request.arguments),
        error: null,
        owner_pid: this.deps.owner.pid,
        owner_started: this.deps.owner.started,
      },
      { source: 'local', kind: 'requested', status: 'working', message, serverAt: null },
    );
    const row = present(this.deps.records.get(id), 'the task just recorded');
    this.changed(row);
    return row;
  }

  /** Resolves when the task has ended: a final status, and its result stored when there is one to fetch. */
  settle(id: string): Promise<TaskRow> {
    const row = this.deps.records.get(id);
    if (!row) return Promise.reject(new StewardError('not_found', 'There is no such task.'));
    if (isTerminal(row.status) && !this.followed.has(id)) return Promise.resolve(row);
    return new Promise((resolve, reject) => {
      const list = this.settled.get(id) ?? [];
      list.push(() => {
        const settled = this.deps.records.get(id);
        if (settled) resolve(settled);
        else reject(new StewardError('not_found', 'The task is no longer in the record.'));
      });
      this.settled.set(id, list);
    });
  }

  /** Follows a task again after Steward restarted (an HTTP server's task: the server may still answer for it). */
  resume(row: TaskRow): void {
    if (this.disposed || this.followed.has(row.id) || !row.remote_task_id) return;
    const f = this.follow(row, undefined);
    this.apply(f, { type: 'host_restarted', canFollow: true });
    this.reschedule(f);
  }

  private follow(row: TaskRow, origin: McpSession | undefined, following = !isTerminal(row.status)): Followed {
    const f: Followed = {
      id: row.id,
      serverId: row.server_id,
      remoteTaskId: row.remote_task_id ?? '',
      transport: row.transport,
      era: row.era,
      detail: undefined,
      asked: new Set(),
      rounds: 0,
      round: undefined,
      state: stateOf(row),
      lastAnswerAt: this.deps.clock.now(),
      failures: 0,
      expiry: undefined,
      first: true,
      polling: false,
      fetching: false,
      following,
      origin,
      unwatch: () => undefined,
    };
    this.followed.set(row.id, f);
    return f;
  }

  /** The followed task, or (for a task this process no longer polls) one made from its row for a single event. */
  private followedOrLoaded(row: TaskRow): Followed {
    return this.followed.get(row.id) ?? this.follow(row, undefined, false);
  }

  /** One event through the machine; then its effects, in order. */
  private apply(f: Followed, event: TaskMachineEvent): void {
    const { state, effects } = this.record.step(f.id, f.state, event);
    f.state = state;
    for (const effect of effects) {
      if (effect.type === 'fetch_result') detached(this.deps.unexpected, `fetching the result of task ${f.id}`, this.fetchResult(f));
      else if (effect.type === 'stop_following') this.unfollow(f);
      else if (effect.type === 'ended') this.ended(f.id, effect.corrected);
      else if (effect.type === 'audit') this.auditCancel(f.id);
    }
    if (!f.following && !f.fetching) this.followed.delete(f.id);
  }

  private unfollow(f: Followed): void {
    f.following = false;
    this.wheel.cancel(f.id);
    f.unwatch();
    // Questions of a task that has ended are no longer anyone's to answer.
    f.round?.abort();
  }

  /**
   * The next poll: at least one (current) pollInterval after the server last answered, so the server never sees two polls
   * of one task closer than that, however long the answers take. The wheel may move it later, never earlier.
   */
  private reschedule(f: Followed): void {
    if (!f.following || this.disposed || f.polling) return;
    const delay = nextPollDelay(f.state.pollIntervalMs, f.failures);
    this.wheel.schedule(f.id, f.lastAnswerAt + delay, pollSpread(delay, f.first));
    f.first = false;
  }

  private turn(id: string): void {
    const f = this.followed.get(id);
    if (!f?.following || this.disposed) return;
    if (isTerminal(f.state.status)) detached(this.deps.unexpected, `fetching the result of task ${id}`, this.refetch(f));
    else detached(this.deps.unexpected, `following task ${id}`, this.poll(f));
  }

  /** Final, but its result did not come (the connection dropped): the result is asked for again, not the status. */
  private async refetch(f: Followed): Promise<void> {
    f.polling = true;
    try {
      if (this.liveFor(f) ?? (await this.reach(f))) await this.fetchResult(f);
    } finally {
      f.polling = false;
      f.failures++;
      f.lastAnswerAt = this.deps.clock.now();
      this.reschedule(f);
    }
  }

  /**
   * One tasks/get and what it says. A fault of Steward's own (writing the record, a listener) is reported, not taken for
   * the server's answer, and the task is polled again after a backoff.
   */
  private async poll(f: Followed): Promise<void> {
    f.polling = true;
    try {
      // Taken at once when live: a poll is hundreds a second with many tasks, and an await costs each one a turn.
      const session = this.liveFor(f) ?? (await this.reach(f));
      if (!session) return;
      let event: TaskMachineEvent | undefined;
      try {
        if (f.era === 'modern') {
          f.detail = await getTask(session, f.remoteTaskId);
          event = { type: 'reported', via: 'poll', task: modernServerTask(f.detail) };
        } else {
          const task = await session.poll('Checking a task', 'tasks/get', { taskId: f.remoteTaskId }, TaskResult, 30_000);
          let expiry = f.expiry;
          if (expiry?.createdAt !== task.createdAt || expiry.ttl !== task.ttl) {
            expiry = { createdAt: task.createdAt, ttl: task.ttl, expiresAt: expiryOf(task.createdAt, task.ttl) };
            f.expiry = expiry;
          }
          event = { type: 'reported', via: 'poll', task: serverTask(task, expiry.expiresAt) };
        }
        f.failures = 0;
      } catch (error) {
        if (this.isGone(error)) event = { type: 'unknown', afterTtl: this.pastTtl(f) };
        else {
          f.failures++;
          if (this.unreachable(error)) event = { type: 'connection_lost' };
        }
      }
      f.lastAnswerAt = this.deps.clock.now();
      if (event) this.apply(f, event);
    } catch (error) {
      f.failures++;
      this.deps.unexpected(`following task ${f.id}`, error);
    } finally {
      f.polling = false;
      this.reschedule(f);
    }
  }

  /** The session the task can be asked on now: the live one, unless the process the task was created on is gone. */
  private liveFor(f: Followed): McpSession | undefined {
    const live = this.deps.live(f.serverId);
    return live && (!f.origin || f.origin === live) ? live : undefined;
  }

  /**
   * When the task has no live session: a stdio task is over (its process is gone); an HTTP task's server is connected
   * again, and while it cannot be the task waits for it to come back.
   */
  private async reach(f: Followed): Promise<McpSession | undefined> {
    if (f.transport === 'stdio') {
      this.apply(f, { type: 'process_ended' });
      return undefined;
    }
    try {
      return await this.deps.session(f.serverId);
    } catch {
      f.failures++;
      f.lastAnswerAt = this.deps.clock.now();
      this.apply(f, { type: 'connection_lost' });
      return undefined;
    }
  }

  /** tasks/result blocks until the task ends; while it is open the server may send its own requests (they reach the inbox). */
  private async fetchResult(f: Followed): Promise<void> {
    if (f.fetching) return;
    const session = this.liveFor(f);
    if (!session) return;
    if (f.era === 'modern') return this.fetchModern(f, session);
    f.fetching = true;
    try {
      const result = await session.request('Fetching a task result', 'tasks/result', { taskId: f.remoteTaskId }, CallToolResultSchema, {
        timeoutMs: 24 * 3600_000,
      });
      this.apply(f, {
        type: 'result',
        outcome: result.isError ? 'is_error' : 'ok',
        payload: JSON.stringify(result),
        message: result.isError ? textOf(result) : null,
      });
    } catch (error) {
      if (this.isGone(error)) this.apply(f, { type: 'unknown', afterTtl: this.pastTtl(f) });
      else if (!this.unreachable(error)) {
        // A failed task answers tasks/result with the original JSON-RPC error: that error is its result.
        const message = error instanceof Error ? error.message : String(error);
        const rpcCode = error instanceof StewardError ? error.details?.rpcCode : undefined;
        const code = typeof rpcCode === 'number' ? rpcCode : null;
        this.apply(f, { type: 'result', outcome: 'rpc_error', payload: JSON.stringify({ error: { code, message } }), message });
      }
    } finally {
      f.fetching = false;
      if (!f.following) this.followed.delete(f.id);
    }
  }

  /** A task has ended (or its true end came after Steward had given up): waiters resume, the user is told, the record says so. */
  private ended(id: string, corrected: boolean): void {
    const row = this.deps.records.get(id);
    if (!row || !isTerminal(row.status)) return;
    const waiters = this.settled.get(id);
    this.settled.delete(id);
    for (const done of waiters ?? []) done();
    if (this.told.has(id) && !corrected) return;
    this.told.add(id);
    const lost = row.settled_by === 'steward';
    const outcome = lost ? 'was lost track of' : row.status === 'completed' ? 'finished' : row.status === 'cancelled' ? 'was cancelled' : 'failed';
    const after = corrected ? ' after all' : '';
    this.deps.notifier?.notify(
      lost ? `Steward lost track of ${row.label}` : `${row.label} ${outcome}${after}`,
      `${row.server_name}: ${row.status_message ?? row.status}`,
    );
    this.deps.audit.recordSoon('task.ended', {
      serverId: row.server_id,
      serverName: row.server_name,
      actor: row.settled_by === 'steward' ? 'host' : 'server',
      summary: `Task "${row.label}" on "${row.server_name}" ${outcome}${after}.`,
      data: { taskId: id, status: row.status, settledBy: row.settled_by, ...(corrected ? { corrected: true } : {}) },
    });
  }

  private auditCancel(id: string): void {
    const row = this.deps.records.get(id);
    if (!row) return;
    this.deps.audit.record('task.cancelled', {
      serverId: row.server_id,
      serverName: row.server_name,
      actor: 'user',
      summary: `Asked "${row.server_name}" to cancel task "${row.label}".`,
      data: { taskId: id },
    });
  }

  /**
   * A legacy task's progress notifications (the token of its tools/call), paced as a tool call's are: each one passed on
   * is a write and an event, and a server may send thousands a second. A fault in recording one is reported, never
   * thrown back into the transport that read it.
   */
  private watchProgress(session: McpSession, id: string): () => void {
    const what = `recording the progress of task ${id}`;
    const pacer = paced(
      (p) => this.progress(id, p),
      () => this.deps.clock.now(),
      this.deps.unexpected,
      what,
    );
    const stop = session.watchProgress(`task-${id}`, (p) =>
      guarded(this.deps.unexpected, what, () =>
        pacer.progress({
          progress: p.progress,
          ...(p.total !== undefined ? { total: p.total } : {}),
          ...(p.message !== undefined ? { message: cutText(p.message, SERVER_LIMITS.taskStatusMessageChars) } : {}),
        }),
      ),
    );
    return () => {
      stop();
      pacer.end();
    };
  }

  private progress(id: string, p: { progress: number; total?: number; message?: string }): void {
    const row = this.deps.records.update(id, iso(this.deps.clock), {
      progress: p.progress,
      ...(p.total !== undefined ? { progressTotal: p.total } : {}),
      ...(p.message !== undefined ? { progressMessage: p.message } : {}),
    });
    if (row) this.changed(row);
  }

  private isGone(error: unknown): boolean {
    return error instanceof StewardError && error.details?.rpcCode === TASK_GONE;
  }

  private unreachable(error: unknown): boolean {
    return !(error instanceof StewardError) || (UNREACHABLE.has(error.code) && typeof error.details?.rpcCode !== 'number');
  }

  private pastTtl(f: Followed): boolean {
    return f.state.expiresAt !== null && Date.parse(f.state.expiresAt) <= this.deps.clock.now();
  }

  /**
   * notifications/tasks/status carries the whole Task, so it is taken as the server's report without a tasks/get of its
   * own. It never moves the next poll earlier: the 2025-11-25 spec (Tasks, "Getting Tasks" and "Task Status
   * Notification") asks requestors to respect pollInterval and not to rely on the notification, and it allows nothing
   * sooner than that; what it does ask at once is tasks/result when the task needs input or is final (the machine's
   * fetch_result). A new pollInterval in it moves the next poll to one new interval after the last answer.
   */
  statusNotified(serverId: string, params: Record<string, unknown>): void {
    const taskId = typeof params.taskId === 'string' && params.taskId.length <= MAX_TASK_ID_CHARS ? params.taskId : undefined;
    const status = TASK_STATUSES.find((s) => s === params.status);
    if (!taskId || !status) return;
    // Only the fields the machine reads, the message cut: this is all that is kept of it, even while it waits.
    this.notified(
      serverId,
      taskId,
      serverTask({
        status,
        statusMessage: typeof params.statusMessage === 'string' ? params.statusMessage : undefined,
        createdAt: typeof params.createdAt === 'string' ? params.createdAt : undefined,
        lastUpdatedAt: typeof params.lastUpdatedAt === 'string' ? params.lastUpdatedAt : undefined,
        ttl: typeof params.ttl === 'number' ? params.ttl : null,
        pollInterval: typeof params.pollInterval === 'number' ? params.pollInterval : undefined,
      }),
    );
  }

  private notified(serverId: string, taskId: string, task: ServerTask): void {
    const row = this.deps.records.byRemote(serverId, 'outgoing', taskId, this.deps.owner);
    // Only this process's own task, and one that still takes reports: a status naming the id of another process's task,
    // or of one that cannot be reported on again, is about a newer task of this process that the server gave the same
    // id (numbering anew after a restart) and whose answer is not handled yet; it waits for it like any early status.
    if (!row || row.owner_pid !== this.deps.owner.pid || row.owner_started !== this.deps.owner.started || !takesReports(row)) {
      this.holdEarly(serverId, taskId, task);
      return;
    }
    const f = this.followedOrLoaded(row);
    const interval = f.state.pollIntervalMs;
    this.apply(f, { type: 'reported', via: 'notification', task });
    if (f.following && f.state.pollIntervalMs !== interval && this.wheel.has(f.id)) {
      this.wheel.cancel(f.id);
      this.reschedule(f);
    }
  }

  /**
   * A status can arrive before the answer that created its task has been handled (the server writes both at once): it
   * is held, bounded, until that task is on record, then taken in order after the creation.
   */
  private holdEarly(serverId: string, taskId: string, task: ServerTask): void {
    const key = `${serverId}\u0000${taskId}`;
    const held = this.early.get(key) ?? [];
    if (held.length < EARLY_PER_TASK) held.push(task);
    this.early.delete(key);
    this.early.set(key, held);
    // Statuses for tasks that never appear (a confused or hostile server) are forgotten oldest first.
    for (const oldest of this.early.keys()) {
      if (this.early.size <= EARLY_TASKS) break;
      this.early.delete(oldest);
    }
  }

  private takeEarly(serverId: string, taskId: string): void {
    const key = `${serverId}\u0000${taskId}`;
    const held = this.early.get(key);
    this.early.delete(key);
    for (const task of held ?? []) this.notified(serverId, taskId, task);
  }

  async cancel(id: string): Promise<TaskRow> {
    const row = this.deps.records.get(id);
    if (!row) throw new StewardError('not_found', 'There is no such task.');
    if (isTerminal(row.status)) throw new StewardError('invalid_payload', `The task is already ${row.status}.`);
    // Nothing to name in tasks/cancel until the server has answered the call with its task.
    if (!row.remote_task_id) throw new StewardError('invalid_payload', 'The server has not accepted the task yet; it can be cancelled once it has.');
    // A remote server's task taken over from a Steward that is gone is cancelled by connecting to the server again.
    const session = this.deps.live(row.server_id) ?? (row.transport === 'http' ? await this.deps.session(row.server_id).catch(() => undefined) : undefined);
    if (row.era === 'modern') return this.cancelModern(row, session);
    const caps = session?.serverCapabilities as { tasks?: { cancel?: unknown } } | undefined;
    if (!session || !caps?.tasks?.cancel) {
      throw new StewardError('not_supported', `"${row.server_name}" does not let its tasks be cancelled${session ? '' : ' (it is not connected)'}.`);
    }
    const f = this.followedOrLoaded(row);
    this.apply(f, { type: 'cancel_requested' });
    try {
      const task = await session.request('Cancelling a task', 'tasks/cancel', { taskId: row.remote_task_id }, CancelTaskResultSchema);
      this.apply(f, { type: 'reported', via: 'cancel', task: serverTask(task) });
      return present(this.deps.records.get(id), 'the cancelled task');
    } catch (error) {
      // Already over on the server's side: the next poll, at its usual time, reads how it ended.
      if (this.isGone(error)) throw new StewardError('invalid_payload', 'The server says the task has already ended.');
      throw error;
    }
  }

  /**
   * 2026-07-28: the result, or the task's questions, come inline with its status. Questions not taken before go to the
   * inbox like any server question and their answers go back with tasks/update; one that cannot be answered (a refused
   * model request, a form over the cap) cannot be sent back, so the task is cancelled and fails with the reason, and so
   * does a task that keeps asking past MAX_INPUT_ROUNDS. A result that is not a tool result is the task's outcome all
   * the same, as a malformed tasks/result is for a 2025 task: asking again would bring the same.
   */
  private async fetchModern(f: Followed, session: McpSession): Promise<void> {
    f.fetching = true;
    try {
      const detail = f.detail?.status === f.state.status ? f.detail : await getTask(session, f.remoteTaskId);
      f.detail = detail;
      if (detail.status === 'input_required') {
        const fresh = Object.entries(detail.inputRequests).filter(([key]) => !f.asked.has(key));
        if (fresh.length === 0) return;
        for (const [key] of fresh) f.asked.add(key);
        if (f.rounds >= MAX_INPUT_ROUNDS) {
          await this.giveUp(f, session, `The server kept asking questions after ${MAX_INPUT_ROUNDS} rounds; Steward cancelled the task.`);
          return;
        }
        f.rounds++;
        const round = new AbortController();
        f.round = round;
        let answers: Record<string, unknown>;
        try {
          answers = await answerAll(session, Object.fromEntries(fresh), [session.ended, round.signal]);
        } catch (error) {
          // Withdrawn because the user cancelled the task or it ended: how it ends is the server's to say.
          if (round.signal.aborted) return;
          await this.giveUp(f, session, error instanceof Error ? error.message : String(error));
          return;
        } finally {
          if (f.round === round) f.round = undefined;
        }
        await updateTask(session, f.remoteTaskId, answers);
      } else if (detail.status === 'completed') {
        let result: CallResult;
        try {
          result = toCallResult(detail.result);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.apply(f, { type: 'result', outcome: 'rpc_error', payload: JSON.stringify({ error: { code: null, message } }), message });
          return;
        }
        this.apply(f, {
          type: 'result',
          outcome: result.isError ? 'is_error' : 'ok',
          payload: JSON.stringify(result),
          message: result.isError ? textOf(result) : null,
        });
      } else if (detail.status === 'failed') {
        const { code, message } = detail.error;
        this.apply(f, { type: 'result', outcome: 'rpc_error', payload: JSON.stringify({ error: { code, message } }), message });
      }
    } catch (error) {
      if (this.isGone(error)) this.apply(f, { type: 'unknown', afterTtl: this.pastTtl(f) });
      else if (!this.unreachable(error)) this.deps.unexpected(`following task ${f.id}`, error);
    } finally {
      f.fetching = false;
      if (!f.following) this.followed.delete(f.id);
    }
  }

  /** A modern task whose questions cannot go back (or never end): cancelled on the server, failed here with the reason. */
  private async giveUp(f: Followed, session: McpSession, message: string): Promise<void> {
    await cancelTask(session, f.remoteTaskId).catch(() => undefined);
    this.apply(f, { type: 'refused', message, byServer: false });
  }

  /**
   * 2026-07-28: tasks/cancel is only acknowledged; how the task ended is read by the next poll, at its usual time. Its
   * questions still waiting for the user are withdrawn at once.
   */
  private async cancelModern(row: TaskRow, session: McpSession | undefined): Promise<TaskRow> {
    if (!session?.tasksExtension) throw new StewardError('not_supported', `"${row.server_name}" is not connected, so its task cannot be cancelled now.`);
    const f = this.followedOrLoaded(row);
    this.apply(f, { type: 'cancel_requested' });
    f.round?.abort();
    try {
      await cancelTask(session, row.remote_task_id ?? '');
    } catch (error) {
      if (this.isGone(error)) throw new StewardError('invalid_payload', 'The server says the task has already ended.');
      throw error;
    }
    return present(this.deps.records.get(row.id), 'the task being cancelled');
  }

  dispose(): void {
    this.disposed = true;
    this.wheel.dispose();
    for (const f of this.followed.values()) f.unwatch();
  }
}

/** The text parts of a tool result, as its error message when it reports one. */
function textOf(result: { content: readonly Record<string, unknown>[] }): string {
  return result.content.flatMap((c) => (c.type === 'text' && typeof c.text === 'string' ? [c.text] : [])).join('\n');
}
