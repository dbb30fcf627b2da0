// The real OS sandbox (bubblewrap here): secrets unreadable, writes only to granted folders, no network by default.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsSandbox, hiddenLocations, isAtOrUnder } from '../../../main/core/security/index.js';
import { makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost | undefined;
let listener: Server | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  listener?.close();
  listener = undefined;
});

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

describe('hidden locations under the real sandbox', () => {
  // Every credential and history location of the one list, as files a server could want; a probe server tries each.
  const SECRETS = [
    '.claude/.credentials.json',
    '.claude.json',
    '.bash_history',
    '.zsh_history',
    '.local/share/fish/fish_history',
    '.python_history',
    '.node_repl_history',
    '.psql_history',
    '.env',
    '.netrc',
    '.git-credentials',
    '.config/git/credentials',
    '.config/gh/hosts.yml',
    '.local/share/keyrings/login.keyring',
    '.password-store/bank.gpg',
    '.aws/credentials',
    '.azure/msal_token_cache.json',
    '.config/gcloud/application_default_credentials.json',
    '.kube/config',
    '.docker/config.json',
    '.ssh/id_ed25519',
    '.gnupg/private-keys-v1.d/key.key',
    '.mozilla/firefox/p.default/logins.json',
    '.config/google-chrome/Default/Cookies',
    '.config/chromium/Default/Login Data',
    '.config/BraveSoftware/Brave-Browser/Default/Cookies',
    '.config/Claude/claude_desktop_config.json',
    '.config/Code/User/mcp.json',
    '.cursor/mcp.json',
    '.npmrc',
    '.pypirc',
    '.cargo/credentials.toml',
    '.cargo/credentials',
    '.pgpass',
    '.my.cnf',
    '.config/rclone/rclone.conf',
    '.config/containers/auth.json',
    '.config/configstore/update-notifier-npm.json',
    '.config/github-copilot/hosts.json',
    '.codex/auth.json',
    '.gemini/oauth_creds.json',
    '.terraform.d/credentials.tfrc.json',
    '.vault-token',
    '.oci/config',
    '.config/doctl/config.yaml',
    '.config/hcloud/cli.toml',
    '.fly/config.yml',
    '.config/heroku/config.json',
    '.databrickscfg',
    '.s3cfg',
    '.boto',
    '.config/hub',
    '.config/glab-cli/config.yml',
    '.config/op/config',
    '.yarnrc.yml',
    '.config/pip/pip.conf',
    '.gem/credentials',
    '.m2/settings.xml',
    '.gradle/gradle.properties',
    '.codeium/windsurf/mcp_config.json',
    '.zhistory',
    '.zsh_sessions/abc.history',
    '.sh_history',
    '.history',
    '.mysql_history',
    '.sqlite_history',
    '.rediscli_history',
    '.lesshst',
    '.viminfo',
    '.thunderbird/p.default/logins.json',
    '.local/share/kwalletd/kdewallet.kwl',
    '.pki/nssdb/key4.db',
    'snap/firefox/common/.mozilla/firefox/p.default/logins.json',
    '.var/app/org.mozilla.firefox/.mozilla/firefox/p.default/logins.json',
    '.config/microsoft-edge/Default/Cookies',
    '.config/vivaldi/Default/Login Data',
    '.config/opera/Cookies',
    '.config/Cursor/User/settings.json',
    '.config/Steward/steward.db',
  ];

  it('tries every location of the one list (a location added to it must be tried here too)', () => {
    const home = '/home/ada';
    const untried = hiddenLocations('linux', home, `${home}/.config/Steward`).filter(
      (h) => !SECRETS.some((rel) => isAtOrUnder(join(home, rel), h.path, 'linux')),
    );
    expect(untried.map((h) => h.path)).toEqual([]);
  });

  it('a server that tries to read each one reads none, nor Steward’s data, but reads an ordinary file', async () => {
    const home = tempDir('steward-home-');
    for (const rel of SECRETS) {
      mkdirSync(join(home, rel, '..'), { recursive: true });
      writeFileSync(join(home, rel), `SECRET ${rel}`);
    }
    mkdirSync(join(home, 'notes'));
    writeFileSync(join(home, 'notes', 'todo.txt'), 'ordinary');
    t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home } });
    const { host } = t;
    const view = await host.servers.add({ name: 'snoop', config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: {} } });
    const request = await host.servers.consentRequest(view.id);
    expect((await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user')).status).toBe('running');
    const call = async (name: string, args: Record<string, unknown>) => textOf(await host.tools.call({ serverId: view.id, name, arguments: args }));

    const read: Record<string, string> = {};
    for (const rel of SECRETS) read[rel] = await call('read', { path: join(home, rel) });
    expect(Object.entries(read).filter(([, outcome]) => !outcome.startsWith('denied:'))).toEqual([]);
    expect(await call('read', { path: join(t.dir, 'data', 'steward.db') })).toMatch(/^denied:/);
    expect(await call('list', { path: join(t.dir, 'data') })).not.toContain('steward.db');
    expect(await call('read', { path: join(home, 'notes', 'todo.txt') })).toBe('ok:ordinary');
  });

  it('a grant inside a hidden location is refused with the reason; showing one whole location shows only that one', async () => {
    const home = tempDir('steward-home-');
    for (const rel of ['.aws/credentials', '.ssh/id_rsa']) {
      mkdirSync(join(home, rel, '..'), { recursive: true });
      writeFileSync(join(home, rel), `SECRET ${rel}`);
    }
    t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home } });
    const { host } = t;
    const view = await host.servers.add({ name: 'aws', config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: {} } });
    await expect(host.servers.grant(view.id, { allowWrite: [join(t.dir, 'data', 'servers', view.id, 'x')] }, 'grant')).rejects.toMatchObject({
      code: 'grant_refused',
      message: expect.stringContaining("Steward's own data") as string,
    });
    await expect(host.servers.grant(view.id, { allowRead: [join(home, '.ssh', 'config')] }, 'grant')).rejects.toMatchObject({
      code: 'grant_refused',
      message: expect.stringContaining('stays hidden as a whole') as string,
    });
    await host.servers.grant(view.id, { allowRead: [join(home, '.aws')] }, 'grant');
    const request = await host.servers.consentRequest(view.id);
    expect(request.findings.map((f) => `${f.code}:${f.evidence}`)).toContain(`shows_hidden:${join(home, '.aws')}`);
    await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    const call = async (name: string, args: Record<string, unknown>) => textOf(await host.tools.call({ serverId: view.id, name, arguments: args }));
    expect(await call('read', { path: join(home, '.aws', 'credentials') })).toBe('ok:SECRET .aws/credentials');
    expect(await call('read', { path: join(home, '.ssh', 'id_rsa') })).toMatch(/^denied:/);
    expect(await call('read', { path: join(t.dir, 'data', 'steward.db') })).toMatch(/^denied:/);
  });
});

