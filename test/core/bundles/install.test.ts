// A bundle built here from a registry server package (npm install of server-memory, a hand-written 0.3 manifest, packed
// with @anthropic-ai/mcpb): shown, installed with its settings, run under the real sandbox after consent with its own files
// readable and the chosen folder granted; updated with its settings kept; disabled; uninstalled without a trace.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packExtension } from '@anthropic-ai/mcpb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOsSandbox } from '../../../main/core/security/index.js';
import { makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost;
let home: string;
let source: string;
const SECRET = 'sk-bundle-secret-0123456789';

function manifest(version: string) {
  return {
    manifest_version: '0.3',
    name: 'memory-bundle',
    display_name: 'Memory (bundle)',
    version,
    description: 'A knowledge graph that remembers across chats.',
    author: { name: 'Model Context Protocol', url: 'https://modelcontextprotocol.io' },
    server: {
      type: 'node',
      entry_point: 'node_modules/@modelcontextprotocol/server-memory/dist/index.js',
      mcp_config: {
        command: 'node',
        args: ['${__dirname}/node_modules/@modelcontextprotocol/server-memory/dist/index.js', '--verbose=${user_config.verbose}'],
        env: { MEMORY_FILE_PATH: '${user_config.data_dir}/memory.jsonl', MEMORY_API_KEY: '${user_config.api_key}', MEMORY_LABEL: '${user_config.label}' },
      },
    },
    tools: [
      { name: 'create_entities', description: 'Create entities in the graph' },
      { name: 'read_graph', description: 'Read the whole graph' },
    ],
    prompts: [{ name: 'summarize', description: 'Summarize what is known', text: 'Summarize the graph.' }],
    privacy_policies: ['https://example.com/privacy'],
    user_config: {
      data_dir: { type: 'directory', title: 'Memory folder', description: 'Where the graph is kept', required: true, default: '${HOME}/mcp-memory' },
      api_key: { type: 'string', title: 'API key', description: 'Kept in the secret store', sensitive: true, required: false },
      verbose: { type: 'boolean', title: 'Verbose', description: 'Log more', required: false },
      label: { type: 'string', title: 'Label', description: 'An optional label', required: false },
    },
  };
}

async function pack(version: string): Promise<Buffer> {
  writeFileSync(join(source, 'manifest.json'), JSON.stringify(manifest(version), null, 2));
  const out = join(source, '..', `memory-${version}.mcpb`);
  expect(await packExtension({ extensionPath: source, outputPath: out, silent: true })).toBe(true);
  return readFileSync(out);
}

beforeAll(async () => {
  home = tempDir('steward-home-');
  source = join(tempDir('steward-bundle-src-'), 'memory');
  mkdirSync(source);
  // The server package from the registry, with its dependencies, as the bundle ships it.
  execFileSync('npm', ['install', '--prefix', source, '--no-audit', '--no-fund', '--omit=dev', '@modelcontextprotocol/server-memory@2026.8.31'], {
    stdio: 'ignore',
    timeout: 240_000,
  });
  t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home } });
}, 300_000);
afterAll(async () => {
  await t.close();
});

