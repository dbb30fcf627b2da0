// Task rows: a change, its history entries and its result in one transaction; keyset pages newest first; results in slices;
// the tasks servers asked for, listed for them without blobs and dropped when ended past their ttl or past the number kept.
// Hostile input tried: a server's ended tasks by the hundred, each with a megabyte of arguments and a result.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../main/core/store/index.js';
import { taskPageSql } from '../../../main/core/store/tasks-repo.js';
import { olderDatabase, requested, taskRecord, tempDbDir, type TempDir } from './temp-store.js';
import { SERVER_LIMITS } from '../../../main/core/limits.js';

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

const task = taskRecord;

describe('TasksRepo', () => {
  it('writes the history entries a change brings with it, and none for a change that is no event (progress)', () => {
    store.tasks.insert(task('a', '2026-01-01T00:00:00.000Z'), requested);
    store.tasks.update('a', '2026-01-01T00:00:01.000Z', { progress: 1, progressTotal: 10, progressMessage: 'one of ten' });
    store.tasks.apply('a', '2026-01-01T00:00:02.000Z', { statusMessage: 'step 1' }, [
      { source: 'server', kind: 'status', status: 'working', message: 'step 1', serverAt: '2026-01-01T00:00:01.500Z' },
    ]);
    store.tasks.apply('a', '2026-01-01T00:00:03.000Z', { cancelRequested: true }, [
      { source: 'local', kind: 'cancel_requested', status: 'working', message: 'asked to cancel', serverAt: null },
    ]);
    store.tasks.apply(
      'a',
      '2026-01-01T00:00:04.000Z',
      { status: 'completed', statusMessage: 'done', settledBy: 'server', resultOutcome: 'ok' },
      [{ source: 'server', kind: 'status', status: 'completed', message: 'done', serverAt: null }],
      '{"content":[]}',
    );
    expect(store.tasks.events('a')).toEqual([
      { at: '2026-01-01T00:00:00.000Z', source: 'local', kind: 'requested', status: 'working', message: 'asked', serverAt: null },
      { at: '2026-01-01T00:00:02.000Z', source: 'server', kind: 'status', status: 'working', message: 'step 1', serverAt: '2026-01-01T00:00:01.500Z' },
      { at: '2026-01-01T00:00:03.000Z', source: 'local', kind: 'cancel_requested', status: 'working', message: 'asked to cancel', serverAt: null },
      { at: '2026-01-01T00:00:04.000Z', source: 'server', kind: 'status', status: 'completed', message: 'done', serverAt: null },
    ]);
    expect(store.tasks.get('a')).toMatchObject({
      progress: 1,
      progress_total: 10,
      progress_message: 'one of ten',
      cancel_requested: 1,
      settled_by: 'server',
      result_outcome: 'ok',
      result_bytes: 14,
      updated_at: '2026-01-01T00:00:04.000Z',
    });
    expect(store.tasks.apply('missing', '2026-01-01T00:00:00.000Z', { status: 'failed' }, [requested])).toBeUndefined();
    expect(store.tasks.events('missing')).toEqual([]);
  });

  it('pages newest first by a keyset cursor, with filters, without skipping rows that share a timestamp', () => {
    for (let i = 0; i < 25; i++) {
      const at = `2026-01-01T00:00:${String(Math.floor(i / 2)).padStart(2, '0')}.000Z`;
      store.tasks.insert(
        task(`t${String(i).padStart(2, '0')}`, at, { status: i % 3 === 0 ? 'completed' : 'working', server_id: i % 2 ? 's1' : 's2' }),
        requested,
      );
    }
    const seen: string[] = [];
    let page = store.tasks.page({}, 7);
    while (page.length > 0) {
      seen.push(...page.map((r) => r.id));
      const last = page.at(-1)!;
      page = store.tasks.page({}, 7, { updatedAt: last.updated_at, id: last.id });
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen[0]).toBe('t24');
    expect(store.tasks.page({ status: 'completed' }, 100).every((r) => r.status === 'completed')).toBe(true);
    expect(store.tasks.page({ status: 'completed', serverId: 's2' }, 100).map((r) => r.id)).toEqual(['t24', 't18', 't12', 't06', 't00']);
  });

  it('answers every filter shape of the task center with one index seek, never a scan, a sort or a row-by-row filter', () => {
    // Enough rows, with statistics, that the planner chooses as it would on a real history.
    const insert = store.db.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
        store.tasks.insert(task(`p${i}`, at, { status: i % 50 === 0 ? 'failed' : 'completed', server_id: `s${i % 7}`, remote_task_id: `rp${i}` }), requested);
      }
    });
    insert();
    store.db.exec('ANALYZE');
    const cursor = { updatedAt: '2026-01-01T00:20:00.000Z', id: 'p1200' };
    const shapes = [{}, { status: 'failed' as const }, { serverId: 's3' }, { status: 'failed' as const, serverId: 's3' }];
    for (const filter of shapes) {
      for (const at of [undefined, cursor]) {
        const plan = store.db
          .prepare<Record<string, unknown>, { detail: string }>(`EXPLAIN QUERY PLAN ${taskPageSql(filter, at)}`)
          .all({ status: 'failed', serverId: 's3', cursorAt: cursor.updatedAt, cursorId: cursor.id, limit: 50 })
          .map((r) => r.detail);
        const columns = [filter.serverId && 'server_id=?', filter.status && 'status=?'].filter(Boolean) as string[];
        expect(plan, JSON.stringify({ filter, at })).toHaveLength(1);
        // Unfiltered from the top, walking the newest-first index until the limit is the seek.
        if (columns.length === 0 && !at) expect(plan[0]).toBe('SCAN tasks USING INDEX tasks_by_updated');
        else expect(plan[0]).toMatch(/^SEARCH tasks USING (COVERING )?INDEX tasks_by_/);
        for (const column of columns) expect(plan[0]).toContain(column);
      }
    }
  });

  it('stores a result once and reads it back in slices, counting characters', () => {
    store.tasks.insert(task('big', '2026-01-01T00:00:00.000Z'), requested);
    const json = JSON.stringify({ content: [{ type: 'text', text: 'é'.repeat(300_000) }] });
    store.tasks.putResult('big', json);
    expect(store.tasks.get('big')!.result_bytes).toBe(Buffer.byteLength(json));
    const first = store.tasks.resultSlice('big', 0, 100)!;
    expect(first.total).toBe(json.length);
    expect(first.text).toBe(json.slice(0, 100));
    expect(store.tasks.resultSlice('big', json.length - 10, 100)!.text).toBe(json.slice(-10));
    expect(store.tasks.resultSlice('none', 0, 10)).toBeUndefined();
  });

  it("keeps tasks a server gave the same id, and finds by that id the asker's own, else one running, else the newest", () => {
    // A server numbering its tasks anew after a restart, and two Steward processes each running it.
    store.tasks.insert(task('old', '2026-01-01T00:00:00.000Z', { status: 'completed' }), requested);
    store.tasks.insert(task('mine', '2026-01-01T00:00:01.000Z', { remote_task_id: 'r-old', owner_pid: 7, owner_started: 'me' }), requested);
    store.tasks.insert(task('theirs', '2026-01-01T00:00:02.000Z', { remote_task_id: 'r-old', owner_pid: 8, owner_started: 'them' }), requested);
    expect(store.tasks.byRemote('s1', 'outgoing', 'r-old', { pid: 7, started: 'me' })!.id).toBe('mine');
    expect(store.tasks.byRemote('s1', 'outgoing', 'r-old', { pid: 8, started: 'them' })!.id).toBe('theirs');
    // Someone else: one still running, the newest of those.
    expect(store.tasks.byRemote('s1', 'outgoing', 'r-old')!.id).toBe('theirs');
    store.tasks.apply('theirs', '2026-01-01T00:00:03.000Z', { status: 'completed' }, []);
    expect(store.tasks.byRemote('s1', 'outgoing', 'r-old', { pid: 9, started: 'other' })!.id).toBe('mine');
    // The other direction is apart.
    store.tasks.insert(task('c', '2026-01-01T00:00:00.000Z', { remote_task_id: 'r-old', direction: 'incoming' }), requested);
    expect(store.tasks.byRemote('s1', 'incoming', 'r-old')!.id).toBe('c');
  });

  it('lists unfinished tasks and hands one to a new owner', () => {
    store.tasks.insert(task('a', '2026-01-01T00:00:00.000Z'), requested);
    store.tasks.insert(task('b', '2026-01-01T00:00:00.000Z', { status: 'input_required' }), requested);
    store.tasks.insert(task('c', '2026-01-01T00:00:00.000Z', { status: 'failed' }), requested);
    expect(
      store.tasks
        .unfinished()
        .map((r) => r.id)
        .sort(),
    ).toEqual(['a', 'b']);
    const before = store.tasks.get('a')!;
    expect(store.tasks.claim('a', { pid: 77, started: 'tok' }, before)).toBe(true);
    expect(store.tasks.get('a')).toMatchObject({ owner_pid: 77, owner_started: 'tok' });
    // A second taker that read the task before the first claim loses: the task has one follower.
    expect(store.tasks.claim('a', { pid: 78, started: 'tok2' }, before)).toBe(false);
    expect(store.tasks.get('a')).toMatchObject({ owner_pid: 77, owner_started: 'tok' });
  });
});

