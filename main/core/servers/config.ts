// Server configs in and out of storage: secret values (env, headers) go to the SecretStore, the rest to SQLite; a remote
// server's address passes the URL gate before it is kept.
import type { HttpConfig, ServerConfig, StdioConfig } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import type { SecretStore } from '../ports.js';
import { judgeUrl } from '../security/index.js';
import type { StoredConfig } from '../store/index.js';

export function secretKey(serverId: string, kind: 'env' | 'header', name: string): string {
  return `server/${serverId}/${kind}/${name}`;
}

export function toStored(config: ServerConfig): StoredConfig {
  if (config.transport === 'stdio') {
    return {
      transport: 'stdio',
      command: config.command,
      args: [...config.args],
      envNames: Object.keys(config.env).sort(),
      ...(config.cwd !== undefined && config.cwd !== '' ? { cwd: config.cwd } : {}),
    };
  }
  const verdict = judgeUrl(config.url, 'server');
  if (!verdict.allowed) throw new StewardError('invalid_payload', `Steward will not use this server address: ${verdict.problems.join(' ')}`);
  return { transport: 'http', url: config.url, headerNames: Object.keys(config.headers).sort() };
}

/**
 * Writes the secret values of a config and removes those of names it no longer has, as one change of the SecretStore:
 * one locked write of the secrets file, not one per value.
 */
export async function saveSecrets(secrets: SecretStore, serverId: string, config: ServerConfig): Promise<void> {
  const kind = config.transport === 'stdio' ? 'env' : 'header';
  const values = config.transport === 'stdio' ? config.env : config.headers;
  const set = new Map(Object.entries(values).map(([name, value]) => [secretKey(serverId, kind, name), value]));
  const stale = (await secrets.keys(`server/${serverId}/`)).filter((key) => !set.has(key));
  await secrets.change(set, stale);
}

export async function forgetSecrets(secrets: SecretStore, serverId: string): Promise<void> {
  await secrets.change(new Map(), await secrets.keys(`server/${serverId}/`));
}

export async function loadConfig(secrets: SecretStore, serverId: string, stored: StoredConfig): Promise<ServerConfig> {
  if (stored.transport === 'stdio') {
    const env: Record<string, string> = {};
    for (const name of stored.envNames) env[name] = (await secrets.get(secretKey(serverId, 'env', name))) ?? '';
    const config: StdioConfig = { transport: 'stdio', command: stored.command, args: stored.args, env };
    if (stored.cwd !== undefined) config.cwd = stored.cwd;
    return config;
  }
  const headers: Record<string, string> = {};
  for (const name of stored.headerNames) headers[name] = (await secrets.get(secretKey(serverId, 'header', name))) ?? '';
  const config: HttpConfig = { transport: 'http', url: stored.url, headers };
  return config;
}
