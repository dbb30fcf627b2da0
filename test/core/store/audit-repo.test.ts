// The audit record: appended in order, listed newest first, filtered by server and kind, paged with beforeId.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditKind } from '../../../shared/domain/audit.js';
import { openStore, type Store } from '../../../main/core/store/index.js';
import { tempDbDir, type TempDir } from './temp-store.js';

let tmp: TempDir;
let store: Store;
let ids: Record<string, number>;

// label → [kind, serverId]
const EVENTS: Array<[string, AuditKind, string | null]> = [
  ['add-a', 'server.added', 'a'],
  ['add-b', 'server.added', 'b'],
  ['ok-a', 'consent.approved', 'a'],
  ['launch-a', 'server.launched', 'a'],
  ['import', 'server.imported', null],
  ['deny-b', 'consent.denied', 'b'],
  ['launch-a2', 'server.launched', 'a'],
];

beforeEach(() => {
  tmp = tempDbDir();
  store = openStore(tmp.file);
  ids = {};
  EVENTS.forEach(([label, kind, serverId], i) => {
    const event = store.audit.append({
      ts: `2025-01-01T00:00:0${i}.000Z`,
      kind,
      serverId,
      serverName: serverId && `server ${serverId}`,
      actor: 'user',
      summary: label,
      data: { label, n: i, nested: { ok: true } },
    });
    ids[label] = event.id;
  });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const labels = (query: Parameters<Store['audit']['list']>[0]) => store.audit.list(query).map((e) => e.summary);

describe('AuditRepo', () => {
  it('hands out increasing ids', () => {
    const order = EVENTS.map(([label]) => ids[label]!);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(new Set(order).size).toBe(order.length);
  });

  it('lists newest first and round-trips every field', () => {
    expect(labels({ limit: 100 })).toEqual(['launch-a2', 'deny-b', 'import', 'launch-a', 'ok-a', 'add-b', 'add-a']);
    const [newest] = store.audit.list({ limit: 1 });
    expect(newest).toEqual({
      id: ids['launch-a2'],
      ts: '2025-01-01T00:00:06.000Z',
      kind: 'server.launched',
      serverId: 'a',
      serverName: 'server a',
      actor: 'user',
      summary: 'launch-a2',
      data: { label: 'launch-a2', n: 6, nested: { ok: true } },
    });
  });

  const filters: Array<{ name: string; query: Parameters<Store['audit']['list']>[0] | (() => Parameters<Store['audit']['list']>[0]); expected: string[] }> = [
    { name: 'limit', query: { limit: 2 }, expected: ['launch-a2', 'deny-b'] },
    { name: 'server a', query: { limit: 100, serverId: 'a' }, expected: ['launch-a2', 'launch-a', 'ok-a', 'add-a'] },
    { name: 'server b', query: { limit: 100, serverId: 'b' }, expected: ['deny-b', 'add-b'] },
    { name: 'unknown server', query: { limit: 100, serverId: 'zzz' }, expected: [] },
    { name: 'kind', query: { limit: 100, kind: 'server.launched' }, expected: ['launch-a2', 'launch-a'] },
    { name: 'server and kind', query: { limit: 100, serverId: 'b', kind: 'server.added' }, expected: ['add-b'] },
    { name: 'beforeId', query: () => ({ limit: 100, beforeId: ids['import'] }), expected: ['launch-a', 'ok-a', 'add-b', 'add-a'] },
    { name: 'beforeId with server and limit', query: () => ({ limit: 1, beforeId: ids['launch-a2'], serverId: 'a' }), expected: ['launch-a'] },
    { name: 'beforeId the oldest', query: () => ({ limit: 100, beforeId: ids['add-a'] }), expected: [] },
  ];

  it.each(filters)('filters by $name', ({ query, expected }) => {
    expect(labels(typeof query === 'function' ? query() : query)).toEqual(expected);
  });

  it('writes a batch with appendAll exactly as one append after another would, in order', () => {
    const batch = [
      {
        ts: '2025-01-02T00:00:00.000Z',
        kind: 'sampling.approved' as const,
        serverId: 'a',
        serverName: 'server a',
        actor: 'policy',
        summary: 'batch-1',
        data: { n: 1 },
      },
      { ts: '2025-01-02T00:00:01.000Z', kind: 'sampling.replied' as const, serverId: null, serverName: null, actor: 'host', summary: 'batch-2', data: {} },
    ];
    store.transaction(() => store.audit.appendAll(batch));
    const [second, first] = store.audit.list({ limit: 2 });
    expect(first).toEqual({ ...batch[0], id: ids['launch-a2']! + 1 });
    expect(second).toEqual({ ...batch[1], id: ids['launch-a2']! + 2 });
  });

  it('reads a damaged data column as unreadable instead of failing the whole list', () => {
    store.db.prepare('UPDATE audit_events SET data = ? WHERE id = ?').run('{oops', ids['ok-a']);
    const events = store.audit.list({ limit: 100 });
    expect(events).toHaveLength(EVENTS.length);
    expect(events.find((e) => e.summary === 'ok-a')?.data).toEqual({ unreadable: true });
  });
});
