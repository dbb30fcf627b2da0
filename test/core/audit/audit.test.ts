// The audit record's queued writes: a batch that cannot be written is reported, and the next one is written as usual.
// The export pages oldest first on the real table (tried: a record of more than two pages, and a filter by server).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Audit } from '../../../main/core/audit/index.js';
import { EXPORT_PAGE_EVENTS } from '../../../main/core/audit/audit.js';
import { openStore, type Store } from '../../../main/core/store/index.js';
import { tempDbDir, type TempDir } from '../store/temp-store.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  vi.useFakeTimers();
  tmp = tempDbDir();
  store = openStore(tmp.file);
});
afterEach(() => {
  vi.useRealTimers();
  store.close();
  tmp.cleanup();
});

const entry = (summary: string) => ({ actor: 'host' as const, summary });

describe('recordSoon', () => {
  it('reports a batch whose write fails, and writes the next batch on its own timer', () => {
    const reported: Array<{ where: string; error: unknown }> = [];
    const audit = new Audit(
      store,
      () => new Date().toISOString(),
      (where, error) => reported.push({ where, error }),
    );
    const boom = new Error('database is locked');
    vi.spyOn(store.audit, 'appendAll').mockImplementationOnce(() => {
      throw boom;
    });

    audit.recordSoon('tool.called', entry('first call'));
    audit.recordSoon('tool.called', entry('second call'));
    vi.advanceTimersByTime(25);
    expect(reported).toEqual([{ where: 'writing 2 queued audit record(s)', error: boom }]);

    audit.recordSoon('tool.called', entry('third call'));
    vi.advanceTimersByTime(25);
    expect(reported).toHaveLength(1);
    // Read straight from the store: listing through the audit would flush, and the timer must have done it.
    expect(store.audit.list({ limit: 10 }).map((e) => e.summary)).toEqual(['third call']);
  });

  it('writes a queued entry with the batch that flushes it, built then, at the time it was queued', () => {
    let clock = '2026-01-01T00:00:00.000Z';
    const audit = new Audit(
      store,
      () => clock,
      () => undefined,
    );
    let built = 0;
    audit.queue('sampling.replied', () => {
      built += 1;
      return entry('built later');
    });
    clock = '2026-01-01T00:00:01.000Z';
    vi.advanceTimersByTime(25);
    expect(built).toBe(0);
    expect(store.audit.list({ limit: 10 })).toEqual([]);
    store.transaction(() => audit.flush());
    expect(built).toBe(1);
    expect(store.audit.list({ limit: 10 })).toMatchObject([{ summary: 'built later', ts: '2026-01-01T00:00:00.000Z' }]);
  });

  it('writes a queued entry on its own within a second when no batch takes it, and a tool call outcome still within moments', () => {
    const audit = new Audit(
      store,
      () => new Date().toISOString(),
      () => undefined,
    );
    audit.queue('sampling.replied', entry('left behind'));
    vi.advanceTimersByTime(500);
    expect(store.audit.list({ limit: 10 })).toEqual([]);
    audit.recordSoon('tool.called', entry('a call'));
    vi.advanceTimersByTime(25);
    expect(store.audit.list({ limit: 10 }).map((e) => e.summary)).toEqual(['a call', 'left behind']);
    audit.queue('sampling.replied', entry('left behind too'));
    vi.advanceTimersByTime(1000);
    expect(store.audit.list({ limit: 10 }).map((e) => e.summary)).toEqual(['left behind too', 'a call', 'left behind']);
  });
});

describe('the export on SQLite', () => {
  it('pages oldest first from any event on, at most EXPORT_PAGE_EVENTS to a page, filtered in the query', () => {
    const audit = new Audit(
      store,
      () => '2026-03-01T09:00:00.000Z',
      () => undefined,
    );
    const rows = Array.from({ length: EXPORT_PAGE_EVENTS * 2 + 5 }, (_, i) => ({
      ts: '2026-03-01T09:00:00.000Z',
      kind: 'tool.called' as const,
      serverId: i % 2 === 0 ? 'a' : 'b',
      serverName: null,
      actor: 'host' as const,
      summary: `event ${i}`,
      data: {},
    }));
    store.transaction(() => store.audit.appendAll(rows));
    const seen: string[] = [];
    let pages = 0;
    for (let afterId: number | null = 0; afterId !== null; pages++) {
      const page = audit.exportPage({}, afterId);
      expect(page.count).toBeLessThanOrEqual(EXPORT_PAGE_EVENTS);
      seen.push(
        ...page.jsonl
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { summary: string }).summary),
      );
      afterId = page.next;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(rows.map((r) => r.summary));
    const onlyB = audit.exportPage({ serverId: 'b' }, 0, 10);
    expect(
      onlyB.jsonl
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { summary: string }).summary),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i * 2 + 1}`));
    // The newest-first listing the audit screen pages with is as it was.
    expect(audit.list({ limit: 2 }).map((e) => e.summary)).toEqual([`event ${rows.length - 1}`, `event ${rows.length - 2}`]);
  });
});
