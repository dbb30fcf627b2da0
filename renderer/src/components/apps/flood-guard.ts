// A cap on how many messages a view may post a second, checked before the bridge parses them, so a view that floods
// cannot freeze Steward's page. What is dropped is counted and reported once a second.
export class FloodGuard {
  static readonly PER_SECOND = 300;
  private windowStart = 0;
  private count = 0;
  private dropped = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly report: (dropped: number) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  admit(): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    if (this.count <= FloodGuard.PER_SECOND) return true;
    this.dropped += 1;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const dropped = this.dropped;
      this.dropped = 0;
      this.report(dropped);
    }, 1000);
    return false;
  }
}
