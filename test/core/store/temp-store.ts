// Real SQLite files in a fresh temp folder, and plain records to put in them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../../main/core/store/database.js';
import { MIGRATIONS } from '../../../main/core/store/migrations/index.js';
import { openStore, type HistoryEntry, type NewTask, type ServerRecord, type Store, type StoreOptions } from '../../../main/core/store/index.js';

export interface TempDir {
  dir: string;
  file: string;
  cleanup(): void;
}

export function tempDbDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'steward-store-'));
  return { dir, file: join(dir, 'steward.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Opens stores in fresh temp folders for a test file; each is closed and its folder removed after its test. Returns the
 * opener: the store and its database file.
 */
export function storesPerTest(): (options?: StoreOptions) => { store: Store; file: string } {
  const opened: Array<{ store: Store; tmp: TempDir }> = [];
  afterEach(() => {
    for (const { store, tmp } of opened.splice(0)) {
      store.close();
      tmp.cleanup();
    }
  });
  return (options = {}) => {
    const tmp = tempDbDir();
    const store = openStore(tmp.file, options);
    opened.push({ store, tmp });
    return { store, file: tmp.file };
  };
}

export function serverRecord(id: string, name = id, overrides: Partial<ServerRecord> = {}): ServerRecord {
  return {
    id,
    name,
    config: { transport: 'stdio', command: 'node', args: ['server.js'], envNames: ['API_TOKEN'], cwd: '/srv/app' },
    sandbox: { enabled: true, writePaths: ['/srv/app/data'], denyReadPaths: [], readPaths: [], allowedDomains: ['api.example.com'] },
    options: { lazyStart: false, idleStopMinutes: null, restartOnCrash: true, toolTimeoutSeconds: 300, protocolEra: 'auto' },
    roots: [{ path: '/srv/app', name: 'app' }],
    source: 'manual',
    desiredState: 'stopped',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    pins: [],
    lastError: null,
    ...overrides,
  };
}

/** A database file as an older Steward left it: the migrations up to `version`, then `seed` writes to it directly. */
export function olderDatabase(file: string, version: number, seed: (db: Database.Database) => void): void {
  const raw = new Database(file);
  try {
    migrate(
      raw,
      MIGRATIONS.filter((m) => m.version <= version),
    );
    seed(raw);
  } finally {
    raw.close();
  }
}

/** The history entry a task starts with. */
export const requested: HistoryEntry = { source: 'local', kind: 'requested', status: 'working', message: 'asked', serverAt: null };

/** A task as a process records it when it asks a server for one. */
export const taskRecord = (id: string, at: string, overrides: Partial<NewTask> = {}): NewTask => ({
  id,
  server_id: 's1',
  server_name: 'one',
  transport: 'stdio',
  direction: 'outgoing',
  remote_task_id: `r-${id}`,
  method: 'tools/call',
  label: 'job',
  status: 'working',
  status_message: 'queued',
  created_at: at,
  updated_at: at,
  expires_at: null,
  poll_interval_ms: 1000,
  arguments: '{"n":1}',
  error: null,
  owner_pid: 1,
  owner_started: 'x',
  ...overrides,
});
