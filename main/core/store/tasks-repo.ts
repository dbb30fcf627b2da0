// Task rows, their status history and their results. A change, its history entries and its result are written in one
// transaction; results are written once and read back in slices.
import type { TaskEvent, TaskEventKind, TaskStatus, TaskView } from '../../../shared/domain/tasks.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export interface TaskRow {
  id: string;
  server_id: string;
  server_name: string;
  transport: 'stdio' | 'http';
  direction: 'outgoing' | 'incoming';
  remote_task_id: string | null;
  /** legacy: a 2025-11-25 core task; modern: a task of the 2026-07-28 tasks extension. */
  era: 'legacy' | 'modern';
  method: string;
  label: string;
  status: TaskStatus;
  status_message: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  poll_interval_ms: number | null;
  progress: number | null;
  progress_total: number | null;
  progress_message: string | null;
  arguments: string | null;
  result_bytes: number | null;
  /** ok, is_error or rpc_error: what the stored result says. */
  result_outcome: 'ok' | 'is_error' | 'rpc_error' | null;
  error: string | null;
  /** server or steward: who settled the final status. */
  settled_by: 'server' | 'steward' | null;
  cancel_requested: number;
  owner_pid: number | null;
  owner_started: string | null;
  /** History entries dropped from the middle once the task had SERVER_LIMITS.taskHistory.entries (the store's trigger). */
  events_dropped: number;
  /** Where this row's last change stands in the order the database committed task changes (migration 0011). */
  change_seq: number;
}

export type NewTask = Omit<
  TaskRow,
  | 'era'
  | 'result_bytes'
  | 'progress'
  | 'progress_total'
  | 'progress_message'
  | 'result_outcome'
  | 'settled_by'
  | 'cancel_requested'
  | 'events_dropped'
  | 'change_seq'
> & { era?: TaskRow['era'] };

/** One history entry as written; its time is the change's. */
export interface HistoryEntry {
  source: 'server' | 'local';
  kind: TaskEventKind;
  status: TaskStatus;
  message: string | null;
  serverAt: string | null;
}

export interface TaskPatch {
  status?: TaskStatus;
  statusMessage?: string | null;
  remoteTaskId?: string;
  expiresAt?: string | null;
  pollIntervalMs?: number | null;
  progress?: number;
  progressTotal?: number | null;
  progressMessage?: string | null;
  error?: string | null;
  settledBy?: 'server' | 'steward' | null;
  resultOutcome?: 'ok' | 'is_error' | 'rpc_error' | null;
  cancelRequested?: boolean;
}

export interface TaskFilter {
  status?: TaskStatus | undefined;
  serverId?: string | undefined;
}

/** Keyset cursor: the last row of the previous page. */
export interface TaskCursor {
  updatedAt: string;
  id: string;
}

/** What a server is told of a task it asked Steward to run (tasks/list): the columns of the spec's Task, no blobs. */
export type IncomingTask = Pick<
  TaskRow,
  'id' | 'remote_task_id' | 'status' | 'status_message' | 'created_at' | 'updated_at' | 'expires_at' | 'poll_interval_ms'
>;

/** Keyset cursor over one server's incoming tasks, oldest first: the last row of the previous page. */
export interface IncomingCursor {
  createdAt: string;
  id: string;
}

const TERMINAL_SQL = "('completed', 'failed', 'cancelled')";

export function taskView(row: TaskRow): TaskView {
  return {
    id: row.id,
    serverId: row.server_id,
    serverName: row.server_name,
    direction: row.direction,
    era: row.era,
    method: row.method,
    label: row.label,
    status: row.status,
    statusMessage: row.status_message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    pollIntervalMs: row.poll_interval_ms,
    progress: row.progress,
    progressTotal: row.progress_total,
    progressMessage: row.progress_message,
    settledBy: row.settled_by,
    resultBytes: row.result_bytes,
    error: row.error,
  };
}

/**
 * The next place in the order of task changes, computed inside the writing statement: a write holds the database's one
 * write lock, so this is above every change committed before it and below every change committed after it.
 */
const NEXT_CHANGE = '(SELECT coalesce(max(change_seq), 0) + 1 FROM tasks)';

export class TasksRepo {
  private readonly s;
  private readonly db: Db;
  /** The task-center queries, prepared once per shape of filter. */
  private readonly pages = new Map<string, Statement<Record<string, unknown>, TaskRow>>();

