// Waiting on a task the way the UI sees it: its view, checked now and then on every change the host announces.
import type { TaskView } from '../../shared/domain/tasks.js';
import type { TestHost } from './host.js';

/** Resolves with the task's view once `test` holds (checked now, then on every change). */
export function taskWhen(host: TestHost['host'], id: string, test: (v: TaskView) => boolean): Promise<TaskView> {
  return new Promise((resolve) => {
    const check = (v: TaskView) => {
      if (v.id !== id || !test(v)) return;
      off();
      resolve(v);
    };
    const off = host.events.on('tasks:changed', check);
    const now = host.tasks.list({}, 200).find((v) => v.id === id);
    if (now) check(now);
  });
}
