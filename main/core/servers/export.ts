// A server list as an `mcp.json` other hosts read (`mcpServers`). Built from what SQLite holds, which has the names of
// secrets but never their values: every variable and header becomes a placeholder, and each one is listed.
import type { ServerExport } from '../../../shared/domain/server-edit.js';
import type { StoredConfig } from '../store/index.js';

interface Exported {
  name: string;
  config: StoredConfig;
}

/** `${env:NAME}`: VS Code and Cursor fill it from the environment; elsewhere it shows what to put in. */
function placeholder(name: string): string {
  return `\${env:${name}}`;
}

/** A header name as the variable its placeholder names (Authorization → AUTHORIZATION, X-Api-Key → X_API_KEY). */
function headerVariable(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

export function exportServers(servers: readonly Exported[]): ServerExport {
  const mcpServers: Record<string, Record<string, unknown>> = {};
  const placeholders: ServerExport['placeholders'] = [];
  for (const { name, config } of servers) {
    if (config.transport === 'stdio') {
      const env = Object.fromEntries(config.envNames.map((n) => [n, placeholder(n)]));
      for (const n of config.envNames) placeholders.push({ server: name, kind: 'env', name: n, placeholder: placeholder(n) });
      mcpServers[name] = {
        command: config.command,
        args: config.args,
        ...(config.envNames.length > 0 ? { env } : {}),
        ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
      };
    } else {
      const headers = Object.fromEntries(config.headerNames.map((n) => [n, placeholder(headerVariable(n))]));
      for (const n of config.headerNames) placeholders.push({ server: name, kind: 'header', name: n, placeholder: placeholder(headerVariable(n)) });
      mcpServers[name] = { type: 'http', url: config.url, ...(config.headerNames.length > 0 ? { headers } : {}) };
    }
  }
  return { fileName: 'mcp.json', text: `${JSON.stringify({ mcpServers }, null, 2)}\n`, servers: servers.length, placeholders };
}
