// The elicitation form's drafts: which answer they make (what is left out, what is converted) and how a wall-clock
// date and time becomes an RFC 3339 date-time with this computer's offset.
import { afterEach, describe, expect, it } from 'vitest';
import type { FormField } from '../../../shared/domain/elicitation.js';
import { formProblems, fromLocalInput, initialDrafts, toAnswer, toLocalInput } from '../../../renderer/src/lib/elicitation-form.js';

const common = { description: null, required: false, secretLike: false };
const text = (name: string, extra: Partial<Extract<FormField, { kind: 'text' }>> = {}): FormField => ({
  ...common,
  name,
  label: name,
  kind: 'text',
  format: null,
  minLength: null,
  maxLength: null,
  default: null,
  ...extra,
});
const options = ['a', 'b', 'c'].map((v) => ({ value: v, label: v.toUpperCase() }));
const FIELDS: FormField[] = [
  text('note'),
  text('when', { format: 'date-time' }),
  { ...common, name: 'count', label: 'Count', kind: 'number', integer: true, minimum: 1, maximum: 10, default: 3 },
  { ...common, name: 'agree', label: 'Agree', kind: 'boolean', default: null },
  { ...common, name: 'pick', label: 'Pick', kind: 'select', options, default: null },
  { ...common, name: 'many', label: 'Many', kind: 'multiselect', options, minItems: null, maxItems: null, default: ['b'] },
];

const zone = process.env.TZ;
const inZone = (tz: string) => {
  process.env.TZ = tz;
};
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('elicitation form drafts', () => {
  it('starts from the server’s defaults', () => {
    inZone('Europe/Berlin');
    const fields = FIELDS.map((f) => (f.name === 'when' ? text('when', { format: 'date-time', default: '2025-01-15T08:30:00Z' }) : f));
    expect(initialDrafts(fields)).toEqual({ note: '', when: '2025-01-15T09:30', count: '3', agree: false, pick: '', many: ['b'] });
  });

  it.each([
    [
      'empty text, number and choice are left out; a checkbox and a set of choices always answer',
      { note: '', when: '', count: '', agree: false, pick: '', many: [] },
      { agree: false, many: [] },
    ],
    [
      'typed values become their kinds',
      { note: 'hi', when: '', count: '7', agree: true, pick: 'c', many: ['a', 'c'] },
      { note: 'hi', count: 7, agree: true, pick: 'c', many: ['a', 'c'] },
    ],
    [
      'a number with spaces around it is still the number',
      { note: '', when: '', count: ' 4 ', agree: false, pick: '', many: [] },
      { count: 4, agree: false, many: [] },
    ],
  ])('%s', (_, drafts, answer) => {
    expect(toAnswer(FIELDS, drafts)).toEqual(answer);
  });

  it('sends a date and time with this computer’s offset, and an unreadable one as typed so the check names it', () => {
    inZone('America/St_Johns');
    expect(toAnswer([FIELDS[1]!], { when: '2025-01-15T09:30' })).toEqual({ when: '2025-01-15T09:30:00-03:30' });
    expect(formProblems([FIELDS[1]!], toAnswer([FIELDS[1]!], { when: '2025-02-30T09:30' }))).toEqual({ when: 'Enter a date and time with a time zone.' });
  });

  it('judges like the host: a required field left empty takes the server’s default', () => {
    const withDefault = text('name', { required: true, default: 'Ada' });
    const without = text('city', { required: true });
    expect(formProblems([withDefault, without], toAnswer([withDefault, without], { name: '', city: '' }))).toEqual({ city: 'Required.' });
  });
});

describe('date and time in the local zone', () => {
  it.each([
    ['Europe/Berlin', '2025-01-15T09:30', '2025-01-15T09:30:00+01:00'],
    ['Europe/Berlin', '2025-07-15T09:30', '2025-07-15T09:30:00+02:00'],
    ['America/St_Johns', '2025-01-15T09:30:15', '2025-01-15T09:30:15-03:30'],
    ['Asia/Kolkata', '2025-01-15T09:30:15.25', '2025-01-15T09:30:15.25+05:30'],
    ['UTC', '2025-01-15T23:59', '2025-01-15T23:59:00+00:00'],
    ['UTC', '2025-02-29T10:00', null],
    ['UTC', '2025-13-01T10:00', null],
    ['UTC', 'tomorrow at ten', null],
  ])('%s: %s → %s', (tz, local, rfc3339) => {
    inZone(tz);
    expect(fromLocalInput(local)).toBe(rfc3339);
  });

  it.each([
    ['Europe/Berlin', '2025-01-15T08:30:00Z', '2025-01-15T09:30'],
    ['America/St_Johns', '2025-01-15T12:00:15-03:30', '2025-01-15T12:00:15'],
    ['UTC', '2025-01-15T12:00:00.5Z', '2025-01-15T12:00:00.500'],
    ['UTC', 'not a date', ''],
  ])('%s: %s shows as %s', (tz, rfc3339, local) => {
    inZone(tz);
    expect(toLocalInput(rfc3339)).toBe(local);
  });
});
