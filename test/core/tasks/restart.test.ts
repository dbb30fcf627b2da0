// Steward killed mid-task (kill -9) and started again: the records are intact, a remote server's task is followed to
// its end, a local server's task is failed with the reason. And a second Steward leaves a live one's tasks alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { TaskRow } from '../../../main/core/store/index.js';
import { makeHostFor, tempDir, type TestHost } from '../../helpers/host.js';
import { CLI, FIXTURES, NODE } from '../../helpers/paths.js';
import { steward, waitFor } from '../../helpers/cli.js';
import { startListening, type Started } from '../../helpers/processes.js';
import { stringContaining } from '../../helpers/matchers.js';
import { undoAfterEach } from '../../helpers/cleanup.js';

const cleanup = undoAfterEach();

/** A `steward call` left running, to be killed with SIGKILL once its task is on record. */
function backgroundCall(home: string, ...args: string[]): ChildProcess {
  const child = spawn(NODE, [CLI, 'call', ...args], { env: { ...process.env, STEWARD_HOME: home }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.resume();
  cleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

function rows(home: string): TaskRow[] {
  const db = new Database(join(home, 'steward.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT * FROM tasks ORDER BY created_at').all() as TaskRow[];
  } finally {
    db.close();
  }
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

// Each test runs up to seven Steward processes one after another, and a machine loaded as CI's is takes up to tens of
// seconds to start each; a task on record waits for a Steward and its server to start, one after the other.
const STARTED_MS = 90_000;
// A local job that outlasts the test, kept by the fixture as long (its ttl would otherwise end it 60 s after creation).
const LOCAL_JOB = JSON.stringify({ ms: 600_000, steps: 600, pollInterval: 250, ttl: 600_000 });

describe('tasks across a Steward restart', { timeout: 180_000 }, () => {
  it('keeps every record after kill -9, resumes the HTTP task and fails the stdio one with the reason', async () => {
    const web: Started = await startListening([join(FIXTURES, 'http-server.mjs'), '--tasks']);
    cleanup(() => web.stop());
    const dir = tempDir('steward-restart-');
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const home = join(dir, 'data');

    expect((await steward(home, ['servers', 'add', 'web', '--url', web.url])).code).toBe(0);
    expect((await steward(home, ['servers', 'add', 'local', '--no-sandbox', '--', NODE, join(FIXTURES, 'task-server.mjs')])).code).toBe(0);
    expect((await steward(home, ['consent', 'approve', 'local', '--yes'])).code).toBe(0);

    // The remote task is held at the server until released below: however long the two calls take to start, it is still
    // working when Steward is killed.
    const remote = backgroundCall(home, 'web', 'long_job', '--args', JSON.stringify({ ms: 400, steps: 4, held: true }));
    const local = backgroundCall(home, 'local', 'job', '--task', '--args', LOCAL_JOB);
    // Both tasks accepted by their servers and followed for a while.
    const before = await waitFor(
      'both tasks on record',
      () => {
        const all = rows(home);
        return all.length === 2 && all.every((r) => r.remote_task_id && r.status === 'working' && r.owner_pid !== null) ? all : undefined;
      },
      STARTED_MS,
    );
    await waitFor('a status message from the local task', () =>
      rows(home)
        .find((r) => r.label === 'job')
        ?.status_message?.startsWith('step')
        ? true
        : undefined,
    );
    await Promise.all([killHard(remote), killHard(local)]);
    expect(rows(home).filter((r) => r.status === 'working')).toHaveLength(2);

    // Start again on the same data folder.
    const t: TestHost = await makeHostFor(cleanup, { dataDir: { path: home } });
    const [webTask, localTask] = ['long_job', 'job'].map((label) => t.host.tasks.list({}, 10).find((v) => v.label === label)!);
    expect(localTask).toMatchObject({ status: 'failed', error: 'host restarted', statusMessage: stringContaining('local server') });
    // The history from before the crash is all there, and it ends with the reason.
    const localEvents = t.host.tasks.detail(localTask!.id).events;
    expect(localEvents[0]).toMatchObject({ status: 'working' });
    expect(localEvents.some((e) => e.message?.startsWith('step'))).toBe(true);
    expect(localEvents.at(-1)).toMatchObject({ status: 'failed' });

    await fetch(new URL('/admin/release', web.url), { method: 'POST' });
    const settled = await t.host.tasks.requester.settle(webTask!.id);
    expect(settled.status).toBe('completed');
    expect(settled.remote_task_id).toBe(before.find((r) => r.label === 'long_job')!.remote_task_id);
    expect(t.host.tasks.resultPage(webTask!.id, 0).text).toContain('long_job done after 4 steps');
    expect(t.host.tasks.list({ status: 'working' }, 10)).toHaveLength(0);
  });

  it('leaves the tasks of another running Steward alone', async () => {
    const dir = tempDir('steward-owner-');
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const home = join(dir, 'data');
    expect((await steward(home, ['servers', 'add', 'local', '--no-sandbox', '--', NODE, join(FIXTURES, 'task-server.mjs')])).code).toBe(0);
    expect((await steward(home, ['consent', 'approve', 'local', '--yes'])).code).toBe(0);
    const running = backgroundCall(home, 'local', 'job', '--task', '--args', LOCAL_JOB);
    await waitFor('the task on record', () => rows(home).find((r) => r.remote_task_id && r.status === 'working'), STARTED_MS);

    // A second Steward on the same data (as `steward tasks list` in another terminal would be).
    const list = await steward(home, ['tasks', 'list', '--json']);
    const listed = (JSON.parse(list.stdout) as { data: Array<{ id: string }> }).data;
    expect(listed).toMatchObject([{ label: 'job', status: 'working' }]);
    const shown = await steward(home, ['tasks', 'show', listed[0]!.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/job on local {2}\[working\][\s\S]*history:[\s\S]*working/);
    expect((await steward(home, ['tasks', 'result', listed[0]!.id, '--json'])).code).toBe(4);
    expect((await steward(home, ['tasks', 'list', '--status', 'bogus'])).code).toBe(2);
    const t = await makeHostFor(cleanup, { dataDir: { path: home } });
    const [task] = t.host.tasks.list({}, 10);
    expect(task).toMatchObject({ status: 'working' });
    await expect(t.host.tasks.cancel(task!.id)).rejects.toMatchObject({ code: 'not_supported', message: stringContaining(`pid ${running.pid}`) });
    expect(rows(home)[0]!.owner_pid).toBe(running.pid);
  });
});
