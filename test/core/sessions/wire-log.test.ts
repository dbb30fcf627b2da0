// The wire log: kinds read off each message, responses paired with their requests both ways, bounds on count and
// text, the method filter and paging by sequence. Hostile input tried: a response to an id never asked, a message
// that is not an object, a huge message, ids reused across directions.
import { describe, expect, it } from 'vitest';
import { WireLog } from '../../../main/core/sessions/wire-log.js';

function log(limits = { messages: 5, textChars: 50 }) {
  let t = 0;
  const wire = new WireLog({ now: () => t, iso: () => `T${t}` }, limits);
  return { wire, at: (ms: number) => void (t = ms) };
}

describe('WireLog', () => {
  it('pairs each response with its request, in either direction, with the time between', () => {
    const { wire, at } = log({ messages: 100, textChars: 1000 });
    wire.record('out', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    wire.record('in', { jsonrpc: '2.0', id: 'srv-1', method: 'roots/list' });
    at(5);
    wire.record('out', { jsonrpc: '2.0', id: 'srv-1', result: { roots: [] } });
    at(12.34);
    wire.record('in', { jsonrpc: '2.0', id: 1, result: { tools: [] } });
    wire.record('in', { jsonrpc: '2.0', id: 99, error: { code: -1, message: 'x' } });
    wire.record('in', { jsonrpc: '2.0', method: 'notifications/message', params: {} });
    wire.record('in', 'not an object');
    const rows = wire.list({ limit: 100 }).messages.map((m) => [m.direction, m.kind, m.method ?? null, m.ms ?? null]);
    expect(rows).toEqual([
      ['out', 'request', 'tools/list', null],
      ['in', 'request', 'roots/list', null],
      ['out', 'response', 'roots/list', 5],
      ['in', 'response', 'tools/list', 12.3],
      ['in', 'error', null, null],
      ['in', 'notification', 'notifications/message', null],
      ['in', 'response', null, null],
    ]);
  });

  it('keeps only the newest messages and cuts long text, saying by how much', () => {
    const { wire } = log();
    for (let i = 0; i < 8; i += 1) wire.record('out', { jsonrpc: '2.0', method: 'notifications/x', params: { i } });
    wire.record('in', { jsonrpc: '2.0', method: 'big', params: { text: 'y'.repeat(500) } });
    const { messages, total } = wire.list({ limit: 100 });
    expect(total).toBe(9);
    expect(messages.map((m) => m.seq)).toEqual([5, 6, 7, 8, 9]);
    expect(messages.at(-1)?.text.length).toBe(50);
    expect(messages.at(-1)?.cut).toBeGreaterThan(450);
  });

  it('filters by method prefix and pages by sequence number', () => {
    const { wire } = log({ messages: 100, textChars: 1000 });
    wire.record('out', { jsonrpc: '2.0', id: 1, method: 'resources/read', params: {} });
    wire.record('out', { jsonrpc: '2.0', id: 2, method: 'tools/call', params: {} });
    wire.record('in', { jsonrpc: '2.0', id: 1, result: {} });
    expect(wire.list({ method: 'resources/', limit: 10 }).messages.map((m) => m.seq)).toEqual([1, 3]);
    expect(wire.list({ afterSeq: 2, limit: 10 }).messages.map((m) => m.seq)).toEqual([3]);
    expect(wire.list({ limit: 1 }).messages.map((m) => m.seq)).toEqual([3]);
  });
});
