// Builds the ServerView the UI and CLI see from the stored record and the live runtime.
import type { ServerView } from '../../../shared/domain/servers.js';
import type { ServerRecord } from '../store/index.js';
import type { ServerRuntime } from './runtime.js';

export function toView(record: ServerRecord, runtime: ServerRuntime | undefined): ServerView {
  const info = runtime?.session?.info;
  const base = {
    id: record.id,
    name: record.name,
    transport: record.config.transport,
    sandbox: record.sandbox,
    options: record.options,
    roots: record.roots,
    source: record.source,
    status: runtime?.status ?? 'stopped',
    pid: runtime?.pid ?? null,
    rssBytes: runtime?.rssBytes ?? null,
    restarts: runtime?.restarts ?? 0,
    // The live runtime knows best; a failure from an earlier process (a CLI command) is kept in the record.
    lastError: runtime ? (runtime.lastError ?? (runtime.status === 'running' ? null : record.lastError)) : record.lastError,
    packages: record.pins,
    protocolVersion: info?.protocolVersion ?? null,
    serverInfo: info?.serverInfo ?? null,
    instructions: info?.instructions ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  } satisfies Partial<ServerView>;
  if (record.config.transport === 'stdio') {
    return {
      ...base,
      command: record.config.command,
      args: record.config.args,
      ...(record.config.cwd !== undefined ? { cwd: record.config.cwd } : {}),
      envNames: record.config.envNames,
    };
  }
  return { ...base, url: record.config.url, headerNames: record.config.headerNames };
}
