// The audit record's queued writes: a batch that cannot be written is reported, and the next one is written as usual.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Audit } from '../../../main/core/audit/index.js';
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
