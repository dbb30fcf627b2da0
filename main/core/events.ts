// Typed host events, named as in the contract, for every front end to subscribe to.
import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract/index.js';

export type Listener<K extends EventName> = (payload: EventPayload<K>) => void;

export class HostEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every window, socket and CLI watcher subscribes; a low cap would only print false warnings.
    this.emitter.setMaxListeners(0);
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    this.emitter.emit(name, payload);
  }

  on<K extends EventName>(name: K, listener: Listener<K>): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  /** Every event, for transports that forward them all. */
  onAny(listener: <K extends EventName>(name: K, payload: EventPayload<K>) => void, names: readonly EventName[]): () => void {
    const offs = names.map((name) => this.on(name, (payload) => listener(name, payload)));
    return () => offs.forEach((off) => off());
  }
}
