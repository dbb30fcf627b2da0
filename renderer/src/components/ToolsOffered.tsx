// The tools a sampling request lets the model call, each with its description and input schema one click away.
import type { SamplingRequestView } from '../../../shared/domain/sampling.js';
import { toJson } from '../lib/format.js';

const CHOICE: Record<SamplingRequestView['toolChoice'], string> = {
  auto: 'the model decides whether to call one',
  required: 'the model must call at least one',
  none: 'the model may not call any this round',
};

export function ToolsOffered({ tools, toolChoice }: Pick<SamplingRequestView, 'tools' | 'toolChoice'>) {
  if (tools.length === 0) return <p className="muted">No tools: the model can only answer in text.</p>;
  return (
    <>
      <p className="muted">
        Tool choice <code className="code-tag">{toolChoice}</code>: {CHOICE[toolChoice]}. Steward never runs these tools; the server does, with what the model
        asks for.
      </p>
      <ul className="tools-offered plain-list" aria-label="Tools offered to the model">
        {tools.map((t) => (
          <li key={t.name} className="tool-offered">
            <code className="mono-text tool-offered-name">{t.name}</code>
            <span className="tool-offered-description">{t.description ?? <span className="muted">No description.</span>}</span>
            <details className="disclosure tool-offered-schema">
              <summary>Input schema</summary>
              <pre className="code-block" tabIndex={0} aria-label={`Input schema of ${t.name}`}>
                {toJson(t.inputSchema)}
              </pre>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
