// In-memory stand-ins for the narrow store ports services take, so a service runs in a unit test without SQLite.
import type { SecretStore, Transact } from '../../main/core/ports.js';
import type { AuditQuery, AuditRepo, NewAuditEvent, SettingsRepo } from '../../main/core/store/index.js';
import type { AuditEvent } from '../../shared/domain/audit.js';

/** Key/value settings kept as JSON text, as the real table keeps them (so a value read back is a copy, never the same object). */
export function memorySettings(): Pick<SettingsRepo, 'get' | 'put'> & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  return {
    raw,
    get: (key) => {
      const text = raw.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    },
    put: (key, value) => void raw.set(key, JSON.stringify(value)),
  };
}

/** Secrets in a map; `writes` counts the changes made (a set, a delete, or one batch), as a file store counts its writes. */
export function memorySecrets(): SecretStore & { values: Map<string, string>; writes: () => number } {
  const values = new Map<string, string>();
  let writes = 0;
  return {
    values,
    writes: () => writes,
    get: (key) => Promise.resolve(values.get(key)),
    set: (key, value) => {
      writes++;
      return Promise.resolve(void values.set(key, value));
    },
    delete: (key) => {
      writes++;
      return Promise.resolve(void values.delete(key));
    },
    change: (set, remove) => {
      writes++;
      for (const key of remove) if (!set.has(key)) values.delete(key);
      for (const [key, value] of set) values.set(key, value);
      return Promise.resolve();
    },
    keys: (prefix) => Promise.resolve([...values.keys()].filter((k) => k.startsWith(prefix))),
  };
}

/** An append-only audit table with the real one's paging (newest first, below an id), and a transaction that counts. */
export function memoryAudit(): {
  audit: Pick<AuditRepo, 'append' | 'appendAll' | 'list'>;
  transaction: Transact;
  rows: AuditEvent[];
  transactions: () => number;
} {
  const rows: AuditEvent[] = [];
  let transactions = 0;
  return {
    rows,
    transactions: () => transactions,
    transaction: <T>(fn: () => T): T => {
      transactions++;
      const before = rows.length;
      try {
        return fn();
      } catch (error) {
        rows.length = before;
        throw error;
      }
    },
    audit: {
      append: (event: NewAuditEvent) => {
        const row = { ...event, id: rows.length + 1 };
        rows.push(row);
        return row;
      },
      // One row at a time through append, so a test that makes append fail fails the batch part-way.
      appendAll(events: readonly NewAuditEvent[]) {
        for (const event of events) this.append(event);
      },
      list: (query: AuditQuery) => {
        const matching = rows
          .filter((r) => r.id < (query.beforeId ?? Number.MAX_SAFE_INTEGER) && r.id > (query.afterId ?? 0))
          .filter((r) => !query.serverId || r.serverId === query.serverId)
          .filter((r) => !query.kind || r.kind === query.kind);
        return (query.afterId === undefined ? matching.reverse() : matching).slice(0, query.limit);
      },
    },
  };
}
