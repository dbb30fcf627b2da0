// Opening the database file: pragmas, numbered migrations, refusing a newer schema, and all-or-nothing upgrades.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StewardError } from '../../../shared/errors.js';
import { migrate, openDatabase, type Db, type Migration } from '../../../main/core/store/index.js';
import { MIGRATIONS } from '../../../main/core/store/migrations/index.js';
import { tempDbDir, type TempDir } from './temp-store.js';

let tmp: TempDir | undefined;
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  tmp?.cleanup();
});

function track(db: Db): Db {
  open.push(db);
  return db;
}

const tables = (db: Db) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);

const version = (db: Db) => db.pragma('user_version', { simple: true });

function counting(version: number, sql: string, calls: number[]): Migration {
  return { version, name: `m${version}`, up: (db) => void (calls.push(version), db.exec(sql)) };
}

describe('openDatabase', () => {
  it('a fresh file gets the schema, WAL and foreign keys', () => {
    tmp = tempDbDir();
    const db = track(openDatabase(tmp.file));
    expect(version(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tables(db)).toEqual([
      'audit_events',
      'bundles',
      'consents',
      'inbox_items',
      'owners',
      'processes',
      'revisions',
      'sampling_journal',
      'sampling_loops',
      'sampling_policies',
      'sampling_rounds',
      'server_logs',
      'server_sessions',
      'servers',
      'settings',
      'sqlite_sequence',
      'task_events',
      'task_results',
      'tasks',
      'tool_calls',
    ]);
  });

  it('creates a missing data folder, readable only by the user', () => {
    tmp = tempDbDir();
    const file = join(tmp.dir, 'nested', 'data', 'steward.db');
    track(openDatabase(file));
    expect(statSync(join(tmp.dir, 'nested', 'data')).mode & 0o777).toBe(0o700);
  });

  it('reopening keeps the data and runs no migration again', () => {
    tmp = tempDbDir();
    const calls: number[] = [];
    const migrations = [counting(1, 'CREATE TABLE notes (text TEXT)', calls)];
    const first = openDatabase(tmp.file, migrations);
    first.prepare('INSERT INTO notes VALUES (?)').run('kept');
    first.close();

    const second = track(openDatabase(tmp.file, migrations));
    expect(calls).toEqual([1]);
    expect(version(second)).toBe(1);
    expect(second.prepare('SELECT text FROM notes').pluck().all()).toEqual(['kept']);
  });

  it('runs only the pending migrations, in version order whatever the list order', () => {
    tmp = tempDbDir();
    const calls: number[] = [];
    openDatabase(tmp.file, [counting(1, 'CREATE TABLE a (x)', calls)]).close();
    const db = track(
      openDatabase(tmp.file, [
        counting(3, 'ALTER TABLE b ADD COLUMN z', calls),
        counting(1, 'CREATE TABLE a (x)', calls),
        counting(2, 'CREATE TABLE b (y)', calls),
      ]),
    );
    expect(calls).toEqual([1, 2, 3]);
    expect(version(db)).toBe(3);
    expect(db.prepare("SELECT name FROM pragma_table_info('b')").pluck().all()).toEqual(['y', 'z']);
  });

  it('refuses a database written by a newer Steward, and leaves it alone', () => {
    tmp = tempDbDir();
    const raw = new Database(tmp.file);
    raw.pragma('user_version = 999');
    raw.exec('CREATE TABLE future (x)');
    raw.close();

    let thrown: unknown;
    try {
      openDatabase(tmp.file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StewardError);
    expect((thrown as StewardError).code).toBe('config_invalid');
    expect((thrown as StewardError).message).toContain('newer Steward');

    const after = track(new Database(tmp.file, { readonly: true }));
    expect(version(after)).toBe(999);
    expect(tables(after)).toEqual(['future']);
  });
});

describe('a migration that fails', () => {
  const boom: Migration = {
    version: 2,
    name: 'half-done',
    up(db) {
      db.exec("CREATE TABLE partial (x); INSERT INTO partial VALUES (1); UPDATE base SET x = 'changed';");
      throw new Error('disk said no');
    },
  };
  const baseline: Migration = { version: 1, name: 'base', up: (db) => db.exec("CREATE TABLE base (x); INSERT INTO base VALUES ('original')") };
  const later: Migration = { version: 3, name: 'later', up: (db) => db.exec('CREATE TABLE later (x)') };

  it('on a fresh file leaves no tables and version 0', () => {
    const { file } = (tmp = tempDbDir());
    expect(() => openDatabase(file, [baseline, boom, later])).toThrow('disk said no');
    const db = track(new Database(file));
    expect(version(db)).toBe(0);
    expect(tables(db)).toEqual([]);
  });

  it('on an existing file keeps the old version and data, with nothing half-applied', () => {
    const { file } = (tmp = tempDbDir());
    openDatabase(file, [baseline]).close();
    expect(() => openDatabase(file, [baseline, boom, later])).toThrow('disk said no');

    const db = track(new Database(file));
    expect(version(db)).toBe(1);
    expect(tables(db)).toEqual(['base']);
    expect(db.prepare('SELECT x FROM base').pluck().all()).toEqual(['original']);
  });

  it('migrate() on an open connection rolls back the same way', () => {
    tmp = tempDbDir();
    const db = track(openDatabase(tmp.file, [baseline]));
    expect(() => migrate(db, [baseline, boom])).toThrow('disk said no');
    expect(version(db)).toBe(1);
    expect(tables(db)).toEqual(['base']);
    // The connection is still usable after the failed upgrade.
    migrate(db, [baseline, { version: 2, name: 'fixed', up: (d) => d.exec('CREATE TABLE fixed (x)') }]);
    expect(version(db)).toBe(2);
    expect(tables(db)).toEqual(['base', 'fixed']);
  });
});
