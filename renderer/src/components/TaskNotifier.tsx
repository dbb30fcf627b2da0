// Tells the user when a running task ends: a toast in the app and, in a browser tab, a desktop notification too.
import { useEffect } from 'react';
import { notifyDesktop } from '../lib/desktop-notify.js';
import { useHostState } from '../lib/host-state.js';
import { href, navigate } from '../lib/router.js';
import { endedWords, TASK_STATUS } from '../lib/task-words.js';
import { useToasts } from '../lib/toasts.js';

export function TaskNotifier() {
  const { onTaskFinished } = useHostState();
  const toasts = useToasts();
  useEffect(
    () =>
      onTaskFinished((task) => {
        const title = endedWords(task);
        const description = `${task.serverName}: ${task.statusMessage ?? task.error ?? TASK_STATUS[task.status].label}`;
        toasts.show({
          title,
          description,
          tone: task.status === 'completed' ? 'ok' : task.status === 'failed' ? 'danger' : 'idle',
          link: { href: href('tasks', task.id), label: 'Open the task' },
        });
        notifyDesktop(title, description, task.id, () => navigate('tasks', task.id));
      }),
    [onTaskFinished, toasts],
  );
  return null;
}
