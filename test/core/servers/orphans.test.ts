// Nothing left running: a host (a real child process) is killed with SIGKILL while it runs three servers — one in the
// OS sandbox (with the sandbox's socat bridge beside the host), one that daemonises, one that bridges to an HTTP
// backend it starts — and the next Steward to start stops every process they left, by pid and start token, and says so.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerView } from '../../../shared/domain/servers.js';
import { readProcStat, startTokenOf } from '../../../main/core/owners/index.js';
import { query, running, steward, waitFor } from '../../helpers/cli.js';
import { addApproved, makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { startHostProcess, type HostProcess } from '../../helpers/host-process.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { undoAfterEach } from '../../helpers/cleanup.js';

const cleanup = undoAfterEach();

function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parent) if (ppid === out[i] && !out.includes(pid)) out.push(pid);
  return out;
}

const parentOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};

async function approved(host: HostProcess, name: string, args: string[], sandbox: boolean): Promise<ServerView> {
  const view = await host.call('servers:add', { name, config: { transport: 'stdio', command: NODE, args, env: {} }, sandbox: { enabled: sandbox } });
  const request = await host.call('consent:get', { serverId: view.id });
  expect(request.spec.sandbox.mode).toBe(sandbox ? 'enforced' : 'off');
  const started = await host.call('consent:decide', { serverId: view.id, hash: request.spec.hash, decision: 'approve' });
  expect(started.status).toBe('running');
  return started;
}

async function pidsOf(host: HostProcess, serverId: string): Promise<Record<string, number>> {
  const result = await host.call('tools:call', { serverId, name: 'pids', arguments: {} });
  return JSON.parse(String(result.content[0]?.text)) as Record<string, number>;
}

describe('what a host killed with SIGKILL left running', () => {
  it('is stopped by the next Steward to start: 0 of the three servers’ processes remain, and the cleanup is logged', async () => {
    const dir = tempDir('steward-orphans-');
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const home = join(dir, 'data');
    const host = await startHostProcess(home, { sandbox: true, kind: 'app', sampleIntervalMs: 200 });
    cleanup(() => host.killHard());

    const boxed = await approved(host, 'boxed', [join(FIXTURES, 'probe-server.mjs')], true);
    const daemoniser = await approved(host, 'daemoniser', [join(FIXTURES, 'daemon-server.mjs')], false);
    const bridge = await approved(host, 'bridge', [join(FIXTURES, 'http-bridge-server.mjs')], false);
    const { daemon } = await pidsOf(host, daemoniser.id);
    const { backend } = await pidsOf(host, bridge.id);
    expect((await host.call('tools:call', { serverId: bridge.id, name: 'echo', arguments: { message: 'through' } })).content[0]).toMatchObject({
      text: 'echo:through',
    });
    // The sandbox runtime's bridge to its proxies is a child of the host itself (the relays inside the sandbox are not).
    const socat = descendants(host.pid).filter((pid) => commandOf(pid).startsWith('socat ') && parentOf(pid) === host.pid);
    expect(socat.length).toBeGreaterThan(0);

    // Every one of them is on record with its start token before anything goes wrong.
    const watched = [...descendants(boxed.pid!), ...descendants(daemoniser.pid!), daemon!, ...descendants(bridge.pid!), backend!, ...socat];
    const tokens = new Map(watched.map((pid) => [pid, startTokenOf(pid)]));
    await waitFor('the records of the daemon, the backend and the bridge', () => {
      const recorded = new Set(query<{ pid: number }>(home, 'SELECT pid FROM processes').map((r) => r.pid));
      return [daemon!, backend!, ...socat, boxed.pid!, daemoniser.pid!, bridge.pid!].every((pid) => recorded.has(pid));
    });
    const roles = query<{ pid: number; role: string }>(home, 'SELECT pid, role FROM processes');
    expect(roles.filter((r) => socat.includes(r.pid)).map((r) => r.role)).toEqual(socat.map(() => 'helper'));

    await host.killHard();
    // Without cleanup these would run on: the daemon and the backend outlive their servers, the bridge its host.
    for (const pid of [daemon!, backend!, ...socat]) expect(running(pid), `${pid} ${commandOf(pid)}`).toBe(true);

    const next = await steward(home, ['servers', 'list']);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`Stopped \\d+ process\\(es\\) left running by a Steward that is gone \\(pid ${host.pid}, app\\)`));
    const survivors = () => watched.filter((pid) => running(pid) && startTokenOf(pid) === tokens.get(pid));
    await waitFor('every process to be gone', () => survivors().length === 0, 10_000).catch(() => undefined);
    expect(survivors().map((pid) => `${pid} ${commandOf(pid)}`)).toEqual([]);
    expect(query(home, 'SELECT pid FROM processes')).toEqual([]);
    const [cleaned] = query<{ summary: string; data: string }>(home, "SELECT summary, data FROM audit_events WHERE kind = 'processes.cleaned'");
    const listed = (JSON.parse(cleaned!.data) as { processes: { pid: number }[] }).processes.map((p) => p.pid);
    expect(listed).toEqual(expect.arrayContaining([daemon!, backend!, ...socat]));
    const log = query<{ text: string }>(home, 'SELECT text FROM server_logs WHERE server_id = ?', daemoniser.id).map((l) => l.text);
    expect(log.some((l) => l.includes(`Stopped process ${daemon}`) && l.includes(`pid ${host.pid}`))).toBe(true);
  });
});

describe('a normal stop', () => {
  let t: TestHost | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('takes down a daemon the server started outside its process group', async () => {
    t = await makeHost();
    const { view, approve } = await addApproved(t.host, 'daemoniser', NODE, [join(FIXTURES, 'daemon-server.mjs')]);
    expect((await approve()).status).toBe('running');
    const result = await t.host.tools.call({ serverId: view.id, name: 'pids', arguments: {} });
    const { daemon } = JSON.parse(String(result.content[0]?.text)) as { daemon: number };
    expect(running(daemon)).toBe(true);
    // The server leads its own process group and session; the daemon left both.
    const server = t.host.servers.get(view.id).pid!;
    expect(readProcStat(server)).toMatchObject({ pgid: server, sid: server });
    expect(readProcStat(daemon)?.sid).not.toBe(server);
    await t.host.servers.stop(view.id);
    await waitFor('the daemon to go', () => !running(daemon));
    expect(t.host.store.processes.ofServer(view.id)).toEqual([]);
  });
});
