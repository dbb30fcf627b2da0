// What `window.steward` looks like in the renderer, whichever transport carries it (Electron IPC or WebSocket).
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from './contract/index.js';
import type { Outcome } from './errors.js';

export type BridgeCalls = { [K in CallName]: (payload: CallInput<K>) => Promise<Outcome<CallOutput<K>>> };
export type BridgeEvents = { [K in EventName]: (listener: (payload: EventPayload<K>) => void) => () => void };

/** One function per call, one subscribe per event; nothing else crosses. */
export interface StewardBridge {
  readonly calls: BridgeCalls;
  readonly events: BridgeEvents;
}

/** Browser mode's WebSocket frames. */
export type ClientFrame = { type: 'call'; id: number; channel: string; payload: unknown };
export type ServerFrame = { type: 'result'; id: number; outcome: Outcome<unknown> } | { type: 'event'; event: string; payload: unknown };
