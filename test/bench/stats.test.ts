// The bench's statistics: medians, the reported spread, which side goes first, and when repetitions stop; and the
// repetition loop itself with made-up figures (no clocks read, no timing asserted).
import { describe, expect, it } from 'vitest';
import { repeat, summarize } from '../../bench/repeat.js';
import { capWithin, firstSide, inOrder, median, nextStep, percentile, spreadOf, type StopRule } from '../../bench/stats.js';

describe('median', () => {
  it.each([
    { samples: [], expected: Number.NaN },
    { samples: [4], expected: 4 },
    { samples: [3, 1, 2], expected: 2 },
    { samples: [4, 1, 3, 2], expected: 2.5 },
    { samples: [1.2, 1.0, 5.0, 1.1, 0.9], expected: 1.1 },
    { samples: [-2, -1, 7], expected: -1 },
  ])('of $samples is $expected', ({ samples, expected }) => {
    expect(median(samples)).toBe(expected);
  });

  it('leaves its input unsorted', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('agrees with the 50th percentile on odd counts', () => {
    expect(median([9, 2, 7, 4, 5])).toBe(percentile([9, 2, 7, 4, 5], 50));
  });
});

describe('spreadOf', () => {
  it.each([
    { reps: [1.0, 1.1, 0.9, 1.05, 0.95], min: 0.9, max: 1.1, n: 5 },
    // Up to five repetitions every one counts, however far out.
    { reps: [1, 1, 1, 1, 3], min: 1, max: 3, n: 5 },
    { reps: [2, 2], min: 2, max: 2, n: 2 },
    // Seven: the central five, so one outlier at each end drops out.
    { reps: [0.5, 1.0, 1.01, 1.02, 1.03, 1.04, 9], min: 1.0, max: 1.04, n: 7 },
    // Twelve: the central six.
    { reps: [0, 0, 0, 1, 1, 1, 1, 1, 1, 9, 9, 9], min: 1, max: 1, n: 12 },
  ])('of $reps is $min–$max', ({ reps, min, max, n }) => {
    const s = spreadOf(reps);
    expect([s.min, s.max, s.n]).toEqual([min, max, n]);
  });

  it('is relative to the median', () => {
    expect(spreadOf([0.9, 1.0, 1.1, 1.0, 1.0]).relative).toBeCloseTo(0.2, 10);
    expect(spreadOf([2, 2, 2, 2, 2]).relative).toBe(0);
  });

  it('is infinite around a zero median with a range, and zero with none', () => {
    expect(spreadOf([-1, 0, 1]).relative).toBe(Number.POSITIVE_INFINITY);
    expect(spreadOf([0, 0, 0]).relative).toBe(0);
  });

  it('is NaN for nothing', () => {
    expect(spreadOf([]).relative).toBeNaN();
  });

  it('can narrow again as repetitions are added, where the range of all of them could only grow', () => {
    const reps = [1, 1.3, 1.02, 0.98, 1.01];
    expect(spreadOf(reps).relative).toBeGreaterThan(0.1);
    expect(spreadOf([...reps, 1.0, 0.99, 1.01]).relative).toBeLessThanOrEqual(0.1);
  });
});

describe('interleaving', () => {
  it('alternates which side goes first, starting with the subject', () => {
    expect([0, 1, 2, 3, 4, 5].map(firstSide)).toEqual(['subject', 'baseline', 'subject', 'baseline', 'subject', 'baseline']);
  });

  it('puts each side first in half of any even number of repetitions', () => {
    const firsts = Array.from({ length: 10 }, (_, rep) => inOrder(rep, 'host', 'bare')[0]);
    expect(firsts.filter((s) => s === 'host')).toHaveLength(5);
    expect(inOrder(0, 'host', 'bare')).toEqual(['host', 'bare']);
    expect(inOrder(1, 'host', 'bare')).toEqual(['bare', 'host']);
  });
});

describe('nextStep', () => {
  const rule: StopRule = { min: 5, max: 9, capMs: 10_000, tolerance: 0.1 };
  const steady = [1.0, 1.02, 0.99, 1.01, 1.0];
  const wide = [1.0, 1.3, 0.9, 1.01, 1.0];

  it.each([
    { case: 'fewer than the minimum, however steady', watched: [steady.slice(0, 4)], elapsed: 0, verdict: 'more' },
    { case: 'fewer than the minimum even past the time cap', watched: [steady.slice(0, 4)], elapsed: 60_000, verdict: 'more' },
    { case: 'the minimum, steady', watched: [steady], elapsed: 0, verdict: 'steady' },
    { case: 'the minimum, wide, time left', watched: [wide], elapsed: 1000, verdict: 'more' },
    { case: 'wide at the time cap', watched: [wide], elapsed: 10_000, verdict: 'capped' },
    { case: 'wide at the most repetitions', watched: [[...wide, 1.3, 0.8, 1.25, 0.85]], elapsed: 0, verdict: 'capped' },
    { case: 'one of two figures wide', watched: [steady, wide], elapsed: 0, verdict: 'more' },
    { case: 'both figures steady', watched: [steady, steady], elapsed: 0, verdict: 'steady' },
    { case: 'one figure short of the minimum', watched: [steady, steady.slice(0, 3)], elapsed: 0, verdict: 'more' },
    { case: 'a spread of exactly the tolerance', watched: [[9.5, 10, 10.5, 10, 10]], elapsed: 0, verdict: 'steady' },
  ])('$case: $verdict', ({ watched, elapsed, verdict }) => {
    expect(nextStep(watched, elapsed, rule)).toBe(verdict);
  });
});

describe('capWithin (a section cap inside the whole run budget)', () => {
  it.each([
    { why: 'plenty of time: its own cap', own: 15, leftMs: 250_000, later: 100, expected: 15 },
    { why: 'the later sections need most of what is left', own: 50, leftMs: 130_000, later: 100, expected: 30 },
    { why: 'nothing to spare: no extra repetitions', own: 50, leftMs: 80_000, later: 100, expected: 0 },
    { why: 'past the deadline already', own: 15, leftMs: -5_000, later: 0, expected: 0 },
    { why: 'the last section takes what is left up to its cap', own: 40, leftMs: 25_000, later: 0, expected: 25 },
  ])('$why', ({ own, leftMs, later, expected }) => {
    expect(capWithin(own, leftMs, later)).toBe(expected);
  });
});

describe('repeat', () => {
  const rule: StopRule = { min: 5, max: 12, capMs: 60_000, tolerance: 0.1 };

  it('stops at the minimum when the figures are steady, reporting the median and spread', async () => {
    const values = [1.0, 1.04, 0.98, 1.02, 1.01, 5, 5];
    const orders: string[] = [];
    const out = await repeat(
      {
        name: 'steady',
        headline: ['ratio'],
        rule,
        rep: (rep) => {
          orders.push(inOrder(rep, 'subject', 'baseline').join(','));
          return Promise.resolve({ ratio: values[rep] ?? Number.NaN, ms: 10 + rep });
        },
      },
      () => undefined,
    );
    expect(out.verdict).toBe('steady');
    expect(out.warnings).toEqual([]);
    expect(out.figures.ratio).toEqual({ value: 1.01, min: 0.98, max: 1.04, n: 5 });
    expect(out.figures.ms?.value).toBe(12);
    expect(orders).toEqual(['subject,baseline', 'baseline,subject', 'subject,baseline', 'baseline,subject', 'subject,baseline']);
  });

  it('takes more repetitions while a headline figure is wide, until it narrows', async () => {
    const values = [1.0, 1.5, 1.0, 0.7, 1.0, 1.01, 0.99, 1.0, 1.02];
    let taken = 0;
    const out = await repeat(
      {
        name: 'narrowing',
        headline: ['ratio'],
        rule,
        rep: (rep) => {
          taken++;
          return Promise.resolve({ ratio: values[rep] ?? 1 });
        },
      },
      () => undefined,
    );
    expect(out.verdict).toBe('steady');
    expect(taken).toBeGreaterThan(5);
    expect(out.figures.ratio?.value).toBe(1);
  });

  it('warns about a figure still wide at the cap, and stops there', async () => {
    let taken = 0;
    const out = await repeat(
      {
        name: 'noisy',
        headline: ['ratio', 'other'],
        rule,
        rep: (rep) => {
          taken++;
          return Promise.resolve({ ratio: rep % 2 === 0 ? 1 : 2, other: 1 });
        },
      },
      () => undefined,
    );
    expect(out.verdict).toBe('capped');
    expect(taken).toBe(rule.max);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(/^WARNING ratio: spread \d+\.\d % over 12 repetitions/);
  });
});

describe('summarize', () => {
  it('rounds the median and spread of each figure', () => {
    expect(summarize({ a: [1.23456, 1.3, 1.2, 1.25, 1.22] }, 2)).toEqual({ a: { value: 1.23, min: 1.2, max: 1.3, n: 5 } });
  });
});
