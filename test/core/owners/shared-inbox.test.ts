// The rows a process keeps of the questions it asks, for every other Steward process to list: each change of the local
// inbox is written alone, and the rows always hold exactly the questions waiting, on a real database file. Tried: a
// sequence of additions, replacements and answers with the rows compared after every step; questions asked before
// the shared inbox was attached; a write that fails, after which every row is written again.
import { describe, expect, it, vi } from 'vitest';
import { Inbox, type NewItem } from '../../../main/core/inbox/index.js';
import { SharedInbox } from '../../../main/core/owners/index.js';
import type { InboxChange } from '../../../shared/domain/inbox.js';
import { storesPerTest } from '../store/temp-store.js';

const self = { pid: 10, started: 'boot:1' };
const stranger = { pid: 20, started: 'boot:2' };

const form = (message: string): NewItem<'elicitation'> => ({
  kind: 'elicitation',
  serverId: 's1',
  serverName: 'server one',
  request: { message, fields: [], relatedTask: null },
});

const openTemp = storesPerTest();

function rig() {
  const { store } = openTemp();
  let tick = 0;
  const told: InboxChange[] = [];
  let shared: SharedInbox | undefined;
  const local = new Inbox(
    () => new Date(1_700_000_000_000 + tick++).toISOString(),
    (change) => shared?.localChanged(change),
  );
  const attach = () => {
    shared = new SharedInbox({
      self,
      local,
      rows: store.inbox,
      state: () => 'live',
      record: () => undefined,
      answerElsewhere: () => Promise.resolve(),
      changed: (change) => told.push(change),
    });
  };
  // What another process reads: every row not its own, as the items it would show.
  const rows = () => store.inbox.others(stranger).map((row) => JSON.parse(row.item) as unknown);
  return { store, local, attach, rows, told };
}

describe('the shared inbox rows', () => {
  it('follow every change one row at a time and always hold exactly the questions waiting', () => {
    const { store, local, attach, rows, told } = rig();
    // Asked before the shared inbox was attached: no row yet, written with the first change.
    local.put('early', form('Asked early?'));
    attach();
    expect(rows()).toEqual([]);
    const replaceAll = vi.spyOn(store.inbox, 'replaceOwn');
    const changeOne = vi.spyOn(store.inbox, 'changeOwn');

    local.put('a', form('First?'));
    expect(rows()).toEqual(local.list());
    expect(replaceAll).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) local.put(`q${i}`, form(`Question ${i}?`));
    expect(rows()).toEqual(local.list());
    // A newer question under the same key replaces the older one: one row in, one out.
    local.put('q2', form('Question 2, asked again?'));
    expect(rows()).toEqual(local.list());
    expect(rows()).toHaveLength(7);
    local.removeKey('q0');
    local.removeKey('early');
    local.removeKey('missing');
    expect(rows()).toEqual(local.list());
    // One full write to start, then each change alone.
    expect(replaceAll).toHaveBeenCalledTimes(1);
    expect(changeOne).toHaveBeenCalledTimes(8);
    expect(told).toHaveLength(9);
  });

  it('writes every row again after a write that failed, and tells the front ends of no change it could not record', () => {
    const { store, local, attach, rows, told } = rig();
    attach();
    local.put('a', form('First?'));
    local.put('b', form('Second?'));
    const changeOne = vi.spyOn(store.inbox, 'changeOwn').mockImplementationOnce(() => {
      throw new Error('database is locked');
    });
    expect(() => local.put('c', form('Third?'))).toThrow('database is locked');
    expect(told).toHaveLength(2);
    // The question is waiting here all the same; the next change brings the rows back to exactly what waits.
    const replaceAll = vi.spyOn(store.inbox, 'replaceOwn');
    local.removeKey('a');
    expect(replaceAll).toHaveBeenCalledTimes(1);
    expect(rows()).toEqual(local.list());
    expect(rows()).toHaveLength(2);
    local.put('d', form('Fourth?'));
    expect(replaceAll).toHaveBeenCalledTimes(1);
    expect(changeOne).toHaveBeenCalledTimes(2);
    expect(rows()).toEqual(local.list());
  });
});
