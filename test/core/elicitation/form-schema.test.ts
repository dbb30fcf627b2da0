// How an answer is checked against a server's form. Tried: two forms (as if from two servers) that share an `$id` but
// not their rules; the same form asked many times; more distinct forms than one schema engine compiles before a fresh
// one takes over, with a form read before the change still checking its answers; a form too large to keep; a server's
// regular expressions (pattern, propertyNames, patternProperties, inside allOf) built to backtrack for hours.
import { describe, expect, it } from 'vitest';
import { readForm } from '../../../main/core/elicitation/form-schema.js';
import { FormFieldSchema } from '../../../shared/domain/elicitation.js';

const ageForm = (maximum: number, extra: Record<string, unknown> = {}) => ({
  ...extra,
  type: 'object',
  properties: { age: { type: 'number', maximum } },
});

describe('readForm: checking answers', () => {
  it('checks each form by its own rules, even when another form used the same $id', () => {
    const first = readForm(ageForm(10, { $id: 'https://example.test/form' }));
    const second = readForm(ageForm(100, { $id: 'https://example.test/form' }));
    // The engine used to hand the second form the first form's check: 50 was refused as over 10.
    expect(second.validate({ age: 50 })).toBeUndefined();
    expect(second.validate({ age: 500 })).toMatch(/<= 100/);
    expect(first.validate({ age: 50 })).toMatch(/<= 10/);
  });

  it('gives the same verdicts for a form asked again and again', () => {
    for (let i = 0; i < 5; i++) {
      const form = readForm(ageForm(10));
      expect(form.validate({ age: 5 })).toBeUndefined();
      expect(form.validate({ age: 11 })).toMatch(/<= 10/);
      expect(form.validate({ age: 'five' })).toMatch(/must be number/);
    }
  });

  it('keeps checking every form right past the engine that compiled it, including forms read before a fresh engine took over', () => {
    const early = readForm(ageForm(7));
    // Distinct forms, more than one engine compiles (256) before the next takes over.
    for (let max = 1000; max < 1600; max++) {
      const form = readForm(ageForm(max));
      expect(form.validate({ age: max })).toBeUndefined();
      expect(form.validate({ age: max + 1 })).toMatch(new RegExp(`<= ${max}`));
    }
    expect(early.validate({ age: 7 })).toBeUndefined();
    expect(early.validate({ age: 8 })).toMatch(/<= 7/);
    // Asked again after all that, the first form is checked by its own rules.
    expect(readForm(ageForm(7)).validate({ age: 8 })).toMatch(/<= 7/);
  });

  it('checks a form too large to keep like any other', () => {
    const option = (i: number) => `option-${i}-${'x'.repeat(200)}`;
    const options = Array.from({ length: 400 }, (_, i) => ({ const: option(i), title: `Option ${i}` }));
    const schema = { type: 'object', properties: { pick: { type: 'string', oneOf: options } }, required: ['pick'] };
    expect(JSON.stringify(schema).length).toBeGreaterThan(64 * 1024);
    for (let i = 0; i < 2; i++) {
      const form = readForm(schema);
      expect(form.validate({ pick: option(3) })).toBeUndefined();
      expect(form.validate({ pick: 'nothing offered' })).toBeDefined();
      expect(form.validate({})).toMatch(/required/);
    }
  });

  it('never runs a regular expression the server wrote: keywords outside the flat subset are not checked', () => {
    // A yes/no field always sends a value, so its name meets propertyNames on every Submit: with the engine's
    // backtracking, ^(a+)+$ against 40 a's and a "!" would hold the host for hours.
    const name = `${'a'.repeat(40)}!`;
    const evil = '^(a+)+$';
    const form = readForm({
      type: 'object',
      properties: { [name]: { type: 'boolean' }, code: { type: 'string', pattern: evil, maxLength: 64 } },
      propertyNames: { pattern: evil },
      patternProperties: { [evil]: { type: 'string' } },
      allOf: [{ properties: { code: { pattern: evil } } }],
    });
    expect(form.validate({ [name]: true, code: `${'a'.repeat(40)}!` })).toBeUndefined();
    // The form's own keywords still hold.
    expect(form.validate({ [name]: true, code: 'x'.repeat(65) })).toMatch(/64/);
    expect(form.validate({ [name]: 'yes' })).toMatch(/boolean/);
  });

  it('leaves off a bound no integer can state exactly, so the question still fits the inbox', () => {
    const form = readForm({
      type: 'object',
      properties: { note: { type: 'string', maxLength: 1e20, minLength: 2 ** 53 }, picks: { type: 'array', items: { enum: ['a'] }, maxItems: 1e300 } },
    });
    // Every field must read back through the inbox's own schema: one that did not made inbox:list fail for every server.
    for (const field of form.fields) expect(() => FormFieldSchema.parse(field)).not.toThrow();
    expect(form.fields[0]).toMatchObject({ maxLength: null, minLength: null });
  });
});
