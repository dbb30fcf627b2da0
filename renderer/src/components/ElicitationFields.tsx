// One labelled control per elicitation field kind, with the server's description and what the schema expects as help
// text, and the field's problem once it should be shown.
import { useId, type ReactNode } from 'react';
import type { FormField } from '../../../shared/domain/elicitation.js';
import type { Draft } from '../lib/elicitation-form.js';
import { defaultWords, expectation } from '../lib/elicitation-words.js';

/** Up to this many options show as radio buttons (all visible at once); more go in a drop-down list. */
const MAX_RADIOS = 5;

interface ControlProps<K extends FormField['kind']> {
  field: Extract<FormField, { kind: K }>;
  draft: Draft;
  /** The problem to show now (undefined: none, or not yet). */
  error: string | undefined;
  /** `unreadable`: a number control holds text the browser cannot read as a number. */
  onChange: (draft: Draft, unreadable?: boolean) => void;
  onTouch: () => void;
}

export function FieldControl(props: ControlProps<FormField['kind']>) {
  const { field } = props;
  switch (field.kind) {
    case 'text':
      return <TextControl {...props} field={field} />;
    case 'number':
      return <NumberControl {...props} field={field} />;
    case 'boolean':
      return <BooleanControl {...props} field={field} />;
    case 'select':
      return field.options.length <= MAX_RADIOS ? <RadioControl {...props} field={field} /> : <SelectControl {...props} field={field} />;
    case 'multiselect':
      return <MultiControl {...props} field={field} />;
  }
}

const INPUT_TYPES = { email: 'email', uri: 'url', date: 'date', 'date-time': 'datetime-local' } as const;

function TextControl({ field, draft, error, onChange, onTouch }: ControlProps<'text'>) {
  return (
    <Single field={field} error={error} empty={draft === ''}>
      {(a11y) => (
        <input
          {...a11y}
          className="input"
          type={field.format ? INPUT_TYPES[field.format] : 'text'}
          value={typeof draft === 'string' ? draft : ''}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onTouch}
          autoComplete="off"
          spellCheck={false}
        />
      )}
    </Single>
  );
}

function NumberControl({ field, draft, error, onChange, onTouch }: ControlProps<'number'>) {
  return (
    <Single field={field} error={error} empty={draft === ''}>
      {(a11y) => (
        <input
          {...a11y}
          className="input input-narrow"
          type="number"
          inputMode={field.integer ? 'numeric' : 'decimal'}
          step={field.integer ? 1 : 'any'}
          min={field.minimum ?? undefined}
          max={field.maximum ?? undefined}
          value={typeof draft === 'string' ? draft : ''}
          onChange={(e) => onChange(e.target.value, e.target.validity.badInput)}
          onBlur={onTouch}
        />
      )}
    </Single>
  );
}

