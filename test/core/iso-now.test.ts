// The clock's time as ISO text, made once per millisecond: it must read as the clock does whichever clock asks and however it moves.
import { describe, expect, it } from 'vitest';
import { isoNow } from '../../main/core/ports.js';

describe('isoNow', () => {
  it('reads as new Date(ms).toISOString() for clocks that repeat, go back and take turns', () => {
    const times = [0, 0, 1, 1_700_000_000_000, 1_700_000_000_000, 1_700_000_000_001, 5, 1_700_000_000_001, 1.5, 86_400_000];
    const a = { now: () => 0 };
    const b = { now: () => 0 };
    for (const [i, ms] of times.entries()) {
      const clock = i % 2 === 0 ? a : b;
      clock.now = () => ms;
      // A cache keyed on the wrong thing (the clock, or nothing) gives an earlier text here.
      expect(isoNow(clock)).toBe(new Date(ms).toISOString());
    }
  });
});
