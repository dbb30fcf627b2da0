// The transport over a server's stdin and stdout: messages sent in one turn of the event loop (the polls of many tasks
// that fall due together) reach the pipe as one write, and a message sent on a later turn is written on its own.
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ChildTransport } from '../../../main/core/servers/child-transport.js';

function fakeChild() {
  const writes: string[][] = [];
  const stdin = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push([chunk.toString()]);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map((c) => String(c.chunk)));
      done();
    },
  });
  const child = Object.assign(new EventEmitter(), { stdin, stdout: new PassThrough(), stderr: new PassThrough(), pid: 4242 });
  return { child: child as unknown as ChildProcess, writes };
}

const ping = (id: number) => ({ jsonrpc: '2.0' as const, id, method: 'tasks/get', params: { taskId: `t${id}` } });

describe('ChildTransport', () => {
  it('writes what one turn sends in one go, and each later turn on its own', async () => {
    const { child, writes } = fakeChild();
    const transport = new ChildTransport(child, { onBadLine: () => undefined, onOversized: () => undefined });
    await transport.start();
    await Promise.all([1, 2, 3, 4, 5].map((id) => transport.send(ping(id))));
    await new Promise((r) => setImmediate(r));
    await transport.send(ping(6));
    await new Promise((r) => setImmediate(r));
    expect(writes.map((w) => w.length)).toEqual([5, 1]);
    expect(writes.flat().map((line) => (JSON.parse(line) as { id: number }).id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(writes.flat().every((line) => line.endsWith('\n'))).toBe(true);
  });

  it('tells each message read and sent with its line as it crossed the pipe, and not a line that is no message', async () => {
    const { child, writes } = fakeChild();
    const told: Array<[string, unknown, string | undefined]> = [];
    const bad: string[] = [];
    const transport = new ChildTransport(child, {
      onBadLine: (line) => bad.push(line),
      onOversized: () => undefined,
      onMessage: (direction, message, line) => told.push([direction, message, line]),
    });
    const received: unknown[] = [];
    transport.onmessage = (message) => received.push(message);
    await transport.start();
    await transport.send(ping(1));
    await new Promise((r) => setImmediate(r));
    const answer = '{ "jsonrpc": "2.0", "id": 1, "result": { "status": "working" } }';
    child.stdout?.emit('data', Buffer.from(`${answer}\nnot json\n`));
    expect(told).toEqual([
      ['out', ping(1), writes.flat()[0]?.trimEnd()],
      ['in', { jsonrpc: '2.0', id: 1, result: { status: 'working' } }, answer],
    ]);
    expect(received).toEqual([told[1]?.[1]]);
    expect(bad).toEqual(['not json']);
  });
});
