// One owner per live thing, across real processes on one data folder: a host in a child process (as the app), real
// `steward` commands beside it, and kill -9. A command never finalises what the live app holds; it asks the app to act
// (answer a question, cancel a task, stop a server) over the control channel; what a dead app held is recovered.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../../shared/domain/inbox.js';
import type { ServerView } from '../../../shared/domain/servers.js';
import { query, running, steward, waitFor } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/host.js';
import { startHostProcess, type HostProcess } from '../../helpers/host-process.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { startListening } from '../../helpers/processes.js';
import { textRequest } from '../../helpers/sampling.js';
import { undoAfterEach } from '../../helpers/cleanup.js';

const cleanup = undoAfterEach();

function home(): string {
  const dir = tempDir('steward-owners-');
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'data');
}

async function app(dataDir: string): Promise<HostProcess> {
  const started = await startHostProcess(dataDir, { kind: 'app' });
  cleanup(() => started.killHard());
  return started;
}

/** Adds a local server in the app process and approves exactly the launch it shows. */
async function approved(host: HostProcess, name: string, args: string[]): Promise<ServerView> {
  const view = await host.call('servers:add', { name, config: { transport: 'stdio', command: NODE, args, env: {} }, sandbox: { enabled: false } });
  const request = await host.call('consent:get', { serverId: view.id });
  return host.call('consent:decide', { serverId: view.id, hash: request.spec.hash, decision: 'approve' });
}

interface RoundRow {
  id: string;
  status: string;
  decided_by: string | null;
  error: string | null;
  owner_pid: number;
}

describe('sampling rounds and questions have one owner', () => {
  it('a command leaves the app’s waiting round alone, answers it through the app, and a dead app’s round is interrupted', async () => {
    const data = home();
    const host = await app(data);
    const sampler = await approved(host, 'sampler', [join(FIXTURES, 'sampling-server.mjs')]);
    expect(sampler.status).toBe('running');

    const answered = host.send('tools:call', { serverId: sampler.id, name: 'sample', arguments: { params: textRequest('First question') } });
    const [round] = await waitFor('the round on record', () => {
      const rows = query<RoundRow>(data, 'SELECT * FROM sampling_rounds');
      return rows.length === 1 && rows[0]!.status === 'waiting' ? rows : undefined;
    });
    expect(round!.owner_pid).toBe(host.pid);

    // Another Steward process starts (any command does) and finishes: the app's round is still the app's.
    expect((await steward(data, ['servers', 'list'])).code).toBe(0);
    expect(query<RoundRow>(data, 'SELECT * FROM sampling_rounds')[0]).toMatchObject({ status: 'waiting', error: null });
    expect((await host.call('inbox:list', {})).map((i) => i.kind)).toEqual(['sampling']);

    // The command sees the app's question and answers it; the app carries the answer out.
    const listed = await steward(data, ['inbox', 'list', '--json']);
    const [item] = (JSON.parse(listed.stdout) as { data: InboxItem[] }).data;
    expect(item).toMatchObject({ kind: 'sampling', serverName: 'sampler', elsewhere: { pid: host.pid, kind: 'app' } });
    const denied = await steward(data, ['inbox', 'deny', item!.id]);
    expect(denied).toMatchObject({ code: 0 });
    expect(denied.stdout).toContain(`Refused the model request from "sampler" (asked by the Steward app (pid ${host.pid}))`);
    const outcome = (await answered).data as { content: { text: string }[] };
    expect(JSON.parse(outcome.content[0]!.text)).toEqual({ error: { code: -1, message: 'User rejected sampling request' } });
    expect(query<RoundRow>(data, 'SELECT * FROM sampling_rounds')[0]).toMatchObject({ status: 'denied', decided_by: 'user' });
    // A second answer to the same question is refused: it was answered once.
    expect((await steward(data, ['inbox', 'deny', item!.id])).code).toBe(4);

    // The app asks again and dies before anyone answers: the next process to start ends the round, with the reason.
    void host.send('tools:call', { serverId: sampler.id, name: 'sample', arguments: { params: textRequest('Second question') } });
    await waitFor('the second round', () => query<RoundRow>(data, "SELECT * FROM sampling_rounds WHERE status = 'waiting'")[0]);
    expect(query(data, 'SELECT id FROM inbox_items')).toHaveLength(1);
    const serverPid = (await host.call('servers:get', { serverId: sampler.id })).pid!;
    await host.killHard();
    expect((await steward(data, ['servers', 'list'])).code).toBe(0);
    const rounds = query<RoundRow>(data, 'SELECT * FROM sampling_rounds ORDER BY received_at');
    expect(rounds.map((r) => r.status)).toEqual(['denied', 'interrupted']);
    expect(rounds[1]!.error).toContain('stopped before it was answered');
    expect(query(data, 'SELECT id FROM inbox_items')).toEqual([]);
    expect(query(data, 'SELECT pid FROM owners')).toEqual([]);
    expect(running(serverPid)).toBe(false);
  });
});

