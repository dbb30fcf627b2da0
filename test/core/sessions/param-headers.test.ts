// The Mcp-Param-* headers of a framed 2026-07-28 tools/call: which arguments are mirrored, and how values are written.
// Hostile: schemas and arguments of the wrong shape, declarations where the spec does not reach them (items, anyOf),
// values that would break a header (control characters, non-ASCII, surrounding spaces, the Base64 sentinel itself).
import { describe, expect, it } from 'vitest';
import { headerValue, mcpParamHeaders } from '../../../main/core/sessions/param-headers.js';

const b64 = (text: string) => `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;

const schema = {
  type: 'object',
  properties: {
    region: { type: 'string', 'x-mcp-header': 'Region' },
    count: { type: 'integer', 'x-mcp-header': 'Count' },
    dry: { type: 'boolean', 'x-mcp-header': 'Dry-Run' },
    target: { type: 'object', properties: { host: { type: 'string', 'x-mcp-header': 'Target-Host' } } },
    list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } },
    either: { anyOf: [{ type: 'string', 'x-mcp-header': 'Either' }] },
    plain: { type: 'string' },
  },
};

describe('Mcp-Param headers', () => {
  it.each([
    [
      'every kind of value',
      { region: 'eu', count: 3, dry: false, plain: 'x' },
      { 'Mcp-Param-Region': 'eu', 'Mcp-Param-Count': '3', 'Mcp-Param-Dry-Run': 'false' },
    ],
    ['a property reached through nested properties', { target: { host: 'db1' } }, { 'Mcp-Param-Target-Host': 'db1' }],
    ['nothing for absent or null arguments', { region: null }, {}],
    ['nothing under items or anyOf, which the spec does not reach', { list: ['a'], either: 'b' }, {}],
    ['nothing for a value not of its property’s type', { region: 5, count: 2.5, dry: 'yes', target: { host: true } }, {}],
    ['an integer given as a whole float', { count: 4.0 }, { 'Mcp-Param-Count': '4' }],
    ['nothing for an unsafe integer', { count: 2 ** 60 }, {}],
    ['nothing for an inherited argument', Object.create({ region: 'inherited' }) as Record<string, unknown>, {}],
  ])('%s', (_, args, expected) => {
    expect(mcpParamHeaders(schema, args)).toEqual(expected);
  });

  it('reads nothing from schemas of the wrong shape', () => {
    for (const bad of [null, 'object', [], { properties: [] }, { properties: { a: 'x-mcp-header' } }, { properties: { a: { 'x-mcp-header': '' } } }]) {
      expect(mcpParamHeaders(bad, { a: 'v' })).toEqual({});
    }
    expect(mcpParamHeaders(schema, [] as unknown as Record<string, unknown>)).toEqual({});
  });

  it('stops at a depth no real schema has', () => {
    let deep: Record<string, unknown> = { type: 'string', 'x-mcp-header': 'Deep' };
    let args: unknown = 'v';
    for (let i = 0; i < 40; i++) {
      deep = { type: 'object', properties: { n: deep } };
      args = { n: args };
    }
    expect(mcpParamHeaders(deep, args as Record<string, unknown>)).toEqual({});
  });

  it.each([
    ['us-west', 'us-west'],
    ['a\tb', 'a\tb'],
    [' Zürich', b64(' Zürich')],
    ['trailing ', b64('trailing ')],
    ['Zürich', b64('Zürich')],
    ['line\r\nInjected: yes', b64('line\r\nInjected: yes')],
    ['', b64('')],
    ['=?base64?aGk=?=', b64('=?base64?aGk=?=')],
  ])('writes %j as %j', (text, expected) => {
    expect(headerValue(text)).toBe(expected);
  });
});
