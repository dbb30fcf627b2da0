// Server log lines: bounded per server (newest kept), paged newest first, each batch all or nothing.
import { describe, expect, it } from 'vitest';
import type { NewLogLine, Store } from '../../../main/core/store/index.js';
import { serverRecord, storesPerTest } from './temp-store.js';

const openTemp = storesPerTest();

function setup(keep?: number): Store {
  const { store } = openTemp(keep === undefined ? {} : { logLinesPerServer: keep });
  store.servers.insert(serverRecord('a'));
  store.servers.insert(serverRecord('b'));
  return store;
}

const line = (serverId: string, text: string): NewLogLine => ({ serverId, ts: '2025-01-01T00:00:00.000Z', stream: 'stderr', level: 'info', text });
const countFor = (s: Store, serverId: string) => s.db.prepare('SELECT count(*) FROM server_logs WHERE server_id = ?').pluck().get(serverId);

describe('LogsRepo', () => {
  it('keeps only the newest lines per server, leaving other servers alone', () => {
    const s = setup(50);
    for (let i = 0; i < 20; i++) s.logs.append([line('b', `b ${i}`)]);
    // Batches of uneven sizes, so pruning runs at many different counts.
    for (let i = 0; i < 500;) {
      const size = Math.min(1 + (i % 13), 500 - i);
      s.logs.append(Array.from({ length: size }, (_, k) => line('a', `a ${i + k}`)));
      i += size;
    }
    expect(countFor(s, 'a')).toBe(50);
    const kept = s.logs.page('a', 1000).map((l) => l.text);
    expect(kept).toEqual(Array.from({ length: 50 }, (_, k) => `a ${499 - k}`));
    expect(countFor(s, 'b')).toBe(20);
    expect(s.logs.page('b', 1000).map((l) => l.text)).toEqual(Array.from({ length: 20 }, (_, k) => `b ${19 - k}`));
  });

  it('bounds a single batch larger than the limit', () => {
    const s = setup(50);
    s.logs.append(Array.from({ length: 120 }, (_, i) => line('a', `a ${i}`)));
    expect(s.logs.page('a', 1000).map((l) => l.text)).toEqual(Array.from({ length: 50 }, (_, k) => `a ${119 - k}`));
  });

  it('keeps 5000 lines per server by default', () => {
    const s = setup();
    s.logs.append(Array.from({ length: 5100 }, (_, i) => line('a', `a ${i}`)));
    expect(countFor(s, 'a')).toBe(5000);
    expect(s.logs.page('a', 1)[0]?.text).toBe('a 5099');
  });

  it('returns the stored lines with their ids, in order', () => {
    const s = setup();
    const stored = s.logs.append([line('a', 'one'), line('b', 'two'), line('a', 'three')]);
    expect(stored.map((l) => [l.serverId, l.text])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
      ['a', 'three'],
    ]);
    const ids = stored.map((l) => l.id);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    expect(s.logs.page('a', 10)).toEqual([stored[2], stored[0]]);
    expect(s.logs.append([])).toEqual([]);
  });

  it('pages newest first with beforeId, every line exactly once', () => {
    const s = setup();
    s.logs.append(Array.from({ length: 33 }, (_, i) => line('a', `a ${i}`)));
    s.logs.append(Array.from({ length: 5 }, (_, i) => line('b', `b ${i}`)));
    const seen: string[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = s.logs.page('a', 10, beforeId);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(10);
      seen.push(...page.map((l) => l.text));
      beforeId = page[page.length - 1]!.id;
    }
    expect(seen).toEqual(Array.from({ length: 33 }, (_, k) => `a ${32 - k}`));
  });

  it('rolls back a whole batch when one line is refused', () => {
    const s = setup();
    s.logs.append([line('a', 'before')]);
    expect(() => s.logs.append([line('a', 'fine'), line('no-such-server', 'orphan')])).toThrow(/FOREIGN KEY/);
    expect(s.logs.page('a', 10).map((l) => l.text)).toEqual(['before']);
  });
});
