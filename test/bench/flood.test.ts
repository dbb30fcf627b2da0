// The flood figures' size ratio: the time per question at the large size over the small one, each over every flood of
// its size. Tried: floods of both sizes in any order, several floods of a size of unequal time (pooled, so a slow one
// counts), CPU against wall time, a size with no flood; the answered count read from the flood tool's result, and results
// that do not carry one.
import { describe, expect, it } from 'vitest';
import { answeredIn, sizeRatio } from '../../bench/flood.js';

// The CPU time is half the wall-clock time in every run, so a ratio taken on the wrong one would read the same; the
// CPU case tells them apart.
const run = (size: number, ms: number, cpuMs = ms / 2) => ({ size, ms, cpuMs, peak: 0, answered: 20 });

describe('sizeRatio', () => {
  it("divides the large floods' time per question by the small ones", () => {
    // 500 questions in 1,000 ms is 2 ms each; 2,000 in 2,000 ms is 1 ms each: 0.5, whichever ran first.
    expect(sizeRatio([run(500, 1000), run(2000, 2000)], 500, 2000, 'ms')).toBe(0.5);
    expect(sizeRatio([run(2000, 2000), run(500, 1000)], 500, 2000, 'ms')).toBe(0.5);
  });

  it('pools the floods of a size, so a slow one counts by its time (a median would leave it out)', () => {
    // Small: 500, 500 and 2,000 ms over 1,500 questions is 2 ms each (the median flood's is 1 ms); large: 2 ms each.
    expect(sizeRatio([run(500, 500), run(500, 500), run(500, 2000), run(2000, 4000)], 500, 2000, 'ms')).toBe(1);
    // Both sizes pooled: small (1,000 + 500) ms over 1,000 is 1.5 ms; large (2,000 + 6,000) ms over 4,000 is 2 ms.
    expect(sizeRatio([run(500, 1000), run(2000, 2000), run(2000, 6000), run(500, 500)], 500, 2000, 'ms')).toBeCloseTo(4 / 3, 10);
  });

  it('takes the time it is asked for: CPU time or the wall clock', () => {
    // Wall clock 1 ms a question at both sizes; CPU 0.8 ms a question at 500 and 1.2 at 2,000.
    const runs = [run(500, 500, 400), run(2000, 2000, 2400)];
    expect(sizeRatio(runs, 500, 2000, 'ms')).toBe(1);
    expect(sizeRatio(runs, 500, 2000, 'cpuMs')).toBeCloseTo(1.5, 10);
  });

  it('is no number without floods of both sizes', () => {
    expect(sizeRatio([], 500, 2000, 'cpuMs')).toBeNaN();
    expect(sizeRatio([run(500, 500)], 500, 2000, 'cpuMs')).toBeNaN();
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
