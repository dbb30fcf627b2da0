// window.steward over browser mode's WebSocket: the same shape the Electron preload exposes.
import { CALL_NAMES, EVENT_NAMES, type EventName } from '../../../shared/contract/index.js';
import { CALL_FRAME_MAX_BYTES, megabytes, type BridgeCalls, type BridgeEvents, type ServerFrame, type StewardBridge } from '../../../shared/bridge.js';
import type { Outcome } from '../../../shared/errors.js';
import { bytesOver } from './payload-size.js';

export interface SocketStatus {
  connected: boolean;
  error?: string;
}

export function createWsBridge(url: string, onStatus: (status: SocketStatus) => void): StewardBridge {
  let nextId = 1;
  const pending = new Map<number, (outcome: Outcome<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket;
  // Settles once per socket: true when it opened, false when it closed first. A call made while
  // the socket is down fails at once instead of waiting on a socket that will never open.
  let ready: Promise<boolean>;
  let retry = 500;

  const connect = () => {
    socket = new WebSocket(url);
    const current = socket;
    ready = new Promise((resolve) => {
      current.addEventListener('open', () => resolve(true), { once: true });
      current.addEventListener('close', () => resolve(false), { once: true });
    });
    socket.addEventListener('open', () => {
      retry = 500;
      onStatus({ connected: true });
    });
    socket.addEventListener('message', (message) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(message.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'result') {
        pending.get(frame.id)?.(frame.outcome);
        pending.delete(frame.id);
      } else {
        for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
      }
    });
    socket.addEventListener('close', () => {
      for (const resolve of pending.values()) resolve({ ok: false, code: 'connect_failed', message: 'The connection to Steward was lost.' });
      pending.clear();
      onStatus({ connected: false, error: 'The connection to Steward was lost; reconnecting…' });
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    });
  };
  connect();

  const call = async (channel: string, payload: unknown): Promise<Outcome<unknown>> => {
    if (!(await ready) || socket.readyState !== WebSocket.OPEN) {
      return { ok: false, code: 'connect_failed', message: 'Steward is not connected; it keeps trying to reconnect.' };
    }
    const id = nextId++;
    const frame = JSON.stringify({ type: 'call', id, channel, payload });
    // Past the cap the server would refuse the call, and far past it drop the socket with every call the page has waiting.
    const bytes = bytesOver(frame, CALL_FRAME_MAX_BYTES);
    if (bytes !== undefined) {
      return {
        ok: false,
        code: 'message_too_large',
        message: `The call was ${megabytes(bytes)}, over the ${megabytes(CALL_FRAME_MAX_BYTES)} Steward takes in one; it was not sent.`,
      };
    }
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(frame);
    });
  };

  const calls = Object.fromEntries(CALL_NAMES.map((name) => [name, (payload: unknown) => call(name, payload)])) as unknown as BridgeCalls;
  const events = Object.fromEntries(
    EVENT_NAMES.map((name: EventName) => [
      name,
      (listener: (payload: unknown) => void) => {
        const set = listeners.get(name) ?? new Set();
        set.add(listener);
        listeners.set(name, set);
        return () => set.delete(listener);
      },
    ]),
  ) as unknown as BridgeEvents;
  return { calls, events };
}
