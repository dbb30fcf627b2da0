// The controls for a value described by a JSON schema: leaves are the elicitation form's own controls; objects,
// lists and choices nest them in labelled groups; what the form cannot draw is edited as JSON in place.
import { Plus, Trash2 } from 'lucide-react';
import { useId, useState, type ReactNode } from 'react';
import { chosenOption, fromDraft, initialValue, metaOf, toDraft, withProperty, type SchemaNode } from '../lib/schema-form.js';
import { toJson } from '../lib/format.js';
import { FieldControl } from './ElicitationFields.js';
import './elicitation.css';

interface Props {
  node: SchemaNode;
  value: unknown;
  onChange: (value: unknown) => void;
  /** Where this value sits in the whole (`a.b[0]`), the key of its problem. */
  path: string;
  problems: Record<string, string>;
  /** After a call was tried: every problem shows, touched or not. */
  showAll: boolean;
}

export function SchemaFields(props: Props) {
  switch (props.node.kind) {
    case 'field':
      return <Leaf {...props} node={props.node} />;
    case 'object':
      return <ObjectFields {...props} node={props.node} />;
    case 'array':
      return <ListFields {...props} node={props.node} />;
    case 'choice':
      return <ChoiceFields {...props} node={props.node} />;
    case 'json':
      return <JsonField {...props} node={props.node} />;
  }
}

type Of<K extends SchemaNode['kind']> = Props & { node: Extract<SchemaNode, { kind: K }> };

const child = (path: string, name: string) => (path === '' ? name : `${path}.${name}`);

function Leaf({ node, value, onChange, path, problems, showAll }: Of<'field'>) {
  const [touched, setTouched] = useState(false);
  const error = showAll || touched ? problems[path] : undefined;
  return (
    <FieldControl
      field={node.field}
      draft={toDraft(node.field, value)}
      error={error}
      onChange={(d) => onChange(fromDraft(node.field, d))}
      onTouch={() => setTouched(true)}
    />
  );
}

function ObjectFields({ node, value, onChange, path, problems, showAll }: Of<'object'>) {
  const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const fields = node.properties.map((p) => {
    const name = metaOf(p).name;
    return (
      <SchemaFields
        key={name}
        node={p}
        value={record[name]}
        onChange={(v) => onChange(withProperty(record, name, v))}
        path={child(path, name)}
        problems={problems}
        showAll={showAll}
      />
    );
  });
  // The whole input is the form itself; a nested object is a group named by its property.
  if (path === '') return <div className="schema-fields">{fields}</div>;
  return (
    <Group node={node} path={path} problems={problems} showAll={showAll}>
      {value === undefined && !node.required ? (
        <button type="button" className="btn btn-small" onClick={() => onChange(initialValue({ ...node, required: true }))}>
          <Plus size={12} aria-hidden /> Fill in {node.label}
        </button>
      ) : (
        fields
      )}
    </Group>
  );
}

function ListFields({ node, value, onChange, path, problems, showAll }: Of<'array'>) {
  const items: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
  const set = (i: number, v: unknown) => onChange(items.map((x, j) => (j === i ? v : x)));
  const full = node.maxItems !== null && items.length >= node.maxItems;
  return (
    <Group node={node} path={path} problems={problems} showAll={showAll}>
      {items.length === 0 && <p className="muted">No items.</p>}
      <ol className="schema-list">
        {items.map((item, i) => (
          <li key={i} className="schema-list-item">
            <SchemaFields
              node={labelled(node.items, `${node.label} ${i + 1}`)}
              value={item}
              onChange={(v) => set(i, v)}
              path={`${path}[${i}]`}
              problems={problems}
              showAll={showAll}
            />
            <button
              type="button"
              className="btn btn-small"
              onClick={() => onChange(items.filter((_, j) => j !== i))}
              aria-label={`Remove ${node.label} ${i + 1}`}
            >
              <Trash2 size={12} aria-hidden /> Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="btn btn-small" disabled={full} onClick={() => onChange([...items, initialValue(node.items)])}>
        <Plus size={12} aria-hidden /> Add to {node.label}
      </button>
    </Group>
  );
}

/** A list item's controls are named after the list and the item's place in it. */
function labelled(node: SchemaNode, label: string): SchemaNode {
  return node.kind === 'field' ? { ...node, field: { ...node.field, label } } : { ...node, label };
}

function ChoiceFields({ node, value, onChange, path, problems, showAll }: Of<'choice'>) {
  const id = useId();
  const [picked, setPicked] = useState(() => chosenOption(node, value));
  const option = node.options[picked] ?? node.options[0];
  return (
    <Group node={node} path={path} problems={{}} showAll={false}>
      <label className="field-label" htmlFor={id}>
        Kind of {node.label}
      </label>
      <select
        id={id}
        className="input"
        value={picked}
        onChange={(e) => {
          const next = Number(e.target.value);
          setPicked(next);
          const n = node.options[next]?.node;
          onChange(n ? initialValue(n.kind === 'field' ? { ...n, field: { ...n.field, required: true } } : { ...n, required: true }) : undefined);
        }}
      >
        {node.options.map((o, i) => (
          <option key={i} value={i}>
            {o.label}
          </option>
        ))}
      </select>
      {option && <SchemaFields node={labelled(option.node, node.label)} value={value} onChange={onChange} path={path} problems={problems} showAll={showAll} />}
    </Group>
  );
}

/** Written as JSON; text that does not read as JSON stays in the box with the reason, and the value keeps its last good state. */
function JsonField({ node, value, onChange, path, problems, showAll }: Of<'json'>) {
  const id = useId();
  const [typed, setText] = useState(() => (value === undefined ? '' : toJson(value)));
  const [bad, setBad] = useState<string | null>(null);
  // What was typed stays while it still says the value (or does not read yet); a value changed elsewhere shows as JSON.
  const text = bad !== null || sameJson(typed, value) ? typed : value === undefined ? '' : toJson(value);
  const error = bad ?? (showAll ? problems[path] : undefined);
  return (
    <div className="field elicit-field" data-field={node.name}>
      <label className="field-label" htmlFor={id}>
        {node.label} (JSON)
      </label>
      <textarea
        id={id}
        className="input mono"
        rows={3}
        spellCheck={false}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : node.description ? `${id}-hint` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setBad(null);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setBad(null);
          } catch {
            setBad('Not valid JSON yet.');
          }
        }}
      />
      {node.description && (
        <p className="field-hint" id={`${id}-hint`}>
          {node.description}
        </p>
      )}
      {error && (
        <p className="field-error inline-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function sameJson(text: string, value: unknown): boolean {
  if (text.trim() === '') return value === undefined;
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

function Group({
  node,
  path,
  problems,
  showAll,
  children,
}: {
  node: SchemaNode;
  path: string;
  problems: Record<string, string>;
  showAll: boolean;
  children: ReactNode;
}) {
  const id = useId();
  const meta = metaOf(node);
  const error = showAll ? problems[path] : undefined;
  return (
    <fieldset className="fieldset elicit-field elicit-group schema-group" data-field={meta.name} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>
        {meta.label}
        {meta.required && (
          <span className="required-mark" aria-hidden title="Required">
            *
          </span>
        )}
      </legend>
      {meta.description && <p className="field-hint">{meta.description}</p>}
      {children}
      {error && (
        <p className="field-error inline-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
