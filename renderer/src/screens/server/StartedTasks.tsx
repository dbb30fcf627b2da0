// Tasks started from the tool runner, followed live, each a link away from its page in the task center.
import { useCallback, useEffect, useState } from 'react';
import type { TaskView } from '../../../../shared/domain/tasks.js';
import { TaskStatusBadge } from '../../components/StatusBadge.js';
import { href } from '../../lib/router.js';
import { subscribe } from '../../lib/steward.js';
import { TaskProgress } from '../tasks/TaskProgress.js';
import '../tasks.css';

/** The tasks started here, newest first, kept current by `tasks:changed`. */
export function useStartedTasks(): [TaskView[], (task: TaskView) => void] {
  const [tasks, setTasks] = useState<TaskView[]>([]);
  useEffect(
    () =>
      subscribe('tasks:changed', (task) =>
        setTasks((list) => (list.some((t) => t.id === task.id && t.updatedAt <= task.updatedAt) ? list.map((t) => (t.id === task.id ? task : t)) : list)),
      ),
    [],
  );
  const add = useCallback((task: TaskView) => setTasks((list) => [task, ...list.filter((t) => t.id !== task.id)]), []);
  return [tasks, add];
}

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
            <TaskStatusBadge status={task.status} />
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