describe('writes: exactly what the consent lists', () => {
  it('creates granted folders and its own temp folder, and writes nowhere else (not ~/.npm/_logs, not a shared temp)', async () => {
    const home = tempDir('steward-home-');
    mkdirSync(join(home, '.npm', '_logs'), { recursive: true });
    t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home } });
    const { host } = t;
    const granted = join(home, 'not', 'there', 'yet');
    const view = await host.servers.add({
      name: 'writer',
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: {} },
      sandbox: { writePaths: [granted] },
    });
    const request = await host.servers.consentRequest(view.id);
    const sb = request.spec.sandbox;
    const tmp = join(t.dir, 'data', 'servers', view.id, 'tmp');
    expect(sb.writePaths).toEqual([granted]);
    expect(sb.ownWritePaths).toEqual([tmp]);
    expect(sb.tempDir).toBe(tmp);
    expect(sb.runtimeWritePaths).toEqual(['/dev/stdout', '/dev/stderr', '/dev/null', '/dev/tty']);
    expect(existsSync(granted)).toBe(false);
    expect((await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user')).status).toBe('running');
    expect(existsSync(granted)).toBe(true);

    const call = async (name: string, args: Record<string, unknown>) => textOf(await host.tools.call({ serverId: view.id, name, arguments: args }));
    const env = JSON.parse(await call('env', {})) as Record<string, string>;
    expect(env.TMPDIR).toBe(tmp);
    expect(await call('write', { path: join(granted, 'a.txt'), content: 'a' })).toBe('ok:written');
    expect(await call('write', { path: join(tmp, 'scratch'), content: 'b' })).toBe('ok:written');
    for (const outside of [join(home, '.npm', '_logs', 'x.log'), join(home, 'x'), '/tmp/steward-probe-outside', join(home, '.claude', 'debug', 'x')]) {
      expect(await call('write', { path: outside, content: 'c' })).toMatch(/^denied:/);
      expect(existsSync(outside)).toBe(false);
    }
  });

  it('refuses a granted folder it cannot create, naming it', async () => {
    const home = tempDir('steward-home-');
    writeFileSync(join(home, 'a-file'), 'x');
    t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home } });
    const view = await t.host.servers.add({
      name: 'blocked',
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: {} },
      sandbox: { writePaths: [join(home, 'a-file', 'sub')] },
    });
    const request = await t.host.servers.consentRequest(view.id);
    const after = await t.host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    expect(after.status).toBe('error');
    expect(after.lastError?.message).toContain(join(home, 'a-file', 'sub'));
  });
});