describe('a bundle from a registry package', () => {
  let bundleId = '';
  let serverId = '';

  it('shows what it is, installs with its settings, and runs sandboxed after consent', async () => {
    const preview = await t.host.bundles.inspect('memory-1.0.0.mcpb', await pack('1.0.0'));
    expect(preview).toMatchObject({
      name: 'memory-bundle',
      displayName: 'Memory (bundle)',
      version: '1.0.0',
      manifestVersion: '0.3',
      author: { name: 'Model Context Protocol' },
      tools: [{ name: 'create_entities' }, { name: 'read_graph' }],
      prompts: [{ name: 'summarize' }],
      privacyPolicies: ['https://example.com/privacy'],
      signature: { state: 'unsigned' },
      existing: null,
    });
    expect(preview.fields.find((f) => f.key === 'data_dir')).toMatchObject({ type: 'directory', required: true, defaultValue: join(home, 'mcp-memory') });
    expect(preview.fields.find((f) => f.key === 'api_key')).toMatchObject({ sensitive: true });

    const { bundle, server } = await t.host.bundles.install(preview.stagingId, { config: { api_key: SECRET } });
    bundleId = bundle.id;
    serverId = server.id;
    expect(server.source).toBe('bundle');
    const request = await t.host.servers.consentRequest(server.id);
    expect(request.spec.command).toBe(process.execPath);
    expect(request.spec.args).toHaveLength(1);
    expect(request.spec.args[0]).toMatch(/server-memory\/dist\/index\.js$/);
    expect(request.spec.envNames).toEqual(['MEMORY_API_KEY', 'MEMORY_FILE_PATH']);
    expect(request.spec.sandbox.writePaths).toEqual([join(home, 'mcp-memory')]);
    expect(request.spec.sandbox.ownReadPaths).toEqual([request.spec.cwd]);
    expect(request.spec.sandbox.allowedDomains).toEqual([]);

    expect((await t.host.servers.decideConsent(server.id, request.spec.hash, 'approve', 'user')).status).toBe('running');
    await t.host.tools.call({ serverId, name: 'create_entities', arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['bundled'] }] } });
    expect(readFileSync(join(home, 'mcp-memory', 'memory.jsonl'), 'utf8')).toContain('Ada');
    expect(readFileSync(join(t.dir, 'data', 'steward.db')).includes(SECRET)).toBe(false);
  }, 120_000);

  it("another server cannot read or change the bundle's files", async () => {
    const dir = t.host.store.bundles.get(bundleId)!.dir;
    const view = await t.host.servers.add({
      name: 'probe',
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: {} },
    });
    const request = await t.host.servers.consentRequest(view.id);
    await t.host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    const call = async (name: string, args: Record<string, unknown>) => textOf(await t.host.tools.call({ serverId: view.id, name, arguments: args }));
    expect(await call('read', { path: join(dir, 'manifest.json') })).toMatch(/^denied:/);
    expect(await call('write', { path: join(dir, 'manifest.json'), content: '{}' })).toMatch(/^denied:/);
    await t.host.servers.remove(view.id);
  });

  it('an update keeps the settings and the secret, asks consent again, and removes the old files', async () => {
    const oldDir = t.host.store.bundles.get(bundleId)!.dir;
    const preview = await t.host.bundles.inspect('memory-1.1.0.mcpb', await pack('1.1.0'));
    expect(preview.existing).toMatchObject({ bundleId, version: '1.0.0' });
    const { bundle, server } = await t.host.bundles.install(preview.stagingId, { config: {} });
    expect(bundle).toMatchObject({ id: bundleId, version: '1.1.0' });
    expect(server.id).toBe(serverId);
    expect(existsSync(oldDir)).toBe(false);
    expect((await t.host.servers.start(serverId)).status).toBe('awaiting_consent');
    const request = await t.host.servers.consentRequest(serverId);
    expect(request.changes.length).toBeGreaterThan(0);
    expect((await t.host.servers.decideConsent(serverId, request.spec.hash, 'approve', 'user')).status).toBe('running');
    expect(textOf(await t.host.tools.call({ serverId, name: 'read_graph', arguments: {} }))).toContain('bundled');
  }, 60_000);

  it('disabled, it does not run; uninstalled, nothing of it is left', async () => {
    await t.host.bundles.setEnabled(bundleId, false);
    expect(t.host.servers.get(serverId).status).toBe('stopped');
    await expect(t.host.servers.start(serverId)).rejects.toMatchObject({ code: 'not_supported' });
    await t.host.bundles.setEnabled(bundleId, true);
    const dir = join(t.dir, 'data', 'bundles', bundleId);
    await t.host.bundles.uninstall(bundleId);
    expect(t.host.servers.list().some((s) => s.id === serverId)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(t.host.bundles.list()).toEqual([]);
    const secrets = readFileSync(join(t.dir, 'data', 'secrets.json'), 'utf8');
    expect(secrets).not.toContain(bundleId);
  });
});
