// Ctrl+C on `steward call`, as a person in a terminal would press it (SIGINT to the real process): the first cancels
// the call at the server (notifications/cancelled) or the task (tasks/cancel), says so and exits 130; a second within
// two seconds exits at once. Also with a sandboxed server, whose runtime installs signal handlers of its own.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitOf, query, running, steward, stewardChild, waitFor } from '../helpers/cli.js';
import { tempDir } from '../helpers/host.js';
import { FIXTURES, NODE } from '../helpers/paths.js';
import { undoAfterEach } from '../helpers/cleanup.js';

const cleanup = undoAfterEach();

function home(): string {
  const dir = tempDir('steward-ctrlc-');
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'data');
}

async function server(data: string, name: string, args: string[], sandbox = false): Promise<void> {
  expect((await steward(data, ['servers', 'add', name, ...(sandbox ? [] : ['--no-sandbox']), '--', NODE, ...args])).code).toBe(0);
  expect((await steward(data, ['consent', 'approve', name, '--yes'])).code).toBe(0);
}

function call(data: string, args: string[]) {
  const child = stewardChild(data, ['call', ...args]);
  cleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exitOf(child);
  });
  return child;
}

const logLines = (data: string) => query<{ text: string }>(data, 'SELECT text FROM server_logs ORDER BY id').map((l) => l.text);

describe('Ctrl+C on steward call', () => {
  it('cancels a running call at the server, reports it and exits 130', async () => {
    const data = home();
    await server(data, 'probe', [join(FIXTURES, 'probe-server.mjs')]);
    const child = call(data, ['probe', 'sleep', '--args', '{"ms":30000}']);
    await waitFor('the call to reach the server', () => logLines(data).includes('probe: sleeping 30000 ms'));
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
    expect(child.output.stderr).toContain('cancelling');
    expect(child.output.stderr).toContain('cancelled "sleep" on "probe": the server was told (notifications/cancelled)');
    await waitFor('the server to hear of it', () => logLines(data).includes('probe: sleep cancelled by the client'));
    const [called] = query<{ data: string }>(data, "SELECT data FROM audit_events WHERE kind = 'tool.called'");
    expect(JSON.parse(called!.data)).toMatchObject({ tool: 'sleep', outcome: 'cancelled' });
  });

  it('cancels a running task with tasks/cancel and reports what the server said', async () => {
    const data = home();
    await server(data, 'local', [join(FIXTURES, 'task-server.mjs')]);
    const child = call(data, ['local', 'job', '--task', '--args', JSON.stringify({ ms: 60_000, steps: 60, pollInterval: 250 })]);
    const task = await waitFor('the task on record', () =>
      query<{ id: string; remote_task_id: string | null }>(data, 'SELECT * FROM tasks').find((t) => t.remote_task_id),
    );
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
    expect(child.output.stderr).toContain(`cancelled "job" on "local": task ${task.id} is cancelled at the server (tasks/cancel)`);
    expect(query<{ status: string }>(data, 'SELECT status FROM tasks')).toEqual([{ status: 'cancelled' }]);
    expect(logLines(data).some((l) => l.startsWith('task-fixture: tasks/cancel for'))).toBe(true);
  });

  it('a second Ctrl+C within two seconds exits at once, even while the cancel is still waiting for the server', async () => {
    const data = home();
    await server(data, 'hang', [join(FIXTURES, 'task-server.mjs'), '--hang-cancel']);
    const child = call(data, ['hang', 'job', '--task', '--args', JSON.stringify({ ms: 60_000, steps: 60, pollInterval: 250 })]);
    await waitFor('the task on record', () => query<{ remote_task_id: string | null }>(data, 'SELECT * FROM tasks').some((t) => t.remote_task_id));
    const [serverProcess] = query<{ pid: number }>(data, "SELECT pid FROM processes WHERE role = 'server'");
    child.kill('SIGINT');
    // The server has the cancel request and will never answer it: without a second Ctrl+C the command would wait.
    await waitFor('the cancel to reach the server', () => logLines(data).some((l) => l.startsWith('task-fixture: tasks/cancel for')));
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
    expect(child.output.stderr).toContain('stopped at once');
    expect(child.output.stderr).not.toContain('cancelled "job"');
    // What it started does not outlive it.
    await waitFor('the server process to go', () => !running(serverProcess!.pid));
  });

  it('works the same with a sandboxed server, whose runtime installs its own SIGINT handler', async () => {
    const data = home();
    await server(data, 'boxed', [join(FIXTURES, 'probe-server.mjs')], true);
    const child = call(data, ['boxed', 'sleep', '--args', '{"ms":30000}']);
    await waitFor('the call to reach the server', () => logLines(data).includes('probe: sleeping 30000 ms'));
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
    expect(child.output.stderr).toContain('cancelled "sleep" on "boxed": the server was told (notifications/cancelled)');
    await waitFor('the server to hear of it', () => logLines(data).includes('probe: sleep cancelled by the client'));
    // Nothing of the sandbox stays behind: no process on record, none running.
    expect(query(data, 'SELECT pid FROM processes')).toEqual([]);
  });
});
