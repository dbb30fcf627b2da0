// An update keeps the answers to the settings the new version still has and lets go of the rest: tried, a new version that
// drops a plain setting and a secret one (the old answer to the plain one must not make the update fail, the dropped
// secret must leave the secret store), and an update that clears a secret answer.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../../main/core/node/index.js';
import { makeHost, type TestHost } from '../../helpers/host.js';
import { zipOf } from '../../helpers/zip.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const setting = (title: string, sensitive = false) => ({ type: 'string', title, description: title, required: false, sensitive });

function bundle(version: string, userConfig: Record<string, unknown>): Buffer {
  const manifest = {
    manifest_version: '0.3',
    name: 'notes',
    version,
    description: 'Notes.',
    author: { name: 'Ada' },
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

async function install(data: Buffer, config: Record<string, string>) {
  const preview = await t!.host.bundles.inspect('notes.mcpb', data);
  return t!.host.bundles.install(preview.stagingId, { config });
}

describe('updating a bundle', () => {
  it('keeps the answers the new version can use and drops, secrets included, those it cannot', async () => {
    t = await makeHost();
    const secrets = FileSecretStore.inDataDir(join(t.dir, 'data'));
    const first = { keep: setting('Keep'), label: setting('Label'), token: setting('Token', true), old_token: setting('Old token', true) };
    const { bundle: installed } = await install(bundle('1.0.0', first), { keep: 'k', label: 'l', token: 'tok-1', old_token: 'old-1' });
    const prefix = `bundle/${installed.id}/config/`;
    expect((await secrets.keys(prefix)).sort()).toEqual([`${prefix}old_token`, `${prefix}token`]);

    const { bundle: updated } = await install(bundle('2.0.0', { keep: setting('Keep'), token: setting('Token', true) }), {});
    expect(updated).toMatchObject({ id: installed.id, version: '2.0.0' });
    expect(t.host.store.bundles.get(installed.id)!.config).toEqual({ keep: 'k' });
    expect(await secrets.keys(prefix)).toEqual([`${prefix}token`]);
    expect(await secrets.get(`${prefix}token`)).toBe('tok-1');

    await install(bundle('2.0.1', { keep: setting('Keep'), token: setting('Token', true) }), { token: '' });
    expect(await secrets.keys(prefix)).toEqual([]);
    expect(t.host.store.bundles.get(installed.id)!.config).toEqual({ keep: 'k' });
  });
});
