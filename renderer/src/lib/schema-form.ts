// A tool's JSON input schema read as a tree of form nodes. Leaves are elicitation form fields, so a tool form and an
// elicitation form draw, read and judge a value with the same code; objects, lists and choices nest them.
import { fieldProblem, STRING_FORMATS, type FormField } from '../../../shared/domain/elicitation.js';
import { draftValue, toLocalInput, type Draft } from './elicitation-form.js';

type Json = Record<string, unknown>;

interface Meta {
  name: string;
  label: string;
  description: string | null;
  required: boolean;
}

export type SchemaNode =
  | { kind: 'field'; field: FormField }
  | (Meta & { kind: 'object'; properties: SchemaNode[] })
  | (Meta & { kind: 'array'; items: SchemaNode; minItems: number | null; maxItems: number | null })
  | (Meta & { kind: 'choice'; options: Array<{ label: string; node: SchemaNode }> })
  /** Anything the form cannot draw (no type, mixed types, deep or recursive schemas, a whole too large): edited as JSON. */
  | (Meta & { kind: 'json' });

/** Past this depth a part of the schema is edited as JSON. */
const MAX_DEPTH = 6;
/**
 * At most this many schema nodes are read for one form. References let a few hundred bytes describe an exponential
 * tree, so past the budget the whole input is edited as JSON rather than drawn.
 */
const MAX_NODES = 500;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function metaOf(node: SchemaNode): Meta {
  return node.kind === 'field' ? node.field : node;
}

/**
 * The form for a tool's whole input: an object, even when the schema says little, or a JSON node for the whole
 * input when the schema is too large to draw.
 */
export function toolForm(schema: Json): SchemaNode {
  const reading: Reading = { root: schema, left: MAX_NODES };
  const node = readNode(reading, schema, { name: '', required: true }, 0, new Set());
  if (reading.left < 0) {
    return {
      kind: 'json',
      name: '',
      label: 'Arguments',
      description: 'This schema is too large to draw as a form; write the arguments as JSON.',
      required: true,
    };
  }
  return node.kind === 'object' ? node : { kind: 'object', name: '', label: '', description: null, required: true, properties: [] };
}

/** One read of a schema: the document references point into, and how many more nodes may be read. */
interface Reading {
  root: Json;
  left: number;
}

/**
 * The schema a node stands for, following references, with the references followed on the way down to it; null for
 * a reference that leads nowhere or back to one already followed on this branch, so each branch expands a
 * definition once.
 */
function resolve(raw: Json, root: Json, refs: ReadonlySet<string>): { schema: Json; refs: ReadonlySet<string> } | null {
  let schema = raw;
  let seen = refs;
  while (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    if (seen.has(ref)) return null;
    const target = definition(ref, root);
    if (!target) return null;
    seen = new Set([...seen, ref]);
    schema = target;
  }
  return { schema, refs: seen };
}

function definition(ref: string, root: Json): Json | null {
  const m = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  const defs = m ? root[m[1] ?? ''] : undefined;
  const target =
    m && isObject(defs)
      ? defs[
          decodeURIComponent(m[2] ?? '')
            .replace(/~1/g, '/')
            .replace(/~0/g, '~')
        ]
      : undefined;
  return isObject(target) ? target : null;
}

