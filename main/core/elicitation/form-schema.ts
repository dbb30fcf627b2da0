// Reads a server's requestedSchema into form fields: the flat shapes MCP 2025-11-25 allows, and nothing else.
// A schema Steward cannot show as a form is refused with -32602 and a reason, rather than rendered half-broken.
import { ProtocolError } from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import { STRING_FORMATS, type Answer, type FormField } from '../../../shared/domain/elicitation.js';
import { checkAsWritten } from './schema-check.js';

const INVALID_PARAMS = -32602;
const MAX_FIELDS = 100;
const MAX_OPTIONS = 500;
const SECRET_LIKE =
  /pass(word|phrase|code)?\b|passwd|secret|token|api[\s_-]?key|private[\s_-]?key|access[\s_-]?key|credential|\bpin\b|\bcvv\b|\bcvc\b|card[\s_-]?number|\bssn\b|seed[\s_-]?phrase|mnemonic/i;

type Json = Record<string, unknown>;

export interface ReadForm {
  fields: FormField[];
  /**
   * Checks an answer against the form's keywords (JSON Schema 2020-12, or the dialect its $schema names), then, when the
   * server wrote more than those (a pattern, propertyNames, allOf), against the schema as written on a worker thread
   * with a deadline (schema-check.ts).
   */
  validate(answer: Answer): Promise<string | undefined>;
  /**
   * What keeps the schema as written from being checked at all (it does not compile, or compiling it is too costly),
   * found before the user is asked: such a form is refused, as one Steward cannot show. Undefined at once (no promise)
   * for a form with nothing past its own keywords, so such a question reaches the inbox, and its cap, in the same turn.
   */
  problem(): Promise<string | undefined> | undefined;
}

type Check = (answer: Answer) => { valid: boolean; errorMessage?: string | undefined };

/** Checks kept, by the schema's text: a server tends to ask the same form again, and compiling one costs about a millisecond. */
const CHECKS_KEPT = 64;
/** A schema longer than this (as text) is compiled each time it comes, not kept: 64 of them must stay small. */
const KEPT_TEXT_MAX = 64 * 1024;
/**
 * Schemas compiled by one engine before a fresh engine takes over. An engine keeps every schema it compiles for its own
 * life, so one engine for the whole process grew with every form any server sent; a retired engine goes once the checks
 * made with it are no longer held (here or by questions still waiting).
 */
const PER_ENGINE = 256;
let engine = new AjvJsonSchemaValidator();
let compiledByEngine = 0;
const checks = new Map<string, Check>();

/**
 * The check for a form's schema. The schema is compiled without its `$id`: an engine hands a schema whose `$id` it has
 * seen the check it made for the first one, so a later form (another question's, another server's) with the same `$id`
 * was checked against the first form's rules. Forms are flat, so nothing in them needs the id to resolve a reference.
 */
function checkFor(schema: Json): Check {
  const { $id: _id, ...rest } = schema;
  const text = JSON.stringify(rest);
  const kept = checks.get(text);
  if (kept) {
    // Most recently used last, so the first one is the one to let go.
    checks.delete(text);
    checks.set(text, kept);
    return kept;
  }
  if (compiledByEngine >= PER_ENGINE) {
    engine = new AjvJsonSchemaValidator();
    compiledByEngine = 0;
  }
  // Counted before it is compiled: a schema the engine refuses is kept by it all the same.
  compiledByEngine += 1;
  // A copy of its own: the engine keeps what it compiles, and nothing the caller holds should be kept with it.
  const check: Check = engine.getValidator(JSON.parse(text) as Json);
  if (text.length > KEPT_TEXT_MAX) return check;
  checks.set(text, check);
  if (checks.size > CHECKS_KEPT) checks.delete(checks.keys().next().value as string);
  return check;
}

