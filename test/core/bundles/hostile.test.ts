// Hostile and broken bundles are refused with a clear code and sentence, and leave nothing behind. Tried: zip slip by "..",
// by an absolute path and by a backslash; a symbolic link; the same name twice; a file over the size cap; an entry that
// declares 4 GB; too many files; bad JSON; an unknown manifest version; a manifest missing its author; a setting name
// built to break a regular expression; a platform and a Node.js version this computer does not have; a missing runtime;
// file modes that are setuid or writable by others; a runtime missing only in this platform's override, and one missing
// only in the base command this platform does not run; a secret setting put into the arguments or into the command of
// this platform's override.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHost, type TestHost } from '../../helpers/host.js';
import { helloManifest, zipOf, type RawEntry } from '../../helpers/zip.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const manifest = helloManifest;

const python = (mcpConfig: Record<string, unknown>) => ({
  type: 'python',
  entry_point: 'main.py',
  mcp_config: { args: ['${__dirname}/main.py'], ...mcpConfig },
});
const secret = { type: 'string', title: 'API key', description: 'The key', sensitive: true, required: true };

const good: RawEntry[] = [
  { name: 'manifest.json', data: manifest() },
  { name: 'server/index.js', data: 'console.log(1)' },
];

async function inspect(entries: RawEntry[] | Buffer, caps = {}) {
  t ??= await makeHost({ bundleCaps: caps });
  const data = Buffer.isBuffer(entries) ? entries : zipOf(entries);
  return t.host.dispatch('bundles:inspect', { fileName: 'x.mcpb', data: data.toString('base64') });
}

function leftovers(): string[] {
  const dir = join(t!.dir, 'data', 'bundles');
  // The empty staging folder itself may stay; nothing inside it, and nothing installed.
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((p) => p !== '.staging')
    : [];
}

