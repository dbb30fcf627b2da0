// Bare better-sqlite3 for the task-store baselines: the connection settings and tables of Steward's store, no Steward code.
import Database from 'better-sqlite3';
import type { Db } from '../main/core/store/index.js';

/** The pragmas main/core/store/database.ts sets (WAL, synchronous=NORMAL, foreign keys, busy timeout) and nothing else. */
export function openRaw(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * The CREATE statements of these tables and of their indexes, read from a Steward database, tables first. Triggers are
 * left out: they write to Steward's change-feed table, which is Steward's own cost and absent from a bare database.
 */
export function schemaOf(db: Db, tables: readonly string[]): string[] {
  const marks = tables.map(() => '?').join(', ');
  return db
    .prepare<string[], { sql: string }>(
      `SELECT sql FROM sqlite_master WHERE tbl_name IN (${marks}) AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type = 'index', rowid`,
    )
    .all(...tables)
    .map((row) => row.sql);
}
