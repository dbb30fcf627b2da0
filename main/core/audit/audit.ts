// Writes the audit record. Values a user typed or a server sent are summarized, never stored whole.
import type { AuditEvent, AuditKind } from '../../../shared/domain/audit.js';
import type { AuditQuery, Store } from '../store/index.js';

export interface AuditEntry {
  serverId?: string | null;
  serverName?: string | null;
  actor: 'user' | 'policy' | 'host' | string;
  summary: string;
  data?: Record<string, unknown>;
}

export class Audit {
  constructor(private readonly store: Store, private readonly now: () => string) {}

  record(kind: AuditKind, entry: AuditEntry): AuditEvent {
    return this.store.audit.append({
      ts: this.now(),
      kind,
      serverId: entry.serverId ?? null,
      serverName: entry.serverName ?? null,
      actor: entry.actor,
      summary: entry.summary,
      data: entry.data ?? {},
    });
  }

  list(query: AuditQuery): AuditEvent[] {
    return this.store.audit.list(query);
  }
}
