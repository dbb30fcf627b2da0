// The bundled Folder Guide, registered on first run and run as users get it: sandboxed, reading only shared folders.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsSandbox } from '../../main/core/security/index.js';
import { createHost } from '../../main/core/host.js';
import { FileSecretStore } from '../../main/core/node/index.js';
import { makeHost, noSandbox, tempDir, type TestHost } from '../helpers/host.js';
import { EXAMPLES_DIST, NODE } from '../helpers/paths.js';
import { textOf } from '../helpers/results.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('Folder Guide', () => {
  it('is registered once, needs consent, and reads only the folders shared with it', async () => {
    const shared = tempDir('steward-shared-');
    mkdirSync(join(shared, 'notes'));
    writeFileSync(join(shared, 'notes', 'plan.md'), '# Plan\nShip the consent dialog.\nThen the sandbox.\n');
    writeFileSync(join(shared, 'README.txt'), 'hello folder guide\n');
    const outside = tempDir('steward-outside-');
    writeFileSync(join(outside, 'secret.txt'), 'not for the server');
    symlinkSync(join(outside, 'secret.txt'), join(shared, 'sneaky-link.txt'));

    t = await makeHost({ sandbox: createOsSandbox(), bundled: { examplesDir: EXAMPLES_DIST, runtime: { command: NODE, env: {} } } });
    const { host } = t;
    const [guide] = host.servers.list();
    expect(guide).toMatchObject({ name: 'Folder Guide', source: 'bundled', status: 'stopped', sandbox: { enabled: true } });

    await expect(host.tools.call({ serverId: guide!.id, name: 'list_folders', arguments: {} })).rejects.toMatchObject({ code: 'consent_required' });
    const request = await host.servers.consentRequest(guide!.id);
    expect(request.spec.sandbox.mode).toBe('enforced');
    expect(request.spec.sandbox.writePaths).toEqual([]);
    expect(request.spec.sandbox.allowedDomains).toEqual([]);
    await host.servers.setRoots(guide!.id, [{ path: shared, name: 'project' }]);
    expect((await host.servers.decideConsent(guide!.id, request.spec.hash, 'approve', 'user')).status).toBe('running');

    const call = async (name: string, args: Record<string, unknown> = {}) => host.tools.call({ serverId: guide!.id, name, arguments: args });
    expect(textOf(await call('list_folders'))).toBe(shared);
    const listing = textOf(await call('list_files'));
    expect(listing).toContain('notes/');
    expect(listing).toContain('notes/plan.md');
    expect(textOf(await call('read_file', { path: 'notes/plan.md' }))).toContain('Ship the consent dialog.');
    expect(textOf(await call('search', { query: 'sandbox' }))).toBe('notes/plan.md:3: Then the sandbox.');

    const escape = await call('read_file', { path: '../../etc/hostname' });
    expect(escape.isError).toBe(true);
    expect(textOf(escape)).toMatch(/outside the shared folders|does not exist/);
    const viaLink = await call('read_file', { path: 'sneaky-link.txt' });
    expect(viaLink.isError).toBe(true);
    expect(textOf(viaLink)).toContain('outside the shared folders');
  });

  it('is registered on the first run only, and stays removed if the user removes it', async () => {
    const dir = tempDir('steward-first-run-');
    const open = () =>
      createHost({
        dataDir: { path: dir },
        secrets: FileSecretStore.inDataDir(dir),
        browser: { open: () => Promise.resolve() },
        sandbox: noSandbox,
        bundled: { examplesDir: EXAMPLES_DIST, runtime: { command: NODE, env: {} } },
      });
    const first = await open();
    expect(first.servers.list().map((s) => s.name)).toEqual(['Folder Guide', 'Folder Indexer']);
    for (const bundled of first.servers.list()) await first.servers.remove(bundled.id);
    await first.dispose();
    const second = await open();
    expect(second.servers.list()).toEqual([]);
    await second.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
});
