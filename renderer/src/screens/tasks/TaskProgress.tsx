// How far a task has come: a bar when the server said how much there is to do, else the count alone.
import type { TaskView } from '../../../../shared/domain/tasks.js';
import { progressWords } from '../../lib/task-words.js';

export function TaskProgress({ task }: { task: TaskView }) {
  const words = progressWords(task);
  if (words === null) return <span className="muted">—</span>;
  return (
    <span className="task-progress" title={task.progressMessage ?? undefined}>
      {task.progressTotal !== null && task.progress !== null && (
        <progress className="progress" value={task.progress} max={task.progressTotal} aria-label={`Progress of ${task.label}`} />
      )}
      <span className="task-progress-text">{words}</span>
    </span>
  );
}
