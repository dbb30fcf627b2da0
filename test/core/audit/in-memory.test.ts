// The audit record on an in-memory audit table: no SQLite. What a user relies on: a decision is on record at once,
// queued outcomes are written together in one transaction, and an export holds every event, oldest first, across pages
// bounded in events and in size.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Audit } from '../../../main/core/audit/index.js';
import { memoryAudit } from '../../helpers/memory-ports.js';
import { allAudit } from '../../helpers/audit.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const now = () => '2026-03-01T09:00:00.000Z';
const entry = (summary: string, serverId = 's1') => ({ actor: 'user' as const, summary, serverId });

describe('the audit record on its narrow port', () => {
  it('writes a decision at once, and queued outcomes in one transaction when their timer runs', () => {
    const table = memoryAudit();
    const audit = new Audit(table, now, () => undefined);
    audit.record('consent.approved', entry('Approved'));
    expect(table.rows.map((r) => r.summary)).toEqual(['Approved']);

    for (let i = 0; i < 5; i++) audit.recordSoon('tool.called', entry(`call ${i}`));
    expect(table.rows).toHaveLength(1);
    vi.advanceTimersByTime(25);
    expect(table.rows).toHaveLength(6);
    expect(table.transactions()).toBe(1);
  });

  it('reads what was queued before answering a query, so a list never misses a call just made', () => {
    const table = memoryAudit();
    const audit = new Audit(table, now, () => undefined);
    audit.recordSoon('tool.called', entry('just now'));
    expect(audit.list({ limit: 10 }).map((e) => e.summary)).toEqual(['just now']);
  });

  it('exports every matching event oldest first, across more than one page, and only the server asked for', () => {
    const table = memoryAudit();
    const audit = new Audit(table, now, () => undefined);
    for (let i = 0; i < 2500; i++) audit.record('tool.called', entry(`call ${i}`, i % 2 === 0 ? 's1' : 's2'));
    const all = allAudit(audit, { serverId: 's1' });
    expect(all).toHaveLength(1250);
    expect(all[0]?.summary).toBe('call 0');
    expect(all.at(-1)?.summary).toBe('call 2498');
    expect(all.every((e) => e.serverId === 's1')).toBe(true);
  });

  it('exports page by page, oldest first, each page bounded by events and by size, and every event exactly once', () => {
    const table = memoryAudit();
    const audit = new Audit(table, now, () => undefined);
    for (let i = 0; i < 45; i++) audit.record('tool.called', entry(`call ${i} ${'x'.repeat(i === 30 ? 5000 : 10)}`, i % 3 === 0 ? 's2' : 's1'));
    // Tried before the fix: the export was one string of the whole record (134 MB for 400 k events, built in one go).
    const pages: { jsonl: string; count: number; next: number | null }[] = [];
    for (let afterId: number | null = 0; afterId !== null;) {
      const page = audit.exportPage({ serverId: 's1' }, afterId, 7, 1200);
      pages.push(page);
      afterId = page.next;
    }
    const lines = pages.flatMap((p) => p.jsonl.split('\n').filter(Boolean));
    expect(lines.map((l) => (JSON.parse(l) as { summary: string }).summary.split(' ').slice(0, 2).join(' '))).toEqual(
      Array.from({ length: 45 }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map((i) => `call ${i}`),
    );
    expect(pages.every((p) => p.count <= 7 && p.count === p.jsonl.split('\n').filter(Boolean).length)).toBe(true);
    // A page stops before it passes the size, unless its first event alone is larger.
    for (const p of pages) expect(p.jsonl.length <= 1200 || p.count === 1).toBe(true);
    expect(pages.at(-1)?.next).toBeNull();
    expect(audit.exportPage({ kind: 'consent.approved' }, 0)).toEqual({ jsonl: '', count: 0, next: null });
  });

  it('reports a batch whose transaction fails, keeps nothing half-written, and the next batch is written', () => {
    const table = memoryAudit();
    const reported: string[] = [];
    const audit = new Audit(table, now, (where) => reported.push(where));
    const append = table.audit.append.bind(table.audit);
    let calls = 0;
    table.audit.append = (event) => {
      if (++calls === 2) throw new Error('database is locked');
      return append(event);
    };
    audit.recordSoon('tool.called', entry('a'));
    audit.recordSoon('tool.called', entry('b'));
    vi.advanceTimersByTime(25);
    expect(reported).toEqual(['writing 2 queued audit record(s)']);
    expect(table.rows).toHaveLength(0);
    audit.recordSoon('tool.called', entry('c'));
    vi.advanceTimersByTime(25);
    expect(table.rows.map((r) => r.summary)).toEqual(['c']);
  });
});
