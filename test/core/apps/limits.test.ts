// How much a view may ask, on a fake clock: the token bucket's burst and refill, and a flood of refusals written as one
// line at once plus one summary, never one line each.
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../main/core/apps/index.js';
import { REFUSAL_QUIET_MS, ViewLog } from '../../../main/core/apps/view-log.js';
import type { Audit } from '../../../main/core/audit/index.js';
import { FloodGuard } from '../../../renderer/src/components/apps/flood-guard.js';

function fakeClock() {
  let now = 1_000_000;
  const timers: { at: number; fn: () => void; done: boolean }[] = [];
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const timer = { at: now + ms, fn, done: false };
      timers.push(timer);
      return { cancel: () => void (timer.done = true) };
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers) if (!t.done && t.at <= now) ((t.done = true), t.fn());
    },
  };
}

describe('the token bucket', () => {
  it.each([
    // capacity, per second, takes at once, then wait ms, then takes
    [5, 1, 5, 1000, 1],
    [5, 1, 5, 2500, 2],
    [60, 20, 60, 500, 10],
    [60, 20, 60, 60_000, 60],
  ])('capacity %i at %i/s: %i at once, and after %i ms %i more', (capacity, perSecond, first, wait, more) => {
    const clock = fakeClock();
    const bucket = new TokenBucket(capacity, perSecond, clock.now);
    let taken = 0;
    while (bucket.take()) taken += 1;
    expect(taken).toBe(first);
    clock.advance(wait);
    taken = 0;
    while (bucket.take()) taken += 1;
    expect(taken).toBe(more);
  });
});

describe('refusals in the log', () => {
  it('writes the first at once and the rest of a flood as one summary per quiet spell', () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const audited: string[] = [];
    const audit = { recordSoon: (_kind: string, entry: { summary: string }) => audited.push(entry.summary) } as unknown as Audit;
    const log = new ViewLog({ log: (_s, level, text) => lines.push(`${level} ${text}`), audit, clock });
    const view = { viewId: 'v1', serverId: 's1', serverName: 'srv', tool: 'hostile' };
    for (let i = 0; i < 500; i++) log.refused(view, `refused tools/call x: flood ${i}`);
    expect(lines).toEqual(['warning [view of hostile] refused tools/call x: flood 0']);
    clock.advance(REFUSAL_QUIET_MS);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('warning [view of hostile] 499 more refused or blocked within 2 s; the last: refused tools/call x: flood 499');
    expect(audited).toHaveLength(2);
    // Quiet long enough, the next refusal is written at once again.
    clock.advance(REFUSAL_QUIET_MS * 2);
    log.refused(view, 'refused ping: again');
    expect(lines).toHaveLength(3);
  });

  it('says how a flood ended when the view closes', () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const audit = { recordSoon: () => undefined } as unknown as Audit;
    const log = new ViewLog({ log: (_s, _l, text) => lines.push(text), audit, clock });
    const view = { viewId: 'v1', serverId: 's1', serverName: 'srv', tool: 't' };
    for (let i = 0; i < 3; i++) log.refused(view, `refused ${i}`);
    log.flush(view);
    expect(lines).toEqual(['[view of t] refused 0', '[view of t] 2 more refused or blocked within 2 s; the last: refused 2']);
  });
});

describe('the renderer’s flood guard', () => {
  it('admits a second’s worth of messages, drops the rest, and admits again in the next second', () => {
    let now = 0;
    const guard = new FloodGuard(
      () => undefined,
      () => now,
    );
    let admitted = 0;
    for (let i = 0; i < 1000; i++) if (guard.admit()) admitted += 1;
    expect(admitted).toBe(FloodGuard.PER_SECOND);
    now += 1000;
    expect(guard.admit()).toBe(true);
  });
});
