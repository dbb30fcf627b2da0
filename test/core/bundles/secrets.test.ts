// A secret setting reaches a bundle's server only as an environment variable, kept in the secret store: tried, a plain
// setting whose default, or whose typed answer, names the secret one and is passed as an argument (refused at install,
// nothing stored, and the same bundle installs once the answer is plain), and a secret with `$&` in it, which a string
// replacement would read as a pattern.
import { existsSync, readFileSync } from 'node:fs';
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

const SECRET = 'tok-secret-0123456789';

/** Whether the database (its write-ahead log included) holds the secret anywhere. */
function inDatabase(dir: string): boolean {
  return ['steward.db', 'steward.db-wal'].some((f) => existsSync(join(dir, 'data', f)) && readFileSync(join(dir, 'data', f)).includes(SECRET));
}

function bundle(labelDefault?: string): Buffer {
  const manifest = {
    manifest_version: '0.3',
    name: 'notes',
    version: '1.0.0',
    description: 'Notes.',
    author: { name: 'Ada' },
    server: {
      type: 'node',
      entry_point: 'server/index.js',
      mcp_config: { command: 'node', args: ['${__dirname}/server/index.js', '--label=${user_config.label}'], env: { NOTES_TOKEN: '${user_config.token}' } },
    },
    user_config: {
      label: { type: 'string', title: 'Label', description: 'A label', required: false, ...(labelDefault ? { default: labelDefault } : {}) },
      token: { type: 'string', title: 'Token', description: 'The token', sensitive: true, required: true },
    },
  };
  return zipOf([
    { name: 'manifest.json', data: JSON.stringify(manifest) },
    { name: 'server/index.js', data: 'console.log(1)' },
  ]);
}

describe('secret bundle settings', () => {
  it.each<{ name: string; data: () => Buffer; label?: string }>([
    { name: 'by its default', data: () => bundle('${user_config.token}') },
    { name: 'by the answer typed', data: () => bundle(), label: '${user_config.token}' },
  ])('a plain argument that names the secret one $name is refused, and nothing is kept', async ({ data, label }) => {
    t = await makeHost();
    const preview = await t.host.bundles.inspect('notes.mcpb', data());
    const config = { ...(label === undefined ? {} : { label }), token: SECRET };
    const refused = await t.host.bundles.install(preview.stagingId, { config }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'bundle_invalid' });
    expect((refused as Error).message).toContain('"Token"');
    expect(t.host.servers.list()).toEqual([]);
    expect(inDatabase(t.dir)).toBe(false);

    const { server } = await t.host.bundles.install(preview.stagingId, { config: { label: 'plain', token: SECRET } });
    const { spec } = await t.host.servers.consentRequest(server.id);
    expect(spec.args.slice(1)).toEqual(['--label=plain']);
    expect(spec.envNames).toEqual(['NOTES_TOKEN']);
    expect(inDatabase(t.dir)).toBe(false);
  });

  it('a secret reaches its variable exactly as typed', async () => {
    t = await makeHost();
    const preview = await t.host.bundles.inspect('notes.mcpb', bundle());
    const typed = "p$&ss$'word$1";
    const { server } = await t.host.bundles.install(preview.stagingId, { config: { token: typed } });
    expect(await FileSecretStore.inDataDir(join(t.dir, 'data')).get(`server/${server.id}/env/NOTES_TOKEN`)).toBe(typed);
  });
});
