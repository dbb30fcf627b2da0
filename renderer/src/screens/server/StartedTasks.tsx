// Tasks started from the tool runner (the call history keeps them current), each a link away from its page in the task center.
import type { TaskView } from '../../../../shared/domain/tasks.js';
import { TaskStatusBadge } from '../../components/StatusBadge.js';
import { href } from '../../lib/router.js';
import { TaskProgress } from '../tasks/TaskProgress.js';
import '../tasks.css';

export function StartedTasks({ tasks }: { tasks: TaskView[] }) {
  if (tasks.length === 0) return null;
  return (
    <section className="started-tasks" aria-labelledby="started-tasks-title">
      <h3 className="started-title" id="started-tasks-title">
        Started as tasks — they keep running while you do other things
      </h3>
      <ul className="started-list" aria-label="Tasks started here">
        {tasks.map((task) => (
          <li key={task.id} className="started-task" data-task={task.id} data-status={task.status}>
            <TaskStatusBadge status={task.status} settledBy={task.settledBy} />
            <span className="started-message" title={task.statusMessage ?? undefined}>
              {task.statusMessage ?? ''}
            </span>
            <TaskProgress task={task} />
            <a href={href('tasks', task.id)}>Open the task</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