describe('hostile bundles', () => {
  it.each([
    { name: 'zip slip with ..', entries: [...good, { name: '../../evil.txt', data: 'x' }], code: 'bundle_invalid', says: 'outside its folder' },
    { name: 'an absolute path', entries: [...good, { name: '/tmp/evil.txt', data: 'x' }], code: 'bundle_invalid', says: 'outside its folder' },
    { name: 'a backslash path', entries: [...good, { name: '..\\evil.txt', data: 'x' }], code: 'bundle_invalid', says: 'outside its folder' },
    { name: 'a symbolic link', entries: [...good, { name: 'link', data: '/etc/passwd', mode: 0o120777 }], code: 'bundle_invalid', says: 'symbolic link' },
    { name: 'the same name twice', entries: [...good, { name: 'server/index.js', data: 'y' }], code: 'bundle_invalid', says: 'twice' },
    { name: 'a 4 GB entry', entries: [...good, { name: 'bomb.bin', data: 'x', declaredSize: 0xfffffffe }], code: 'bundle_invalid', says: 'cap for one file' },
    { name: 'no manifest', entries: [{ name: 'server/index.js', data: '' }], code: 'bundle_invalid', says: 'no manifest.json' },
    { name: 'a manifest that is not JSON', entries: [{ name: 'manifest.json', data: '{ nope' }], code: 'bundle_invalid', says: 'not valid JSON' },
    {
      name: 'an unknown manifest version',
      entries: [{ name: 'manifest.json', data: manifest({ manifest_version: '9.9' }) }],
      code: 'bundle_invalid',
      says: '0.1 to 0.4',
    },
    {
      name: 'a manifest without its author',
      entries: [{ name: 'manifest.json', data: manifest({ author: undefined }) }],
      code: 'bundle_invalid',
      says: 'author',
    },
    {
      name: 'a setting name built to break a regular expression',
      entries: [{ name: 'manifest.json', data: manifest({ user_config: { 'a(': { type: 'string', title: 'A' } } }) }],
      code: 'bundle_invalid',
      says: 'a(',
    },
    {
      name: 'another platform',
      entries: [{ name: 'manifest.json', data: manifest({ compatibility: { platforms: ['win32'] } }) }],
      code: 'bundle_incompatible',
      says: 'runs only on win32',
    },
    {
      name: 'a Node.js this computer does not have',
      entries: [{ name: 'manifest.json', data: manifest({ compatibility: { runtimes: { node: '>=99.0.0' } } }) }],
      code: 'bundle_incompatible',
      says: 'needs Node.js >=99.0.0',
    },
    {
      name: 'a runtime that is not installed',
      entries: [
        {
          name: 'manifest.json',
          data: manifest({ server: { type: 'python', entry_point: 'main.py', mcp_config: { command: 'python3.99', args: ['${__dirname}/main.py'] } } }),
        },
      ],
      code: 'runtime_missing',
      says: 'Python',
    },
    {
      name: "a runtime that is not installed, named by this platform's override",
      entries: [
        {
          name: 'manifest.json',
          data: manifest({ server: python({ command: 'node', platform_overrides: { [process.platform]: { command: 'python3.99' } } }) }),
        },
      ],
      code: 'runtime_missing',
      says: 'Python',
    },
    {
      name: 'a secret setting in the arguments',
      entries: [
        {
          name: 'manifest.json',
          data: manifest({
            server: python({ command: 'node', args: ['${__dirname}/main.py', '--api-key=${user_config.api_key}'] }),
            user_config: { api_key: secret },
          }),
        },
      ],
      code: 'bundle_invalid',
      says: '"API key"',
    },
    {
      name: "a secret setting as the command of this platform's override",
      entries: [
        {
          name: 'manifest.json',
          data: manifest({
            server: python({ command: 'node', platform_overrides: { [process.platform]: { command: '${user_config.api_key}' } } }),
            user_config: { api_key: secret },
          }),
        },
      ],
      code: 'bundle_invalid',
      says: '"API key"',
    },
  ])('refuses $name', async ({ entries, code, says }) => {
    const outcome = await inspect(entries);
    expect(outcome).toMatchObject({ ok: false, code });
    expect(outcome.ok ? '' : outcome.message).toContain(says);
    expect(leftovers()).toEqual([]);
  });

  it("checks the runtime this platform's override runs, not the base command it replaces", async () => {
    const server = python({ command: 'python3.99', platform_overrides: { [process.platform]: { command: 'node' } } });
    expect(await inspect([{ name: 'manifest.json', data: manifest({ server }) }])).toMatchObject({ ok: true });
  });

  it('refuses a file over the size cap, and one with too many files', async () => {
    expect(await inspect([...good, { name: 'big.bin', data: Buffer.alloc(20_000) }], { maxFileBytes: 10_000 })).toMatchObject({
      ok: false,
      code: 'bundle_invalid',
    });
    await t?.close();
    t = undefined;
    const many = Array.from({ length: 10 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }));
    const outcome = await inspect([...good, ...many], { maxEntries: 5 });
    expect(outcome).toMatchObject({ ok: false, code: 'bundle_invalid' });
    expect(outcome.ok ? '' : outcome.message).toContain('up to 5');
  });

  it('something that is not a ZIP at all is refused', async () => {
    expect(await inspect(Buffer.from('MZ this is not a zip file at all, just bytes'))).toMatchObject({ ok: false, code: 'bundle_invalid' });
  });

  it('a signature it cannot check is shown as unverified, never as verified', async () => {
    const zip = zipOf(good);
    const der = Buffer.from('not really pkcs7');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(der.length);
    const signed = Buffer.concat([zip, Buffer.from('MCPB_SIG_V1'), length, der, Buffer.from('MCPB_SIG_END')]);
    const outcome = await inspect(signed);
    expect(outcome).toMatchObject({ ok: true, data: { signature: { state: 'unverified' }, name: 'hello' } });
    const plain = await t!.host.dispatch('bundles:inspect', { fileName: 'x.mcpb', data: zip.toString('base64') });
    expect(plain).toMatchObject({ ok: true, data: { signature: { state: 'unsigned' } } });
  });

  it('keeps the execute bit of a file that has one; drops setuid and every right of others, whatever the ZIP says', async () => {
    t = await makeHost();
    const preview = await t.host.bundles.inspect(
      'x.mcpb',
      zipOf([
        { name: 'manifest.json', data: manifest(), mode: 0o100666 },
        { name: 'server/index.js', data: 'console.log(1)', mode: 0o104777 },
        { name: 'server/tool.sh', data: '#!/bin/sh\n', mode: 0o100755 },
        { name: 'server/data.txt', data: 'x', mode: 0o100646 },
      ]),
    );
    const { bundle } = await t.host.bundles.install(preview.stagingId, { config: {} });
    const dir = t.host.store.bundles.get(bundle.id)!.dir;
    const mode = (rel: string) => statSync(join(dir, rel)).mode & 0o7777;
    expect({ manifest: mode('manifest.json'), index: mode('server/index.js'), tool: mode('server/tool.sh'), data: mode('server/data.txt') }).toEqual({
      manifest: 0o600,
      index: 0o700,
      tool: 0o700,
      data: 0o600,
    });
    expect(mode('server')).toBe(0o700);
  });
});
