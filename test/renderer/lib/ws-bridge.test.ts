// window.steward over browser mode's socket, against a stand-in for the browser's WebSocket. Hostile input tried: a call
// of 9 MB (what a view's oversized request would become), which must fail alone without reaching the socket, whose
// loss would fail every other call the page has waiting.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALL_FRAME_MAX_BYTES } from '../../../shared/bridge.js';
import { createWsBridge } from '../../../renderer/src/lib/ws-bridge.js';

type Listener = (event: { data?: unknown }) => void;

class FakeSocket {
  static readonly OPEN = 1;
  static last: FakeSocket | undefined;
  readonly OPEN = 1;
  readyState = 0;
  readonly sent: string[] = [];
  private readonly listeners = new Map<string, Set<{ fn: Listener; once: boolean }>>();

  constructor(readonly url: string) {
    FakeSocket.last = this;
  }

  addEventListener(type: string, fn: Listener, options?: { once?: boolean }): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add({ fn, once: options?.once === true });
    this.listeners.set(type, set);
  }

  send(text: string): void {
    this.sent.push(text);
  }

  emit(type: string, event: { data?: unknown } = {}): void {
    if (type === 'open') this.readyState = FakeSocket.OPEN;
    if (type === 'close') this.readyState = 3;
    for (const entry of [...(this.listeners.get(type) ?? [])]) {
      if (entry.once) this.listeners.get(type)?.delete(entry);
      entry.fn(event);
    }
  }
}

const original = (globalThis as { WebSocket?: unknown }).WebSocket;
beforeEach(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket = FakeSocket;
});
afterEach(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket = original;
  FakeSocket.last = undefined;
});

describe('the WebSocket bridge', () => {
  it('fails a call too large for the socket without sending it, and the calls around it go on', async () => {
    const bridge = createWsBridge('ws://127.0.0.1:1/ws?token=t', () => undefined);
    const socket = FakeSocket.last!;
    socket.emit('open');
    const before = bridge.calls['servers:list']({});
    const big = bridge.calls['apps:request']({ viewId: 'v', method: 'tools/call', params: { name: 'a', arguments: { big: 'x'.repeat(9 * 1024 * 1024) } } });
    const after = bridge.calls['servers:list']({});
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(socket.sent.every((frame) => Buffer.byteLength(frame) <= CALL_FRAME_MAX_BYTES)).toBe(true);
    const channels = socket.sent.map((frame) => (JSON.parse(frame) as { channel: string }).channel);
    expect(channels).toEqual(['servers:list', 'servers:list']);
    expect(await big).toEqual({ ok: false, code: 'message_too_large', message: 'The call was 9 MB, over the 8 MB Steward takes in one; it was not sent.' });
    for (const frame of socket.sent) {
      const { id } = JSON.parse(frame) as { id: number };
      socket.emit('message', { data: JSON.stringify({ type: 'result', id, outcome: { ok: true, data: [] } }) });
    }
    expect(await before).toEqual({ ok: true, data: [] });
    expect(await after).toEqual({ ok: true, data: [] });
  });
});
