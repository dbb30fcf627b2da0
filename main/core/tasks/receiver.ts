// Requests servers send as tasks (sampling, elicitation): answered at once with CreateTaskResult, run through the
// normal flow, served with tasks/get, tasks/result, tasks/list and tasks/cancel — each server sees only its own.
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import { TERMINAL_STATUSES } from '../../../shared/domain/tasks.js';
import { present } from '../../../shared/errors.js';
import type { McpSession } from '../sessions/index.js';
import { guarded } from '../background.js';
import { iso, type TaskDeps, type TaskRow } from './deps.js';
import { stateOf, TaskRecord } from './record.js';
import type { TaskMachineEvent } from './task-machine.js';
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
  private readonly record: TaskRecord;

  constructor(
    private readonly deps: TaskDeps,
    private readonly changed: (row: TaskRow) => void,
  ) {
    this.record = new TaskRecord(deps, changed);
  }

  /** One event of an incoming task's life through the machine; the requesting server hears of a new status. */
  step(row: TaskRow, event: TaskMachineEvent, session?: McpSession): TaskRow {
    const { effects, row: written } = this.record.step(row.id, stateOf(row), event);
    const now = written ?? row;
    // A status notification is a courtesy (the server can always ask with tasks/get): a closed connection is no fault.
    if (session && effects.some((e) => e.type === 'notify_server')) {
      void session.notify('notifications/tasks/status', this.task(now)).catch(() => undefined);
    }
    return now;
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
    this.deps.records.insert(
      {
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
      },
      { source: 'local', kind: 'status', status: 'working', message: 'Waiting for you in the inbox.', serverAt: null },
    );
    this.deps.audit.record('task.received', {
      serverId,
      serverName: server.name,
      actor: 'host',
      summary: `"${server.name}" sent a ${LABELS[method]?.toLowerCase() ?? method} as a task.`,
      data: { taskId, method, ttl },
    });
    const controller = new AbortController();
    const current = () => this.deps.records.get(taskId);
    const done = run(controller.signal)
      .then(
        (result) => {
          const row = current();
          if (row) this.step(row, { type: 'answered', payload: JSON.stringify({ result }) }, session);
        },
        (error: unknown) => {
          const code = error instanceof ProtocolError ? error.code : -32603;
          const message = error instanceof Error ? error.message : String(error);
          const row = current();
          if (row) this.step(row, { type: 'errored', payload: JSON.stringify({ error: { code, message } }), message }, session);
        },
      )
      // Recording the outcome failed: reported, and a tasks/result waiting on it still gets an answer.
      .catch((error: unknown) => this.deps.unexpected(`recording the outcome of task ${taskId}`, error));
    // Past its ttl the server can no longer ask about it: the work stops and the record says why.
    const expiry = setTimeout(
      () =>
        guarded(this.deps.unexpected, `expiring task ${taskId}`, () => {
          const row = current();
          if (!row || TERMINAL_STATUSES.includes(row.status)) return;
          this.step(
            row,
            { type: 'expired', payload: JSON.stringify({ error: { code: -32603, message: 'The task expired before it was answered.' } }) },
            session,
          );
          controller.abort();
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
    const row = present(this.deps.records.get(taskId), 'the task just recorded');
    this.changed(row);
    return { task: this.task(row) };
  }

  /** The server's own task, live (not expired); anything else is "unknown" (-32602), whoever asks. */
  private own(serverId: string, params: unknown): TaskRow {
    const taskId = (params as { taskId?: unknown } | undefined)?.taskId;
    const row = typeof taskId === 'string' ? this.deps.records.byRemote(serverId, 'incoming', taskId, this.deps.owner) : undefined;
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
    const stored = this.deps.records.result(row.id);
    const meta = { [RELATED_TASK]: { taskId: row.remote_task_id } };
    const parsed = stored ? (JSON.parse(stored) as { result?: Record<string, unknown>; error?: { code: number; message: string } }) : {};
    if (parsed.result) return { ...parsed.result, _meta: { ...(parsed.result._meta ?? {}), ...meta } };
    if (parsed.error) throw new ProtocolError(parsed.error.code, parsed.error.message);
    throw new ProtocolError(-32603, this.deps.records.get(row.id)?.status === 'cancelled' ? 'The task was cancelled.' : 'The task ended without a result.');
  }

  list(serverId: string): Record<string, unknown> {
    const now = this.deps.clock.now();
    return {
      tasks: this.deps.records
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
    const next = this.step(row, { type: 'cancelled', by, payload: JSON.stringify({ error: { code: -32800, message: 'The task was cancelled.' } }) }, session);
    this.running.get(row.id)?.controller.abort();
    return this.task(next);
  }

  /** Steward stopping: tasks a server asked for cannot outlive the connection they came on. */
  dispose(): void {
    for (const { controller } of this.running.values()) controller.abort();
  }
}
