// What stops one tool call the user follows. A real AbortSignal in Node 20 is an EventTarget whose prototype is swapped
// after it is made; making one, and an EventTarget's listener maps, cost every followed call more than the rest of
// Steward's own work on it, cancelled or not. This is the part of a signal the SDK reads of a request's options:
// `aborted`, `reason`, and one abort listener added and removed.

type AbortListener = (event: Event) => void;

export class CallStop {
  private stopped = false;
  private why: unknown = undefined;
  private listeners: AbortListener[] = [];

  get aborted(): boolean {
    return this.stopped;
  }

  get reason(): unknown {
    return this.why;
  }

  /** Listeners hear the abort once, in the order added; one added after the abort is never called, as with a signal. */
  addEventListener(type: string, listener: AbortListener): void {
    if (type === 'abort' && !this.stopped && !this.listeners.includes(listener)) this.listeners.push(listener);
  }

  removeEventListener(type: string, listener: AbortListener): void {
    if (type === 'abort') this.listeners = this.listeners.filter((l) => l !== listener);
  }

  /** Stops the call once; later calls change nothing. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.stopped) return;
    this.stopped = true;
    this.why = reason;
    const listeners = this.listeners;
    this.listeners = [];
    const event = new Event('abort');
    for (const listener of listeners) listener.call(this, event);
  }

  /**
   * The stop as the AbortSignal the SDK's request options are typed with. The SDK reads `aborted` and `reason` and adds
   * and removes abort listeners; a call that hands it to anything else (AbortSignal.any, fetch) must not use this.
   */
  get signal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}
