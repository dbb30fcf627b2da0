// How many secret values one server's config may carry, and what saving them costs. Hostile input tried: servers:add,
// servers:update and servers:edit with 3,000 variables or 100 headers (each value was once its own locked write of the
// secrets file, freezing the host for seconds), and a config file to import naming 201 servers, or one with 300
// variables. A config at the cap is saved with one write of the secrets file.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../main/core/servers/config.js';
import type { SecretStore } from '../../../main/core/ports.js';
import { FileSecretStore } from '../../../main/core/node/index.js';
import { MAX_ENV_VARS, MAX_HEADERS } from '../../../shared/domain/servers.js';
import { makeHostFor, tempDir } from '../../helpers/host.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { stringContaining } from '../../helpers/matchers.js';

const cleanup = undoAfterEach();

/** A store that records the writes asked of it (each set, delete or batch of changes is one write of the file), by the keys each touched. */
function countingStore(inner: SecretStore): SecretStore & { writes: (prefix: string) => number } {
  const touched: string[][] = [];
  return {
    writes: (prefix) => touched.filter((keys) => keys.some((k) => k.startsWith(prefix))).length,
    get: (key) => inner.get(key),
    keys: (prefix) => inner.keys(prefix),
    set: (key, value) => {
      touched.push([key]);
      return inner.set(key, value);
    },
    delete: (key) => {
      touched.push([key]);
      return inner.delete(key);
    },
    change: (set, remove) => {
      touched.push([...set.keys(), ...remove]);
      return inner.change(set, remove);
    },
  };
}

const many = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'x'.repeat(100)]));

describe('caps on a config', () => {
  it('refuses 3,000 variables or 100 headers with invalid_payload, on add, update and edit', async () => {
    const t = await makeHostFor(cleanup);
    const { dispatch } = t.host;
    const env = many(3000, 'V');
    const add = await dispatch('servers:add', { name: 'flood', config: { transport: 'stdio', command: 'node', args: [], env } });
    expect(add).toMatchObject({ ok: false, code: 'invalid_payload', message: stringContaining(`at most ${MAX_ENV_VARS} environment variables`) });
    const headers = many(100, 'X-H');
    const remote = await dispatch('servers:add', { name: 'flood', config: { transport: 'http', url: 'https://mcp.example.com/mcp', headers } });
    expect(remote).toMatchObject({ ok: false, code: 'invalid_payload', message: stringContaining(`at most ${MAX_HEADERS} headers`) });

    const view = await t.host.servers.add({ name: 'small', config: { transport: 'stdio', command: 'node', args: [], env: { A: '1' } } });
    const update = await dispatch('servers:update', { serverId: view.id, config: { transport: 'stdio', command: 'node', args: [], env } });
    expect(update).toMatchObject({ ok: false, code: 'invalid_payload' });
    const kept = Object.fromEntries(Object.keys(env).map((name) => [name, null]));
    const edit = await dispatch('servers:edit', { serverId: view.id, config: { transport: 'stdio', command: 'node', args: [], env: kept } });
    expect(edit).toMatchObject({ ok: false, code: 'invalid_payload', message: stringContaining(`at most ${MAX_ENV_VARS}`) });
    expect(t.host.servers.get(view.id).envNames).toEqual(['A']);
  });

  it('saves a config at the cap with one write of the secrets file, and removes a server with one more', async () => {
    const secrets = countingStore(FileSecretStore.inDataDir(tempDir('steward-caps-')));
    const t = await makeHostFor(cleanup, { secrets });
    // The cap, written out: 256 values once meant 256 locked rewrites of the file.
    const env = many(256, 'V');
    const added = await t.host.dispatch('servers:add', { name: 'full', config: { transport: 'stdio', command: 'node', args: [], env } });
    expect(added.ok).toBe(true);
    const id = t.host.servers.list()[0]!.id;
    expect(secrets.writes(`server/${id}/`)).toBe(1);
    const stored = await loadConfig(secrets, id, t.host.store.servers.get(id)!.config);
    expect(stored).toMatchObject({ env });

    // Half the variables dropped, one changed: still one write, and the dropped values are gone from the file.
    const next = { ...Object.fromEntries(Object.entries(env).slice(0, 128)), V0: 'changed' };
    await t.host.servers.update(id, { config: { transport: 'stdio', command: 'node', args: [], env: next } });
    expect(secrets.writes(`server/${id}/`)).toBe(2);
    expect(await secrets.keys(`server/${id}/`)).toHaveLength(128);
    expect(await secrets.get(`server/${id}/env/V0`)).toBe('changed');

    await t.host.servers.remove(id);
    expect(secrets.writes(`server/${id}/`)).toBe(3);
    expect(await secrets.keys(`server/${id}/`)).toEqual([]);
  });
});

describe('caps on an import', () => {
  it('refuses a file naming more servers than the cap, saying how many it found', async () => {
    const t = await makeHostFor(cleanup);
    const servers = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`s${i}`, { command: 'node', args: [] }]));
    const reply = await t.host.dispatch('servers:import', { text: JSON.stringify({ mcpServers: servers }), fileName: join(t.dir, 'mcp.json') });
    expect(reply).toMatchObject({ ok: false, code: 'import_failed', message: stringContaining('names 201 servers') });
    expect(reply).toMatchObject({ message: stringContaining('at most 200') });
    expect(t.host.servers.list()).toEqual([]);
  });

  it('skips an entry with more variables than the cap and imports the rest', async () => {
    const t = await makeHostFor(cleanup);
    const text = JSON.stringify({ mcpServers: { big: { command: 'node', env: many(300, 'V') }, ok: { command: 'node', env: { A: '1' } } } });
    const reply = await t.host.dispatch('servers:import', { text });
    expect(reply).toMatchObject({
      ok: true,
      data: { added: [{ name: 'ok' }], skipped: [{ name: 'big', code: 'config_invalid', reason: stringContaining(`at most ${MAX_ENV_VARS}`) }] },
    });
  });
});
