// The task center's source: tasks in both directions, their views and result pages, and what a restart does to them.
import { ProtocolError } from '@modelcontextprotocol/client';
import type { CallResult } from '../../../shared/domain/mcp.js';
import { TASK_RESULT_PAGE, TERMINAL_STATUSES, type TaskDetail, type TaskResultPage, type TaskView } from '../../../shared/domain/tasks.js';
import { present, StewardError } from '../../../shared/errors.js';
import type { McpSession } from '../sessions/index.js';
import type { TaskCursor, TaskFilter } from '../store/index.js';
import { viewOf, type TaskDeps, type TaskRow } from './deps.js';
import { TaskReceiver } from './receiver.js';
import { stateOf, TaskRecord } from './record.js';
import { TaskRequester, type StartRequest } from './requester.js';

export class TasksService {
  readonly requester: TaskRequester;
  readonly receiver: TaskReceiver;
  private readonly record: TaskRecord;

  constructor(private readonly deps: TaskDeps) {
    const changed = (row: TaskRow) => deps.events.emit('tasks:changed', viewOf(row));
    this.requester = new TaskRequester(deps, changed);
    this.receiver = new TaskReceiver(deps, changed);
    this.record = new TaskRecord(deps, changed);
  }

  start(request: StartRequest): Promise<TaskView> {
    return this.requester.start(request);
  }

  /** Runs a tool call as a task and waits for its end: for callers that want the result (scripts, required-task tools). */
  async run(request: StartRequest): Promise<CallResult> {
    const view = await this.requester.start(request);
    const row = await this.requester.settle(view.id);
    const stored = this.deps.records.result(row.id);
    const parsed = stored ? (JSON.parse(stored) as Partial<CallResult> & { error?: { message: string } }) : undefined;
    if (!parsed || parsed.error) {
      if (row.status === 'cancelled') throw new StewardError('cancelled', `The task "${row.label}" was cancelled.`);
      throw new StewardError('tool_call_failed', `The task "${row.label}" failed: ${parsed?.error?.message ?? row.error ?? row.status_message ?? row.status}`);
    }
    return {
      content: parsed.content ?? [],
      ...(parsed.structuredContent ? { structuredContent: parsed.structuredContent } : {}),
      isError: parsed.isError === true,
    };
  }

  cancel(id: string): Promise<TaskView> {
    const row = this.deps.records.get(id);
    if (row && !TERMINAL_STATUSES.includes(row.status) && this.ownedElsewhere(row)) {
      return Promise.reject(new StewardError('not_supported', `Another Steward process (pid ${row.owner_pid}) is following this task; cancel it there.`));
    }
    if (row?.direction === 'incoming') {
      if (TERMINAL_STATUSES.includes(row.status)) throw new StewardError('invalid_payload', `The task is already ${row.status}.`);
      try {
        this.receiver.cancel(row.server_id, { taskId: row.remote_task_id }, this.deps.live(row.server_id), 'user');
      } catch (error) {
        throw new StewardError('invalid_payload', error instanceof Error ? error.message : String(error));
      }
      return Promise.resolve(viewOf(present(this.deps.records.get(id), 'the cancelled task')));
    }
    return this.requester.cancel(id).then(viewOf);
  }

  list(filter: TaskFilter, limit: number, cursor?: TaskCursor): TaskView[] {
    return this.deps.records.page(filter, limit, cursor).map(viewOf);
  }

  detail(id: string): TaskDetail {
    const row = this.deps.records.get(id);
    if (!row) throw new StewardError('not_found', 'There is no such task.');
    let args: Record<string, unknown> | null = null;
    try {
      args = row.arguments ? (JSON.parse(row.arguments) as Record<string, unknown>) : null;
    } catch {
      args = null;
    }
    return { ...viewOf(row), remoteTaskId: row.remote_task_id, arguments: args, events: this.deps.records.events(id), eventsDropped: row.events_dropped };
  }

  /** A page of the result's JSON text; large results are never loaded whole. */
  resultPage(id: string, offset: number, length = TASK_RESULT_PAGE): TaskResultPage {
    const slice = this.deps.records.resultSlice(id, offset, Math.min(length, TASK_RESULT_PAGE));
    if (!slice) throw new StewardError('not_found', 'This task has no result (yet).');
    return { text: slice.text, offset, total: slice.total };
  }

  /** Server requests about tasks Steward runs for it (tasks/get, tasks/result, tasks/list, tasks/cancel). */
  serve(serverId: string, method: string, params: unknown, session: McpSession): Promise<Record<string, unknown>> | Record<string, unknown> {
    switch (method) {
      case 'tasks/get':
        return this.receiver.get(serverId, params);
      case 'tasks/result':
        return this.receiver.result(serverId, params);
      case 'tasks/list':
        return this.receiver.list(serverId);
      case 'tasks/cancel':
        return this.receiver.cancel(serverId, params, session);
      default:
        throw new ProtocolError(-32601, `Method not found: ${method}`);
    }
  }

  /**
   * After a restart nothing stays "working" for ever: a local server's tasks ended with its process, the
   * tasks servers asked of Steward ended with their connection, and a remote server's tasks are followed again.
   * Tasks another running Steward (the app, a CLI command) follows are its business and are left alone, and so are
   * this process's own; a task two processes try to take over at once goes to one of them.
   */
  recover(): void {
    for (const row of this.deps.records.unfinished()) {
      if (this.ownedElsewhere(row) || (row.owner_pid === this.deps.owner.pid && row.owner_started === this.deps.owner.started)) continue;
      if (!this.deps.records.claim(row.id, this.deps.owner, row)) continue;
      if (row.direction === 'outgoing' && row.transport === 'http' && row.remote_task_id) this.requester.resume(row);
      else this.record.step(row.id, stateOf(row), { type: 'host_restarted', canFollow: false });
    }
  }

  /** Followed by another Steward process that is still running. */
  ownedElsewhere(row: TaskRow): boolean {
    if (row.owner_pid === null || row.owner_pid === this.deps.owner.pid) return false;
    return this.deps.ownerAlive({ pid: row.owner_pid, started: row.owner_started });
  }

  statusNotified(serverId: string, params: Record<string, unknown>): void {
    this.requester.statusNotified(serverId, params);
  }

  dispose(): void {
    this.requester.dispose();
    this.receiver.dispose();
  }
}
