// An update keeps the answers to the settings the new version still has and lets go of the rest: tried, a new version that
// drops a plain setting and a secret one (the old answer to the plain one must not make the update fail, the dropped
// secret must leave the secret store), and an update that clears a secret answer. An update from another author (by
// name, by email), or with a signature where the installed one had none, keeps no secret; nor does an update that makes a
// secret setting plain. Nor does it keep what the user allowed the old publisher's server (sandbox off, a network, a
// root, sampling allowed); the same publisher's update keeps all of that. An install refused because
// the server name is taken leaves no files and no secrets, and the same inspected bundle installs under another name.
// Inspecting again and again (each bundle up to a gigabyte unpacked) keeps at most MAX_STAGED unpacked on disk, one
// after another or all at once.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StewardError } from '../../../shared/errors.js';
import { MAX_STAGED } from '../../../main/core/bundles/service.js';
import { FileSecretStore } from '../../../main/core/node/index.js';
import { makeHost, type TestHost } from '../../helpers/host.js';
import { zipOf } from '../../helpers/zip.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const setting = (title: string, sensitive = false) => ({ type: 'string', title, description: title, required: false, sensitive });

function bundle(version: string, userConfig: Record<string, unknown>, author: Record<string, string> = { name: 'Ada' }): Buffer {
  const manifest = {
    manifest_version: '0.3',
    name: 'notes',
    version,
    description: 'Notes.',
    author,
    server: {
      type: 'node',
      entry_point: 'server/index.js',
      mcp_config: { command: 'node', args: ['${__dirname}/server/index.js'], env: { NOTES_TOKEN: '${user_config.token}' } },
    },
    user_config: userConfig,
  };
  return zipOf([
    { name: 'manifest.json', data: JSON.stringify(manifest) },
    { name: 'server/index.js', data: 'console.log(1)' },
  ]);
}

/** A signature block after the ZIP, as `mcpb sign` appends one; Steward cannot check it, so it only marks the file signed. */
function signed(zip: Buffer): Buffer {
  const der = Buffer.from('not really pkcs7');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(der.length);
  return Buffer.concat([zip, Buffer.from('MCPB_SIG_V1'), length, der, Buffer.from('MCPB_SIG_END')]);
}

async function install(data: Buffer, config: Record<string, string>) {
  const preview = await t!.host.bundles.inspect('notes.mcpb', data);
  return { preview, ...(await t!.host.bundles.install(preview.stagingId, { config })) };
}

