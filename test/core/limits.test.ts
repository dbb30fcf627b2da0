// Refusals over a cap are built without a stack: what was tried is an error built inside, one thrown while building,
// and an error built after, which must have its stack again.
import { describe, expect, it } from 'vitest';
import { refusalError } from '../../main/core/limits.js';

const FRAME = /\n\s+at /;

describe('refusalError', () => {
  it('returns the error it was asked to build, with its message and no stack frames', () => {
    const error = refusalError(() => new RangeError('too many'));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('too many');
    expect(error.stack).not.toMatch(FRAME);
    expect(new Error('later').stack).toMatch(FRAME);
  });

  it('puts the stack limit back when building throws', () => {
    const before = Error.stackTraceLimit;
    expect(() =>
      refusalError(() => {
        throw new Error('broken');
      }),
    ).toThrow('broken');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('later').stack).toMatch(FRAME);
  });
});
