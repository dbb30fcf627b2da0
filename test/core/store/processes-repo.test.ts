// Process records: one per OS process (pid and start token), with the Steward process that owns it; a dead owner's
// records are taken over in one statement, so two recoverers never both get one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type ProcessRecord, type Store } from '../../../main/core/store/index.js';
import { serverRecord, tempDbDir, type TempDir } from './temp-store.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDbDir();
  store = openStore(tmp.file);
  store.servers.insert(serverRecord('a'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const dead = { pid: 4242, started: 'boot:1' };
const me = { pid: 5151, started: 'boot:2' };
const proc = (pid: number, role: ProcessRecord['role'], owner = dead): ProcessRecord => ({
  pid,
  started: `t${pid}`,
  role,
  serverId: role === 'helper' ? null : 'a',
  command: `cmd ${pid}`,
  owner,
  recordedAt: '2025-01-01T00:00:00.000Z',
});

describe('ProcessesRepo', () => {
  it('keeps one record per process; the same process recorded twice stays one row', () => {
    store.processes.record(proc(100, 'server'));
    store.processes.record(proc(101, 'member'));
    store.processes.record(proc(101, 'member'));
    store.processes.record(proc(102, 'helper'));
    expect(store.processes.list().map((p) => [p.pid, p.role])).toEqual([
      [100, 'server'],
      [101, 'member'],
      [102, 'helper'],
    ]);
    expect(store.processes.ofServer('a').map((p) => p.pid)).toEqual([100, 101]);
    expect(store.processes.owners()).toEqual([dead]);
  });

  it('a dead owner’s records move to the first taker only', () => {
    store.processes.record(proc(100, 'server'));
    store.processes.record(proc(102, 'helper'));
    store.processes.record(proc(200, 'server', me));
    const first = store.processes.claim(dead, me);
    expect(first.map((p) => p.pid).sort()).toEqual([100, 102]);
    expect(first.every((p) => p.owner.pid === me.pid)).toBe(true);
    expect(store.processes.claim(dead, { pid: 6161, started: 'boot:3' })).toEqual([]);
  });

  it('clears a server’s records of one owner only, and helpers separately', () => {
    store.processes.record(proc(100, 'server'));
    store.processes.record(proc(200, 'server', me));
    store.processes.record(proc(300, 'helper', me));
    store.processes.clearServer('a', me);
    expect(store.processes.list().map((p) => p.pid)).toEqual([100, 300]);
    store.processes.clearHelpers(me);
    expect(store.processes.list().map((p) => p.pid)).toEqual([100]);
  });
});
