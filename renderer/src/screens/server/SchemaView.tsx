// A tool's input schema as a short table of parameters, with the raw schema one click away.
import { toJson } from '../../lib/format.js';

type Json = Record<string, unknown>;

function properties(schema: Json): Array<[string, Json]> {
  const props = schema.properties;
  if (!props || typeof props !== 'object') return [];
  return Object.entries(props as Record<string, unknown>).map(([k, v]) => [k, v && typeof v === 'object' ? (v as Json) : {}]);
}

/** The arguments a call starts from: each parameter's schema default, nothing else. */
export function defaultArguments(schema: Json): Json {
  return Object.fromEntries(
    properties(schema)
      .filter(([, p]) => 'default' in p)
      .map(([k, p]) => [k, p.default]),
  );
}

function typeOf(p: Json): string {
  if (Array.isArray(p.enum)) return p.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(p.type)) return p.type.join(' | ');
  if (typeof p.type === 'string') return p.type === 'array' && p.items && typeof p.items === 'object' ? `${typeOf(p.items as Json)}[]` : p.type;
  return 'any';
}

export function SchemaView({ schema }: { schema: Json }) {
  const props = properties(schema);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return (
    <section className="schema" aria-label="Input schema">
      {props.length === 0 ? (
        <p className="muted">Takes no arguments.</p>
      ) : (
        <table className="table table-compact">
          <thead>
            <tr>
              <th>Parameter</th>
              <th>Type</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {props.map(([name, p]) => (
              <tr key={name}>
                <td className="mono-text">
                  {name}
                  {required.has(name) && (
                    <span className="required" title="Required">
                      {' '}
                      *
                    </span>
                  )}
                </td>
                <td className="mono-text">{typeOf(p)}</td>
                <td>
                  {typeof p.description === 'string' ? p.description : ''}
                  {'default' in p && <span className="muted"> Default: {JSON.stringify(p.default)}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details className="disclosure">
        <summary>Raw input schema</summary>
        <pre className="code-block">{toJson(schema)}</pre>
      </details>
    </section>
  );
}
