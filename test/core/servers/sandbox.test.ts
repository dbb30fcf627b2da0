// The real OS sandbox (bubblewrap here): secrets unreadable, writes only to granted folders, no network by default.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsSandbox } from '../../../main/core/security/index.js';
import { makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';

let t: TestHost | undefined;
let listener: Server | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  listener?.close();
  listener = undefined;
});

const textOf = (r: { content: Record<string, unknown>[] }) => r.content.map((c) => (typeof c.text === 'string' ? c.text : '')).join('');

describe('sandboxed launch', () => {
  it('hides secret folders, refuses writes outside grants and has no network', async () => {
    const home = tempDir('steward-home-');
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'id_rsa'), 'PRIVATE KEY');
    mkdirSync(join(home, 'granted'));
    t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home } });
    const { host } = t;
    const view = await host.servers.add({
      name: 'probe',
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: {} },
      sandbox: { writePaths: [join(home, 'granted')] },
    });
    const request = await host.servers.consentRequest(view.id);
    expect(request.spec.sandbox.mode).toBe('enforced');
    expect(request.spec.sandbox.writePaths).toEqual([join(home, 'granted')]);
    expect(request.spec.sandbox.denyReadPaths).toEqual(expect.arrayContaining([join(home, '.ssh'), join(t.dir, 'data')]));
    expect((await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user')).status).toBe('running');

    const call = async (name: string, args: Record<string, unknown>) => textOf(await host.tools.call({ serverId: view.id, name, arguments: args }));
    expect(await call('read', { path: join(home, '.ssh', 'id_rsa') })).toMatch(/^denied:/);
    expect(await call('read', { path: join(t.dir, 'data', 'steward.db') })).toMatch(/^denied:/);
    expect(await call('read', { path: join(FIXTURES, 'exit-now.mjs') })).toMatch(/^ok:/);

    expect(await call('write', { path: join(home, 'granted', 'note.txt'), content: 'hi' })).toBe('ok:written');
    expect(existsSync(join(home, 'granted', 'note.txt'))).toBe(true);
    expect(await call('write', { path: join(home, 'outside.txt'), content: 'hi' })).toMatch(/^denied:(EROFS|EACCES|EPERM)/);
    expect(existsSync(join(home, 'outside.txt'))).toBe(false);

    listener = createServer((s) => s.end()).listen(0, '127.0.0.1');
    await new Promise((r) => listener!.once('listening', r));
    const port = (listener.address() as { port: number }).port;
    expect(await call('connect', { host: '127.0.0.1', port })).toMatch(/^denied:/);

    await host.servers.stop(view.id);
  });

  it('refuses to launch when the sandbox is missing, unless the user turned it off', async () => {
    t = await makeHost({
      sandbox: {
        support: () => Promise.resolve({ kind: 'missing', reason: 'bwrap is not installed.' }),
        wrap: () => Promise.reject(new Error('unused')),
        dispose: () => Promise.resolve(),
      },
    });
    const view = await t.host.servers.add({
      name: 'probe',
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: {} },
    });
    await expect(t.host.servers.consentRequest(view.id)).rejects.toMatchObject({ code: 'sandbox_unavailable' });
    await t.host.servers.update(view.id, { sandbox: { enabled: false } });
    const request = await t.host.servers.consentRequest(view.id);
    expect(request.spec.sandbox.mode).toBe('off');
    expect(request.findings.map((f) => f.code)).toContain('sandbox_off');
    const recorded = t.host.audit.list({ limit: 5, kind: 'sandbox.disabled' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.actor).toBe('user');
  });
});
