// A tool's arguments two ways at once: the form drawn from its input schema, and the same value as JSON. A form edit
// rewrites the JSON; JSON that reads as an object refills the form, and JSON that does not stays with the reason.
import { useId } from 'react';
import { SchemaFields } from '../../components/SchemaFields.js';
import { toJson } from '../../lib/format.js';
import { argumentsProblem, parseArguments, type SchemaNode } from '../../lib/schema-form.js';

interface Props {
  form: SchemaNode;
  value: Record<string, unknown>;
  /** The JSON box's text, as typed (it may not read yet). */
  json: string;
  onChange: (value: Record<string, unknown>, json: string) => void;
  onJson: (json: string) => void;
  problems: Record<string, string>;
  showAll: boolean;
}

export function ToolForm({ form, value, json, onChange, onJson, problems, showAll }: Props) {
  const id = useId();
  const problem = argumentsProblem(json);
  const empty = form.kind === 'object' && form.properties.length === 0;
  return (
    <div className="tool-form">
      <section className="tool-form-fields" aria-label="Arguments form">
        {form.kind === 'json' ? (
          // The JSON box beside the form is where such arguments are written; a second one here would only repeat it.
          <p className="muted">{form.description}</p>
        ) : empty ? (
          <p className="muted">Takes no arguments.</p>
        ) : (
          <SchemaFields
            node={form}
            value={value}
            onChange={(v) => {
              const next = isRecord(v) ? v : {};
              onChange(next, toJson(next));
            }}
            path=""
            problems={problems}
            showAll={showAll}
          />
        )}
      </section>
      <section className="tool-form-json">
        <label className="field-label" htmlFor={id}>
          Arguments (JSON)
        </label>
        <textarea
          id={id}
          className="input mono args-editor"
          rows={Math.min(16, Math.max(4, json.split('\n').length + 1))}
          value={json}
          spellCheck={false}
          aria-invalid={problem !== null}
          aria-describedby={problem ? `${id}-error` : undefined}
          onChange={(e) => {
            const parsed = parseArguments(e.target.value);
            if ('value' in parsed) onChange(parsed.value, e.target.value);
            else onJson(e.target.value);
          }}
        />
        {problem && (
          <p className="inline-error" id={`${id}-error`} role="alert">
            {problem}
          </p>
        )}
      </section>
    </div>
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
