// A server's secret values in the SecretStore follow its config: a variable or header the config no longer has is
// deleted. Hostile names tried: `constructor`, `toString`, `valueOf` and `hasOwnProperty`, valid variable names that
// every object inherits, so a check that also sees inherited names would keep their old values for ever. And a config
// of 256 variables, saved and removed: each is one change of the store, never one write per value.
import { describe, expect, it } from 'vitest';
import { forgetSecrets, loadConfig, saveSecrets, secretKey, toStored } from '../../../main/core/servers/config.js';
import type { StdioConfig } from '../../../shared/domain/servers.js';
import { memorySecrets } from '../../helpers/memory-ports.js';

const stdio = (env: Record<string, string>): StdioConfig => ({ transport: 'stdio', command: 'node', args: [], env });

describe('saveSecrets', () => {
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])('deletes the stale value of a variable named %s', async (name) => {
    const secrets = memorySecrets();
    await saveSecrets(secrets, 's1', stdio({ [name]: 'old-secret', KEEP: 'kept' }));
    expect(secrets.values.get(secretKey('s1', 'env', name))).toBe('old-secret');

    await saveSecrets(secrets, 's1', stdio({ KEEP: 'kept' }));
    expect([...secrets.values.keys()]).toEqual([secretKey('s1', 'env', 'KEEP')]);
    expect(await loadConfig(secrets, 's1', toStored(stdio({ KEEP: 'kept' })))).toEqual(stdio({ KEEP: 'kept' }));
  });

  it('deletes a header named constructor the config dropped', async () => {
    const secrets = memorySecrets();
    await saveSecrets(secrets, 's2', { transport: 'http', url: 'https://mcp.example.com/mcp', headers: { constructor: 'Bearer old' } });
    await saveSecrets(secrets, 's2', { transport: 'http', url: 'https://mcp.example.com/mcp', headers: {} });
    expect([...secrets.values.keys()]).toEqual([]);
  });

  it('saves a config of 256 variables, then drops half of them, then forgets them, each as one write', async () => {
    const secrets = memorySecrets();
    const env = Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`V${i}`, `value ${i}`]));
    await saveSecrets(secrets, 's3', stdio(env));
    expect(secrets.writes()).toBe(1);
    expect(secrets.values.size).toBe(256);

    const half = Object.fromEntries(Object.entries(env).slice(0, 128));
    await saveSecrets(secrets, 's3', stdio(half));
    expect(secrets.writes()).toBe(2);
    expect(await loadConfig(secrets, 's3', toStored(stdio(half)))).toEqual(stdio(half));
    expect(secrets.values.size).toBe(128);

    await forgetSecrets(secrets, 's3');
    expect(secrets.writes()).toBe(3);
    expect(secrets.values.size).toBe(0);
  });
});
