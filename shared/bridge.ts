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

/**
 * Bytes (UTF-8) of one call frame on browser mode's WebSocket. The page's bridge sends nothing larger (such a call fails
 * at once); the server answers a larger one with a failure for that call alone, so the page's other calls go on.
 */
export const CALL_FRAME_MAX_BYTES = 8 * 1024 * 1024;

/** "9.2 MB" for a byte count, as a refusal of a call too large says it on either side of the socket. */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** Browser mode's WebSocket frames. */
export type ClientFrame = { type: 'call'; id: number; channel: string; payload: unknown };
export type ServerFrame = { type: 'result'; id: number; outcome: Outcome<unknown> } | { type: 'event'; event: string; payload: unknown };
