// The wire log: kinds read off each message, responses paired with their requests both ways, bounds on count and
// text, the method filter and paging by sequence. Hostile input tried: a response to an id never asked, a message
// that is not an object, a huge message, ids reused across directions, and 120 unique 1 MB messages (lines off a pipe,
// messages written out here, megabyte ids and methods) whose kept 8 KB must not hold the rest of them in memory.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { WIRE_LIMITS, WireLog } from '../../../main/core/sessions/wire-log.js';

const EPOCH = Date.UTC(2026, 0, 1);

function log(limits = { messages: 5, textChars: 50 }) {
  let t = 0;
  const queued: Array<() => void> = [];
  const wire = new WireLog({ now: () => t, wall: () => EPOCH + t }, limits, (fn) => queued.push(fn));
  return { wire, at: (ms: number) => void (t = ms), queued };
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

  it('writes messages out on the next turn, with the times they were noted at, and never holds more than it keeps', () => {
    const { wire, at, queued } = log({ messages: 4, textChars: 1000 });
    const request = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo' } };
    wire.record('out', request);
    at(3);
    wire.record('in', { jsonrpc: '2.0', id: 7, result: { content: [] } });
    at(50);
    // One turn scheduled for both messages; when it comes, the times are the ones noted, not the time of writing out.
    expect(queued).toHaveLength(1);
    queued.shift()?.();
    const written = wire.list({ limit: 10 }).messages;
    expect(written.map((m) => [m.at, m.ms ?? null])).toEqual([
      [new Date(EPOCH).toISOString(), null],
      [new Date(EPOCH + 3).toISOString(), 3],
    ]);
    expect(written[0]?.text).toBe(JSON.stringify(request));
    // A server flooding within one turn: what is noted is written out as soon as it reaches what the log keeps.
    for (let i = 0; i < 9; i += 1) wire.record('in', { jsonrpc: '2.0', method: 'notifications/x', params: { i } });
    expect(queued).toHaveLength(1);
    expect(wire.list({ limit: 10 }).messages.map((m) => m.seq)).toEqual([8, 9, 10, 11]);
    expect(wire.list({ limit: 10 }).total).toBe(11);
  });

  it('keeps a message with the text its transport gives at once, as it crossed the pipe, cut like any other', () => {
    const { wire, at, queued } = log({ messages: 10, textChars: 40 });
    const line = '{ "jsonrpc" : "2.0", "id" : 3, "method" : "tools/list" }';
    at(7);
    wire.record('in', { jsonrpc: '2.0', id: 3, method: 'tools/list' }, line);
    wire.record('out', { jsonrpc: '2.0', id: 3, result: {} }, '{"jsonrpc":"2.0","id":3,"result":{}}');
    const [asked, answer] = wire.list({ limit: 10 }).messages;
    expect(asked).toMatchObject({
      kind: 'request',
      method: 'tools/list',
      text: line.slice(0, 40),
      cut: line.length - 40,
      at: new Date(EPOCH + 7).toISOString(),
    });
    expect(answer).toMatchObject({ kind: 'response', method: 'tools/list', text: '{"jsonrpc":"2.0","id":3,"result":{}}' });
    expect(answer?.cut).toBeUndefined();
    expect(queued).toHaveLength(0);
    // One that must be written out waits for the next turn, and one with its text after it waits behind it.
    wire.record('out', { jsonrpc: '2.0', id: 4, method: 'ping' });
    wire.record('in', { jsonrpc: '2.0', id: 4, result: {} }, '{"jsonrpc":"2.0","id":4,"result":{}}');
    expect(queued).toHaveLength(1);
    expect(wire.list({ limit: 10 }).messages.map((m) => [m.seq, m.kind, m.method])).toEqual([
      [1, 'request', 'tools/list'],
      [2, 'response', 'tools/list'],
      [3, 'request', 'ping'],
      [4, 'response', 'ping'],
    ]);
  });

  it('holds no more of 120 unique 1 MB messages than it shows, whichever way they came', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      const { heapUsed, external } = process.memoryUsage();
      return heapUsed + external;
    };
    const MB = 1024 * 1024;
    const count = 120;
    const big = (i: number, fill: string) => `${String(i).padStart(6, '0')}${fill.repeat(MB)}`;
    const retained = (feed: (wire: WireLog, i: number) => void): { grew: number; wire: WireLog } => {
      const before = heap();
      const wire = new WireLog(undefined, WIRE_LIMITS, (fn) => fn());
      for (let i = 0; i < count; i += 1) feed(wire, i);
      return { grew: heap() - before, wire };
    };
    // What is shown: 120 × 8,000 characters, and ids and methods of 200 characters, about 1 MB in all. Holding the
    // messages (or the whole JSON text of each) would be 120 MB and more.
    const bound = 40 * MB;

    const lines = retained((wire, i) => {
      const line = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: big(i, 'x') } });
      wire.record('in', JSON.parse(line), line);
    });
    expect(lines.grew).toBeLessThan(bound);
    const [first] = lines.wire.list({ limit: count }).messages;
    expect(first?.text).toHaveLength(WIRE_LIMITS.textChars);
    expect(first?.text.startsWith('{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"000000xxx')).toBe(true);

    const written = retained((wire, i) =>
      wire.record('out', { jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'save', arguments: { data: big(i, 'y') } } }),
    );
    expect(written.grew).toBeLessThan(bound);
    const request = { jsonrpc: '2.0', id: count - 1, method: 'tools/call', params: { name: 'save', arguments: { data: big(count - 1, 'y') } } };
    const last = written.wire.list({ limit: 1 }).messages[0];
    expect(last?.text).toBe(JSON.stringify(request).slice(0, WIRE_LIMITS.textChars));
    expect(last?.cut).toBe(JSON.stringify(request).length - WIRE_LIMITS.textChars);

    const names = retained((wire, i) => {
      const line = JSON.stringify({ jsonrpc: '2.0', id: big(i, 'i'), method: big(i, 'm') });
      wire.record('in', JSON.parse(line), line);
      wire.record('out', { jsonrpc: '2.0', id: big(i, 'i'), result: {} });
    });
    expect(names.grew).toBeLessThan(bound);
    const answered = names.wire.list({ limit: 1 }).messages[0];
    expect(answered?.id).toBe(big(count - 1, 'i').slice(0, 200));
    // Paired with its request by the id as kept.
    expect(answered?.method).toBe(big(count - 1, 'm').slice(0, 200));
  });
});
