// Failed starts under the real sandbox say what happened and what to do, are not retried when they would fail again,
// and stay with the server after the process that saw them is gone. Provoked for real: a tunnel to a host the sandbox
// refuses, a write outside the grants, a runtime that is not installed, a package the registry does not have, a server
// that dies before the handshake and one that never answers.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../../main/core/host.js';
import { createOsSandbox } from '../../../main/core/security/index.js';
import { makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const START = join(FIXTURES, 'start-probe.mjs');

async function sandboxedHost(extra: Parameters<typeof makeHost>[0] = {}) {
  const home = tempDir('steward-home-');
  t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home }, ...extra });
  return { host: t.host, home };
}

async function approveAndStart(host: Host, name: string, command: string, args: string[], sandbox = {}) {
  const view = await host.servers.add({ name, config: { transport: 'stdio', command, args, env: {} }, sandbox });
  const request = await host.servers.consentRequest(view.id);
  return { id: view.id, after: await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user') };
}

describe('a failed start, classified', () => {
  it('a refused connection names the host, and its fix goes through consent with the change shown', async () => {
    const { host } = await sandboxedHost();
    const { id, after } = await approveAndStart(host, 'net', NODE, [START, '--connect', 'blocked.example.net:443']);
    expect(after.status).toBe('error');
    expect(after.lastError?.failure).toMatchObject({
      class: 'network_blocked',
      summary: 'Blocked: blocked.example.net — Allow and restart',
      evidence: expect.stringContaining('deny network-outbound blocked.example.net:443') as string,
      fix: { kind: 'allow_domain', value: 'blocked.example.net', command: 'steward servers grant net --allow-domain blocked.example.net' },
      retryable: false,
    });
    // Not retried: a certain failure stays an error, with one start in the log.
    expect(after.restarts).toBe(0);
    const starts = host.servers.logsPage(id, 200).filter((l) => l.text.startsWith('Started process'));
    expect(starts).toHaveLength(1);

    await host.servers.grant(id, { allowDomains: ['blocked.example.net'] }, 'grant');
    expect((await host.servers.start(id)).status).toBe('awaiting_consent');
    const again = await host.servers.consentRequest(id);
    expect(again.changes).toEqual(['Network: added blocked.example.net']);
  });

  it('a write outside the grants names the folder; granting it creates it and the server starts', async () => {
    const { host, home } = await sandboxedHost();
    const out = join(home, 'exports');
    const { id, after } = await approveAndStart(host, 'writer', NODE, [START, '--write', join(out, 'report.txt')]);
    expect(after.lastError?.failure).toMatchObject({ class: 'write_blocked', fix: { kind: 'allow_write', value: out } });
    expect(after.lastError?.failure?.fix.command).toBe(`steward servers grant writer --allow-write ${out}`);

    await host.servers.grant(id, { allowWrite: [out] }, 'grant');
    const request = await host.servers.consentRequest(id);
    expect(request.changes).toEqual([`May write to: added ${out}`]);
    expect(existsSync(out)).toBe(false);
    const running = await host.servers.decideConsent(id, request.spec.hash, 'approve', 'user');
    expect(running.status).toBe('running');
    expect(existsSync(join(out, 'report.txt'))).toBe(true);
    expect(running.lastError).toBeNull();
  });

  it('a server that exits before the handshake is not restarted, and says so', async () => {
    const { host } = await sandboxedHost();
    const { id, after } = await approveAndStart(host, 'exits', NODE, [join(FIXTURES, 'exit-now.mjs')]);
    expect(after.status).toBe('error');
    expect(after.lastError?.failure).toMatchObject({ class: 'exited_before_initialize', summary: expect.stringContaining('exited with code 2') as string });
    expect(after.lastError?.stderrTail).toContain('fatal: missing configuration file ~/.exit-now.toml');
    expect(host.servers.logsPage(id, 200).filter((l) => l.text.startsWith('Started process'))).toHaveLength(1);
    expect(host.audit.list({ limit: 10, kind: 'server.failed' })).toHaveLength(1);
  });

  it('a server that never answers the handshake is stopped and named a timeout', async () => {
    const { host } = await sandboxedHost({ connectTimeoutMs: 1500 });
    const { after } = await approveAndStart(host, 'silent', NODE, ['-e', 'setInterval(() => {}, 1000)']);
    expect(after.status).toBe('error');
    expect(after.pid).toBeNull();
    expect(after.lastError?.failure).toMatchObject({ class: 'initialize_timeout', retryable: true });
  });

  it('a runtime that is not installed is refused before anything runs, with the install hint, and kept', async () => {
    const { host } = await sandboxedHost({ env: { ...process.env, PATH: '/nonexistent', HOME: tempDir('steward-home-') } });
    const view = await host.servers.add({ name: 'py', config: { transport: 'stdio', command: 'uvx', args: ['mcp-server-time'], env: {} } });
    await expect(host.servers.consentRequest(view.id)).rejects.toMatchObject({ code: 'runtime_missing' });
    expect(host.servers.get(view.id).lastError?.failure).toMatchObject({ class: 'runtime_missing', fix: { kind: 'install' } });
    expect(host.servers.get(view.id).lastError?.message).toContain('docs.astral.sh/uv');
  });

  it('a package the registry does not have is named, and nothing is downloaded', async () => {
    const { host } = await sandboxedHost();
    const view = await host.servers.add({
      name: 'nope',
      config: { transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-does-not-exist-steward'], env: {} },
    });
    await expect(host.servers.start(view.id)).rejects.toMatchObject({ code: 'package_not_found' });
    expect(host.servers.get(view.id).lastError?.failure).toMatchObject({ class: 'package_not_found' });
    expect(host.servers.get(view.id).status).toBe('error');
    expect(existsSync(join(t!.dir, 'data', 'servers', view.id, 'packages'))).toBe(false);
  }, 60_000);

  it('keeps the last error with the server for the next Steward process, until it comes up', async () => {
    const home = tempDir('steward-home-');
    const data = tempDir('steward-data-');
    const open = () => makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home }, dataDir: { path: data } });
    t = await open();
    const { id } = await approveAndStart(t.host, 'writer', NODE, [START, '--write', join(home, 'out', 'x')]);
    await t.host.dispose();
    t = await open();
    expect(t.host.servers.get(id)).toMatchObject({ status: 'stopped', lastError: { failure: { class: 'write_blocked' } } });
    mkdirSync(join(home, 'out'));
    await t.host.servers.grant(id, { allowWrite: [join(home, 'out')] }, 'grant');
    const request = await t.host.servers.consentRequest(id);
    expect((await t.host.servers.decideConsent(id, request.spec.hash, 'approve', 'user')).status).toBe('running');
    await t.host.dispose();
    t = await open();
    expect(t.host.servers.get(id).lastError).toBeNull();
  });
});
