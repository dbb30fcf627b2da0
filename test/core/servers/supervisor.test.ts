// The supervisor over real processes: env allowlist, whole-tree stop, crash backoff, bad stdout, logs, memory.
import { mkdirSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Host } from '../../../main/core/host.js';
import { systemClock } from '../../../main/core/ports.js';
import { StewardError } from '../../../shared/errors.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function until<T>(fn: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startProbe(host: Host, env: Record<string, string> = {}) {
  const { view, approve } = await addApproved(host, 'probe', NODE, [join(FIXTURES, 'probe-server.mjs')], { env });
  const started = await approve();
  expect(started.status).toBe('running');
  return view.id;
}

describe('environment', () => {
  it('gives a child only the safe host variables and what its config names', async () => {
    t = await makeHost({
      env: {
        ...process.env,
        ANTHROPIC_API_KEY: 'sk-ant-secret',
        OPENAI_API_KEY: 'sk-openai',
        GITHUB_TOKEN: 'ghp_secret',
        AWS_SECRET_ACCESS_KEY: 'aws',
        STEWARD_HOME: '/tmp/steward-home',
        STEWARD_SESSION_TOKEN: 'internal',
      },
    });
    const id = await startProbe(t.host, { SERVER_SETTING: 'configured' });
    const env = JSON.parse(textOf(await t.host.tools.call({ serverId: id, name: 'env', arguments: {} }))) as Record<string, string>;
    expect(env.SERVER_SETTING).toBe('configured');
    expect(env.PATH).toContain(join(NODE, '..'));
    for (const name of ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'STEWARD_HOME', 'STEWARD_SESSION_TOKEN']) {
      expect(env[name], name).toBeUndefined();
    }
    expect(JSON.stringify(env)).not.toMatch(/sk-ant-secret|ghp_secret|sk-openai/);
    // The safe basics, the host's certificate-authority settings, and what the config names.
    const allowed = new Set(['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'LC_ALL', 'TZ', 'SHLVL', 'SERVER_SETTING']);
    for (const trust of ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE']) allowed.add(trust);
    // Node itself may add a few of its own at startup; nothing else of the host's may appear.
    const extra = Object.keys(env).filter((k) => !allowed.has(k) && !k.startsWith('NODE_') && k !== 'COLOR');
    expect(extra).toEqual([]);
  });

  it('keeps env values out of SQLite and shows only their names', async () => {
    t = await makeHost();
    const { view } = await addApproved(t.host, 'secretive', NODE, [join(FIXTURES, 'probe-server.mjs')], { env: { API_TOKEN: 'tok-123456789' } });
    expect(view.envNames).toEqual(['API_TOKEN']);
    t.host.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(join(t.dir, 'data', 'steward.db'));
    expect(bytes.includes(Buffer.from('tok-123456789'))).toBe(false);
  });
});

describe('stop', () => {
  for (const setsid of [false, true]) {
    it(`closes stdin, then SIGTERM, then SIGKILLs the whole tree${setsid ? ' (grandchild in its own session)' : ''}`, async () => {
      t = await makeHost({ stopGraceMs: 300 });
      const { view, approve } = await addApproved(t.host, 'stubborn', NODE, [join(FIXTURES, 'stubborn-server.mjs'), ...(setsid ? ['--setsid'] : [])]);
      expect((await approve()).status).toBe('running');
      const pids = JSON.parse(textOf(await t.host.tools.call({ serverId: view.id, name: 'pids', arguments: {} }))) as { self: number; grandchild: number };
      expect(alive(pids.self) && alive(pids.grandchild)).toBe(true);

      const stopped = await t.host.servers.stop(view.id);
      expect(stopped.status).toBe('stopped');
      await until(() => !alive(pids.self) && !alive(pids.grandchild), 'the tree to die');

      const log = t.host.servers
        .logsPage(view.id, 100)
        .map((l) => l.text)
        .join('\n');
      expect(log).toContain('stdin closed, staying alive');
      expect(log).toContain('sending SIGTERM');
      expect(log).toContain('SIGKILL');
      expect(t.host.store.processes.ofServer(view.id)).toEqual([]);
    });
  }
});

describe('crashes', () => {
  it('restarts a server that keeps crashing while running with backoff up to the cap, then reports "crashed" with the last stderr lines', async () => {
    t = await makeHost({ backoff: { baseMs: 30, maxMs: 60, maxRestarts: 2, healthyAfterMs: 60_000 } });
    const { view, approve } = await addApproved(t.host, 'flaky', NODE, [join(FIXTURES, 'start-probe.mjs'), '--exit-after', '300']);
    const first = await approve();
    expect(['running', 'backoff', 'crashed', 'starting']).toContain(first.status);
    const final = await until(() => {
      const v = t!.host.servers.get(view.id);
      return v.status === 'crashed' ? v : undefined;
    }, 'crashed status');
    expect(final.restarts).toBe(2);
    expect(final.lastError?.code).toBe('server_crashed');
    expect(final.lastError?.message).toContain('exited with code 2');
    expect(final.lastError?.stderrTail.join('\n')).toContain('fatal: lost the database connection');
    expect(final.lastError?.failure).toMatchObject({ class: 'crashed', phase: 'running', retryable: true });
    const crashes = t.host.audit.list({ limit: 10, kind: 'server.crashed' });
    expect(crashes).toHaveLength(3);
  });

  it('restarts a server that crashes while running, and it works again', async () => {
    t = await makeHost({ backoff: { baseMs: 30, maxMs: 60, maxRestarts: 3, healthyAfterMs: 60_000 } });
    const id = await startProbe(t.host);
    const firstPid = t.host.servers.get(id).pid;
    await t.host.tools.call({ serverId: id, name: 'crash', arguments: { code: 7 } });
    await until(() => {
      const v = t!.host.servers.get(id);
      return v.status === 'running' && v.pid !== firstPid ? v : undefined;
    }, 'a restart');
    const echo = await t.host.tools.call({ serverId: id, name: 'read', arguments: { path: join(FIXTURES, 'exit-now.mjs') } });
    expect(textOf(echo)).toContain('ok:');
  });

  it('refuses a command that does not exist, before anything runs', async () => {
    t = await makeHost();
    const view = await t.host.servers.add({ name: 'ghost', config: { transport: 'stdio', command: 'definitely-not-a-command-xyz', args: [], env: {} } });
    await expect(t.host.servers.consentRequest(view.id)).rejects.toMatchObject({ code: 'command_not_found' });
    await expect(t.host.servers.start(view.id)).rejects.toMatchObject({ code: 'command_not_found' });
    expect(t.host.inbox.list()).toEqual([]);
  });
});

describe('bad output on stdout', () => {
  it('logs junk lines, keeps the connection, and fails an oversized reply with a clear error', async () => {
    t = await makeHost();
    const { view, approve } = await addApproved(t.host, 'raw', NODE, [join(FIXTURES, 'raw-server.mjs'), '--noise']);
    expect((await approve()).status).toBe('running');
    const garbage = await t.host.tools.call({ serverId: view.id, name: 'garbage', arguments: {} });
    expect(textOf(garbage)).toBe('garbage done');
    await expect(t.host.tools.call({ serverId: view.id, name: 'big', arguments: {} })).rejects.toMatchObject({ code: 'message_too_large' });
    const ok = await t.host.tools.call({ serverId: view.id, name: 'ok', arguments: {} });
    expect(textOf(ok)).toBe('ok done');
    expect(t.host.servers.get(view.id).status).toBe('running');
    const warnings = t.host.servers
      .logsPage(view.id, 200)
      .filter((l) => l.stream === 'protocol')
      .map((l) => l.text);
    expect(warnings.some((w) => w.includes('Server starting up...'))).toBe(true);
    expect(warnings.some((w) => w.includes('{"not":"json-rpc"}'))).toBe(true);
    expect(warnings.some((w) => w.includes('not json at all'))).toBe(true);
    expect(warnings.some((w) => /over the limit of 10 MB.*reply to request/.test(w))).toBe(true);
  });
});

describe('logs and memory', () => {
  it('keeps stderr and MCP log messages per server and reports memory', async () => {
    t = await makeHost();
    const id = await startProbe(t.host);
    const seen: string[] = [];
    const off = t.host.events.on('logs:changed', (e) => seen.push(...e.lines.map((l) => l.text)));
    await t.host.tools.call({ serverId: id, name: 'log', arguments: { message: 'look-here' } });
    await until(() => seen.some((s) => s.includes('stderr:look-here')) && seen.some((s) => s.includes('[probe] look-here')), 'log events');
    off();
    const lines = t.host.servers.logsPage(id, 50);
    expect(lines.find((l) => l.text === 'stderr:look-here')?.stream).toBe('stderr');
    expect(lines.find((l) => l.text === '[probe] look-here')).toMatchObject({ stream: 'protocol', level: 'warning' });
    t.host.servers.sample();
    expect(t.host.servers.get(id).rssBytes).toBeGreaterThan(10 * 1024 * 1024);
  });
});

describe('background work', () => {
  it('reports a crash whose record cannot be written, and still restarts the server', async () => {
    const reported: string[] = [];
    t = await makeHost({ backoff: { baseMs: 30, maxMs: 60, maxRestarts: 3, healthyAfterMs: 60_000 }, onUnexpected: (where) => reported.push(where) });
    const id = await startProbe(t.host);
    const firstPid = t.host.servers.get(id).pid;
    vi.spyOn(t.host.store.processes, 'clearServer').mockImplementationOnce(() => {
      throw new Error('database is locked');
    });
    await t.host.tools.call({ serverId: id, name: 'crash', arguments: { code: 7 } });
    await until(() => {
      const v = t!.host.servers.get(id);
      return v.status === 'running' && v.pid !== firstPid ? v : undefined;
    }, 'a restart');
    expect(reported).toEqual([`recording the exit of server ${id}`]);
  });

  it('reports a failed memory and idle sample, and a later sample still stops the idle server', async () => {
    let offset = 0;
    const reported: string[] = [];
    t = await makeHost({
      clock: { now: () => Date.now() + offset, setTimeout: systemClock.setTimeout },
      sampleIntervalMs: 50,
      onUnexpected: (where) => reported.push(where),
    });
    const { host } = t;
    const id = await startProbe(host);
    await host.servers.update(id, { options: { idleStopMinutes: 1 } });
    const get = vi.spyOn(host.store.servers, 'get').mockImplementationOnce(() => {
      throw new Error('database is locked');
    });
    await until(() => reported.includes('sampling server memory and idle time'), 'the failed sample to be reported');
    get.mockRestore();
    offset += 61_000;
    await until(() => host.servers.get(id).status === 'stopped', 'the idle stop');
    expect(reported).toEqual(['sampling server memory and idle time']);
  });
});

describe('shutting down', () => {
  /** Processes whose working directory is `dir`: the servers this test started, whoever recorded them. */
  function runningIn(dir: string): number[] {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => {
        try {
          return readlinkSync(`/proc/${pid}/cwd`) === dir && alive(pid);
        } catch {
          return false;
        }
      });
  }

  it('leaves no server running when a start was under way as the host shut down, and starts none after', async () => {
    const reported: string[] = [];
    t = await makeHost({ onUnexpected: (where, error) => reported.push(`${where}: ${String(error)}`) });
    const { host } = t;
    const cwd = join(t.dir, 'work');
    mkdirSync(cwd);
    const { view, approve } = await addApproved(host, 'probe', NODE, [join(FIXTURES, 'probe-server.mjs')], { cwd });
    await approve();
    await host.servers.stop(view.id, 'user');
    // Tried: a start begun just before the shutdown (the way a sign-in's reconnect or a restart races a quit), and one
    // asked for after it.
    const racing = host.servers.ensureRunning(view.id).then(
      () => 'started',
      (error: unknown) => (error instanceof StewardError ? error.code : String(error)),
    );
    await host.dispose();
    expect(['started', 'server_not_running']).toContain(await racing);
    await expect(host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'server_not_running' });
    await until(() => runningIn(cwd).length === 0 || undefined, 'the racing server to be gone');
    expect(reported).toEqual([]);
  });
});
