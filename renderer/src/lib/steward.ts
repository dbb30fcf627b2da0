// The renderer's one way to the host: typed calls that resolve to data or throw a HostError, and event subscriptions.
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../../shared/contract/index.js';
import type { StewardBridge } from '../../../shared/bridge.js';
import { createWsBridge, type SocketStatus } from './ws-bridge.js';

declare global {
  interface Window {
    steward?: StewardBridge;
  }
}

export class HostError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

let statusListener: (status: SocketStatus) => void = () => undefined;

/** Set once browser mode built its own bridge; Electron's preload puts one in place before any page script runs. */
let overSocket = false;

/** True in a plain browser tab (no Electron shell to raise desktop notifications for us). */
export function isBrowserMode(): boolean {
  return overSocket || window.steward === undefined;
}

function bridge(): StewardBridge {
  if (window.steward) return window.steward;
  overSocket = true;
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  window.steward = createWsBridge(`ws://${window.location.host}/ws?token=${encodeURIComponent(token)}`, (s) => statusListener(s));
  return window.steward;
}

export function onConnection(listener: (status: SocketStatus) => void): void {
  statusListener = listener;
}

export async function call<K extends CallName>(name: K, payload: CallInput<K>): Promise<CallOutput<K>> {
  const outcome = await bridge().calls[name](payload);
  if (!outcome.ok) throw new HostError(outcome.code, outcome.message, outcome.details);
  return outcome.data;
}

export function subscribe<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
  return bridge().events[name](listener);
}
