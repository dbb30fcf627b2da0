// How values read on screen (durations, sizes, milliseconds, JSON) and how a typed query filters a list.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatMs, plural, toJson } from '../../../renderer/src/lib/format.js';
import { matchesQuery } from '../../../renderer/src/lib/text-match.js';

describe('formatting', () => {
  it.each([
    [0.4, '0 ms'],
    [12.46, '12 ms'],
    [999, '999 ms'],
    [1500, '1.5 s'],
  ])('%s ms reads as %s', (ms, text) => expect(formatMs(ms)).toBe(text));

  it.each([
    [45_000, '45 s'],
    [200_000, '3 min 20 s'],
    [7_500_000, '2 h 5 min'],
    [(3 * 24 + 4) * 3_600_000, '3 d 4 h'],
    [-5, '0 s'],
  ])('a span of %s ms reads as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [512, '512 B'],
    [2048, '2.0 KB'],
    [5 * 1024 * 1024, '5.0 MB'],
  ])('%s bytes read as %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it('counts in words and writes JSON two spaces deep', () => {
    expect(plural(1, 'call')).toBe('1 call');
    expect(plural(3, 'call')).toBe('3 calls');
    expect(toJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });
});

describe('matching a typed query', () => {
  it.each([
    ['', ['anything'], true],
    ['trip', ['plan_trip', undefined], true],
    ['TRIP plan', ['plan_trip'], true],
    ['trip car', ['plan_trip', 'Plan a trip'], false],
    ['trav', ['plan_trip', 'Plan a trip', 'From a traveller'], true],
    ['cafe', ['Café finder'], true],
    ['  ', [undefined], true],
    ['x', [undefined], false],
  ] as const)('%j in %j: %s', (query, texts, expected) => expect(matchesQuery(query, texts)).toBe(expected));
});
