// Builds the ServerView the UI and CLI see from the stored record, the live runtime and the other processes holding a
// session; and remembers what was last shown, so a change another process made is announced once.
import type { OwnerTag, ServerView } from '../../../shared/domain/servers.js';
import type { ServerRecord } from '../store/index.js';
import type { ServerRuntime } from './runtime.js';

export function toView(record: ServerRecord, runtime: ServerRuntime | undefined, elsewhere: readonly OwnerTag[] = []): ServerView {
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
    era: info?.era ?? null,
    serverInfo: info?.serverInfo ?? null,
    instructions: info?.instructions ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(elsewhere.length > 0 ? { elsewhere: [...elsewhere] } : {}),
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

/** The views last announced, by server: what another process changed is told once, and what it removed is noticed. */
export class ShownViews {
  private readonly shown = new Map<string, string>();

  /** Records a view as announced; false when it is exactly what was announced last. */
  note(view: ServerView): boolean {
    const text = JSON.stringify(view);
    if (this.shown.get(view.id) === text) return false;
    this.shown.set(view.id, text);
    return true;
  }

  /** Ids announced earlier that are not among `present`; they are forgotten. */
  gone(present: ReadonlySet<string>): string[] {
    const out = [...this.shown.keys()].filter((id) => !present.has(id));
    for (const id of out) this.shown.delete(id);
    return out;
  }
}
