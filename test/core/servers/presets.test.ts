// Real servers from the npm registry, added the way a newcomer would (npx -y …), run under the default sandbox from a
// folder outside the repo: each is downloaded once into a folder of its own, then runs with no network and read-only code.
// Hostile party tried: a second sandboxed server that tries to rewrite the first one's downloaded code and list its folder.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOsSandbox } from '../../../main/core/security/index.js';
import { makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost;
let home: string;
let work: string;
beforeAll(async () => {
  home = tempDir('steward-home-');
  work = tempDir('steward-work-');
  t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home }, connectTimeoutMs: 60_000 });
});
// Several sandboxed servers stop (each given its grace) and their downloads go: more than the default minute when busy.
afterAll(async () => {
  await t.close();
}, 300_000);

async function addAndApprove(name: string, args: string[], extra: { env?: Record<string, string>; writePaths?: string[] } = {}) {
  const view = await t.host.servers.add({
    name,
    config: { transport: 'stdio', command: 'npx', args, env: extra.env ?? {}, cwd: work },
    sandbox: { writePaths: extra.writePaths ?? [] },
  });
  const request = await t.host.servers.consentRequest(view.id);
  const after = await t.host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
  return { id: view.id, request, after };
}

/** The registry's integrity string of @modelcontextprotocol/server-memory 2026.1.26 (a download is checked against it). */
const OLD_INTEGRITY = 'sha512-7F0hbaEB4lVqkYhNWmrC5jJjEWPCofgXd7OIk3h97HyvJL6aTAhlUNYaH8lCDxAzlK9sr2pLCkZEYI+m4HSOiA==';

const downloads = (id: string) => t.host.servers.logsPage(id, 500).filter((l) => l.text.startsWith('Downloading:'));

