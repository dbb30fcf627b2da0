// The task poller on its own errors: a poll that fails inside Steward is reported, and the task is still followed to its end.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('the task poller', () => {
  it('reports a poll whose record write fails, backs off, and follows the task to its end', async () => {
    const reported: Array<{ where: string; error: unknown }> = [];
    t = await makeHost({ onUnexpected: (where, error) => reported.push({ where, error }) });
    const { host } = t;
    const { view: server, approve } = await addApproved(host, 'tasks', NODE, [join(FIXTURES, 'task-server.mjs')]);
    await approve();
    // No progress notifications: the first write after the start is the poller's, when a poll brings the first step.
    const task = await host.tasks.start({ serverId: server.id, tool: 'job', arguments: { ms: 1200, steps: 2, pollInterval: 250, progress: false } });
    const boom = new Error('database is locked');
    vi.spyOn(host.store.tasks, 'apply').mockImplementationOnce(() => {
      throw boom;
    });

    const row = await host.tasks.requester.settle(task.id);
    expect(row.status).toBe('completed');
    expect(reported).toEqual([{ where: `following task ${task.id}`, error: boom }]);
    expect(host.tasks.list({ status: 'working' }, 10)).toEqual([]);
  });
});
