// A tool's input schema read as form nodes (every kind tools use, and what falls back to JSON), the values a new form
// starts from, the problems it shows, which option of a choice a value fits, and reading the JSON box.
// Hostile schemas tried: a $ref loop, a reference to nowhere, nesting deeper than the form draws, mixed enum types,
// a definition whose nine properties all refer back to it, a flat object of 2000 properties, and six definitions of
// nine properties each referring to the next (a tree of millions of nodes from a few hundred bytes, no loop).
import { describe, expect, it } from 'vitest';
import {
  chosenOption,
  formProblems,
  fromDraft,
  initialValue,
  metaOf,
  parseArguments,
  toDraft,
  toolForm,
  withProperty,
  type SchemaNode,
} from '../../../renderer/src/lib/schema-form.js';

const SCHEMA = {
  type: 'object',
  required: ['message', 'count', 'mode', 'tags', 'target'],
  properties: {
    message: { type: 'string', title: 'Message', minLength: 2 },
    count: { type: 'integer', minimum: 1, maximum: 5, default: 2 },
    ratio: { type: ['number', 'null'] },
    loud: { type: 'boolean' },
    mode: { type: 'string', enum: ['fast', 'slow'] },
    when: { type: 'string', format: 'date-time' },
    site: { type: 'string', format: 'uri' },
    colours: { type: 'array', items: { type: 'string', enum: ['red', 'green'] } },
    tags: { type: 'array', minItems: 1, items: { type: 'string' } },
    size: {
      oneOf: [
        { const: 's', title: 'Small' },
        { const: 'l', title: 'Large' },
      ],
    },
    target: {
      anyOf: [
        { type: 'object', title: 'By id', properties: { id: { type: 'integer' } }, required: ['id'] },
        { type: 'string', title: 'By name' },
      ],
    },
    nested: { $ref: '#/$defs/point' },
    anything: {},
  },
  $defs: { point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number', default: 0 } }, required: ['x'] } },
};

const byName = (node: SchemaNode, name: string): SchemaNode => {
  if (node.kind !== 'object') throw new Error('not an object');
  const found = node.properties.find((p) => metaOf(p).name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};
const describeNode = (node: SchemaNode): string => (node.kind === 'field' ? `field:${node.field.kind}` : node.kind);

describe('reading a tool schema', () => {
  const form = toolForm(SCHEMA);
  it.each([
    ['message', 'field:text'],
    ['count', 'field:number'],
    ['ratio', 'field:number'],
    ['loud', 'field:boolean'],
    ['mode', 'field:select'],
    ['when', 'field:text'],
    ['colours', 'field:multiselect'],
    ['tags', 'array'],
    ['size', 'field:select'],
    ['target', 'choice'],
    ['nested', 'object'],
    ['anything', 'json'],
  ])('%s is drawn as %s', (name, kind) => {
    expect(describeNode(byName(form, name))).toBe(kind);
  });

  it('keeps titles, requiredness, formats, bounds and titled constants', () => {
    const message = byName(form, 'message');
    expect(metaOf(message)).toMatchObject({ label: 'Message', required: true });
    const when = byName(form, 'when');
    expect(when.kind === 'field' && when.field.kind === 'text' && when.field.format).toBe('date-time');
    const count = byName(form, 'count');
    expect(count.kind === 'field' && count.field).toMatchObject({ integer: true, minimum: 1, maximum: 5, default: 2 });
    const size = byName(form, 'size');
    expect(size.kind === 'field' && size.field.kind === 'select' && size.field.options).toEqual([
      { value: 's', label: 'Small' },
      { value: 'l', label: 'Large' },
    ]);
    const target = byName(form, 'target');
    expect(target.kind === 'choice' && target.options.map((o) => o.label)).toEqual(['By id', 'By name']);
  });

  it.each([
    ['a reference loop', { type: 'object', properties: { a: { $ref: '#/$defs/a' } }, $defs: { a: { $ref: '#/$defs/a' } } }],
    ['a reference to nowhere', { type: 'object', properties: { a: { $ref: '#/$defs/none' } } }],
    ['an enum of mixed types', { type: 'object', properties: { a: { enum: ['x', 1, null] } } }],
    ['a remote reference', { type: 'object', properties: { a: { $ref: 'https://example.com/schema.json' } } }],
  ])('falls back to JSON for %s', (_, schema) => {
    expect(describeNode(byName(toolForm(schema), 'a'))).toBe('json');
  });

  it('stops drawing past a depth and edits the rest as JSON', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 12; i++) deep = { type: 'object', properties: { a: deep } };
    let node = toolForm(deep);
    let depth = 0;
    while (node.kind === 'object') {
      node = byName(node, 'a');
      depth++;
    }
    expect(node.kind).toBe('json');
    expect(depth).toBeLessThan(12);
  });

  it('expands a definition once on each branch, so a definition referring to itself from every property stays small', () => {
    // 9 properties, each a $ref back to the definition that holds them: unbounded, this is 9^7 nodes and a value of megabytes.
    const names = Array.from({ length: 9 }, (_, i) => `p${i}`);
    const schema = {
      $defs: { x: { type: 'object', required: names, properties: Object.fromEntries(names.map((n) => [n, { $ref: '#/$defs/x' }])) } },
      $ref: '#/$defs/x',
    };
    const form = toolForm(schema);
    expect(form.kind === 'object' && form.properties.map((p) => `${metaOf(p).name}:${describeNode(p)}`)).toEqual(names.map((n) => `${n}:json`));
    expect(initialValue(form)).toEqual({});
  });

  const chain = (defs: number, width: number) => {
    const props = (to: string) => Object.fromEntries(Array.from({ length: width }, (_, i) => [`p${i}`, { $ref: `#/$defs/${to}` }]));
    const $defs = Object.fromEntries(Array.from({ length: defs }, (_, d) => [`d${d}`, { type: 'object', properties: props(`d${d + 1}`) }]));
    return { $defs: { ...$defs, [`d${defs}`]: { type: 'string' } }, $ref: '#/$defs/d0' };
  };
  it.each([
    [
      'a flat object of 2000 properties',
      { type: 'object', properties: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`p${i}`, { type: 'string' }])) },
    ],
    ['six definitions of nine properties, each referring to the next', chain(6, 9)],
  ])('edits the whole input as JSON for %s, past the nodes a form reads', (_, schema) => {
    const form = toolForm(schema);
    expect(form).toMatchObject({ kind: 'json', label: 'Arguments' });
    expect(metaOf(form).description).toMatch(/too large/);
    expect(initialValue(form)).toBeUndefined();
  });

  it('still draws every field of an ordinary nested schema that uses a definition in several places', () => {
    const point = { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number', default: 0 } }, required: ['x'] };
    const schema = {
      type: 'object',
      required: ['from', 'to'],
      properties: { from: { $ref: '#/$defs/point' }, to: { $ref: '#/$defs/point' }, path: { type: 'array', items: { $ref: '#/$defs/point' } } },
      $defs: { point },
    };
    const form = toolForm(schema);
    for (const name of ['from', 'to']) {
      expect(describeNode(byName(form, name))).toBe('object');
      expect(describeNode(byName(byName(form, name), 'x'))).toBe('field:number');
    }
    const path = byName(form, 'path');
    expect(path.kind === 'array' && describeNode(path.items)).toBe('object');
    expect(initialValue(form)).toEqual({ from: { y: 0 }, to: { y: 0 } });
    expect(describeNode(byName(toolForm(chain(3, 3)), 'p2'))).toBe('object');
  });

  it.each([
    ['no schema at all', {}],
    ['a schema that is not an object', { type: 'string' }],
  ])('draws an empty form for %s', (_, schema) => {
    expect(toolForm(schema)).toMatchObject({ kind: 'object', properties: [] });
  });
});

