// What stops one tool call the user follows. A real AbortSignal in Node 20 is an EventTarget whose prototype is swapped
// after it is made, which costs several microseconds and more garbage on every followed call, cancelled or not; this is
// the part of one the SDK reads of a request's signal (aborted, reason and the abort event), at the price of an
// EventTarget.

export class CallStop extends EventTarget {
  private stopped = false;
  private why: unknown = undefined;

  get aborted(): boolean {
    return this.stopped;
  }

  get reason(): unknown {
    return this.why;
  }

  /** Stops the call once; later calls change nothing. Listeners hear one abort event, as from an AbortController. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.stopped) return;
    this.stopped = true;
    this.why = reason;
    this.dispatchEvent(new Event('abort'));
  }

  /**
   * The stop as the AbortSignal the SDK's request options are typed with. The SDK reads `aborted` and `reason` and adds
   * and removes one abort listener; a call that hands it to anything else (AbortSignal.any, fetch) must not use this.
   */
  get signal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}
