// How one form field's value is judged, in the dialog on every redraw and in the host when the answer comes back.
// Tried: a server's default built to make a backtracking email check take minutes ("a@" and 200,000 "a."), addresses
// at and past the length mail can carry, and the shapes the email check must keep accepting and refusing.
import { describe, expect, it } from 'vitest';
import { EMAIL_MAX, fieldProblem, type FormField } from '../../../shared/domain/elicitation.js';

const email: FormField = {
  name: 'email',
  label: 'Email',
  description: null,
  required: true,
  secretLike: false,
  kind: 'text',
  format: 'email',
  minLength: null,
  maxLength: null,
  default: null,
};

describe('fieldProblem: email', () => {
  it('judges a hostile default at once, as too long for an address', () => {
    const hostile = `a@${'a.'.repeat(200_000)}@`;
    expect(fieldProblem(email, hostile)).toBe(`An email address has at most ${EMAIL_MAX} characters.`);
    // Just under the limit, the same shape is read in one pass and refused for its second @.
    const under = `a@${'a.'.repeat((EMAIL_MAX - 3) / 2)}@`.slice(0, EMAIL_MAX);
    expect(fieldProblem(email, under)).toBe('Enter an email address.');
  });

  it('accepts an address with a dotted domain and refuses the rest', () => {
    for (const ok of ['a@b.c', 'first.last+tag@mail.example.org', 'a@b..c', `${'x'.repeat(EMAIL_MAX - 6)}@b.com`])
      expect(fieldProblem(email, ok), ok).toBeUndefined();
    for (const bad of ['a@b', '@b.c', 'a@.b', 'a@b.', 'a b@c.d', 'a@b c.d', 'a@b@c.d', 'a@b.c\n', `${'x'.repeat(EMAIL_MAX - 5)}@b.com`]) {
      expect(fieldProblem(email, bad), bad).toBeDefined();
    }
  });
});
