// The poll wheel on a fake clock: one timer for every task, a turn never before its time, tasks started together spread
// over their interval instead of firing at once, and a lone task kept at its exact interval.
import { describe, expect, it } from 'vitest';
import { PollWheel, SLOT_MS } from '../../../main/core/tasks/poll-wheel.js';
import { nextPollDelay, pollSpread } from '../../../main/core/tasks/timing.js';
import { FakeClock } from '../../helpers/clock.js';

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
});