describe('the tasks servers asked Steward to run', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();
  const incoming = (id: string, s: number, overrides: Parameters<typeof task>[2] = {}) =>
    store.tasks.insert(
      task(id, at(s), { direction: 'incoming', remote_task_id: id, expires_at: at(s + 60), arguments: 'x'.repeat(1_000_000), ...overrides }),
      requested,
    );
  const ids = (serverId = 's1') => store.tasks.incoming(serverId, at(0), 1000).map((t) => t.id);

  it("lists one server's live tasks oldest first, in pages, with the Task's columns and no blobs", () => {
    for (let i = 0; i < 5; i += 1) incoming(`t${i}`, i < 3 ? 1 : 2);
    incoming('gone', 0, { expires_at: at(0.5) });
    incoming('other', 1, { server_id: 's2' });
    store.tasks.insert(task('asked', at(1)), requested);
    const first = store.tasks.incoming('s1', at(1), 2);
    expect(first.map((t) => t.id)).toEqual(['t0', 't1']);
    expect(Object.keys(first[0]!).sort()).toEqual([
      'created_at',
      'expires_at',
      'id',
      'poll_interval_ms',
      'remote_task_id',
      'status',
      'status_message',
      'updated_at',
    ]);
    // Three share a creation time: the cursor's id keeps the page from skipping or repeating one.
    const second = store.tasks.incoming('s1', at(1), 2, { createdAt: first[1]!.created_at, id: first[1]!.id });
    expect(second.map((t) => t.id)).toEqual(['t2', 't3']);
    expect(store.tasks.incoming('s1', at(1), 10, { createdAt: at(2), id: 't3' }).map((t) => t.id)).toEqual(['t4']);
    expect(store.tasks.incoming('s1', at(61.5), 10).map((t) => t.id)).toEqual(['t3', 't4']);
  });

  it('drops ended ones past their ttl, and past the newest kept, with their history and result; nothing running, asked or of another server', () => {
    incoming('ended', 1, { status: 'completed' });
    store.tasks.putResult('ended', JSON.stringify({ result: { action: 'cancel' } }));
    incoming('running', 1, { status: 'input_required' });
    for (let i = 0; i < 6; i += 1) incoming(`c${i}`, 100 + i, { status: 'cancelled', expires_at: at(1000) });
    incoming('theirs', 1, { status: 'failed', server_id: 's2' });
    store.tasks.insert(task('asked', at(1), { status: 'completed', expires_at: at(2) }), requested);
    // The latest change stays whatever it is: the next change is numbered from it.
    incoming('latest', 2, { status: 'failed' });

    expect(store.tasks.pruneIncoming(at(500), { serverId: 's1', keep: 3, owner: { pid: 1, started: 'x' } })).toBe(4);
    expect(ids().sort()).toEqual(['c3', 'c4', 'c5', 'latest', 'running']);
    expect(store.tasks.get('ended')).toBeUndefined();
    expect(store.tasks.result('ended')).toBeUndefined();
    expect(store.tasks.events('ended')).toEqual([]);
    expect(store.tasks.get('theirs')).toBeDefined();
    expect(store.tasks.get('asked')).toBeDefined();

    // At start, without a server: the expired ones of every server, and only those.
    store.tasks.insert(task('newest', at(3)), requested);
    expect(store.tasks.pruneIncoming(at(500))).toBe(2);
    expect(store.tasks.get('theirs')).toBeUndefined();
    expect(store.tasks.get('latest')).toBeUndefined();
    expect(ids().sort()).toEqual(['c3', 'c4', 'c5', 'running']);
  });
});

