// Where the list keys move focus, from inside the list and from outside it; other keys and empty lists do nothing.
import { describe, expect, it } from 'vitest';
import { nextIndex } from '../../../renderer/src/lib/list-keys.js';

describe('nextIndex', () => {
  it.each([
    ['ArrowDown', 0, 3, 1],
    ['ArrowDown', 2, 3, 2],
    ['ArrowUp', 2, 3, 1],
    ['ArrowUp', 0, 3, 0],
    ['Home', 2, 3, 0],
    ['End', 0, 3, 2],
    ['ArrowDown', -1, 3, 0],
    ['ArrowUp', -1, 3, 2],
    ['End', -1, 3, 2],
    ['Home', -1, 3, 0],
    ['ArrowDown', -1, 0, null],
    ['Enter', 1, 3, null],
    ['a', 1, 3, null],
    ['toString', 1, 3, null],
  ] as const)('%s from %i of %i goes to %s', (key, index, count, expected) => {
    expect(nextIndex(key, index, count)).toBe(expected);
  });
});
