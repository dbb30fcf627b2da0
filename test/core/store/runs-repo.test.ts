// Live process records: one run per server, cleared only by the pid that owns it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type RunRecord, type Store } from '../../../main/core/store/index.js';
import { serverRecord, tempDbDir, type TempDir } from './temp-store.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDbDir();
  store = openStore(tmp.file);
  store.servers.insert(serverRecord('a'));
  store.servers.insert(serverRecord('b'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const run = (serverId: string, pid: number): RunRecord => ({ serverId, pid, pidStarted: `start-${pid}`, hostPid: 4242, startedAt: '2025-01-01T00:00:00.000Z' });

describe('RunsRepo', () => {
  it('keeps one record per server; a restart replaces it', () => {
    store.runs.put(run('a', 100));
    store.runs.put(run('b', 200));
    store.runs.put(run('a', 101));
    expect(store.runs.get('a')).toEqual(run('a', 101));
    expect(
      store.runs
        .list()
        .map((r) => [r.serverId, r.pid])
        .sort(),
    ).toEqual([
      ['a', 101],
      ['b', 200],
    ]);
  });

  it('an old pid cannot clear the record of the process that replaced it', () => {
    store.runs.put(run('a', 101));
    store.runs.clear('a', 100);
    expect(store.runs.get('a')?.pid).toBe(101);
    store.runs.clear('a', 101);
    expect(store.runs.get('a')).toBeUndefined();
  });
});