describe('updating a bundle', () => {
  it('keeps the answers the new version can use and drops, secrets included, those it cannot', async () => {
    t = await makeHost();
    const secrets = FileSecretStore.inDataDir(join(t.dir, 'data'));
    const first = { keep: setting('Keep'), label: setting('Label'), token: setting('Token', true), old_token: setting('Old token', true) };
    const { bundle: installed } = await install(bundle('1.0.0', first), { keep: 'k', label: 'l', token: 'tok-1', old_token: 'old-1' });
    const prefix = `bundle/${installed.id}/config/`;
    expect((await secrets.keys(prefix)).sort()).toEqual([`${prefix}old_token`, `${prefix}token`]);

    const { bundle: updated, preview } = await install(bundle('2.0.0', { keep: setting('Keep'), token: setting('Token', true) }), {});
    expect(preview.existing).toMatchObject({ bundleId: installed.id, publisherChanged: false });
    expect(updated).toMatchObject({ id: installed.id, version: '2.0.0' });
    expect(t.host.store.bundles.get(installed.id)!.config).toEqual({ keep: 'k' });
    expect(await secrets.keys(prefix)).toEqual([`${prefix}token`]);
    expect(await secrets.get(`${prefix}token`)).toBe('tok-1');

    await install(bundle('2.0.1', { keep: setting('Keep'), token: setting('Token', true) }), { token: '' });
    expect(await secrets.keys(prefix)).toEqual([]);
    expect(t.host.store.bundles.get(installed.id)!.config).toEqual({ keep: 'k' });
  });

  it.each([
    { name: 'another author', data: bundle('2.0.0', { keep: setting('Keep'), token: setting('Token', true) }, { name: 'Mallory' }) },
    { name: 'another email', data: bundle('2.0.0', { keep: setting('Keep'), token: setting('Token', true) }, { name: 'Ada', email: 'ada@elsewhere.example' }) },
    { name: 'a signature the installed one had not', data: signed(bundle('2.0.0', { keep: setting('Keep'), token: setting('Token', true) })) },
  ])('an update from $name keeps the plain answers but no secret, and says so first', async ({ data }) => {
    t = await makeHost();
    const secrets = FileSecretStore.inDataDir(join(t.dir, 'data'));
    const { bundle: installed, server } = await install(bundle('1.0.0', { keep: setting('Keep'), token: setting('Token', true) }), {
      keep: 'k',
      token: 'tok-1',
    });
    expect(await secrets.get(`server/${server.id}/env/NOTES_TOKEN`)).toBe('tok-1');

    const { preview, bundle: updated } = await install(data, {});
    expect(preview.existing).toMatchObject({ bundleId: installed.id, publisherChanged: true });
    expect(updated).toMatchObject({ id: installed.id, version: '2.0.0' });
    expect(t.host.store.bundles.get(installed.id)!.config).toEqual({ keep: 'k' });
    expect(await secrets.keys(`bundle/${installed.id}/`)).toEqual([]);
    expect(await secrets.get(`server/${server.id}/env/NOTES_TOKEN`)).toBeUndefined();
    expect((await t.host.servers.consentRequest(server.id)).spec.envNames).toEqual([]);
  });

  it.each([
    { name: 'the same publisher', author: { name: 'Ada' }, keeps: true },
    { name: 'another publisher', author: { name: 'Mallory' }, keeps: false },
  ])('an update from $name keeps what the user allowed the server only when the publisher is the same', async ({ author, keeps }) => {
    t = await makeHost();
    const { server } = await install(bundle('1.0.0', { keep: setting('Keep') }), { keep: 'k' });
    // What the user allowed the old publisher's code: the sandbox off, a network, a shown hidden folder, a root, sampling.
    await t.host.servers.update(server.id, { sandbox: { enabled: false, allowedDomains: ['api.example.com'], denyReadPaths: ['/srv/private'] } });
    await t.host.servers.setRoots(server.id, [{ path: t.dir }]);
    t.host.sampling.setPolicy(server.id, server.name, { mode: 'allow', reviewReplies: true, budgets: { tokensPerDay: 5 } });

    await install(bundle('2.0.0', { keep: setting('Keep') }, author), {});
    const after = t.host.servers.get(server.id);
    const policy = t.host.sampling.policy(server.id);
    if (keeps) {
      expect(after.sandbox).toMatchObject({ enabled: false, allowedDomains: ['api.example.com'] });
      expect(after.roots).toEqual([{ path: t.dir }]);
      expect(policy).toMatchObject({ mode: 'allow', reviewReplies: true, budgets: { tokensPerDay: 5 } });
    } else {
      // As a new server's, but the folder the user hid stays hidden.
      expect(after.sandbox).toMatchObject({ enabled: true, allowedDomains: [], readPaths: [], denyReadPaths: ['/srv/private'] });
      expect(after.sandbox.writePaths).toEqual(t.host.store.servers.get(server.id)!.sandbox.writePaths);
      expect(after.roots).toEqual([]);
      expect(policy).toEqual(t.host.sampling.policy('a server never configured'));
      const audit = t.host.store.audit.list({ limit: 20 }).map((e) => e.summary);
      expect(audit.some((s) => s.includes('grants, roots and sampling permission asked again'))).toBe(true);
    }
  });

  it('a secret whose setting the new version calls plain is let go, not kept in clear', async () => {
    t = await makeHost();
    const { bundle: installed } = await install(bundle('1.0.0', { token: setting('Token', true) }), { token: 'tok-1' });
    await install(bundle('2.0.0', { token: setting('Token') }), {});
    expect(t.host.store.bundles.get(installed.id)!.config).toEqual({});
  });
});

