// Tool calls run as tasks: create, keep the row, poll politely, follow input_required, fetch the result, cancel.
import { randomUUID } from 'node:crypto';
import { CallToolResultSchema, CancelTaskResultSchema, CreateTaskResultSchema, GetTaskResultSchema } from '@modelcontextprotocol/core';
import { TERMINAL_STATUSES, type TaskStatus, type TaskView } from '../../../shared/domain/tasks.js';
import { present, StewardError } from '../../../shared/errors.js';
import type { McpSession } from '../sessions/index.js';
import { taskView, type TaskPatch } from '../store/index.js';
import { detached } from '../background.js';
import { iso, type TaskDeps, type TaskRow } from './deps.js';
import { nextPollDelay } from './timing.js';

const TASK_GONE = -32602;

export interface StartRequest {
  serverId: string;
  tool: string;
  arguments: Record<string, unknown>;
  ttlMs?: number | undefined;
}

interface Driving {
  wake(): void;
  stop(): void;
}

export class TaskRequester {
  private readonly driving = new Map<string, Driving>();
  private readonly settled = new Map<string, Array<() => void>>();
  private readonly finished = new Set<string>();
  /** Tasks with a tasks/result request in flight (input_required, or fetching the result). */
  private readonly fetching = new Set<string>();
  /** The session a local server's task was created on: when that process is gone, so is the task. */
  private readonly origin = new Map<string, McpSession>();
  private disposed = false;

  constructor(
    private readonly deps: TaskDeps,
    private readonly changed: (row: TaskRow) => void,
  ) {}

  private isTerminal(status: TaskStatus): boolean {
    return TERMINAL_STATUSES.includes(status);
  }

  private patch(id: string, patch: TaskPatch): TaskRow | undefined {
    const row = this.deps.store.tasks.update(id, iso(this.deps.clock), patch);
    if (row) this.changed(row);
    return row;
  }

