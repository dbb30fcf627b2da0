// The poll wheel on a fake clock: one timer for every task, a turn never before its time, tasks started together spread
// over their interval instead of firing at once, and a lone task kept at its exact interval.
// Hostile: turns asked for 1e18 ms out (slot numbers past 2^53, where slot + 1 === slot), a wait past
// Node's longest timer (2^31-1 ms, which Node fires at once), a time that is not a number; pollIntervals a server may
// send (fractional, 1e20, Infinity, not a number) and a ttl under a second.
import { describe, expect, it } from 'vitest';
import { PollWheel, SLOT_MS } from '../../../main/core/tasks/poll-wheel.js';
import { grantedTtl, nextPollDelay, pollIntervalOf, pollSpread } from '../../../main/core/tasks/timing.js';
import { FakeClock } from '../../helpers/clock.js';

/** Node's longest timer: a wait asked for longer fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const YEAR_MS = 365 * 24 * 3600_000;
const TEN_MINUTES_MS = 10 * 60_000;

function wheel(onDue: (id: string, at: number) => void = () => undefined) {
  const clock = new FakeClock(1_000_000);
  const fired: Array<{ id: string; at: number }> = [];
  const w = new PollWheel(clock, (id) => {
    fired.push({ id, at: clock.now() });
    onDue(id, clock.now());
  });
  return { clock, w, fired };
}

describe('PollWheel', () => {
  it('keeps a lone task at its exact interval and never fires a turn before its time', () => {
    const { clock, w, fired } = wheel();
    w.schedule('a', clock.now() + 1000, pollSpread(1000, true));
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([{ id: 'a', at: 1_001_000 }]);
  });

  it('keeps the epoch’s slot boundaries when made at today’s time, at any offset within a slot', () => {
    for (const start of [Date.parse('2026-12-05T05:40:00.013Z'), Date.parse('2026-12-05T05:40:00.049Z')]) {
      const clock = new FakeClock(start);
      const fired: Array<{ id: string; at: number }> = [];
      const w = new PollWheel(clock, (id) => fired.push({ id, at: clock.now() }));
      // Due in the past, now, mid-slot and on a boundary: each opens at the first multiple of the slot at or after it.
      const asked = { past: start - 130, now: start, mid: start + 1017, edge: Math.ceil((start + 2000) / SLOT_MS) * SLOT_MS };
      for (const [id, at] of Object.entries(asked)) {
        const opens = w.schedule(id, at, 0);
        expect(opens).toBe(Math.ceil(at / SLOT_MS) * SLOT_MS);
        expect(w.dueAt(id)).toBe(opens);
      }
      clock.advance(5000);
      expect(fired.map((f) => [f.id, f.at])).toEqual(Object.entries(asked).map(([id, at]) => [id, Math.max(start, Math.ceil(at / SLOT_MS) * SLOT_MS)]));
    }
  });

  it('uses one timer however many tasks it holds', () => {
    const { clock, w } = wheel();
    for (let i = 0; i < 200; i++) w.schedule(`t${i}`, clock.now() + 1000, pollSpread(1000, true));
    expect(clock.pending).toBe(1);
    expect(w.size).toBe(200);
  });

  it('spreads 200 tasks started together over one interval: no slot holds more than its share', () => {
    const { clock, w, fired } = wheel();
    for (let i = 0; i < 200; i++) w.schedule(`t${i}`, clock.now() + 1000, pollSpread(1000, true));
    clock.advance(2000);
    expect(fired).toHaveLength(200);
    const perSlot = new Map<number, number>();
    for (const { at } of fired) perSlot.set(at, (perSlot.get(at) ?? 0) + 1);
    // 1000 ms of 25 ms slots: 40 slots (41 with both ends), 200 tasks, so five each, never a burst of dozens.
    expect(Math.max(...perSlot.values())).toBeLessThanOrEqual(Math.ceil(200 / (1000 / SLOT_MS)));
    expect(Math.min(...fired.map((f) => f.at))).toBeGreaterThanOrEqual(1_001_000);
    expect(Math.max(...fired.map((f) => f.at))).toBeLessThanOrEqual(1_002_000);
  });

  it('keeps the spread once made: each task polls again one interval after its own turn, give or take a tenth', () => {
    const seen = new Map<string, number[]>();
    const { clock, w } = wheel((id, at) => {
      seen.set(id, [...(seen.get(id) ?? []), at]);
      w.schedule(id, at + 1000, pollSpread(1000, false));
    });
    for (let i = 0; i < 100; i++) w.schedule(`t${i}`, clock.now() + 1000, pollSpread(1000, true));
    clock.advance(10_000);
    const perWindow = new Map<number, number>();
    for (const times of seen.values()) {
      for (let i = 1; i < times.length; i++) {
        const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
        expect(gap).toBeGreaterThanOrEqual(1000);
        expect(gap).toBeLessThanOrEqual(1100);
      }
      for (const at of times) perWindow.set(Math.floor(at / 100), (perWindow.get(Math.floor(at / 100)) ?? 0) + 1);
    }
    // Any 100 ms of the run sees about a tenth of the tasks, never most of them.
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(20);
  });

  it('forgets a cancelled turn, and moves a turn scheduled again', () => {
    const { clock, w, fired } = wheel();
    w.schedule('a', clock.now() + 100, 0);
    w.schedule('b', clock.now() + 100, 0);
    w.cancel('a');
    w.schedule('b', clock.now() + 500, 0);
    clock.advance(400);
    expect(fired).toEqual([]);
    clock.advance(100);
    expect(fired.map((f) => f.id)).toEqual(['b']);
    expect(w.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('takes a turn asked for 1e18 ms out at its horizon, and goes on scheduling others in the same slot', () => {
    const { clock, w } = wheel();
    const far = clock.now() + 1e18;
    expect(w.schedule('a', far, pollSpread(1e18, true))).toBeLessThanOrEqual(clock.now() + YEAR_MS + SLOT_MS);
    // A second id for the same slot: the search for a lighter slot after it must end.
    expect(w.schedule('b', far, pollSpread(1e18, false))).toBe(w.dueAt('a'));
    w.schedule('c', Number.NaN, 1e20);
    w.schedule('d', Number.NEGATIVE_INFINITY, Number.NaN);
    expect(w.size).toBe(4);
    expect(Number.isSafeInteger(w.dueAt('a'))).toBe(true);
  });

  it('never asks its clock for a wait past 2^31-1 ms, and still fires a turn further out at its time', () => {
    const { clock, w, fired } = wheel();
    const waits: number[] = [];
    const setTimeout = clock.setTimeout.bind(clock);
    clock.setTimeout = (fn, ms) => {
      waits.push(ms);
      return setTimeout(fn, ms);
    };
    const at = w.schedule('a', clock.now() + 3e9, 0);
    expect(Math.max(...waits)).toBeLessThanOrEqual(MAX_TIMER_MS);
    clock.advance(MAX_TIMER_MS);
    expect(fired).toEqual([]);
    expect(clock.pending).toBe(1);
    clock.advance(at - clock.now() - 1);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([{ id: 'a', at }]);
    expect(waits).toHaveLength(2);
    expect(Math.max(...waits)).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  it('stops on dispose', () => {
    const { clock, w, fired } = wheel();
    w.schedule('a', clock.now() + 100, 0);
    w.dispose();
    clock.advance(1000);
    expect(fired).toEqual([]);
  });
});

describe('poll delays', () => {
  it('never polls faster than the server asks, however long its interval; backs off on failures; keeps a floor', () => {
    expect(nextPollDelay(1000, 0)).toBe(1000);
    expect(nextPollDelay(60_000, 0)).toBe(60_000);
    expect(nextPollDelay(60_000, 3)).toBe(60_000);
    expect(nextPollDelay(10, 0)).toBe(250);
    expect(nextPollDelay(undefined, 0)).toBe(1000);
    expect(nextPollDelay(1000, 2)).toBe(4000);
    expect(nextPollDelay(1000, 20)).toBe(30_000);
  });

  it('takes a server’s pollInterval as whole milliseconds up to ten minutes', () => {
    const cases: Array<[unknown, number | null]> = [
      [300, 300],
      [300.5, 301],
      [1e20, TEN_MINUTES_MS],
      [Number.POSITIVE_INFINITY, TEN_MINUTES_MS],
      [-5, 0],
      [Number.NaN, null],
      ['300', null],
      [undefined, null],
    ];
    for (const [given, kept] of cases) expect(pollIntervalOf(given)).toBe(kept);
  });

  it('polls at least every ten minutes, whatever interval the server asks for or an older row holds', () => {
    expect(nextPollDelay(1e20, 0)).toBe(TEN_MINUTES_MS);
    expect(nextPollDelay(1e20, 5)).toBe(TEN_MINUTES_MS);
    expect(nextPollDelay(Number.POSITIVE_INFINITY, 0)).toBe(TEN_MINUTES_MS);
    expect(nextPollDelay(300.5, 0)).toBe(301);
  });

  it('grants a task a server asks Steward to run at least a second', () => {
    expect(grantedTtl(0.4)).toBe(1000);
    expect(grantedTtl(1)).toBe(1000);
    expect(grantedTtl(5000.4)).toBe(5000);
  });
});
