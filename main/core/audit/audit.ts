// Writes the audit record. Values a user typed or a server sent are summarized, never stored whole.
import type { AuditActor, AuditEvent, AuditKind } from '../../../shared/domain/audit.js';
import { guarded } from '../background.js';
import type { Transact, Unexpected } from '../ports.js';
import type { AuditQuery, AuditRepo, NewAuditEvent } from '../store/index.js';

export interface AuditEntry {
  serverId?: string | null;
  serverName?: string | null;
  actor: AuditActor;
  summary: string;
  data?: Record<string, unknown>;
}

/** What the audit record needs of the store: its table, and a transaction for a batch. */
export interface AuditRecords {
  audit: Pick<AuditRepo, 'append' | 'appendAll' | 'list'>;
  transaction: Transact;
}

/** A queued record: its time is taken when it is queued, its entry may be built only when its batch is written. */
interface Queued {
  ts: string;
  kind: AuditKind;
  entry: AuditEntry | (() => AuditEntry);
}

/** An export page: events, and characters of JSON lines (well under a socket frame in browser mode). */
export const EXPORT_PAGE_EVENTS = 2000;
export const EXPORT_PAGE_BYTES = 2 * 1024 * 1024;

/** How soon a batch of tool-call outcomes is written. */
const SOON_MS = 20;
/** A line queued for its caller's batch is written on its own after this long if that batch never comes (it failed). */
const BACKSTOP_MS = 1000;

export class Audit {
  private pending: Queued[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed timer fires (clock of the timers, ms). */
  private flushAt = 0;

  constructor(
    private readonly records: AuditRecords,
    private readonly now: () => string,
    private readonly unexpected: Unexpected,
  ) {}

  /** Writes at once: for decisions and state changes, which must be on record before they are acknowledged. */
  record(kind: AuditKind, entry: AuditEntry): AuditEvent {
    return this.records.audit.append(this.toEvent(kind, entry));
  }

  /**
   * Queues a record of something that already happened (a tool call's outcome) and writes it within
   * a few milliseconds, batched, so the write stays off the call's own latency. A batch that cannot be written is
   * reported (nobody waits for it) and the next record starts a new one.
   */
  recordSoon(kind: AuditKind, entry: AuditEntry): void {
    this.pending.push({ ts: this.now(), kind, entry });
    this.flushWithin(SOON_MS);
  }

  /**
   * Queues a record for a batch the caller writes: its next flush calls flush() inside its own transaction (so does any
   * earlier flush of this queue). Should that batch fail, the line is written on its own within a second. Given a
   * function, the entry is built when it is written, off the caller's path: it must read only what cannot change by then.
   */
  queue(kind: AuditKind, entry: AuditEntry | (() => AuditEntry)): void {
    this.pending.push({ ts: this.now(), kind, entry });
    this.flushWithin(BACKSTOP_MS);
  }

  private flushWithin(ms: number): void {
    const at = Date.now() + ms;
    if (this.flushTimer !== undefined && this.flushAt <= at) return;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushAt = at;
    this.flushTimer = setTimeout(() => guarded(this.unexpected, `writing ${this.pending.length} queued audit record(s)`, () => this.flush()), ms);
  }

  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const queued = this.pending;
    this.pending = [];
    const batch = queued.map((q) => this.toEvent(q.kind, typeof q.entry === 'function' ? q.entry() : q.entry, q.ts));
    this.records.transaction(() => this.records.audit.appendAll(batch));
  }

  list(query: AuditQuery): AuditEvent[] {
    this.flush();
    return this.records.audit.list(query);
  }

  /**
   * One page of an export, oldest first, after `afterId` (from the start without it): at most `limit` events and about
   * `maxBytes` of JSON lines, so an audit of any length is exported without the host holding it whole. `next` is where
   * the following page starts, or null at the end.
   */
  exportPage(
    filter: { serverId?: string | undefined; kind?: AuditEvent['kind'] | undefined },
    afterId: number,
    limit = EXPORT_PAGE_EVENTS,
    maxBytes = EXPORT_PAGE_BYTES,
  ): { jsonl: string; count: number; next: number | null } {
    this.flush();
    const events = this.records.audit.list({ limit, afterId, serverId: filter.serverId, kind: filter.kind });
    const lines: string[] = [];
    let bytes = 0;
    let last = afterId;
    for (const event of events) {
      const line = `${JSON.stringify(event)}\n`;
      // A page holds at least one event, however large.
      if (lines.length > 0 && bytes + line.length > maxBytes) break;
      lines.push(line);
      bytes += line.length;
      last = event.id;
    }
    const full = lines.length < events.length || events.length === limit;
    return { jsonl: lines.join(''), count: lines.length, next: full ? last : null };
  }

  private toEvent(kind: AuditKind, entry: AuditEntry, ts: string = this.now()): NewAuditEvent {
    return {
      ts,
      kind,
      serverId: entry.serverId ?? null,
      serverName: entry.serverName ?? null,
      actor: entry.actor,
      summary: entry.summary,
      data: entry.data ?? {},
    };
  }
}
