// Requests servers send as tasks (sampling, elicitation): answered at once with CreateTaskResult, run through the
// normal flow, served with tasks/get, tasks/result, tasks/list and tasks/cancel — each server sees only its own.
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import { TERMINAL_STATUSES, type TaskStatus } from '../../../shared/domain/tasks.js';
import { present } from '../../../shared/errors.js';
import type { McpSession } from '../sessions/index.js';
import type { TaskPatch } from '../store/index.js';
import { guarded } from '../background.js';
import { iso, type TaskDeps, type TaskRow } from './deps.js';
import { DEFAULT_POLL_MS, grantedTtl } from './timing.js';

const RELATED_TASK = 'io.modelcontextprotocol/related-task';
const INVALID_PARAMS = -32602;

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

const LABELS: Record<string, string> = { 'sampling/createMessage': 'Sampling request', 'elicitation/create': 'Question for you' };

export class TaskReceiver {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly deps: TaskDeps,
    private readonly changed: (row: TaskRow) => void,
  ) {}

  private patch(id: string, patch: TaskPatch, session?: McpSession): TaskRow | undefined {
    const row = this.deps.store.tasks.update(id, iso(this.deps.clock), patch);
    if (row) {
      this.changed(row);
      // A status notification is a courtesy (the server can always ask with tasks/get): a closed connection is no fault.
      if (session && patch.status) void session.notify('notifications/tasks/status', this.task(row)).catch(() => undefined);
    }
    return row;
  }

  /** The Task shape of the spec, for tasks/get, tasks/list, tasks/cancel and status notifications. */
  private task(row: TaskRow): Record<string, unknown> {
    const ttl = row.expires_at ? Date.parse(row.expires_at) - Date.parse(row.created_at) : null;
    return {
      taskId: row.remote_task_id,
      status: row.status,
      ...(row.status_message ? { statusMessage: row.status_message } : {}),
      createdAt: row.created_at,
      lastUpdatedAt: row.updated_at,
      ttl,
      pollInterval: row.poll_interval_ms ?? DEFAULT_POLL_MS,
    };
  }

  /** Accepts a task-augmented request: the row, the work started, and CreateTaskResult, at once. */
  accept(
    serverId: string,
    session: McpSession,
    method: string,
    params: Record<string, unknown>,
    run: (signal: AbortSignal) => Promise<Record<string, unknown>>,
  ): Record<string, unknown> {
    const server = present(this.deps.server(serverId), 'the server that sent the task');
    const taskId = randomUUID();
    const at = iso(this.deps.clock);
    const ttl = grantedTtl((params.task as { ttl?: unknown } | undefined)?.ttl);
    const { task: _task, ...underlying } = params;
    this.deps.store.tasks.insert({
      id: taskId,
      server_id: serverId,
      server_name: server.name,
      transport: server.transport,
      direction: 'incoming',
      remote_task_id: taskId,
      method,
      label: LABELS[method] ?? method,
      status: 'working',
      status_message: 'Waiting for you in the inbox.',
      created_at: at,
      updated_at: at,
      expires_at: new Date(Date.parse(at) + ttl).toISOString(),
      poll_interval_ms: DEFAULT_POLL_MS,
      arguments: JSON.stringify(underlying),
      error: null,
      owner_pid: this.deps.owner.pid,
      owner_started: this.deps.owner.started,
    });
    this.deps.audit.record('task.received', {
      serverId,
      serverName: server.name,
      actor: 'host',
      summary: `"${server.name}" sent a ${LABELS[method]?.toLowerCase() ?? method} as a task.`,
      data: { taskId, method, ttl },
    });
    const controller = new AbortController();
    const done = run(controller.signal)
      .then(
        (result) => {
          if (this.terminal(taskId)) return;
          this.deps.store.tasks.putResult(taskId, JSON.stringify({ result }));
          this.patch(taskId, { status: 'completed', statusMessage: 'Answered.' }, session);
        },
        (error: unknown) => {
          if (this.terminal(taskId)) return;
          const code = error instanceof ProtocolError ? error.code : -32603;
          const message = error instanceof Error ? error.message : String(error);
          this.deps.store.tasks.putResult(taskId, JSON.stringify({ error: { code, message } }));
          this.patch(taskId, { status: 'failed', statusMessage: message, error: message }, session);
        },
      )
      // Recording the outcome failed: reported, and a tasks/result waiting on it still gets an answer.
      .catch((error: unknown) => this.deps.unexpected(`recording the outcome of task ${taskId}`, error));
    // Past its ttl the server can no longer ask about it: the work stops and the record says why.
    const expiry = setTimeout(
      () =>
        guarded(this.deps.unexpected, `expiring task ${taskId}`, () => {
          if (this.terminal(taskId)) return;
          controller.abort();
          this.deps.store.tasks.putResult(taskId, JSON.stringify({ error: { code: -32603, message: 'The task expired before it was answered.' } }));
          this.patch(taskId, { status: 'failed', statusMessage: 'Expired before it was answered.', error: 'expired' }, session);
        }),
      ttl,
    );
    expiry.unref();
    this.running.set(taskId, {
      controller,
      done: done.finally(() => {
        clearTimeout(expiry);
        this.running.delete(taskId);
      }),
    });
    const row = present(this.deps.store.tasks.get(taskId), 'the task just recorded');
    this.changed(row);
    return { task: this.task(row) };
  }

  private terminal(id: string): boolean {
    const row = this.deps.store.tasks.get(id);
    return !row || TERMINAL_STATUSES.includes(row.status);
  }

  /** The server's own task, live (not expired); anything else is "unknown" (-32602), whoever asks. */
  private own(serverId: string, params: unknown): TaskRow {
    const taskId = (params as { taskId?: unknown } | undefined)?.taskId;
    const row = typeof taskId === 'string' ? this.deps.store.tasks.byRemote(serverId, 'incoming', taskId) : undefined;
    if (!row || (row.expires_at && Date.parse(row.expires_at) < this.deps.clock.now())) {
      throw new ProtocolError(INVALID_PARAMS, 'Unknown task');
    }
    return row;
  }

  get(serverId: string, params: unknown): Record<string, unknown> {
    return this.task(this.own(serverId, params));
  }

  /** Blocks until the task ends, then answers exactly what the request would have: its result, or its error. */
  async result(serverId: string, params: unknown): Promise<Record<string, unknown>> {
    const row = this.own(serverId, params);
    await this.running.get(row.id)?.done;
    const stored = this.deps.store.tasks.result(row.id);
    const meta = { [RELATED_TASK]: { taskId: row.remote_task_id } };
    const parsed = stored ? (JSON.parse(stored) as { result?: Record<string, unknown>; error?: { code: number; message: string } }) : {};
    if (parsed.result) return { ...parsed.result, _meta: { ...(parsed.result._meta ?? {}), ...meta } };
    if (parsed.error) throw new ProtocolError(parsed.error.code, parsed.error.message);
    throw new ProtocolError(-32603, this.deps.store.tasks.get(row.id)?.status === 'cancelled' ? 'The task was cancelled.' : 'The task ended without a result.');
  }

  list(serverId: string): Record<string, unknown> {
    const now = this.deps.clock.now();
    return {
      tasks: this.deps.store.tasks
        .incoming(serverId)
        .filter((row) => !row.expires_at || Date.parse(row.expires_at) >= now)
        .map((row) => this.task(row)),
    };
  }

  /** tasks/cancel from the server, or the user cancelling from the task center (then the server is told by a status notification). */
  cancel(serverId: string, params: unknown, session: McpSession | undefined, by: 'server' | 'user' = 'server'): Record<string, unknown> {
    const row = this.own(serverId, params);
    if (TERMINAL_STATUSES.includes(row.status)) throw new ProtocolError(INVALID_PARAMS, `The task is already ${row.status}.`);
    // The status is set before the work is stopped and before the reply: it can no longer end any other way.
    const message = by === 'server' ? 'Cancelled by the server.' : 'Cancelled by you.';
    const next = present(this.patch(row.id, { status: 'cancelled' satisfies TaskStatus, statusMessage: message }, session), 'the cancelled task');
    this.deps.store.tasks.putResult(row.id, JSON.stringify({ error: { code: -32800, message: 'The task was cancelled.' } }));
    this.running.get(row.id)?.controller.abort();
    return this.task(next);
  }

  /** Steward stopping: tasks a server asked for cannot outlive the connection they came on. */
  dispose(): void {
    for (const { controller } of this.running.values()) controller.abort();
  }
}