function refuse(reason: string): never {
  throw new ProtocolError(INVALID_PARAMS, `Steward cannot show this form: ${reason}`);
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
// A bound past 2^53 is no bound a person can reach, and the inbox's own check of a question refuses it (a field
// with maxLength 1e20 made the whole inbox unreadable, for every server): such a bound is left off the form.
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function options(list: unknown, name: string): Array<{ value: string; label: string }> {
  if (!Array.isArray(list) || list.length === 0) refuse(`"${name}" offers no options.`);
  if (list.length > MAX_OPTIONS) refuse(`"${name}" offers more than ${MAX_OPTIONS} options.`);
  return list.map((entry) => {
    if (typeof entry === 'string') return { value: entry, label: entry };
    const e = entry as Json | null;
    if (typeof e?.const !== 'string') refuse(`an option of "${name}" is not a string constant.`);
    return { value: e.const, label: str(e.title) ?? e.const };
  });
}

function field(name: string, raw: unknown, required: boolean): FormField {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) refuse(`"${name}" has no schema.`);
  const p = raw as Json;
  const label = str(p.title) ?? name;
  const common = { name, label, description: str(p.description), required, secretLike: SECRET_LIKE.test(name) || SECRET_LIKE.test(label) };
  switch (p.type) {
    case 'string': {
      if (Array.isArray(p.enum)) {
        const values = options(p.enum, name);
        // enumNames is the deprecated way of giving titles; it is still honoured.
        const names = Array.isArray(p.enumNames) && p.enumNames.length === values.length ? (p.enumNames as unknown[]) : undefined;
        const opts = values.map((o, i) => ({ value: o.value, label: str(names?.[i]) ?? o.label }));
        return {
          ...common,
          kind: 'select',
          options: opts,
          default: str(p.default) !== null && opts.some((o) => o.value === p.default) ? (p.default as string) : null,
        };
      }
      if (Array.isArray(p.oneOf)) {
        const opts = options(p.oneOf, name);
        return { ...common, kind: 'select', options: opts, default: opts.some((o) => o.value === p.default) ? (p.default as string) : null };
      }
      const format = STRING_FORMATS.find((f) => f === p.format) ?? null;
      return { ...common, kind: 'text', format, minLength: int(p.minLength), maxLength: int(p.maxLength), default: str(p.default) };
    }
    case 'number':
    case 'integer':
      return { ...common, kind: 'number', integer: p.type === 'integer', minimum: num(p.minimum), maximum: num(p.maximum), default: num(p.default) };
    case 'boolean':
      return { ...common, kind: 'boolean', default: typeof p.default === 'boolean' ? p.default : null };
    case 'array': {
      const items = p.items as Json | undefined;
      if (!items || typeof items !== 'object') refuse(`"${name}" is a list without item choices.`);
      const list = Array.isArray(items.enum) ? items.enum : Array.isArray(items.anyOf) ? items.anyOf : Array.isArray(items.oneOf) ? items.oneOf : undefined;
      if (!list || (items.type !== undefined && items.type !== 'string'))
        refuse(`"${name}" is a list of something other than choices (only multi-select lists are allowed).`);
      const opts = options(list, name);
      const defaults = Array.isArray(p.default) && p.default.every((d) => opts.some((o) => o.value === d)) ? (p.default as string[]) : null;
      return { ...common, kind: 'multiselect', options: opts, minItems: int(p.minItems), maxItems: int(p.maxItems), default: defaults };
    }
    case 'object':
      return refuse(`"${name}" is a nested object (forms are flat).`);
    default:
      return refuse(
        `"${name}" has ${p.type === undefined ? 'no type' : `the type ${JSON.stringify(p.type)}`} (only text, numbers, yes/no and choices are allowed).`,
      );
  }
}