  /** Calls a tool as a task. The row exists before the request leaves; the call returns once the server has accepted it. */
  async start(request: StartRequest): Promise<TaskView> {
    const session = await this.deps.session(request.serverId);
    const caps = session.serverCapabilities as { tasks?: { requests?: { tools?: { call?: unknown } } } };
    if (!caps.tasks?.requests?.tools?.call) {
      throw new StewardError('not_supported', 'This server does not run tool calls as tasks.');
    }
    const server = present(this.deps.server(request.serverId), 'the server of a task');
    const id = randomUUID();
    const at = iso(this.deps.clock);
    this.deps.store.tasks.insert({
      id,
      server_id: request.serverId,
      server_name: server.name,
      transport: server.transport,
      direction: 'outgoing',
      remote_task_id: null,
      method: 'tools/call',
      label: request.tool,
      status: 'working',
      status_message: 'Starting…',
      created_at: at,
      updated_at: at,
      expires_at: null,
      poll_interval_ms: null,
      arguments: JSON.stringify(request.arguments),
      error: null,
      owner_pid: this.deps.owner.pid,
      owner_started: this.deps.owner.started,
    });
    const unwatch = session.watchProgress(`task-${id}`, (p) => {
      this.patch(id, {
        progress: p.progress,
        ...(p.total !== undefined ? { progressTotal: p.total } : {}),
        ...(p.message ? { statusMessage: p.message } : {}),
      });
    });
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
      unwatch();
      const e = error instanceof StewardError ? error : new StewardError('tool_call_failed', String(error));
      this.patch(id, { status: 'failed', statusMessage: 'The server did not accept the task.', error: e.message });
      this.finish(id);
      throw e;
    }
    const task = created.task;
    const row = present(
      this.patch(id, {
        remoteTaskId: task.taskId,
        status: task.status,
        statusMessage: task.statusMessage ?? null,
        pollIntervalMs: task.pollInterval ?? null,
        expiresAt: typeof task.ttl === 'number' ? new Date(Date.parse(task.createdAt) + task.ttl).toISOString() : null,
      }),
      'the task just started',
    );
    this.deps.audit.record('task.started', {
      serverId: request.serverId,
      serverName: server.name,
      actor: 'user',
      summary: `Started "${request.tool}" on "${server.name}" as a task.`,
      data: { taskId: id, remoteTaskId: task.taskId, argumentNames: Object.keys(request.arguments) },
    });
    if (server.transport === 'stdio') this.origin.set(id, session);
    this.drive(id, unwatch);
    if (task.status === 'input_required' || this.isTerminal(task.status)) this.fetchInBackground(id, session);
    return taskView(row);
  }

  /** Resolves when the task is terminal. */
  settle(id: string): Promise<TaskRow> {
    const row = this.deps.store.tasks.get(id);
    if (!row) return Promise.reject(new StewardError('not_found', 'There is no such task.'));
    if (this.isTerminal(row.status) && !this.fetching.has(id)) return Promise.resolve(row);
    return new Promise((resolve, reject) => {
      const list = this.settled.get(id) ?? [];
      list.push(() => {
        const settled = this.deps.store.tasks.get(id);
        if (settled) resolve(settled);
        else reject(new StewardError('not_found', 'The task is no longer in the record.'));
      });
      this.settled.set(id, list);
    });
  }

  /** Follows a task until it ends: tasks/get at the server's pace, tasks/result when input is needed or it is done. */
  drive(id: string, unwatch: () => void = () => undefined): void {
    if (this.driving.has(id) || this.disposed) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wake: () => void = () => undefined;
    let stopped = false;
    const state: Driving = {
      wake: () => wake(),
      stop: () => {
        stopped = true;
        wake();
      },
    };
    this.driving.set(id, state);
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        wake = () => {
          if (timer) clearTimeout(timer);
          resolve();
        };
        timer = setTimeout(resolve, ms);
        timer.unref();
      });

    // The row while the task is still followed: stop() and the task's end both show up here after any wait.
    const followed = () => {
      if (stopped) return undefined;
      const row = this.deps.store.tasks.get(id);
      return row && !this.isTerminal(row.status) ? row : undefined;
    };

    /** One poll after the wait: 'done' once the task needs no more following, 'retry' when the server could not say. */
    const poll = async (failures: number): Promise<'done' | 'polled' | 'retry'> => {
      const before = followed();
      if (!before) return 'done';
      await sleep(nextPollDelay(before.poll_interval_ms, failures));
      const row = followed();
      if (!row) return 'done';
      if (row.expires_at && Date.parse(row.expires_at) < this.deps.clock.now()) {
        this.patch(id, { status: 'failed', statusMessage: 'The task outlived its time to live; the server has dropped it.', error: 'expired' });
        this.finish(id);
        return 'done';
      }
      const session = await this.sessionFor(row);
      if (!session) return 'retry';
      let task;
      try {
        task = await session.request('Checking a task', 'tasks/get', { taskId: row.remote_task_id }, GetTaskResultSchema, { timeoutMs: 30_000 });
      } catch (error) {
        if (!this.isGone(error)) return 'retry';
        this.patch(id, { status: 'failed', statusMessage: 'The server no longer knows this task (it expired or was lost).', error: 'unknown task' });
        this.finish(id);
        return 'done';
      }
      const now = this.deps.store.tasks.get(id) ?? row;
      const next = {
        status: task.status,
        statusMessage: task.statusMessage ?? now.status_message,
        pollIntervalMs: task.pollInterval ?? now.poll_interval_ms,
      };
      // A poll that brings nothing new writes nothing and tells no one: 200 idle tasks must not be 200 writes a second.
      if (next.status !== now.status || next.statusMessage !== now.status_message || next.pollIntervalMs !== now.poll_interval_ms) this.patch(id, next);
      if (task.status === 'input_required' || this.isTerminal(task.status)) this.fetchInBackground(id, session);
      return 'polled';
    };

    const run = async () => {
      let failures = 0;
      try {
        for (;;) {
          let outcome;
          try {
            outcome = await poll(failures);
          } catch (error) {
            // Steward's own fault (the record, a listener), not the server's: reported, then the poller backs off and goes on.
            this.deps.unexpected(`following task ${id}`, error);
            if (stopped) break;
            failures++;
            await sleep(nextPollDelay(null, failures));
            continue;
          }
          if (outcome === 'done') break;
          failures = outcome === 'retry' ? failures + 1 : 0;
        }
      } finally {
        unwatch();
        this.driving.delete(id);
        this.origin.delete(id);
      }
    };
    detached(this.deps.unexpected, `following task ${id}`, run());
  }

  /** tasks/result in the background: its outcome lands on the task's row, and a fault of Steward's own is reported. */
  private fetchInBackground(id: string, session: McpSession): void {
    detached(this.deps.unexpected, `fetching the result of task ${id}`, this.fetchResult(id, session));
  }

  /** On a lost connection a stdio task is over (its process is gone); an HTTP task waits for the server to come back. */
  private async sessionFor(row: TaskRow): Promise<McpSession | undefined> {
    const live = this.deps.live(row.server_id);
    const origin = this.origin.get(row.id);
    if (live && (!origin || origin === live)) return live;
    if (row.transport === 'stdio') {
      this.patch(row.id, { status: 'failed', statusMessage: 'The server process ended while the task was running.', error: 'server exited' });
      this.finish(row.id);
      return undefined;
    }
    try {
      return await this.deps.session(row.server_id);
    } catch {
      return undefined;
    }
  }

  /** tasks/result blocks until the task ends; while it is open the server may send its own requests (they reach the inbox). */
  private async fetchResult(id: string, session: McpSession): Promise<void> {
    if (this.fetching.has(id)) return;
    this.fetching.add(id);
    const row = present(this.deps.store.tasks.get(id), 'the task whose result is fetched');
    try {
      const result = await session.request('Fetching a task result', 'tasks/result', { taskId: row.remote_task_id }, CallToolResultSchema, {
        timeoutMs: 24 * 3600_000,
      });
      this.deps.store.tasks.putResult(id, JSON.stringify(result));
      const current = present(this.deps.store.tasks.get(id), 'the task whose result arrived');
      if (!this.isTerminal(current.status)) this.patch(id, { status: result.isError ? 'failed' : 'completed' });
      else this.changed(current);
    } catch (error) {
      const current = this.deps.store.tasks.get(id);
      // A failed task answers tasks/result with the original JSON-RPC error: that error is its result.
      const message = error instanceof Error ? error.message : String(error);
      const rpcCode = error instanceof StewardError ? error.details?.rpcCode : undefined;
      if (current && this.deps.store.tasks.result(id) === undefined)
        this.deps.store.tasks.putResult(id, JSON.stringify({ error: { code: rpcCode ?? null, message } }));
      if (current && !this.isTerminal(current.status)) this.patch(id, { status: 'failed', error: message });
      else if (current) this.patch(id, { error: message });
    } finally {
      this.fetching.delete(id);
      this.finish(id);
    }
  }

  /** A task has ended and its result (if any) is stored: waiters resume, the user is told, the record says so. Once per task. */
  private finish(id: string): void {
    const row = this.deps.store.tasks.get(id);
    if (!row || !this.isTerminal(row.status)) return;
    const waiters = this.settled.get(id);
    this.settled.delete(id);
    for (const done of waiters ?? []) done();
    if (this.finished.has(id)) return;
    this.finished.add(id);
    const outcome = row.status === 'completed' ? 'finished' : row.status === 'cancelled' ? 'was cancelled' : 'failed';
    this.deps.notifier?.notify(`${row.label} ${outcome}`, `${row.server_name}: ${row.status_message ?? row.status}`);
    this.deps.audit.recordSoon('task.ended', {
      serverId: row.server_id,
      serverName: row.server_name,
      actor: 'host',
      summary: `Task "${row.label}" on "${row.server_name}" ${outcome}.`,
      data: { taskId: id, status: row.status },
    });
  }

  private isGone(error: unknown): boolean {
    return error instanceof StewardError && error.details?.rpcCode === TASK_GONE;
  }

  /** A status notification: applied, and the poller woken, but never relied on. */
  statusNotified(serverId: string, params: Record<string, unknown>): void {
    const taskId = typeof params.taskId === 'string' ? params.taskId : undefined;
    const status = typeof params.status === 'string' ? (params.status as TaskStatus) : undefined;
    if (!taskId || !status) return;
    const row = this.deps.store.tasks.byRemote(serverId, 'outgoing', taskId);
    if (!row || this.isTerminal(row.status)) return;
    this.patch(row.id, {
      status: this.isTerminal(status) ? row.status : status,
      ...(typeof params.statusMessage === 'string' ? { statusMessage: params.statusMessage } : {}),
    });
    this.driving.get(row.id)?.wake();
  }

  async cancel(id: string): Promise<TaskRow> {
    const row = this.deps.store.tasks.get(id);
    if (!row) throw new StewardError('not_found', 'There is no such task.');
    if (this.isTerminal(row.status)) throw new StewardError('invalid_payload', `The task is already ${row.status}.`);
    // A remote server's task taken over from a Steward that is gone is cancelled by connecting to the server again.
    const session = this.deps.live(row.server_id) ?? (row.transport === 'http' ? await this.deps.session(row.server_id).catch(() => undefined) : undefined);
    const caps = session?.serverCapabilities as { tasks?: { cancel?: unknown } } | undefined;
    if (!session || !caps?.tasks?.cancel) {
      throw new StewardError('not_supported', `"${row.server_name}" does not let its tasks be cancelled${session ? '' : ' (it is not connected)'}.`);
    }
    try {
      const task = await session.request('Cancelling a task', 'tasks/cancel', { taskId: row.remote_task_id }, CancelTaskResultSchema);
      this.driving.get(id)?.stop();
      const next = present(
        this.patch(id, { status: task.status === 'cancelled' ? 'cancelled' : task.status, statusMessage: task.statusMessage ?? 'Cancelled.' }),
        'the cancelled task',
      );
      this.deps.audit.record('task.cancelled', {
        serverId: row.server_id,
        serverName: row.server_name,
        actor: 'user',
        summary: `Cancelled task "${row.label}" on "${row.server_name}".`,
        data: { taskId: id },
      });
      this.finish(id);
      return next;
    } catch (error) {
      if (this.isGone(error)) {
        // Already over on the server's side: one more poll picks up how it ended.
        this.driving.get(id)?.wake();
        throw new StewardError('invalid_payload', 'The server says the task has already ended.');
      }
      throw error;
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const state of this.driving.values()) state.stop();
  }
}
