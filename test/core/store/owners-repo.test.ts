// Owners, sessions, the shared inbox rows and the change revisions, on a real file; and the upgrade of older records.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../main/core/store/index.js';
import { olderDatabase, serverRecord, tempDbDir, type TempDir } from './temp-store.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDbDir();
  store = openStore(tmp.file);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const a = { pid: 10, started: 'boot:1' };
const b = { pid: 20, started: 'boot:2' };

describe('owners and sessions', () => {
  it('renews a lease only for a row that still exists, and removes a row once', () => {
    store.owners.put({ ...a, kind: 'app', address: '/tmp/x.sock', token: 't', leaseUntil: 1000, since: '2025-01-01T00:00:00.000Z' });
    expect(store.owners.renew(a, 5000)).toBe(true);
    expect(store.owners.get(a)?.leaseUntil).toBe(5000);
    expect(store.owners.renew(b, 5000)).toBe(false);
    expect(store.owners.remove(a)).toBe(true);
    expect(store.owners.remove(a)).toBe(false);
  });

  it('records which owner holds a session with which server, and drops a dead owner’s at once', () => {
    store.servers.insert(serverRecord('s1'));
    store.servers.insert(serverRecord('s2'));
    store.owners.holdSession('s1', a, 'x');
    store.owners.holdSession('s1', a, 'x');
    store.owners.holdSession('s2', a, 'x');
    store.owners.holdSession('s1', b, 'x');
    expect(store.owners.sessions('s1')).toEqual([
      { serverId: 's1', ...a },
      { serverId: 's1', ...b },
    ]);
    expect(store.owners.dropSessions(a)).toBe(2);
    expect(store.owners.sessions()).toEqual([{ serverId: 's1', ...b }]);
  });
});

describe('inbox rows', () => {
  const row = (id: string) => ({ id, kind: 'sampling', serverId: 's', item: `{"id":"${id}"}`, createdAt: `2025-01-01T00:00:0${id}.000Z` });

  it('makes an owner’s rows exactly the list given, leaving other owners’ rows alone', () => {
    store.inbox.replaceOwn(a, [row('1'), row('2')]);
    store.inbox.replaceOwn(b, [row('3')]);
    store.inbox.replaceOwn(a, [row('2')]);
    expect(store.inbox.others(b).map((r) => r.id)).toEqual(['2']);
    expect(store.inbox.others(a).map((r) => r.id)).toEqual(['3']);
    expect(store.inbox.withdraw(b)).toBe(1);
    expect(store.inbox.get('3')).toBeUndefined();
  });

  it('adds, changes and removes one of an owner’s rows, and never another owner’s', () => {
    store.inbox.replaceOwn(a, [row('1')]);
    store.inbox.replaceOwn(b, [row('2')]);
    store.inbox.changeOwn(a, row('3'));
    store.inbox.changeOwn(a, { ...row('3'), item: '{"id":"3","changed":true}' });
    // A question that replaces another: the new row in, the old one out, together.
    store.inbox.changeOwn(a, row('4'), '1');
    // Another owner's row is not this owner's to remove.
    store.inbox.changeOwn(a, undefined, '2');
    expect(store.inbox.others(b).map((r) => [r.id, r.item])).toEqual([
      ['3', '{"id":"3","changed":true}'],
      ['4', '{"id":"4"}'],
    ]);
    expect(store.inbox.others(a).map((r) => r.id)).toEqual(['2']);
    store.inbox.changeOwn(a, undefined, '3');
    expect(store.inbox.others(b).map((r) => r.id)).toEqual(['4']);
  });
});

describe('change revisions', () => {
  const revs = () => Object.fromEntries(store.changes.revisions());

  it('moves the topic of every table that other processes must hear about, and only that topic', () => {
    const before = revs();
    store.servers.insert(serverRecord('s1'));
    expect(revs()).toMatchObject({ servers: before.servers! + 1, policies: before.policies });
    store.sampling.setPolicy('s1', store.sampling.policy('s1'));
    expect(revs()).toMatchObject({ policies: before.policies! + 1 });
    store.settings.put('models.anthropic', { baseUrl: null });
    expect(revs()).toMatchObject({ settings: before.settings! + 1 });
    store.owners.put({ ...a, kind: 'cli', address: null, token: null, leaseUntil: 1, since: 'x' });
    const owners = revs().owners;
    // A lease renewal is not news.
    store.owners.renew(a, 99);
    expect(revs().owners).toBe(owners);
  });

  it('tells a connection when another one committed, and not for its own writes', () => {
    const other = openStore(tmp.file);
    try {
      const v0 = store.changes.dataVersion();
      store.settings.put('k', 1);
      expect(store.changes.dataVersion()).toBe(v0);
      other.settings.put('k', 2);
      expect(store.changes.dataVersion()).not.toBe(v0);
    } finally {
      other.close();
    }
  });
});

describe('upgrade', () => {
  it('moves the process records of an older database into the new table, owner start unknown', () => {
    store.close();
    tmp.cleanup();
    tmp = tempDbDir();
    olderDatabase(tmp.file, 4, (raw) => {
      raw
        .prepare(
          "INSERT INTO servers (id, name, transport, config, sandbox, options, source, created_at, updated_at) VALUES ('s', 's', 'stdio', '{}', '{}', '{}', 'manual', 'x', 'x')",
        )
        .run();
      raw.prepare("INSERT INTO server_runs (server_id, pid, pid_started, host_pid, started_at) VALUES ('s', 321, '999', 77, 'x')").run();
    });
    store = openStore(tmp.file);
    expect(store.processes.list()).toMatchObject([{ pid: 321, started: '999', role: 'server', serverId: 's', owner: { pid: 77, started: '' } }]);
  });
});
