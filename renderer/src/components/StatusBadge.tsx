// A server's or a task's status as a coloured dot and the word for it.
import type { ServerStatus } from '../../../shared/domain/servers.js';
import type { TaskStatus } from '../../../shared/domain/tasks.js';
import { STATUS } from '../lib/format.js';
import { statusLabel, TASK_STATUS } from '../lib/task-words.js';

export function StatusBadge({ status }: { status: ServerStatus }) {
  const { label, tone } = STATUS[status];
  return (
    <span className={`status status-${tone}`} data-status={status}>
      <span className="status-dot" aria-hidden />
      {label}
    </span>
  );
}

/** One word and one colour per status, from one table, wherever a task's status shows (rows, pages, history, toasts). */
export function TaskStatusBadge({ status, settledBy = null }: { status: TaskStatus; settledBy?: 'server' | 'steward' | null }) {
  const { tone } = TASK_STATUS[status];
  const label = statusLabel({ status, settledBy });
  return (
    <span className={`status status-${tone}`} data-status={status} data-tone={tone}>
      <span className="status-dot" aria-hidden />
      {label}
    </span>
  );
}