describe('an install refused', () => {
  it('because the server name is taken leaves nothing behind, and the bundle installs under another name', async () => {
    t = await makeHost();
    const secrets = FileSecretStore.inDataDir(join(t.dir, 'data'));
    await t.host.servers.add({ name: 'notes', config: { transport: 'stdio', command: 'node', args: [], env: {} } });
    const preview = await t.host.bundles.inspect('notes.mcpb', bundle('1.0.0', { token: setting('Token', true) }));

    await expect(t.host.bundles.install(preview.stagingId, { config: { token: 'tok-1' } })).rejects.toMatchObject({ code: 'name_taken' });
    const root = join(t.dir, 'data', 'bundles');
    expect(readdirSync(root).filter((f) => f !== '.staging')).toEqual([]);
    expect(t.host.bundles.list()).toEqual([]);
    expect(await secrets.keys('bundle/')).toEqual([]);

    const { bundle: installed, server } = await t.host.bundles.install(preview.stagingId, { name: 'notes (bundle)', config: { token: 'tok-1' } });
    expect(server.name).toBe('notes (bundle)');
    expect(existsSync(join(t.host.store.bundles.get(installed.id)!.dir, 'server', 'index.js'))).toBe(true);
    expect(readdirSync(join(root, '.staging'))).toEqual([]);
  });
});

describe('bundles inspected and not installed', () => {
  const staging = () => readdirSync(join(t!.dir, 'data', 'bundles', '.staging'));

  it('are kept at most MAX_STAGED at a time: the oldest makes room, and installing it asks for the file again', async () => {
    t = await makeHost();
    // Tried before the fix: every inspect stayed unpacked for an hour, so a caller could fill the disk.
    const previews = [];
    for (let i = 0; i < 5; i++) previews.push(await t.host.bundles.inspect('notes.mcpb', bundle(`1.0.${i}`, {})));
    expect(staging()).toHaveLength(MAX_STAGED);
    await expect(t.host.bundles.install(previews[0]!.stagingId, { config: {} })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.host.bundles.install(previews[4]!.stagingId, { config: {} })).resolves.toMatchObject({ bundle: { version: '1.0.4' } });
  });

  it('keep one that is being installed: inspecting others meanwhile leaves it whole to roll back to', async () => {
    t = await makeHost();
    await install(bundle('1.0.0', {}), {});
    const update = await t.host.bundles.inspect('notes.mcpb', bundle('2.0.0', {}));
    // The update stops the installed server; held here while two more bundles are inspected, then failing.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const stop = t.host.servers.stop.bind(t.host.servers);
    t.host.servers.stop = async () => {
      await held;
      throw new StewardError('server_not_running', 'The server would not stop.');
    };
    const installing = t.host.bundles.install(update.stagingId, { config: {} });
    // Tried before the fix: the installing bundle was the oldest waiting one and made room for these, so its roll-back
    // had nowhere to go: the install failed with a raw ENOENT and left its files behind.
    await t.host.bundles.inspect('notes.mcpb', bundle('3.0.0', {}));
    await t.host.bundles.inspect('notes.mcpb', bundle('3.0.1', {}));
    await expect(t.host.bundles.install(update.stagingId, { config: {} })).rejects.toMatchObject({ code: 'not_found' });
    release();
    await expect(installing).rejects.toMatchObject({ code: 'server_not_running' });
    // Rolled back whole, it waits for another try.
    t.host.servers.stop = stop;
    await expect(t.host.bundles.install(update.stagingId, { config: {} })).resolves.toMatchObject({ bundle: { version: '2.0.0' } });
  });

  it('are never more than MAX_STAGED on disk when many arrive at once', async () => {
    t = await makeHost();
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => t!.host.bundles.inspect('notes.mcpb', bundle(`2.0.${i}`, {}))));
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'limit_reached' });
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect(staging().length).toBeLessThanOrEqual(MAX_STAGED);
  });
});
