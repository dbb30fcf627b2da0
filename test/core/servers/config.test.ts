// A server's secret values in the SecretStore follow its config: a variable or header the config no longer has is
// deleted. Hostile names tried: `constructor`, `toString`, `valueOf` and `hasOwnProperty`, valid variable names that
// every object inherits, so a check that also sees inherited names would keep their old values for ever.
import { describe, expect, it } from 'vitest';
import { loadConfig, saveSecrets, secretKey, toStored } from '../../../main/core/servers/config.js';
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
});