  private readonly applyTx: (id: string, at: string, patch: TaskPatch, entries: readonly HistoryEntry[], result: string | undefined) => TaskRow | undefined;
  private readonly insertTx: (task: NewTask, entry: HistoryEntry) => void;
  private readonly putResultTx: (id: string, json: string) => void;

  constructor(db: Db) {
    this.db = db;
    this.s = {
      insert: db.prepare(
        `INSERT INTO tasks (id, server_id, server_name, transport, direction, remote_task_id, era, method, label, status, status_message,
           created_at, updated_at, expires_at, poll_interval_ms, arguments, error, owner_pid, owner_started, change_seq)
         VALUES (@id, @server_id, @server_name, @transport, @direction, @remote_task_id, @era, @method, @label, @status, @status_message,
           @created_at, @updated_at, @expires_at, @poll_interval_ms, @arguments, @error, @owner_pid, @owner_started, ${NEXT_CHANGE})`,
      ),
      event: db.prepare<[string, string, string, string | null, string, string, string | null]>(
        'INSERT INTO task_events (task_id, at, status, message, source, kind, server_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      get: db.prepare<[string], TaskRow>('SELECT * FROM tasks WHERE id = ?'),
      byRemote: db.prepare<[string, string, string, number | null, string | null], TaskRow>(
        `SELECT * FROM tasks WHERE server_id = ? AND direction = ? AND remote_task_id = ?
         ORDER BY (owner_pid IS ? AND owner_started IS ?) DESC, status IN ('working', 'input_required') DESC, change_seq DESC LIMIT 1`,
      ),
      events: db.prepare<[string], TaskEvent>('SELECT at, source, kind, status, message, server_at AS serverAt FROM task_events WHERE task_id = ? ORDER BY id'),
      result: db.prepare<[string], { result: string }>('SELECT result FROM task_results WHERE task_id = ?'),
      slice: db.prepare<[number, number, string], { text: string; total: number }>(
        'SELECT substr(result, ?, ?) AS text, length(result) AS total FROM task_results WHERE task_id = ?',
      ),
      putResult: db.prepare<[string, string]>(
        'INSERT INTO task_results (task_id, result) VALUES (?, ?) ON CONFLICT (task_id) DO UPDATE SET result = excluded.result',
      ),
      update: db.prepare<Record<string, unknown>, TaskRow>(
        `UPDATE tasks SET updated_at = @at, change_seq = ${NEXT_CHANGE},
           status = COALESCE(@status, status),
           status_message = CASE WHEN @setMessage THEN @statusMessage ELSE status_message END,
           remote_task_id = COALESCE(@remoteTaskId, remote_task_id),
           expires_at = CASE WHEN @setExpires THEN @expiresAt ELSE expires_at END,
           poll_interval_ms = CASE WHEN @setPoll THEN @pollIntervalMs ELSE poll_interval_ms END,
           progress = COALESCE(@progress, progress),
           progress_total = CASE WHEN @setTotal THEN @progressTotal ELSE progress_total END,
           progress_message = CASE WHEN @setProgressMessage THEN @progressMessage ELSE progress_message END,
           error = CASE WHEN @setError THEN @error ELSE error END,
           settled_by = CASE WHEN @setSettled THEN @settledBy ELSE settled_by END,
           result_outcome = CASE WHEN @setOutcome THEN @resultOutcome ELSE result_outcome END,
           cancel_requested = COALESCE(@cancelRequested, cancel_requested)
         WHERE id = @id RETURNING *`,
      ),
      unfinished: db.prepare<[], TaskRow>("SELECT * FROM tasks WHERE status IN ('working', 'input_required')"),
      claim: db.prepare<[number, string | null, string, number | null, string | null]>(
        'UPDATE tasks SET owner_pid = ?, owner_started = ? WHERE id = ? AND owner_pid IS ? AND owner_started IS ?',
      ),
      incoming: db.prepare<Record<string, unknown>, IncomingTask>(
        `SELECT id, remote_task_id, status, status_message, created_at, updated_at, expires_at, poll_interval_ms FROM tasks
         WHERE server_id = @serverId AND direction = 'incoming' AND (expires_at IS NULL OR expires_at >= @now)
           AND (@afterAt IS NULL OR created_at > @afterAt OR (created_at = @afterAt AND id > @afterId))
         ORDER BY created_at, id LIMIT @limit`,
      ),
      // The row with the latest change stays, whatever it is: the next change is numbered from it (NEXT_CHANGE), and a
      // number given twice would hide that change from a process that already read past the first.
      pruneIncoming: db.prepare<Record<string, unknown>>(
        `DELETE FROM tasks WHERE server_id = @serverId AND direction = 'incoming' AND status IN ${TERMINAL_SQL}
           AND change_seq < (SELECT max(change_seq) FROM tasks)
           AND (expires_at < @now OR (owner_pid IS @pid AND owner_started IS @started AND id NOT IN (
             SELECT id FROM tasks WHERE server_id = @serverId AND direction = 'incoming' AND status IN ${TERMINAL_SQL}
               AND owner_pid IS @pid AND owner_started IS @started
             ORDER BY created_at DESC, id DESC LIMIT @keep)))`,
      ),
      pruneExpiredIncoming: db.prepare<[string]>(
        `DELETE FROM tasks WHERE direction = 'incoming' AND status IN ${TERMINAL_SQL} AND expires_at < ?
           AND change_seq < (SELECT max(change_seq) FROM tasks)`,
      ),
      changedSince: db.prepare<[number, number], TaskRow>('SELECT * FROM tasks WHERE change_seq > ? ORDER BY change_seq LIMIT ?'),
      lastChange: db.prepare<[], { seq: number }>('SELECT coalesce(max(change_seq), 0) AS seq FROM tasks'),
    };
    const resultBytes = db.prepare<[number, string]>('UPDATE tasks SET result_bytes = ? WHERE id = ?');
    const event = (id: string, at: string, e: HistoryEntry) => this.s.event.run(id, at, e.status, e.message, e.source, e.kind, e.serverAt);
    this.insertTx = db.transaction((task: NewTask, entry: HistoryEntry) => {
      this.s.insert.run({ era: 'legacy', ...task });
      event(task.id, task.created_at, entry);
    });
    const putResult = (id: string, json: string) => {
      this.s.putResult.run(id, json);
      resultBytes.run(Buffer.byteLength(json), id);
    };
    this.putResultTx = db.transaction(putResult);
    this.applyTx = db.transaction((id: string, at: string, patch: TaskPatch, entries: readonly HistoryEntry[], result: string | undefined) => {
      if (result !== undefined) putResult(id, result);
      const row = this.s.update.get(updateParams(id, at, patch));
      if (row) for (const entry of entries) event(id, at, entry);
      return row;
    });
  }

  /** A new task and the first entry of its history. */
  insert(task: NewTask, entry: HistoryEntry): void {
    this.insertTx(task, entry);
  }

  get(id: string): TaskRow | undefined {
    return this.s.get.get(id);
  }

  /**
   * A task by the server's id for it. Ids repeat (a server numbering its tasks anew after a restart, or once per Steward
   * process running it), so the one taken is `owner`'s own if it has one, else one still running, else the most recently changed.
   */
  byRemote(
    serverId: string,
    direction: 'outgoing' | 'incoming',
    remoteTaskId: string,
    owner: { pid: number; started: string | null } | null = null,
  ): TaskRow | undefined {
    return this.s.byRemote.get(serverId, direction, remoteTaskId, owner?.pid ?? null, owner?.started ?? null);
  }

  /**
   * Applies a change with the history entries and the result it brings, in one transaction. The history holds what the
   * caller says happened and nothing else. Returns the row as it now is.
   */
  apply(id: string, at: string, patch: TaskPatch, entries: readonly HistoryEntry[] = [], result?: string): TaskRow | undefined {
    return this.applyTx(id, at, patch, entries, result);
  }

  /** A change that is no event of the task's life (progress, the owner): no history entry. */
  update(id: string, at: string, patch: TaskPatch): TaskRow | undefined {
    return this.s.update.get(updateParams(id, at, patch));
  }

  putResult(id: string, json: string): void {
    this.putResultTx(id, json);
  }

  result(id: string): string | undefined {
    return this.s.result.get(id)?.result;
  }

  /** A slice of the result text: `offset` characters in, at most `length` of them. */
  resultSlice(id: string, offset: number, length: number): { text: string; total: number } | undefined {
    return this.s.slice.get(offset + 1, length, id);
  }

  events(id: string): TaskEvent[] {
    return this.s.events.all(id);
  }

  /** Newest first, in pages: pass the last row of the previous page as the cursor. */
  page(filter: TaskFilter, limit: number, cursor?: TaskCursor): TaskRow[] {
    const sql = taskPageSql(filter, cursor);
    let statement = this.pages.get(sql);
    if (!statement) {
      statement = this.db.prepare<Record<string, unknown>, TaskRow>(sql);
      this.pages.set(sql, statement);
    }
    return statement.all({
      status: filter.status ?? null,
      serverId: filter.serverId ?? null,
      cursorAt: cursor?.updatedAt ?? null,
      cursorId: cursor?.id ?? null,
      limit,
    });
  }

  unfinished(): TaskRow[] {
    return this.s.unfinished.all();
  }

  /** This process follows the task from now on. */
  /**
   * Moves a task from the owner it was read with to `owner`; false when someone else moved it first (two processes
   * recovering the same dead owner at once: exactly one follows the task).
   */
  claim(id: string, owner: { pid: number; started: string | null }, from: { owner_pid: number | null; owner_started: string | null }): boolean {
    return this.s.claim.run(owner.pid, owner.started, id, from.owner_pid, from.owner_started).changes === 1;
  }

  /** Tasks changed after the change `seq` (see lastChange), in the order the changes were committed. */
  changedSince(seq: number, limit: number): TaskRow[] {
    return this.s.changedSince.all(seq, limit);
  }

  /** The latest task change committed: where a process that starts now begins to read others' changes. */
  lastChange(): number {
    return this.s.lastChange.get()?.seq ?? 0;
  }

  /** One server's incoming tasks not expired at `now` (ISO), oldest first, in pages: pass the last row of the previous page. */
  incoming(serverId: string, now: string, limit: number, after?: IncomingCursor): IncomingTask[] {
    return this.s.incoming.all({ serverId, now, limit, afterAt: after?.createdAt ?? null, afterId: after?.id ?? null });
  }

  /**
   * Drops ended tasks a server asked Steward to run: those past their ttl (the server can no longer ask about them) and,
   * past the newest `keep` this process answers for, the oldest of those (another live process's server may still ask
   * about its own within their ttl). With the server given, only its own; without, only the expired, of every server.
   * History and result go with the task. Returns how many went.
   */
  pruneIncoming(now: string, server?: { serverId: string; keep: number; owner: { pid: number; started: string | null } }): number {
    if (!server) return this.s.pruneExpiredIncoming.run(now).changes;
    const { serverId, keep, owner } = server;
    return this.s.pruneIncoming.run({ serverId, keep, now, pid: owner.pid, started: owner.started }).changes;
  }
}

function updateParams(id: string, at: string, patch: TaskPatch): Record<string, unknown> {
  return {
    id,
    at,
    status: patch.status ?? null,
    setMessage: patch.statusMessage !== undefined ? 1 : 0,
    statusMessage: patch.statusMessage ?? null,
    remoteTaskId: patch.remoteTaskId ?? null,
    setExpires: patch.expiresAt !== undefined ? 1 : 0,
    expiresAt: patch.expiresAt ?? null,
    setPoll: patch.pollIntervalMs !== undefined ? 1 : 0,
    pollIntervalMs: patch.pollIntervalMs ?? null,
    progress: patch.progress ?? null,
    setTotal: patch.progressTotal !== undefined ? 1 : 0,
    progressTotal: patch.progressTotal ?? null,
    setProgressMessage: patch.progressMessage !== undefined ? 1 : 0,
    progressMessage: patch.progressMessage ?? null,
    setError: patch.error !== undefined ? 1 : 0,
    error: patch.error ?? null,
    setSettled: patch.settledBy !== undefined ? 1 : 0,
    settledBy: patch.settledBy ?? null,
    setOutcome: patch.resultOutcome !== undefined ? 1 : 0,
    resultOutcome: patch.resultOutcome ?? null,
    cancelRequested: patch.cancelRequested === undefined ? null : patch.cancelRequested ? 1 : 0,
  };
}

/**
 * The task center's page query for a filter and cursor (named parameters @status, @serverId, @cursorAt, @cursorId,
 * @limit). Every shape is answered by one index seek: see migrations 0003 and 0004.
 */
export function taskPageSql(filter: TaskFilter, cursor?: TaskCursor): string {
  const where: string[] = [];
  if (filter.status) where.push('status = @status');
  if (filter.serverId) where.push('server_id = @serverId');
  if (cursor) where.push('(updated_at < @cursorAt OR (updated_at = @cursorAt AND id < @cursorId))');
  return `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id DESC LIMIT @limit`;
}
