// Small host settings (first-run markers, preferences) as key/value JSON.
import type { Db } from './database.js';

export class SettingsRepo {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      put: db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      remove: db.prepare<[string]>('DELETE FROM settings WHERE key = ?'),
    };
  }

  /** The stored JSON value, unchecked: the caller knows what it wrote there. */
  get(key: string): unknown {
    const row = this.stmts.get.get(key);
    if (!row) return undefined;
    try {
      return JSON.parse(row.value);
    } catch {
      return undefined;
    }
  }

  put(key: string, value: unknown): void {
    this.stmts.put.run(key, JSON.stringify(value));
  }

  remove(key: string): void {
    this.stmts.remove.run(key);
  }
}
