// How tasks read on screen: statuses, what a task is, how long it has run and how long the server keeps it.
import { TERMINAL_STATUSES, type TaskEventKind, type TaskStatus, type TaskView } from '../../../shared/domain/tasks.js';
import { formatDuration } from './format.js';

export const TASK_STATUS: Record<TaskStatus, { label: string; tone: 'ok' | 'busy' | 'attention' | 'danger' | 'idle' }> = {
  working: { label: 'working', tone: 'busy' },
  input_required: { label: 'needs input', tone: 'attention' },
  completed: { label: 'completed', tone: 'ok' },
  failed: { label: 'failed', tone: 'danger' },
  cancelled: { label: 'cancelled', tone: 'idle' },
};

/** What a local history entry is, in words (a status entry is the server's, or an incoming task's own). */
export const LOCAL_EVENT_WORDS: Record<TaskEventKind, string> = {
  status: 'Status',
  requested: 'Asked for',
  cancel_requested: 'Cancel requested',
  connection_lost: 'Connection lost',
  reconnected: 'Connection back',
  host_restarted: 'Steward restarted',
  lost: 'Lost track',
  late_result: 'Came late',
  status_from_result: 'Final status from the result',
};

/** The status as a row says it: a failure Steward concluded (the server could no longer answer) reads as lost. */
export function statusLabel(task: Pick<TaskView, 'status' | 'settledBy'>): string {
  return task.status === 'failed' && task.settledBy === 'steward' ? 'lost' : TASK_STATUS[task.status].label;
}

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** What a finished task did, for toasts and notifications: "job finished". */
export function endedWords(task: TaskView): string {
  if (task.status === 'failed' && task.settledBy === 'steward') return `Steward lost track of ${task.label}`;
  const outcome = task.status === 'completed' ? 'finished' : task.status === 'cancelled' ? 'was cancelled' : 'failed';
  return `${task.label} ${outcome}`;
}

/** Incoming tasks are requests a server asked of Steward; outgoing ones are tool calls Steward asked for. */
export function directionWords(task: TaskView): string {
  return task.direction === 'incoming' ? 'asked of Steward' : 'tool call';
}

/** Which protocol a task was run under: 2025-11-25 core tasks, or the 2026-07-28 tasks extension. */
export function eraWords(task: Pick<TaskView, 'era'>): string {
  return task.era === 'modern' ? 'MCP 2026-07-28 (tasks extension)' : 'MCP 2025-11-25 (core tasks)';
}

/** Running tasks count up to now; finished ones stop at their last change. */
export function elapsedMs(task: TaskView, now: number): number {
  const end = isTerminal(task.status) ? Date.parse(task.updatedAt) : now;
  return Math.max(0, end - Date.parse(task.createdAt));
}

/**
 * How long the server promised to keep the task (its ttl); a finished task's result is already in Steward's record, so
 * it needs none. Past it, the server may forget the task at any time; Steward keeps following while it answers.
 */
export function ttlWords(task: TaskView, now: number): string {
  if (isTerminal(task.status)) return '—';
  if (task.expiresAt === null) return 'no limit';
  const left = Date.parse(task.expiresAt) - now;
  return left > 0 ? formatDuration(left) : 'past';
}

export function progressWords(task: TaskView): string | null {
  if (task.progress === null) return null;
  return task.progressTotal !== null ? `${task.progress} of ${task.progressTotal}` : String(task.progress);
}
