// Elicitation as the user sees it: a form read from the server's schema (flat fields only), or a URL to open in the
// system browser. The answer checks here are pure, so the form and the host judge an answer the same way.
import { z } from 'zod';

const common = {
  name: z.string(),
  label: z.string(),
  description: z.string().nullable(),
  required: z.boolean(),
  /** The name or title looks like a password, token or key: servers must not ask for those in a form. */
  secretLike: z.boolean(),
};

export const STRING_FORMATS = ['email', 'uri', 'date', 'date-time'] as const;

export const FormFieldSchema = z.discriminatedUnion('kind', [
  z.object({
    ...common,
    kind: z.literal('text'),
    format: z.enum(STRING_FORMATS).nullable(),
    minLength: z.number().int().nullable(),
    maxLength: z.number().int().nullable(),
    default: z.string().nullable(),
  }),
  z.object({
    ...common,
    kind: z.literal('number'),
    integer: z.boolean(),
    minimum: z.number().nullable(),
    maximum: z.number().nullable(),
    default: z.number().nullable(),
  }),
  z.object({ ...common, kind: z.literal('boolean'), default: z.boolean().nullable() }),
  z.object({ ...common, kind: z.literal('select'), options: z.array(z.object({ value: z.string(), label: z.string() })), default: z.string().nullable() }),
  z.object({
    ...common,
    kind: z.literal('multiselect'),
    options: z.array(z.object({ value: z.string(), label: z.string() })),
    minItems: z.number().int().nullable(),
    maxItems: z.number().int().nullable(),
    default: z.array(z.string()).nullable(),
  }),
]);
export type FormField = z.infer<typeof FormFieldSchema>;

export const AnswerValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type AnswerValue = z.infer<typeof AnswerValueSchema>;
export const AnswerSchema = z.record(z.string(), AnswerValueSchema);
export type Answer = z.infer<typeof AnswerSchema>;

export const RelatedTaskSchema = z.object({ taskId: z.string(), label: z.string() }).nullable();

export const FormRequestViewSchema = z.object({
  message: z.string(),
  fields: z.array(FormFieldSchema),
  /** The task this question belongs to (input_required), when there is one. */
  relatedTask: RelatedTaskSchema,
});
export type FormRequestView = z.infer<typeof FormRequestViewSchema>;

/** The URL gate's verdict: what to show (canonical form, punycode host) and what the browser would receive. */
export const UrlVerdictSchema = z.object({
  allowed: z.boolean(),
  problems: z.array(z.string()),
  warnings: z.array(z.string()),
  display: z.string(),
  host: z.string(),
  canonical: z.string(),
});
export type UrlVerdict = z.infer<typeof UrlVerdictSchema>;

export const UrlRequestViewSchema = z.object({
  message: z.string(),
  /** As the server sent it, shown in full: credentials in it masked, and cut at 8192 characters (see asSent). */
  url: z.string(),
  elicitationId: z.string(),
  verdict: UrlVerdictSchema,
  /** consent: not opened yet; waiting: opened, waiting for the server to say it is complete (or the user). */
  stage: z.enum(['consent', 'waiting']),
  /** request: the server asked with elicitation/create; required: a tool call failed with -32042 and is retried after. */
  origin: z.enum(['request', 'required']),
  /** For origin "required": the tool whose call is retried. */
  retryTool: z.string().nullable(),
  relatedTask: RelatedTaskSchema,
});
export type UrlRequestView = z.infer<typeof UrlRequestViewSchema>;

/** The longest address mail can carry (RFC 5321's path limit less its angle brackets). */
export const EMAIL_MAX = 254;
const NO_SPACE_OR_AT = /^[^\s@]+$/;

/**
 * A name, one @, and a domain with a dot inside it. Read part by part: the single expression this replaces let its two
 * runs of "anything but @" both take the dot, and a server's default of "a@" and 40,000 "a." took seconds to judge on
 * every redraw of the form (and in the host, when the answer came back).
 */
function isEmail(value: string): boolean {
  if (value.length > EMAIL_MAX) return false;
  const at = value.indexOf('@');
  if (at <= 0 || !NO_SPACE_OR_AT.test(value.slice(0, at))) return false;
  const domain = value.slice(at + 1);
  const dot = domain.indexOf('.', 1);
  return NO_SPACE_OR_AT.test(domain) && dot > 0 && dot < domain.length - 1;
}
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function formatProblem(format: (typeof STRING_FORMATS)[number], value: string): string | undefined {
  switch (format) {
    case 'email':
      if (value.length > EMAIL_MAX) return `An email address has at most ${EMAIL_MAX} characters.`;
      return isEmail(value) ? undefined : 'Enter an email address.';
    case 'uri':
      try {
        return new URL(value).protocol ? undefined : 'Enter a full address (for example https://…).';
      } catch {
        return 'Enter a full address (for example https://…).';
      }
    case 'date':
      return DATE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'Enter a date as YYYY-MM-DD.';
    case 'date-time':
      return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'Enter a date and time with a time zone.';
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What is wrong with one field's value (undefined: nothing). An absent value is only wrong when required. */
export function fieldProblem(field: FormField, value: AnswerValue | undefined): string | undefined {
  const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0 && field.kind !== 'multiselect');
  if (empty) return field.required ? 'Required.' : undefined;
  switch (field.kind) {
    case 'text': {
      if (typeof value !== 'string') return 'Enter text.';
      // JSON Schema counts a string's length in code points.
      const length = Array.from(value).length;
      if (field.minLength !== null && length < field.minLength) return `At least ${plural(field.minLength, 'character')}.`;
      if (field.maxLength !== null && length > field.maxLength) return `At most ${plural(field.maxLength, 'character')}.`;
      return field.format ? formatProblem(field.format, value) : undefined;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Enter a number.';
      if (field.integer && !Number.isInteger(value)) return 'Enter a whole number.';
      if (field.minimum !== null && value < field.minimum) return `At least ${field.minimum}.`;
      if (field.maximum !== null && value > field.maximum) return `At most ${field.maximum}.`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Choose yes or no.';
    case 'select':
      return typeof value === 'string' && field.options.some((o) => o.value === value) ? undefined : 'Choose one of the options.';
    case 'multiselect': {
      if (!Array.isArray(value) || value.some((v) => !field.options.some((o) => o.value === v))) return 'Choose from the options.';
      if (new Set(value).size !== value.length) return 'Choose each option once.';
      if (field.required && value.length === 0) return 'Required.';
      if (field.minItems !== null && value.length < field.minItems) return `Choose at least ${field.minItems}.`;
      if (field.maxItems !== null && value.length > field.maxItems) return `Choose at most ${field.maxItems}.`;
      return undefined;
    }
  }
}

/** Every field's problem, by name; fields the form does not have are problems too. */
export function answerProblems(fields: readonly FormField[], answer: Answer): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const problem = fieldProblem(field, answer[field.name]);
    if (problem) problems[field.name] = problem;
  }
  for (const name of Object.keys(answer)) if (!fields.some((f) => f.name === name)) problems[name] = 'The form has no such field.';
  return problems;
}

/** The answer with every field the user left out filled from the schema's default (SEP-1034). */
export function withDefaults(fields: readonly FormField[], answer: Answer): Answer {
  const out: Answer = { ...answer };
  for (const field of fields) {
    if (out[field.name] !== undefined || field.default === null) continue;
    out[field.name] = field.default;
  }
  return out;
}
