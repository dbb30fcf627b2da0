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
  it('checks each form by its own rules, even when another form used the same $id', async () => {
    const first = readForm(ageForm(10, { $id: 'https://example.test/form' }));
    const second = readForm(ageForm(100, { $id: 'https://example.test/form' }));
    // The engine used to hand the second form the first form's check: 50 was refused as over 10.
    expect(await second.validate({ age: 50 })).toBeUndefined();
    expect(await second.validate({ age: 500 })).toMatch(/<= 100/);
    expect(await first.validate({ age: 50 })).toMatch(/<= 10/);
  });

  it('gives the same verdicts for a form asked again and again', async () => {
    for (let i = 0; i < 5; i++) {
      const form = readForm(ageForm(10));
      expect(await form.validate({ age: 5 })).toBeUndefined();
      expect(await form.validate({ age: 11 })).toMatch(/<= 10/);
      expect(await form.validate({ age: 'five' })).toMatch(/must be number/);
    }
  });

  it('keeps checking every form right past the engine that compiled it, including forms read before a fresh engine took over', async () => {
    const early = readForm(ageForm(7));
    // Distinct forms, more than one engine compiles (256) before the next takes over.
    for (let max = 1000; max < 1600; max++) {
      const form = readForm(ageForm(max));
      expect(await form.validate({ age: max })).toBeUndefined();
      expect(await form.validate({ age: max + 1 })).toMatch(new RegExp(`<= ${max}`));
    }
    expect(await early.validate({ age: 7 })).toBeUndefined();
    expect(await early.validate({ age: 8 })).toMatch(/<= 7/);
    // Asked again after all that, the first form is checked by its own rules.
    expect(await readForm(ageForm(7)).validate({ age: 8 })).toMatch(/<= 7/);
  });

  it('checks a form too large to keep like any other', async () => {
    const option = (i: number) => `option-${i}-${'x'.repeat(200)}`;
    const options = Array.from({ length: 400 }, (_, i) => ({ const: option(i), title: `Option ${i}` }));
    const schema = { type: 'object', properties: { pick: { type: 'string', oneOf: options } }, required: ['pick'] };
    expect(JSON.stringify(schema).length).toBeGreaterThan(64 * 1024);
    for (let i = 0; i < 2; i++) {
      const form = readForm(schema);
      expect(await form.validate({ pick: option(3) })).toBeUndefined();
      expect(await form.validate({ pick: 'nothing offered' })).toBeDefined();
      expect(await form.validate({})).toMatch(/required/);
    }
  });

  it('checks what the server wrote past the form off the host’s thread, and gives up on a check that would run for hours', async () => {
    // A yes/no field always sends a value, so its name meets propertyNames on every Submit: with the engine's
    // backtracking, ^(a+)+$ against 40 a's and a "!" runs for hours. On the host's thread that held every server.
    const name = `${'a'.repeat(40)}!`;
    const evil = '^(a+)+$';
    const form = readForm({
      type: 'object',
      properties: { [name]: { type: 'boolean' }, code: { type: 'string', maxLength: 64 } },
      propertyNames: { pattern: evil },
    });
    let ticks = 0;
    const ticking = setInterval(() => (ticks += 1), 50);
    const verdict = await form.validate({ [name]: true, code: 'x' });
    clearInterval(ticking);
    expect(verdict).toMatch(/took longer than 2 s/);
    // This thread went on meanwhile: its timers ran while the worker was busy.
    expect(ticks).toBeGreaterThan(5);
    // The form's own keywords are checked first, on this thread, and say what is wrong.
    expect(await form.validate({ [name]: 'yes' })).toMatch(/boolean/);
  });

  it('runs no pattern a choice carries on the host’s thread either', async () => {
    // Tried: a choice of oneOf with a pattern beside its const, answered with that const: the form's own check took the
    // choices whole, so the engine ran the pattern on this thread.
    const evil = `${'a'.repeat(40)}!`;
    const form = readForm({ type: 'object', properties: { pick: { type: 'string', oneOf: [{ const: 'x' }, { const: evil, pattern: '^(a+)+$' }] } } });
    let ticks = 0;
    const ticking = setInterval(() => (ticks += 1), 50);
    const verdict = await form.validate({ pick: evil });
    clearInterval(ticking);
    expect(verdict).toMatch(/took longer than 2 s/);
    expect(ticks).toBeGreaterThan(5);
    expect(await form.validate({ pick: 'x' })).toBeUndefined();
  });

  it('finds a schema that cannot be prepared before anyone is asked', async () => {
    expect(await readForm({ type: 'object', properties: { a: { type: 'string', pattern: '(' } } }).problem()).toMatch(/cannot be checked/);
    expect(await readForm({ type: 'object', properties: { a: { type: 'string' } }, allOf: [{ $ref: '#/nowhere' }] }).problem()).toMatch(/cannot be checked/);
    expect(await readForm({ type: 'object', properties: { a: { type: 'string', pattern: '^[a-z]+$' } } }).problem()).toBeUndefined();
  });

  it('still holds an answer to the pattern the server wrote for a field', async () => {
    const form = readForm({ type: 'object', properties: { handle: { type: 'string', pattern: '^[a-z]+$' } }, allOf: [{ required: ['handle'] }] });
    expect(await form.validate({ handle: 'abc' })).toBeUndefined();
    expect(await form.validate({ handle: 'Not Lower' })).toMatch(/pattern/);
    expect(await form.validate({})).toMatch(/required/);
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
