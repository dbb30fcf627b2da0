// The append-only audit record. Rows are never updated or deleted.
import type { AuditEvent, AuditKind } from '../../../shared/domain/audit.js';
import type { Db } from './database.js';

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

interface Row {
  id: number;
  ts: string;
  kind: AuditKind;
  server_id: string | null;
  server_name: string | null;
  actor: string;
  summary: string;
  data: string;
}

function fromRow(row: Row): AuditEvent {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(row.data) as Record<string, unknown>;
  } catch {
    data = { unreadable: true };
  }
  return {
    id: row.id,
    ts: row.ts,
    kind: row.kind,
    serverId: row.server_id,
    serverName: row.server_name,
    actor: row.actor,
    summary: row.summary,
    data,
  };
}

export interface AuditQuery {
  limit: number;
  beforeId?: number | undefined;
  /** Events after this one, oldest first (an export's next page); without it, newest first. */
  afterId?: number | undefined;
  serverId?: string | undefined;
  kind?: AuditKind | undefined;
}

export class AuditRepo {
  private readonly insert;
  private readonly insertQuietly;
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    this.insert = db.prepare(
      `INSERT INTO audit_events (ts, kind, server_id, server_name, actor, summary, data)
       VALUES (@ts, @kind, @serverId, @serverName, @actor, @summary, @data) RETURNING id`,
    );
    this.insertQuietly = db.prepare<[string, string, string | null, string | null, string, string, string]>(
      'INSERT INTO audit_events (ts, kind, server_id, server_name, actor, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  append(event: NewAuditEvent): AuditEvent {
    const { id } = this.insert.get({ ...event, data: JSON.stringify(event.data) }) as { id: number };
    return { ...event, id };
  }

  /** Appends a batch nobody needs the ids of (call inside a transaction): no row is read back, nothing is copied. */
  appendAll(events: readonly NewAuditEvent[]): void {
    for (const e of events) this.insertQuietly.run(e.ts, e.kind, e.serverId, e.serverName, e.actor, e.summary, JSON.stringify(e.data));
  }

  /** Newest first; with `afterId`, oldest first from there. */
  list(query: AuditQuery): AuditEvent[] {
    const where = ['id < @beforeId', 'id > @afterId'];
    if (query.serverId) where.push('server_id = @serverId');
    if (query.kind) where.push('kind = @kind');
    const order = query.afterId === undefined ? 'DESC' : 'ASC';
    const sql = `SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY id ${order} LIMIT @limit`;
    return this.db
      .prepare<Record<string, unknown>, Row>(sql)
      .all({
        beforeId: query.beforeId ?? Number.MAX_SAFE_INTEGER,
        afterId: query.afterId ?? 0,
        serverId: query.serverId ?? null,
        kind: query.kind ?? null,
        limit: query.limit,
      })
      .map(fromRow);
  }
}
