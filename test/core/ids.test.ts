// Time-ordered ids: valid UUIDv7 text, sorting as their times do, distinct within one millisecond.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedId } from '../../main/core/ids.js';

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the milliseconds', () => {
    const id = timeOrderedId(Date.UTC(2026, 2, 1, 9, 0, 0, 5));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2026, 2, 1, 9, 0, 0, 5));
    expect(z.uuid().safeParse(id).success).toBe(true);
  });

  it('sorts as the times do, and never repeats within one millisecond', () => {
    const times = [0, 1, 255, 256, 1_700_000_000_000, 1_700_000_000_001, 2 ** 47];
    const ids = times.map((t) => timeOrderedId(t));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(1_700_000_000_000)));
    expect(same.size).toBe(1000);
  });

  it('takes a clock that is off (negative, fractional) without breaking the format', () => {
    for (const t of [-5, 1.7, Number.MAX_SAFE_INTEGER]) expect(timeOrderedId(t)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });
});
