// Reads a server's requestedSchema into form fields: the flat shapes MCP 2025-11-25 allows, and nothing else.
// A schema Steward cannot show as a form is refused with -32602 and a reason, rather than rendered half-broken.
import { ProtocolError } from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import { STRING_FORMATS, type Answer, type FormField } from '../../../shared/domain/elicitation.js';

const INVALID_PARAMS = -32602;
const MAX_FIELDS = 100;
const MAX_OPTIONS = 500;
const SECRET_LIKE =
  /pass(word|phrase|code)?\b|passwd|secret|token|api[\s_-]?key|private[\s_-]?key|access[\s_-]?key|credential|\bpin\b|\bcvv\b|\bcvc\b|card[\s_-]?number|\bssn\b|seed[\s_-]?phrase|mnemonic/i;

type Json = Record<string, unknown>;

export interface ReadForm {
  fields: FormField[];
  /** Checks an answer against the schema as written (JSON Schema 2020-12, or the dialect its $schema names). */
  validate(answer: Answer): string | undefined;
}

const validators = new AjvJsonSchemaValidator();

function refuse(reason: string): never {
  throw new ProtocolError(INVALID_PARAMS, `Steward cannot show this form: ${reason}`);
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
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
  let check: (answer: Answer) => { valid: boolean; errorMessage?: string | undefined };
  try {
    check = validators.getValidator(schema);
  } catch (error) {
    refuse(`its schema cannot be checked (${error instanceof Error ? error.message : String(error)}).`);
  }
  return {
    fields,
    validate: (answer) => {
      const result = check(answer);
      return result.valid ? undefined : (result.errorMessage ?? 'The answer does not match the form.');
    },
  };
}