function readNode(
  reading: Reading,
  raw: unknown,
  at: { name: string; required: boolean; label?: string },
  depth: number,
  refs: ReadonlySet<string>,
): SchemaNode {
  const fallbackMeta = { name: at.name, label: at.label ?? at.name, description: null, required: at.required };
  reading.left -= 1;
  if (!isObject(raw) || depth > MAX_DEPTH || reading.left < 0) return { ...fallbackMeta, kind: 'json' };
  const resolved = resolve(raw, reading.root, refs);
  if (!resolved) return { ...fallbackMeta, kind: 'json' };
  const { schema } = resolved;
  const read = (next: unknown, nextAt: typeof at) => readNode(reading, next, nextAt, depth + 1, resolved.refs);
  const meta: Meta = { name: at.name, label: str(schema.title) ?? at.label ?? at.name, description: str(schema.description), required: at.required };
  const common = { ...meta, secretLike: false };

  const variants = (Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : null)?.filter(
    (v) => !(isObject(v) && v.type === 'null'),
  );
  if (variants && variants.length > 0) {
    // oneOf of titled constants is how schemas name the choices of an enum.
    if (variants.every((v) => isObject(v) && typeof v.const === 'string')) {
      const options = variants.map((v) => ({ value: String((v as Json).const), label: str((v as Json).title) ?? String((v as Json).const) }));
      return { kind: 'field', field: { ...common, kind: 'select', options, default: typeof schema.default === 'string' ? schema.default : null } };
    }
    if (variants.length === 1) return read({ ...schema, oneOf: undefined, anyOf: undefined, ...(variants[0] as Json) }, at);
    const options = variants.map((v, i) => {
      const node = read(v, { name: at.name, required: true });
      return { label: (isObject(v) && str(v.title)) || `${i + 1}: ${kindWord(node)}`, node };
    });
    return { ...meta, kind: 'choice', options };
  }

  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((v): v is string => typeof v === 'string');
    if (values.length === 0 || values.length !== schema.enum.length) return { ...meta, kind: 'json' };
    const options = values.map((v) => ({ value: v, label: v }));
    return { kind: 'field', field: { ...common, kind: 'select', options, default: typeof schema.default === 'string' ? schema.default : null } };
  }

  const types = (Array.isArray(schema.type) ? (schema.type as unknown[]) : [schema.type]).filter((t) => t !== 'null' && t !== undefined);
  const type = types.length === 1 ? types[0] : isObject(schema.properties) && types.length === 0 ? 'object' : null;
  switch (type) {
    case 'string': {
      const format = STRING_FORMATS.find((f) => f === schema.format) ?? null;
      const field: FormField = {
        ...common,
        kind: 'text',
        format,
        minLength: int(schema.minLength),
        maxLength: int(schema.maxLength),
        default: typeof schema.default === 'string' ? schema.default : null,
      };
      return { kind: 'field', field };
    }
    case 'number':
    case 'integer':
      return {
        kind: 'field',
        field: {
          ...common,
          kind: 'number',
          integer: type === 'integer',
          minimum: num(schema.minimum),
          maximum: num(schema.maximum),
          default: num(schema.default),
        },
      };
    case 'boolean':
      return { kind: 'field', field: { ...common, kind: 'boolean', default: typeof schema.default === 'boolean' ? schema.default : null } };
    case 'array': {
      const items = isObject(schema.items) ? resolve(schema.items, reading.root, resolved.refs)?.schema : null;
      const choices = items && Array.isArray(items.enum) && items.enum.every((v) => typeof v === 'string') ? items.enum : null;
      if (choices) {
        const field: FormField = {
          ...common,
          kind: 'multiselect',
          options: choices.map((v) => ({ value: v, label: v })),
          minItems: int(schema.minItems),
          maxItems: int(schema.maxItems),
          default: Array.isArray(schema.default) && schema.default.every((v) => typeof v === 'string') ? schema.default : null,
        };
        return { kind: 'field', field };
      }
      const itemNode = read(schema.items, { name: 'item', label: 'Item', required: true });
      return { ...meta, kind: 'array', items: itemNode, minItems: int(schema.minItems), maxItems: int(schema.maxItems) };
    }
    case 'object': {
      if (!isObject(schema.properties)) return { ...meta, kind: 'json' };
      const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : []);
      const properties = Object.entries(schema.properties).map(([name, p]) => read(p, { name, required: required.has(name) }));
      return { ...meta, kind: 'object', properties };
    }
    default:
      return { ...meta, kind: 'json' };
  }
}

function kindWord(node: SchemaNode): string {
  if (node.kind !== 'field') return node.kind === 'array' ? 'list' : node.kind === 'object' ? 'object' : 'value';
  return { text: 'text', number: 'number', boolean: 'yes or no', select: 'choice', multiselect: 'choices' }[node.field.kind];
}

/** What a new form (or a newly added list item, or a newly chosen option) holds: the schema's defaults, nothing else. */
export function initialValue(node: SchemaNode): unknown {
  switch (node.kind) {
    case 'field':
      // A required yes-or-no shows unticked, so it answers no rather than nothing.
      return node.field.default ?? (node.field.kind === 'boolean' && node.field.required ? false : undefined);
    case 'object': {
      // An optional object is left out until the user fills it in, defaults and all.
      if (!node.required) return undefined;
      return Object.fromEntries(node.properties.map((p) => [metaOf(p).name, initialValue(p)] as const).filter(([, v]) => v !== undefined));
    }
    case 'array':
      return node.required ? [] : undefined;
    case 'choice':
      return node.required && node.options[0] ? initialValue(node.options[0].node) : undefined;
    case 'json':
      return undefined;
  }
}

