// Real SQLite files in a fresh temp folder, and plain records to put in them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type ServerRecord, type Store, type StoreOptions } from '../../../main/core/store/index.js';

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
