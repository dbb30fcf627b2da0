// Requests servers send as tasks (sampling, elicitation): answered at once with CreateTaskResult, run through the
// normal flow, served with tasks/get, tasks/result, tasks/list and tasks/cancel — each server sees only its own. What a
// server can make Steward store is bounded: tasks taken at a rate, their params up to a size, ended ones dropped after
// their ttl and past a number kept.
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import { TERMINAL_STATUSES } from '../../../shared/domain/tasks.js';
import { present, StewardError } from '../../../shared/errors.js';
import { TokenBucket } from '../apps/index.js';
import type { McpSession } from '../sessions/index.js';
import type { IncomingCursor, IncomingTask } from '../store/index.js';
import { guarded } from '../background.js';
import { megabytes, SERVER_LIMITS } from '../limits.js';
import { iso, type TaskDeps, type TaskRow } from './deps.js';
import { stateOf, TaskRecord } from './record.js';
import type { TaskMachineEvent } from './task-machine.js';
import { DEFAULT_POLL_MS, grantedTtl } from './timing.js';

const RELATED_TASK = 'io.modelcontextprotocol/related-task';
const INVALID_PARAMS = -32602;
/** Tasks in one tasks/list page. */
const TASK_LIST_PAGE = 50;
/** A cursor longer than this is none Steward gave out. */
const MAX_CURSOR_CHARS = 512;

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

const LABELS: Record<string, string> = { 'sampling/createMessage': 'Sampling request', 'elicitation/create': 'Question for you' };

export class TaskReceiver {
  private readonly running = new Map<string, Running>();
  private readonly record: TaskRecord;
  /** Per server: how fast it may have tasks taken. */
  private readonly rates = new Map<string, TokenBucket>();

  constructor(
    private readonly deps: TaskDeps,
    private readonly changed: (row: TaskRow) => void,
  ) {
    this.record = new TaskRecord(deps, changed);
    // What expired while no Steward ran goes now, for every server, rather than when each next sends a task.
    guarded(deps.unexpected, 'dropping expired tasks servers asked for', () => deps.records.pruneIncoming(iso(deps.clock)));
  }

  /**
   * Refuses (limit_reached) a task from a server that sends them faster than SERVER_LIMITS.tasksReceived allows. Called
   * once a request is otherwise sure to be taken, so a request refused for another reason costs the server nothing here.
   */
  admit(serverId: string, serverName: string): void {
    const { burst, perSecond } = SERVER_LIMITS.tasksReceived;
    let rate = this.rates.get(serverId);
    if (!rate) {
      rate = new TokenBucket(burst, perSecond, () => this.deps.clock.now());
      this.rates.set(serverId, rate);
    }
    if (!rate.take()) {
      throw new StewardError(
        'limit_reached',
        `"${serverName}" sends requests as tasks faster than ${perSecond} a second (after ${burst} at once), the most one server may.`,
      );
    }
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
  private task(row: IncomingTask): Record<string, unknown> {
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
    this.deps.records.pruneIncoming(at, { serverId, keep: SERVER_LIMITS.tasksReceived.kept, owner: this.deps.owner });
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
        arguments: keptArguments(underlying),
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

  /** The server's live tasks, oldest first, a page at a time; `nextCursor` is there while more follow. */
  list(serverId: string, params?: unknown): Record<string, unknown> {
    const cursor = (params as { cursor?: unknown } | undefined)?.cursor;
    const after = cursor === undefined ? undefined : readCursor(cursor);
    const rows = this.deps.records.incoming(serverId, iso(this.deps.clock), TASK_LIST_PAGE + 1, after);
    const page = rows.slice(0, TASK_LIST_PAGE);
    const last = page.at(-1);
    return {
      tasks: page.map((row) => this.task(row)),
      ...(rows.length > TASK_LIST_PAGE && last ? { nextCursor: writeCursor({ createdAt: last.created_at, id: last.id }) } : {}),
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

/** A request's params as kept with its task: whole up to SERVER_LIMITS.tasksReceived.argumentBytes, else a note of their size. */
function keptArguments(params: Record<string, unknown>): string {
  const json = JSON.stringify(params);
  const bytes = Buffer.byteLength(json);
  const max = SERVER_LIMITS.tasksReceived.argumentBytes;
  if (bytes <= max) return json;
  const size = bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : megabytes(bytes);
  return JSON.stringify({ notKept: `The request was ${size}; Steward keeps a request of up to ${max / 1024} KB with its task.` });
}

/** Opaque to the server: where the last page ended. */
function writeCursor(cursor: IncomingCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

function readCursor(cursor: unknown): IncomingCursor {
  if (typeof cursor === 'string' && cursor.length <= MAX_CURSOR_CHARS) {
    try {
      const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
        return { createdAt: value[0], id: value[1] };
      }
    } catch {
      // Not one of ours: said below.
    }
  }
  throw new ProtocolError(INVALID_PARAMS, 'Invalid cursor');
}