/** What a leaf's control shows for a value from anywhere (the JSON view, a past call): a wrong type shows as empty. */
export function toDraft(field: FormField, value: unknown): Draft {
  switch (field.kind) {
    case 'text':
      if (typeof value !== 'string') return '';
      return field.format === 'date-time' ? toLocalInput(value) || value : value;
    case 'number':
      return typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
    case 'boolean':
      return value === true;
    case 'select':
      return typeof value === 'string' ? value : '';
    case 'multiselect':
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}

/** The value a leaf's control answers with, read as elicitation reads it; a number that is not one stays as typed, so the check names it. */
export function fromDraft(field: FormField, draft: Draft): unknown {
  const value = draftValue(field, draft);
  if (field.kind === 'number' && typeof value === 'number' && !Number.isFinite(value)) return typeof draft === 'string' ? draft : undefined;
  return value;
}

/** Each problem by its place in the value (`a.b[0]`; '' for the whole), as the form shows them. */
export function formProblems(node: SchemaNode, value: unknown, path = ''): Record<string, string> {
  const meta = metaOf(node);
  if (value === undefined) return meta.required ? { [path]: 'Required.' } : {};
  switch (node.kind) {
    case 'field': {
      const problem = fieldProblem(node.field, value as never);
      return problem ? { [path]: problem } : {};
    }
    case 'object': {
      if (!isObject(value)) return { [path]: 'Enter an object.' };
      return Object.assign({}, ...node.properties.map((p) => formProblems(p, value[metaOf(p).name], join(path, metaOf(p).name)))) as Record<string, string>;
    }
    case 'array': {
      if (!Array.isArray(value)) return { [path]: 'Enter a list.' };
      const own: Record<string, string> = {};
      if (node.minItems !== null && value.length < node.minItems) own[path] = `At least ${node.minItems} item${node.minItems === 1 ? '' : 's'}.`;
      if (node.maxItems !== null && value.length > node.maxItems) own[path] = `At most ${node.maxItems} item${node.maxItems === 1 ? '' : 's'}.`;
      return Object.assign(own, ...value.map((v, i) => formProblems(node.items, v, `${path}[${i}]`))) as Record<string, string>;
    }
    case 'choice': {
      const option = node.options[chosenOption(node, value)];
      return option ? formProblems(option.node, value, path) : {};
    }
    case 'json':
      return {};
  }
}

/** The option a value fits: the first it passes, else the first of its shape, else the first. */
export function chosenOption(node: Extract<SchemaNode, { kind: 'choice' }>, value: unknown): number {
  if (value === undefined) return 0;
  const fits = node.options.findIndex((o) => Object.keys(formProblems(o.node, value)).length === 0);
  if (fits >= 0) return fits;
  const shaped = node.options.findIndex((o) => shapeOf(o.node) === shapeOfValue(value));
  return Math.max(0, shaped);
}

function shapeOf(node: SchemaNode): string {
  if (node.kind !== 'field') return node.kind === 'array' ? 'array' : node.kind === 'object' ? 'object' : 'any';
  return { text: 'string', number: 'number', boolean: 'boolean', select: 'string', multiselect: 'array' }[node.field.kind];
}

function shapeOfValue(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

const join = (path: string, name: string) => (path === '' ? name : `${path}.${name}`);

/** The value with the key set, or removed when the new value is undefined (an empty field sends nothing). */
export function withProperty(value: unknown, name: string, next: unknown): Json {
  const base = isObject(value) ? value : {};
  if (next === undefined) return Object.fromEntries(Object.entries(base).filter(([key]) => key !== name));
  return { ...base, [name]: next };
}

/** The JSON view's text read as a tool's arguments, or the sentence that says what is wrong with it. */
export function parseArguments(text: string): { value: Json } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `The arguments are not valid JSON: ${(e as Error).message}` };
  }
  if (!isObject(parsed)) return { error: 'The arguments must be a JSON object, such as {"message": "hi"}.' };
  return { value: parsed };
}

export function argumentsProblem(text: string): string | null {
  const parsed = parseArguments(text);
  return 'error' in parsed ? parsed.error : null;
}
