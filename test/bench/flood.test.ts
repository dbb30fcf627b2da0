// The flood figures' pairs: each pair's time per question at the large size over the small one, whichever ran first.
// Tried: pairs in both orders, a pair cut short by a missing run, sizes that are not the pair's, CPU against wall time;
// the answered count read from the flood tool's result, and results that do not carry one.
import { describe, expect, it } from 'vitest';
import { answeredIn, pairRatios } from '../../bench/flood.js';

// The CPU time is half the wall-clock time in every run, so a ratio taken on the wrong one would read the same; the
// last case tells them apart.
const run = (size: number, ms: number, cpuMs = ms / 2) => ({ size, ms, cpuMs, peak: 0, answered: 0 });

describe('pairRatios', () => {
  it('divides the large flood per question by the small one in each pair, in either order', () => {
    // 500 questions in 1,000 ms is 2 ms each; 2,000 in 2,000 ms is 1 ms each: 0.5. Then 1.5 ms against 1 ms: 1.5.
    expect(pairRatios([run(500, 1000), run(2000, 2000), run(2000, 3000), run(500, 500)], 500, 2000, 'ms')).toEqual([0.5, 1.5]);
  });

  it('leaves out a last run without its pair and a pair that lacks one of the sizes', () => {
    expect(pairRatios([run(500, 1000), run(500, 1000), run(500, 1000), run(2000, 4000), run(2000, 4000)], 500, 2000, 'ms')).toEqual([1]);
  });

  it('takes the time it is asked for: CPU time or the wall clock', () => {
    // Wall clock 1 ms a question at both sizes; CPU 0.8 ms a question at 500 and 1.2 at 2,000.
    const runs = [run(500, 500, 400), run(2000, 2000, 2400)];
    expect(pairRatios(runs, 500, 2000, 'ms')).toEqual([1]);
    expect(pairRatios(runs, 500, 2000, 'cpuMs')[0]).toBeCloseTo(1.5, 10);
  });

  it('has nothing to say about no runs', () => {
    expect(pairRatios([], 500, 2000, 'cpuMs')).toEqual([]);
  });
});

describe('answeredIn', () => {
  const result = (text: string) => ({
    content: [
      { type: 'image', data: '' },
      { type: 'text', text },
    ],
  });

  it("reads how many questions were answered from the tool's text block", () => {
    expect(answeredIn(result(JSON.stringify({ answered: 60, refused: 440 })))).toBe(60);
    expect(answeredIn(result(JSON.stringify({ answered: 0, refused: 2000 })))).toBe(0);
  });

  it('throws when the result does not carry a count, rather than reading it as none answered', () => {
    for (const bad of [null, {}, { content: 'x' }, { content: [] }, result('not json'), result('null'), result('{"answered":"60"}')])
      expect(() => answeredIn(bad)).toThrow(/how many questions were answered/);
  });
});
