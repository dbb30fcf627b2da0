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

/** A task's view as the UI gets it: a working tool-call task of server s1, with `patch` over it. */
export function taskViewOf(patch: Partial<TaskView> = {}): TaskView {
  return {
    id: 't',
    serverId: 's1',
    serverName: 'jobs',
    direction: 'outgoing',
    era: 'legacy',
    method: 'tools/call',
    label: 'job',
    status: 'working',
    statusMessage: null,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    expiresAt: null,
    pollIntervalMs: null,
    progress: null,
    progressTotal: null,
    progressMessage: null,
    settledBy: null,
    resultBytes: null,
    error: null,
    ...patch,
  };
}
