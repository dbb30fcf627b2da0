// Each server's call history: newest first, capped per server, parts too large kept only as their size, gone with
// the server. Hostile input tried: a stored row edited by hand into JSON that no longer reads, a call for a server
// removed while it ran, a result larger than the cap.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../main/core/store/index.js';
import { CALL_PART_MAX_BYTES, CALLS_KEPT_PER_SERVER, type NewToolCall } from '../../../shared/domain/tool-calls.js';
import { serverRecord, storesPerTest } from './temp-store.js';

const openTemp = storesPerTest();

function setup(): Store {
  const { store } = openTemp();
  store.servers.insert(serverRecord('a'));
  store.servers.insert(serverRecord('b'));
  return store;
}

const ok = (serverId: string, tool: string, n: number): NewToolCall => ({
  serverId,
  tool,
  arguments: { n },
  result: { content: [{ type: 'text', text: `answer ${n}` }], isError: false },
  resultBytes: 0,
  error: null,
  asTask: false,
  at: '2026-01-01T00:00:00.000Z',
  durationMs: 12.5,
});

describe('ToolCallsRepo', () => {
  it('gives the calls back newest first, by tool when asked, a page at a time', () => {
    const s = setup();
    for (let i = 0; i < 5; i++) s.toolCalls.record(ok('a', i % 2 ? 'odd' : 'even', i));
    s.toolCalls.record({ ...ok('a', 'even', 9), result: null, error: { code: 'cancelled', message: 'Cancelled.' }, asTask: true });
    const all = s.toolCalls.page('a', { limit: 10 });
    expect(all.map((c) => c.arguments?.n)).toEqual([9, 4, 3, 2, 1, 0]);
    expect(all[0]).toMatchObject({ tool: 'even', result: null, error: { code: 'cancelled', message: 'Cancelled.' }, asTask: true });
    expect(all[1]).toMatchObject({ result: { content: [{ type: 'text', text: 'answer 4' }], isError: false }, durationMs: 12.5, error: null });
    expect(s.toolCalls.page('a', { tool: 'odd', limit: 10 }).map((c) => c.arguments?.n)).toEqual([3, 1]);
    const first = s.toolCalls.page('a', { limit: 2 });
    expect(s.toolCalls.page('a', { limit: 2, beforeId: first[1]?.id }).map((c) => c.arguments?.n)).toEqual([3, 2]);
    expect(s.toolCalls.page('b', { limit: 10 })).toEqual([]);
  });

  it('keeps a fixed number of calls per server, leaving other servers alone', () => {
    const s = setup();
    s.toolCalls.record(ok('b', 't', -1));
    for (let i = 0; i < CALLS_KEPT_PER_SERVER + 15; i++) s.toolCalls.record(ok('a', 't', i));
    const kept = s.toolCalls.page('a', { limit: 200 });
    expect(kept).toHaveLength(CALLS_KEPT_PER_SERVER);
    expect(kept.at(-1)?.arguments?.n).toBe(15);
    expect(s.toolCalls.page('b', { limit: 10 })).toHaveLength(1);
  });

  it('keeps only the size of a result or arguments larger than the cap', () => {
    const s = setup();
    const big = 'x'.repeat(CALL_PART_MAX_BYTES + 10);
    s.toolCalls.record({ ...ok('a', 't', 1), arguments: { big }, result: { content: [{ type: 'text', text: big }], isError: false } });
    const [call] = s.toolCalls.page('a', { limit: 1 });
    expect(call).toMatchObject({ arguments: null, result: null, error: null });
    expect(call?.resultBytes).toBeGreaterThan(CALL_PART_MAX_BYTES);
  });

  it('keeps nothing for a server that is gone, and forgets a server’s calls with it or on request', () => {
    const s = setup();
    expect(s.toolCalls.record(ok('gone', 't', 1))).toBeNull();
    s.toolCalls.record(ok('a', 't', 1));
    s.toolCalls.record(ok('b', 't', 1));
    s.servers.remove('a');
    expect(s.db.prepare("SELECT count(*) FROM tool_calls WHERE server_id = 'a'").pluck().get()).toBe(0);
    s.toolCalls.clear('b');
    expect(s.toolCalls.page('b', { limit: 10 })).toEqual([]);
  });

  it('shows a row whose stored JSON no longer reads as not kept, instead of failing', () => {
    const s = setup();
    s.toolCalls.record(ok('a', 't', 1));
    s.db.prepare("UPDATE tool_calls SET arguments = '{not json', result = '{\"content\": 5}'").run();
    expect(s.toolCalls.page('a', { limit: 1 })[0]).toMatchObject({ arguments: null, result: null, tool: 't' });
  });
});
