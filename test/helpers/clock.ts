// A Clock that moves only when a test says so: timers run, in order, as advance() passes their time.
import type { Clock } from '../../main/core/ports.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  live: boolean;
}

export class FakeClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;

  constructor(private time = Date.parse('2026-03-01T09:00:00.000Z')) {}

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.filter((t) => t.live).length;
  }

  /** Moves time forward by ms, running each timer that falls due at its own time, earliest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      next.live = false;
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.timers = this.timers.filter((t) => t.live);
    this.time = end;
  }
}
