// The transport over a server's stdin and stdout: messages sent in one turn of the event loop (the polls of many tasks
// that fall due together) reach the pipe as one write, and a message sent on a later turn is written on its own.
// Hostile input tried: a megabyte line that is no message, which is passed on to be logged only as a short copy.
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

  it('passes on only the start of a line that is no message, not the megabyte it came in', async () => {
    const { child } = fakeChild();
    const bad: string[] = [];
    const transport = new ChildTransport(child, { onBadLine: (line) => bad.push(line), onOversized: () => undefined });
    await transport.start();
    const line = `not json ${'z'.repeat(1024 * 1024)}`;
    child.stdout?.emit('data', Buffer.from(`${line}\n`));
    expect(bad).toEqual([line.slice(0, 1000)]);
  });

  it('reads each line whole however the pipe cuts it: in one chunk with others, across chunks, inside a character, with CRLF', async () => {
    const { child } = fakeChild();
    const bad: string[] = [];
    const transport = new ChildTransport(child, { onBadLine: (line) => bad.push(line), onOversized: () => undefined });
    const received: unknown[] = [];
    transport.onmessage = (message) => received.push(message);
    await transport.start();
    const answers = [1, 2, 3, 4].map((id) => ({ jsonrpc: '2.0', id, result: { status: 'working', statusMessage: `étape ${id} → ✓` } }));
    const text = `${JSON.stringify(answers[0])}\n${JSON.stringify(answers[1])}\r\n\n${JSON.stringify(answers[2])}\n${JSON.stringify(answers[3])}\r\n`;
    const bytes = Buffer.from(text);
    // Cut inside the first line, inside the two bytes of the third line's "é", and between a CR and its LF.
    const thirdE = bytes.indexOf(Buffer.from('é'), bytes.indexOf('"id":3'));
    const cuts = [10, thirdE + 1, bytes.length - 1];
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      child.stdout?.emit('data', bytes.subarray(from, cut));
      from = cut;
    }
    expect(received).toEqual(answers);
    expect(bad).toEqual([]);
  });

  it('turns a send it cannot make into a rejection, not a throw', async () => {
    const { child } = fakeChild();
    const transport = new ChildTransport(child, { onBadLine: () => undefined, onOversized: () => undefined });
    await transport.start();
    const circular: Record<string, unknown> = { jsonrpc: '2.0', id: 1, method: 'tasks/get' };
    circular.params = circular;
    let sent: Promise<void> | undefined;
    expect(() => (sent = transport.send(circular as never))).not.toThrow();
    await expect(sent).rejects.toThrow(TypeError);
    await transport.close();
    await expect(transport.send(ping(2))).rejects.toThrow('The server process is not running.');
  });
});