describe('received tasks of two processes', () => {
  it("keeps another process's ended tasks within their ttl however many this one drops", () => {
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    const add = (id: string, s: number, pid: number) =>
      store.tasks.insert(
        task(id, at(s), { direction: 'incoming', remote_task_id: id, status: 'completed', expires_at: at(s + 600), owner_pid: pid, owner_started: `p${pid}` }),
        requested,
      );
    for (let i = 0; i < 3; i += 1) add(`other-${i}`, 1 + i, 2);
    for (let i = 0; i < 6; i += 1) add(`mine-${i}`, 10 + i, 1);
    store.tasks.insert(task('latest', at(30)), requested);
    // Tried before the fix: the newest kept were counted over both processes, so the other's three went first.
    expect(store.tasks.pruneIncoming(at(100), { serverId: 's1', keep: 2, owner: { pid: 1, started: 'p1' } })).toBe(4);
    const left = store.tasks.incoming('s1', at(0), 100).map((t) => t.id);
    expect(left.sort()).toEqual(['mine-4', 'mine-5', 'other-0', 'other-1', 'other-2']);
  });
});

describe('the order of task changes', () => {
  it("follows the commits, not the writers' clocks", () => {
    const start = store.tasks.lastChange();
    store.tasks.insert(task('late', '2030-01-01T10:00:02.000Z'), requested);
    store.tasks.insert(task('early', '2030-01-01T10:00:00.000Z'), requested);
    store.tasks.apply('late', '2029-01-01T00:00:00.000Z', { status: 'completed' }, []);
    expect(store.tasks.changedSince(start, 10).map((r) => `${r.id}:${r.status}`)).toEqual(['early:working', 'late:completed']);
    expect(store.tasks.lastChange()).toBe(start + 3);
    // Taking a task over changes who follows it, not what it is: as before, other processes are not told.
    expect(store.tasks.claim('early', { pid: 2, started: 'y' }, { owner_pid: 1, owner_started: 'x' })).toBe(true);
    expect(store.tasks.changedSince(start + 3, 10)).toEqual([]);
  });

  it('gives the tasks of an older database their order by when they last changed', () => {
    store.close();
    tmp.cleanup();
    tmp = tempDbDir();
    olderDatabase(tmp.file, 10, (raw) => {
      const insert = raw.prepare(
        `INSERT INTO tasks (id, server_id, server_name, transport, direction, remote_task_id, method, label, status, created_at, updated_at)
         VALUES (?, 's1', 'one', 'stdio', 'outgoing', ?, 'tools/call', 'job', 'working', ?, ?)`,
      );
      for (const [id, at] of [
        ['b', '2026-01-01T00:00:02.000Z'],
        ['a', '2026-01-01T00:00:03.000Z'],
        ['c', '2026-01-01T00:00:01.000Z'],
      ] as const)
        insert.run(id, `r-${id}`, at, at);
    });
    store = openStore(tmp.file);
    expect(store.tasks.changedSince(0, 10).map((r) => [r.id, r.change_seq])).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', 3],
    ]);
    store.tasks.apply('c', '2026-01-01T00:00:00.000Z', { status: 'completed' }, []);
    expect(store.tasks.changedSince(3, 10).map((r) => r.id)).toEqual(['c']);
  });

  it('cuts a history an older Steward left past the cap: its first ten and its latest entries stay, the rest counted', () => {
    store.close();
    tmp.cleanup();
    tmp = tempDbDir();
    const { entries, kept } = SERVER_LIMITS.taskHistory;
    olderDatabase(tmp.file, 9, (raw) => {
      raw
        .prepare(
          `INSERT INTO tasks (id, server_id, server_name, transport, direction, remote_task_id, method, label, status, created_at, updated_at)
           VALUES (?, 's1', 'one', 'stdio', 'outgoing', ?, 'tools/call', 'job', 'working', 'x', 'x')`,
        )
        .run('long', 'r-long');
      raw
        .prepare(
          `INSERT INTO tasks (id, server_id, server_name, transport, direction, remote_task_id, method, label, status, created_at, updated_at)
           VALUES ('short', 's1', 'one', 'stdio', 'outgoing', 'r-short', 'tools/call', 'job', 'working', 'x', 'x')`,
        )
        .run();
      const event = raw.prepare("INSERT INTO task_events (task_id, at, status, message) VALUES (?, 'x', 'working', ?)");
      for (let i = 0; i < 800; i++) event.run('long', `report ${i}`);
      for (let i = 0; i < 3; i++) event.run('short', `report ${i}`);
    });
    store = openStore(tmp.file);
    const long = store.tasks.events('long').map((e) => e.message);
    expect(long).toHaveLength(entries);
    expect(long.slice(0, kept)).toEqual(Array.from({ length: kept }, (_, i) => `report ${i}`));
    expect(long.at(kept)).toBe(`report ${800 - (entries - kept)}`);
    expect(long.at(-1)).toBe('report 799');
    expect(store.tasks.get('long')!.events_dropped).toBe(800 - entries);
    expect(store.tasks.events('short')).toHaveLength(3);
    expect(store.tasks.get('short')!.events_dropped).toBe(0);
  });
});
