// How much a view may ask, on a fake clock: the token bucket's burst and refill, and a flood of refusals written as one
// line at once plus one summary, never one line each.
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../main/core/apps/index.js';
import { REFUSAL_LINES, REFUSAL_QUIET_MS, ViewLog } from '../../../main/core/apps/view-log.js';
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
      for (const t of timers) {
        if (t.done || t.at > now) continue;
        t.done = true;
        t.fn();
      }
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
  function setup() {
    const clock = fakeClock();
    const lines: string[] = [];
    const audited: string[] = [];
    const audit = { recordSoon: (_kind: string, entry: { summary: string }) => audited.push(entry.summary) } as unknown as Audit;
    const log = new ViewLog({ log: (_s, _level, text) => lines.push(text.replace('[view of hostile] ', '')), audit, clock });
    const view = { viewId: 'v1', serverId: 's1', serverName: 'srv', tool: 'hostile' };
    return { clock, lines, audited, log, view };
  }

  it('writes each different refusal at once, and a flood of the same one as one summary per quiet spell', () => {
    const { clock, lines, audited, log, view } = setup();
    log.refused(view, 'refused tools/call get-time: no such tool');
    log.refused(view, 'refused tools/call model-only: not open to views');
    for (let i = 0; i < 500; i++) log.refused(view, 'refused tools/call app-echo: more than 20 requests a second');
    expect(lines).toEqual([
      'refused tools/call get-time: no such tool',
      'refused tools/call model-only: not open to views',
      'refused tools/call app-echo: more than 20 requests a second',
    ]);
    clock.advance(REFUSAL_QUIET_MS);
    expect(lines.slice(3)).toEqual(['499 more like this within 2 s: refused tools/call app-echo: more than 20 requests a second']);
    expect(audited).toHaveLength(4);
    // Still at it: counted again, summarized again.
    for (let i = 0; i < 10; i++) log.refused(view, 'refused tools/call app-echo: more than 20 requests a second');
    clock.advance(REFUSAL_QUIET_MS);
    expect(lines.slice(4)).toEqual(['10 more like this within 2 s: refused tools/call app-echo: more than 20 requests a second']);
    // Quiet long enough, the same refusal is news again.
    clock.advance(REFUSAL_QUIET_MS * 2);
    log.refused(view, 'refused tools/call app-echo: more than 20 requests a second');
    expect(lines).toHaveLength(6);
  });

  it('caps how many different refusals a flood of distinct ones writes', () => {
    const { clock, lines, log, view } = setup();
    for (let i = 0; i < 300; i++) log.refused(view, `refused tools/call tool-${i}: no such tool`);
    expect(lines).toHaveLength(REFUSAL_LINES);
    clock.advance(REFUSAL_QUIET_MS);
    expect(lines).toHaveLength(REFUSAL_LINES + 6);
    expect(lines.at(-1)).toBe('285 more refused or blocked within 2 s, of 196 or more other kinds');
    // A few new kinds later the view is still refused in new ways: written at once again, within the cap.
    log.refused(view, 'refused tools/call brand-new: no such tool');
    expect(lines.at(-1)).toBe('refused tools/call brand-new: no such tool');
  });

  it('says how a flood ended when the view closes', () => {
    const { lines, log, view } = setup();
    for (let i = 0; i < 3; i++) log.refused(view, 'refused ping: too many');
    log.flush(view);
    expect(lines).toEqual(['refused ping: too many', '2 more like this within 2 s: refused ping: too many']);
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