function SelectControl({ field, draft, error, onChange, onTouch }: ControlProps<'select'>) {
  return (
    <Single field={field} error={error} empty={draft === ''}>
      {(a11y) => (
        <select
          {...a11y}
          className="input"
          value={typeof draft === 'string' ? draft : ''}
          onChange={(e) => {
            onChange(e.target.value);
            onTouch();
          }}
          onBlur={onTouch}
        >
          <option value="" disabled={field.required}>
            {field.required ? 'Choose…' : 'No answer'}
          </option>
          {field.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Single>
  );
}

function BooleanControl({ field, draft, onChange, onTouch }: ControlProps<'boolean'>) {
  const id = useId();
  const help = helpText(field, false);
  return (
    <div className="checkbox elicit-field elicit-boolean" data-field={field.name}>
      <input
        id={id}
        type="checkbox"
        checked={draft === true}
        onChange={(e) => {
          onChange(e.target.checked);
          onTouch();
        }}
        aria-describedby={help ? `${id}-hint` : undefined}
      />
      <div>
        <label htmlFor={id}>{field.label}</label>
        <RequiredMark field={field} />
        <Help id={`${id}-hint`} text={help} />
      </div>
    </div>
  );
}

function RadioControl({ field, draft, error, onChange, onTouch }: ControlProps<'select'>) {
  const choices = field.required ? field.options : [{ value: '', label: 'No answer' }, ...field.options];
  return (
    <Group field={field} error={error} role="radiogroup" empty={draft === ''}>
      {(name) =>
        choices.map((o) => (
          <label key={o.value} className="choice">
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={draft === o.value}
              onChange={() => {
                onChange(o.value);
                onTouch();
              }}
            />
            <span className={o.value === '' ? 'muted' : undefined}>{o.label}</span>
          </label>
        ))
      }
    </Group>
  );
}

function MultiControl({ field, draft, error, onChange, onTouch }: ControlProps<'multiselect'>) {
  const chosen = Array.isArray(draft) ? draft : [];
  const toggle = (value: string, on: boolean) => {
    // Kept in the server's order, whatever order they were ticked in.
    onChange(field.options.map((o) => o.value).filter((v) => (v === value ? on : chosen.includes(v))));
    onTouch();
  };
  return (
    <Group field={field} error={error} empty={false}>
      {() =>
        field.options.map((o) => (
          <label key={o.value} className="choice">
            <input type="checkbox" checked={chosen.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
            <span>{o.label}</span>
          </label>
        ))
      }
    </Group>
  );
}

interface A11y {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
  'aria-required': true | undefined;
}

/** A field with one control: the label names it; help text and problem describe it. */
function Single({ field, error, empty, children }: { field: FormField; error: string | undefined; empty: boolean; children: (a11y: A11y) => ReactNode }) {
  const id = useId();
  const help = helpText(field, empty);
  const describedBy = [help ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field elicit-field" data-field={field.name}>
      <div className="elicit-label-row">
        <label className="field-label" htmlFor={id}>
          {field.label}
        </label>
        <RequiredMark field={field} />
        <SecretTag field={field} />
      </div>
      {children({ id, 'aria-describedby': describedBy || undefined, 'aria-invalid': error ? true : undefined, 'aria-required': field.required || undefined })}
      <Help id={`${id}-hint`} text={help} />
      <Problem id={`${id}-error`} error={error} />
    </div>
  );
}

/** A field with a set of controls: the legend names the group. */
function Group({
  field,
  error,
  role,
  empty,
  children,
}: {
  field: FormField;
  error: string | undefined;
  role?: 'radiogroup';
  empty: boolean;
  children: (name: string) => ReactNode;
}) {
  const id = useId();
  const help = helpText(field, empty);
  const describedBy = [help ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset
      className="fieldset elicit-field elicit-group"
      data-field={field.name}
      role={role}
      aria-describedby={describedBy || undefined}
      aria-invalid={error ? true : undefined}
      {...(role ? { 'aria-required': field.required || undefined } : {})}
    >
      <legend>
        {field.label}
        <RequiredMark field={field} />
      </legend>
      <SecretTag field={field} />
      <Help id={`${id}-hint`} text={help} />
      <div className="choices">{children(`${id}-choice`)}</div>
      <Problem id={`${id}-error`} error={error} />
    </fieldset>
  );
}

/** Seen, not read out: the control itself carries aria-required. Outside the label, so it stays out of the control's name. */
function RequiredMark({ field }: { field: FormField }) {
  return field.required ? (
    <span className="required-mark" aria-hidden title="Required">
      *
    </span>
  ) : null;
}

function SecretTag({ field }: { field: FormField }) {
  return field.secretLike ? <span className="tag tag-warning">looks like a secret</span> : null;
}

function Help({ id, text }: { id: string; text: string | null }) {
  return text ? (
    <p className="field-hint" id={id}>
      {text}
    </p>
  ) : null;
}

function Problem({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p className="field-error inline-error" id={id}>
      {error}
    </p>
  ) : null;
}

/** The server's description, what the schema expects, and what an empty field sends, as sentences. */
function helpText(field: FormField, empty: boolean): string | null {
  const fallback = empty ? defaultWords(field) : null;
  const parts = [field.description?.trim(), expectation(field), fallback ? `Left empty, the server’s default ${fallback} is sent.` : null];
  return (
    parts
      .filter((p): p is string => Boolean(p))
      .map((p) => (/[.!?…]$/.test(p) ? p : `${p}.`))
      .join(' ') || null
  );
}
