// A server's or a task's status as a coloured dot and the word for it.
import type { ServerStatus } from '../../../shared/domain/servers.js';
import type { TaskStatus } from '../../../shared/domain/tasks.js';
import { STATUS } from '../lib/format.js';
import { TASK_STATUS } from '../lib/task-words.js';

export function StatusBadge({ status }: { status: ServerStatus }) {
  const { label, tone } = STATUS[status];
  return (
    <span className={`status status-${tone}`} data-status={status}>
      <span className="status-dot" aria-hidden />
      {label}
    </span>
  );
}

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  const { label, tone } = TASK_STATUS[status];
  return (
    <span className={`status status-${tone}`} data-status={status}>
      <span className="status-dot" aria-hidden />
      {label}
    </span>
  );
}
