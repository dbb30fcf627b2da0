// What the controls of an elicitation form hold, and the answer they make. Judging the answer is
// shared/domain/elicitation.ts's job, so the form and the host agree on what is wrong.
import { answerProblems, withDefaults, type Answer, type AnswerValue, type FormField } from '../../../shared/domain/elicitation.js';

/** Text and numbers as typed, a yes/no, one choice ('' for none), several choices. */
export type Draft = string | boolean | string[];
export type Drafts = Record<string, Draft>;

export function initialDrafts(fields: readonly FormField[]): Drafts {
  return Object.fromEntries(fields.map((field) => [field.name, initialDraft(field)]));
}

function initialDraft(field: FormField): Draft {
  switch (field.kind) {
    case 'text':
      return field.default === null ? '' : field.format === 'date-time' ? toLocalInput(field.default) : field.default;
    case 'number':
      return field.default === null ? '' : String(field.default);
    case 'boolean':
      return field.default ?? false;
    case 'select':
      return field.default ?? '';
    case 'multiselect':
      return field.default ?? [];
  }
}

/**
 * The value a control answers with; undefined when the user left it empty (the host then uses the server's default).
 * A checkbox and a set of choices always answer with what they show.
 */
export function draftValue(field: FormField, draft: Draft | undefined): AnswerValue | undefined {
  switch (field.kind) {
    case 'text': {
      const text = typeof draft === 'string' ? draft : '';
      if (text === '') return undefined;
      // An unreadable date and time goes as typed, so the check names the problem.
      return field.format === 'date-time' ? (fromLocalInput(text) ?? text) : text;
    }
    case 'number': {
      const text = typeof draft === 'string' ? draft.trim() : '';
      return text === '' ? undefined : Number(text);
    }
    case 'boolean':
      return draft === true;
    case 'select':
      return typeof draft === 'string' && draft !== '' ? draft : undefined;
    case 'multiselect':
      return Array.isArray(draft) ? draft : [];
  }
}

export function toAnswer(fields: readonly FormField[], drafts: Drafts): Answer {
  const answer: Answer = {};
  for (const field of fields) {
    const value = draftValue(field, drafts[field.name]);
    if (value !== undefined) answer[field.name] = value;
  }
  return answer;
}

/** Each field's problem as the host will judge it: after filling the server's defaults into what was left empty. */
export function formProblems(fields: readonly FormField[], answer: Answer): Record<string, string> {
  return answerProblems(fields, withDefaults(fields, answer));
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

/** A datetime-local value (wall-clock time here) as an RFC 3339 date-time with this computer's offset at that moment. */
export function fromLocalInput(local: string): string | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const [, year, month, day, hour, minute, second, fraction] = m;
  const ms = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
  const at = new Date(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second ?? 0), ms);
  // Month 13 or 31 February roll over in Date: those are not real times.
  if (Number.isNaN(at.getTime()) || at.getFullYear() !== Number(year) || at.getMonth() !== Number(month) - 1 || at.getDate() !== Number(day)) return null;
  const offset = -at.getTimezoneOffset();
  return `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction === undefined ? '' : `.${fraction}`}${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** An RFC 3339 date-time shown in a datetime-local control, in this computer's time zone ('' when unreadable). */
export function toLocalInput(value: string): string {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return '';
  const base = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
  if (at.getMilliseconds() !== 0) return `${base}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
  return at.getSeconds() !== 0 ? `${base}:${pad(at.getSeconds())}` : base;
}