/** The keywords of a form and of its fields that Steward shows and checks: the flat subset the spec allows. */
const FORM_KEYS = ['$schema', 'type', 'properties', 'required'];
const FIELD_KEYS = ['type', 'enum', 'oneOf', 'items', 'format', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'];
const ITEMS_KEYS = ['type', 'enum', 'anyOf', 'oneOf'];

const pick = (from: Json, keys: readonly string[]): Json => Object.fromEntries(keys.filter((k) => Object.hasOwn(from, k)).map((k) => [k, from[k]]));

/** The keywords of one choice in `oneOf` or `anyOf`: its value and its label. */
const OPTION_KEYS = ['const', 'title'];
const CHOICE_LISTS = ['oneOf', 'anyOf'];

/** Each choice of a list reduced to its value and label (a choice may carry a server's pattern too). */
function choicesOnly(schema: Json): Json {
  const out = { ...schema };
  for (const list of CHOICE_LISTS) {
    const options = out[list];
    if (Array.isArray(options)) out[list] = options.map((o: unknown) => (typeof o === 'object' && o !== null ? pick(o as Json, OPTION_KEYS) : o));
  }
  return out;
}

const optionsBeyond = (schema: unknown): boolean =>
  typeof schema === 'object' &&
  schema !== null &&
  CHOICE_LISTS.some((list) => {
    const options = (schema as Json)[list];
    return Array.isArray(options) && options.some((o: unknown) => beyond(o, OPTION_KEYS));
  });

/** Keywords that describe and change nothing an answer is checked against. */
const ANNOTATIONS = ['$id', '$comment', 'title', 'description', 'default', 'enumNames', 'examples', 'readOnly', 'writeOnly', 'deprecated'];

const beyond = (value: unknown, allowed: readonly string[]): boolean =>
  typeof value === 'object' && value !== null && Object.keys(value).some((k) => !allowed.includes(k) && !ANNOTATIONS.includes(k));

/** Whether the server wrote keywords past the form's own (a pattern, propertyNames, allOf, …), checked as written. */
function writesMore(schema: Json): boolean {
  if (beyond(schema, FORM_KEYS)) return true;
  return Object.values(schema.properties as Json).some((field) => {
    const items = (field as Json | null)?.items;
    return beyond(field, FIELD_KEYS) || beyond(items, ITEMS_KEYS) || optionsBeyond(field) || optionsBeyond(items);
  });
}

/**
 * The schema an answer is first checked against, on this thread: the form's own keywords, each field's, and nothing
 * else. A keyword outside the spec's flat subset never runs here: a server's `pattern`, `propertyNames` or
 * `patternProperties` is a regular expression the engine runs with backtracking (`^(a+)+$` against a 40-character field
 * name took hours), and `allOf` or `$ref` could carry them in. Those are checked on a worker, with a deadline.
 */
function formKeywords(schema: Json): Json {
  const properties = schema.properties as Json;
  const fields = Object.fromEntries(
    Object.keys(properties).map((name) => {
      const field = choicesOnly(pick(properties[name] as Json, FIELD_KEYS));
      if (field.items && typeof field.items === 'object') field.items = choicesOnly(pick(field.items as Json, ITEMS_KEYS));
      return [name, field];
    }),
  );
  return { ...pick(schema, FORM_KEYS), properties: fields };
}

export function readForm(schema: unknown): ReadForm {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) refuse('requestedSchema is missing.');
  const s = schema as Json;
  if (s.type !== 'object') refuse('requestedSchema must be an object schema.');
  const properties = (s.properties ?? {}) as Json;
  if (typeof properties !== 'object' || Array.isArray(properties)) refuse('properties must be an object.');
  const names = Object.keys(properties);
  // A name every object already has (constructor, toString, __proto__) would read as a value that is always there.
  const inherited = names.find((name) => name in Object.prototype);
  if (inherited !== undefined) refuse(`"${inherited}" is not a usable field name.`);
  if (names.length > MAX_FIELDS) refuse(`it has ${names.length} fields; at most ${MAX_FIELDS} are shown.`);
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
  const fields = names.map((name) => field(name, properties[name], required.has(name)));
  let check: Check;
  try {
    check = checkFor(formKeywords(s));
  } catch (error) {
    refuse(`its schema cannot be checked (${error instanceof Error ? error.message : String(error)}).`);
  }
  const { $id: _id, ...written } = s;
  const asWritten = writesMore(s) ? JSON.stringify(written) : undefined;
  return {
    fields,
    validate: async (answer) => {
      const result = check(answer);
      if (!result.valid) return result.errorMessage ?? 'The answer does not match the form.';
      if (asWritten === undefined) return undefined;
      const verdict = await checkAsWritten(asWritten, answer);
      return verdict && !verdict.valid ? verdict.message : undefined;
    },
    problem: () => {
      if (asWritten === undefined) return undefined;
      return checkAsWritten(asWritten, undefined, true).then((verdict) => (verdict && !verdict.valid ? verdict.message : undefined));
    },
  };
}