describe('actions on what another process owns go through it', () => {
  it('a command cancels a task the app follows; the app sends tasks/cancel and the command reports it', async () => {
    const data = home();
    const host = await app(data);
    const local = await approved(host, 'local', [join(FIXTURES, 'task-server.mjs')]);
    const task = await host.call('tasks:start', { serverId: local.id, name: 'job', arguments: { ms: 60_000, steps: 60, pollInterval: 250 } });
    expect(query<{ owner_pid: number }>(data, 'SELECT owner_pid FROM tasks')[0]!.owner_pid).toBe(host.pid);

    const cancelled = await steward(data, ['tasks', 'cancel', task.id]);
    expect(cancelled).toMatchObject({ code: 0 });
    expect(cancelled.stdout).toContain('job on local: cancelled');
    expect(query<{ status: string; owner_pid: number }>(data, 'SELECT status, owner_pid FROM tasks')[0]).toEqual({ status: 'cancelled', owner_pid: host.pid });
    expect((await host.call('tasks:get', { taskId: task.id })).status).toBe('cancelled');
    // The app's own connection to the server carried tasks/cancel (the server notes each one on stderr).
    const logs = await host.call('servers:logs', { serverId: local.id, limit: 200 });
    expect(logs.map((l) => l.text).join('\n')).toContain('tasks/cancel for');
  });

  it('a command stops a server the app runs by asking the app, and says so', async () => {
    const data = home();
    const host = await app(data);
    const probe = await approved(host, 'probe', [join(FIXTURES, 'probe-server.mjs')]);
    expect(probe.pid).not.toBeNull();
    const shown = await steward(data, ['servers', 'show', 'probe', '--json']);
    expect((JSON.parse(shown.stdout) as { data: ServerView }).data.elsewhere).toEqual([{ pid: host.pid, kind: 'app' }]);

    const stopped = await steward(data, ['servers', 'stop', 'probe']);
    expect(stopped).toMatchObject({ code: 0 });
    expect(stopped.stdout).toContain(`Stopped it in the Steward app (pid ${host.pid}) as well.`);
    expect((await host.call('servers:get', { serverId: probe.id })).status).toBe('stopped');
    await waitFor('the server process to go', () => !running(probe.pid!));
    expect(query(data, 'SELECT * FROM server_sessions')).toEqual([]);
  });

  it('with no live owner the command acts itself: it takes over a dead app’s remote task and cancels it at the server', async () => {
    const web = await startListening([join(FIXTURES, 'http-server.mjs'), '--tasks']);
    cleanup(() => web.stop());
    const data = home();
    const host = await app(data);
    const view = await host.call('servers:add', { name: 'web', config: { transport: 'http', url: web.url, headers: {} } });
    const task = await host.call('tasks:start', { serverId: view.id, name: 'long_job', arguments: { ms: 60_000, steps: 60 } });
    await host.killHard();

    const cancelled = await steward(data, ['tasks', 'cancel', task.id]);
    expect(cancelled).toMatchObject({ code: 0 });
    expect(cancelled.stdout).toContain('long_job on web: cancelled');
    const [row] = query<{ status: string; owner_pid: number }>(data, 'SELECT status, owner_pid FROM tasks');
    expect(row!.status).toBe('cancelled');
    expect(row!.owner_pid).not.toBe(host.pid);
  });
});