describe('registry servers under the default sandbox', () => {
  let memory: { id: string; cacheDir: string };

  // Each download waits on the registry far more than on this machine, and each goes to a server of its own: they run
  // side by side. Each test asserts through its own `expect`, so a failure is reported against the test that saw it.
  describe.concurrent('each downloaded into a folder of its own', () => {
    it('server-filesystem reads and writes inside its grant, and is refused outside it', async ({ expect }) => {
      const notes = join(home, 'notes');
      const readonly = join(home, 'archive');
      mkdirSync(readonly);
      const { id, request, after } = await addAndApprove('files', ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31', notes, readonly], {
        writePaths: [notes],
      });
      const runner = request.spec.runner!;
      expect(runner.mode).toBe('prefetch');
      expect(runner.download?.commandLine).toContain('@modelcontextprotocol/server-filesystem@2026.8.31');
      expect(runner.download?.allowedDomains).toEqual(['registry.npmjs.org']);
      expect(request.spec.sandbox.allowedDomains).toEqual([]);
      expect(runner.packages[0]).toMatchObject({ version: '2026.8.31', pinnedBy: 'config' });
      expect(after.lastError).toBeNull();
      expect(after.status).toBe('running');

      const call = (name: string, args: Record<string, unknown>) => t.host.tools.call({ serverId: id, name, arguments: args });
      expect(textOf(await call('write_file', { path: join(notes, 'a.txt'), content: 'hello' }))).toContain('Successfully wrote');
      expect(textOf(await call('read_text_file', { path: join(notes, 'a.txt') }))).toBe('hello');
      // Outside the folders it was given: the server itself refuses.
      expect((await call('write_file', { path: join(home, 'outside.txt'), content: 'x' })).isError).toBe(true);
      // A folder it was given but Steward did not grant for writing: the sandbox refuses.
      const refused = await call('write_file', { path: join(readonly, 'b.txt'), content: 'x' });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/EROFS|read-only/i);
      expect(existsSync(join(readonly, 'b.txt'))).toBe(false);
      expect(existsSync(join(home, 'outside.txt'))).toBe(false);
    }, 240_000);

    it('server-memory is pinned at first install, runs offline, keeps its graph in a granted folder, and starts warm', async ({ expect }) => {
      const data = join(home, 'memory');
      const { id, request, after } = await addAndApprove('memory', ['-y', '@modelcontextprotocol/server-memory'], {
        env: { MEMORY_FILE_PATH: join(data, 'memory.jsonl') },
        writePaths: [data],
      });
      const pinned = request.spec.runner!.packages[0]!;
      expect(pinned).toMatchObject({
        name: '@modelcontextprotocol/server-memory',
        pinnedBy: 'steward',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/) as string,
      });
      expect(request.findings.map((f) => f.code)).toContain('pinned_package');
      expect(t.host.servers.get(id).packages).toEqual([
        expect.objectContaining({ name: pinned.name, version: pinned.version, integrity: expect.stringMatching(/^sha512-/) as string }) as unknown,
      ]);
      expect(after.status).toBe('running');

      const call = (name: string, args: Record<string, unknown>) => t.host.tools.call({ serverId: id, name, arguments: args });
      await call('create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] });
      expect(textOf(await call('read_graph', {}))).toContain('wrote the first program');
      expect(readFileSync(join(data, 'memory.jsonl'), 'utf8')).toContain('Ada');

      await t.host.servers.stop(id);
      expect((await t.host.servers.start(id)).status).toBe('running');
      expect(downloads(id)).toHaveLength(1);
      memory = { id, cacheDir: request.spec.runner!.cacheDir };
    }, 240_000);

    it('server-everything answers a tool call', async ({ expect }) => {
      const { id, after } = await addAndApprove('everything', ['-y', '@modelcontextprotocol/server-everything@2026.8.31', 'stdio']);
      expect(after.status).toBe('running');
      expect(textOf(await t.host.tools.call({ serverId: id, name: 'echo', arguments: { message: 'from the registry' } }))).toContain('from the registry');
    }, 240_000);

    it('an update is its own step: the newest version the command allows is pinned, and it runs only after consent again', async ({ expect }) => {
      const data = join(home, 'memory-old');
      const { id } = await t.host.servers.add({
        name: 'memory-old',
        config: {
          transport: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-memory@^2026.1.0'],
          env: { MEMORY_FILE_PATH: join(data, 'memory.jsonl') },
          cwd: work,
        },
        sandbox: { writePaths: [data] },
      });
      await t.host.servers.consentRequest(id);
      // As if it had been pinned when 2026.1.26 was the newest release in that range.
      const [newest] = t.host.store.servers.get(id)!.pins;
      const old = { ...newest!, version: '2026.1.26', integrity: OLD_INTEGRITY };
      t.host.store.servers.setPins(id, [old]);
      const first = await t.host.servers.consentRequest(id);
      expect(first.spec.runner!.packages[0]).toMatchObject({ version: '2026.1.26', pinnedBy: 'steward' });
      expect((await t.host.servers.decideConsent(id, first.spec.hash, 'approve', 'user')).status).toBe('running');
      const installed = (dir: string) =>
        (JSON.parse(readFileSync(join(dir, 'node_modules', '@modelcontextprotocol', 'server-memory', 'package.json'), 'utf8')) as { version: string }).version;
      expect(installed(first.spec.runner!.cacheDir)).toBe('2026.1.26');
      await t.host.servers.stop(id);

      const { changes } = await t.host.servers.upgrade(id);
      expect(changes).toEqual([{ name: '@modelcontextprotocol/server-memory', from: '2026.1.26', to: newest!.version }]);
      expect((await t.host.servers.start(id)).status).toBe('awaiting_consent');
      const again = await t.host.servers.consentRequest(id);
      expect(again.changes).toContain(`Packages: added @modelcontextprotocol/server-memory ${newest!.version}`);
      expect(again.changes).toContain('Packages: removed @modelcontextprotocol/server-memory 2026.1.26');
      expect((await t.host.servers.decideConsent(id, again.spec.hash, 'approve', 'user')).status).toBe('running');
      expect(installed(again.spec.runner!.cacheDir)).toBe(newest!.version);
      expect(downloads(id)).toHaveLength(2);
    }, 300_000);
  });

  // After the downloads above: it needs server-memory's code on disk.
  it("one server cannot modify or even see another server's downloaded code", async () => {
    const code = join(memory.cacheDir, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js');
    const before = readFileSync(code, 'utf8');
    const view = await t.host.servers.add({
      name: 'intruder',
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: {}, cwd: work },
    });
    const request = await t.host.servers.consentRequest(view.id);
    await t.host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    const call = async (name: string, args: Record<string, unknown>) => textOf(await t.host.tools.call({ serverId: view.id, name, arguments: args }));
    expect(await call('write', { path: code, content: 'process.exit(0)' })).toMatch(/^denied:/);
    expect(await call('read', { path: code })).toMatch(/^denied:/);
    expect(await call('list', { path: join(t.dir, 'data', 'servers') })).not.toContain(memory.id);
    expect(readFileSync(code, 'utf8')).toBe(before);
    // Nor the user's own npx cache, which a shared cache grant would have opened to every server.
    const userNpx = join(home, '.npm', '_npx', '0123abcd', 'node_modules', 'left-pad', 'index.js');
    mkdirSync(join(userNpx, '..'), { recursive: true });
    writeFileSync(userNpx, 'module.exports = 1;');
    expect(await call('write', { path: userNpx, content: 'process.exit(0)' })).toMatch(/^denied:/);
    expect(readFileSync(userNpx, 'utf8')).toBe('module.exports = 1;');
  });
});
