// How much a view may ask of the host: a token bucket per view for requests and for log lines, and a cap on what is in
// flight. Per view, not per server, so they stay here rather than with the per-server caps in core's limits.ts.
export const VIEW_LIMITS = {
  /** Requests a view may make at once after a quiet spell, then per second. Polling views use a few per second. */
  burst: 60,
  perSecond: 20,
  /** Requests of one view waiting for an answer at the same time (a long-poll counts until it returns). */
  inFlight: 16,
  /** Log lines a view may write in a burst, then per second. */
  logBurst: 30,
  logPerSecond: 5,
  /** Views open at once in this process; the oldest is closed past it. */
  openViews: 64,
} as const;

/** A token bucket on an injected clock: `take()` is true when the action may go ahead now. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
