// Opens the one SQLite database: WAL, foreign keys, busy timeout, and the numbered migrations.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StewardError } from '../../../shared/errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/** Bytes the WAL file is cut back to when it starts over (half of SQLite's 1000-page checkpoint threshold). */
const WAL_SIZE_LIMIT = 2 * 1024 * 1024;

export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode keeps every committed transaction across a crash of this process;
    // only a power loss can drop the last few commits, and it never corrupts the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // The first write after a complete checkpoint cuts the WAL file back to this, so a burst does not leave it large.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new StewardError(
      'config_invalid',
      `This database was written by a newer Steward (schema ${current}; this version knows up to ${latest}). Update Steward to open it.`,
    );
  }
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) migration.up(db);
    db.pragma(`user_version = ${latest}`);
  })();
}
