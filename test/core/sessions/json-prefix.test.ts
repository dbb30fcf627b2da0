// The wire log's bounded JSON writer against JSON.stringify itself: the same text up to the cut and the same length
// after it, for every cut. Hostile input tried: quotes, backslashes and control characters to escape, surrogate pairs
// and lone surrogates (cut through the middle), toJSON, boxed primitives, members that write as nothing, sparse arrays,
// non-finite numbers, a cycle and a BigInt (which JSON.stringify refuses too).
import { describe, expect, it } from 'vitest';
import { jsonPrefix, jsonStringLength, surelyShorterThan } from '../../../main/core/sessions/json-prefix.js';
import { copyOf, cutAt } from '../../../main/core/text-copy.js';

const sparse: unknown[] = [1];
sparse[3] = 'x';

const VALUES: Array<[string, unknown]> = [
  ['a request', { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }],
  ['escapes', { 'k"ey\\': 'a"b\\c\nd\re\tf\bg\fh\u0001i\u001fj\u007fk\u2028l' }],
  ['surrogates', ['😀😀😀', '\ud83d', 'x\ude00y', '😀\ud83d😀', { '😀': '\udbff\udfff' }]],
  ['nothing members', { a: undefined, b: () => 1, c: Symbol('s'), d: null, e: [undefined, () => 1, Symbol('t')] }],
  [
    'toJSON and boxes',
    { when: new Date(Date.UTC(2026, 0, 1)), n: new Number(3), s: new String('s'), b: new Boolean(false), t: { toJSON: (key: string) => `key:${key}` } },
  ],
  ['numbers', [0, -0, 1.5, 1e21, -1e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER]],
  ['sparse', sparse],
  ['empty', { a: {}, b: [], c: '' }],
  ['a bare string', 'plain "quoted" text'],
  ['a bare number', 42],
  ['null', null],
  ['nested', { a: [{ b: [{ c: [true, false, null] }] }] }],
];

describe('jsonPrefix', () => {
  it.each(VALUES)('%s: the text JSON.stringify writes, cut anywhere, and its whole length', (_name, value) => {
    const whole = JSON.stringify(value);
    for (let max = 0; max <= whole.length + 2; max += 1) {
      const prefix = jsonPrefix(value, max);
      expect(prefix).toEqual({ text: whole.slice(0, max), total: whole.length });
    }
  });

  it('writes nothing for what JSON.stringify writes as nothing, and refuses what it refuses', () => {
    expect(jsonPrefix(undefined, 10)).toBeUndefined();
    expect(jsonPrefix(() => 1, 10)).toBeUndefined();
    expect(jsonPrefix({ toJSON: () => undefined }, 10)).toBeUndefined();
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => jsonPrefix(cycle, 10)).toThrow(TypeError);
    expect(() => jsonPrefix({ big: 1n }, 10)).toThrow(TypeError);
  });

  it('counts a megabyte string it does not write', () => {
    const data = `${'a"\\\n😀'.repeat(200_000)}\ud800`;
    const message = { jsonrpc: '2.0', method: 'notifications/message', params: { data } };
    const whole = JSON.stringify(message);
    expect(jsonStringLength(data)).toBe(JSON.stringify(data).length);
    expect(jsonPrefix(message, 8000)).toEqual({ text: whole.slice(0, 8000), total: whole.length });
  });
});

describe('surelyShorterThan', () => {
  it('says so only of values whose JSON is no longer, and gives up early on the unusual', () => {
    const plain = VALUES.filter(([name]) => name !== 'toJSON and boxes' && name !== 'nothing members');
    for (const [name, value] of plain) {
      const length = JSON.stringify(value).length;
      expect(surelyShorterThan(value, 6 * length + 64), name).toBe(true);
      for (let max = 0; max < length; max += 1) expect(surelyShorterThan(value, max), `${name} in ${max}`).toBe(false);
    }
    expect(surelyShorterThan({ data: 'x'.repeat(1024 * 1024) }, 64 * 1024)).toBe(false);
    expect(
      surelyShorterThan(
        Array.from({ length: 100_000 }, () => 0),
        64 * 1024,
      ),
    ).toBe(false);
    expect(surelyShorterThan({ when: new Date(0) }, 1000)).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i += 1) deep = [deep];
    expect(surelyShorterThan(deep, 1000)).toBe(false);
  });
});

describe('copyOf', () => {
  it('keeps at most the characters asked for, never half a surrogate pair', () => {
    expect(cutAt('ab😀', 3)).toBe(2);
    expect(copyOf('ab😀', 3)).toBe('ab');
    expect(copyOf('ab😀', 4)).toBe('ab😀');
    expect(copyOf('abc', 0)).toBe('');
    expect(copyOf('a\ud800b')).toBe('a\ufffdb');
  });
});