describe('values and problems', () => {
  const form = toolForm(SCHEMA);

  it('starts from the defaults only, with required objects and lists present', () => {
    // The required choice starts as its first option: an object.
    expect(initialValue(form)).toEqual({ count: 2, tags: [], target: {} });
    expect(initialValue(byName(form, 'nested'))).toBeUndefined();
    expect(initialValue({ ...(byName(form, 'nested') as Extract<SchemaNode, { kind: 'object' }>), required: true })).toEqual({ y: 0 });
  });

  it('names each problem by its place in the value', () => {
    const value = { message: 'x', count: 9, mode: 'fast', tags: ['', 'ok'], target: { id: 1.5 }, nested: {}, site: 'not a url' };
    expect(formProblems(form, value)).toEqual({
      message: 'At least 2 characters.',
      count: 'At most 5.',
      'tags[0]': 'Required.',
      'target.id': 'Enter a whole number.',
      'nested.x': 'Required.',
      site: 'Enter a full address (for example https://…).',
    });
  });

  it('finds nothing wrong with a good value, and a missing required one', () => {
    const good = { message: 'hi', count: 3, mode: 'slow', tags: ['a'], target: 'by name' };
    expect(formProblems(form, good)).toEqual({});
    expect(formProblems(form, { ...good, mode: undefined })).toEqual({ mode: 'Required.' });
    expect(formProblems(form, { ...good, tags: [] })).toEqual({ tags: 'At least 1 item.' });
    expect(formProblems(form, { ...good, tags: 'a' })).toEqual({ tags: 'Enter a list.' });
  });

  it('picks the option a value fits, else the one of its shape', () => {
    const target = byName(form, 'target') as Extract<SchemaNode, { kind: 'choice' }>;
    expect(chosenOption(target, 'x')).toBe(1);
    expect(chosenOption(target, { id: 2 })).toBe(0);
    expect(chosenOption(target, { id: 'no' })).toBe(0);
    expect(chosenOption(target, undefined)).toBe(0);
  });

  it('reads controls as elicitation does, keeping a number that is not one as typed', () => {
    const count = byName(form, 'count');
    if (count.kind !== 'field') throw new Error('field');
    expect(fromDraft(count.field, '4')).toBe(4);
    expect(fromDraft(count.field, '')).toBeUndefined();
    expect(fromDraft(count.field, '4x')).toBe('4x');
    expect(formProblems(count, '4x')).toEqual({ '': 'Enter a number.' });
    expect(toDraft(count.field, 4)).toBe('4');
    expect(toDraft(count.field, { wrong: true })).toBe('');
    const colours = byName(form, 'colours');
    if (colours.kind !== 'field') throw new Error('field');
    expect(toDraft(colours.field, ['red', 3])).toEqual(['red']);
  });

  it('removes a key when its field is emptied', () => {
    expect(withProperty({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
    expect(withProperty('not an object', 'a', 1)).toEqual({ a: 1 });
  });

  it.each([
    ['{"a": 1}', { value: { a: 1 } }],
    ['[1]', { error: 'The arguments must be a JSON object, such as {"message": "hi"}.' }],
    ['null', { error: 'The arguments must be a JSON object, such as {"message": "hi"}.' }],
  ])('reads the JSON box %s', (text, expected) => {
    expect(parseArguments(text)).toEqual(expected);
  });

  it('says why JSON does not read', () => {
    const parsed = parseArguments('{"a": ');
    expect('error' in parsed && parsed.error).toMatch(/^The arguments are not valid JSON: /);
  });
});
