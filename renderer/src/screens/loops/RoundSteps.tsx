// A round's steps as the record has them: each status it reached, who decided and why; then the edits the user made
// (or kept from an earlier round), and, on request, the request exactly as the server sent it and the body the model got.
import type { RoundEdit, RoundStep, RoundView } from '../../../../shared/domain/sampling.js';
import { ErrorNote, Loading } from '../../components/States.js';
import { formatClock, formatDateTime, toJson } from '../../lib/format.js';
import { DECIDER_WORDS, ROUND_STATUS } from '../../lib/sampling-words.js';
import { call } from '../../lib/steward.js';
import { useLoad } from '../../lib/use-load.js';

export function RoundSteps({ steps }: { steps: readonly RoundStep[] }) {
  if (steps.length === 0) return null;
  return (
    <ol className="round-steps" aria-label="Steps">
      {steps.map((step, i) => (
        <li key={i} className="round-step" data-to={step.to} data-by={step.by}>
          <time className="round-step-time" dateTime={step.at} title={formatDateTime(step.at)}>
            {formatClock(step.at)}
          </time>
          <span className="round-step-to">{ROUND_STATUS[step.to].label}</span>
          <span className="round-step-by">by {DECIDER_WORDS[step.by]}</span>
          <span className="round-step-why">{step.why}</span>
        </li>
      ))}
    </ol>
  );
}

const EDIT_WORDS: Record<string, string> = { systemPrompt: 'System prompt', lastUserText: 'Last user message', maxTokens: 'Max tokens' };

export function RoundEdits({ edits }: { edits: readonly RoundEdit[] }) {
  if (edits.length === 0) return null;
  return (
    <ul className="round-edits" aria-label="Edits">
      {edits.map((edit, i) => (
        <li key={i}>
          <span className="muted">
            {edit.keptFromRound === null ? 'Your edit' : `Your edit from round ${edit.keptFromRound}, kept for the loop`}
            {edit.keep && edit.keptFromRound === null ? ' (kept for the rest of the loop)' : ''}:
          </span>
          <dl className="round-edit-fields">
            {Object.entries(edit.edits).map(([field, value]) => (
              <div key={field}>
                <dt>{EDIT_WORDS[field] ?? field}</dt>
                <dd className="mono-text">{value === null ? '(none)' : String(value)}</dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ul>
  );
}

/** Loaded when opened: a request repeats the whole conversation, so it is not part of every round's view. */
export function RoundRecordDetails({ entry }: { entry: RoundView }) {
  return (
    <details className="disclosure round-record">
      <summary>The exact request and what the model was sent</summary>
      <RecordBody requestId={entry.requestId} />
    </details>
  );
}

function RecordBody({ requestId }: { requestId: string }) {
  const [record, reload] = useLoad(() => call('sampling:round', { requestId }), [requestId]);
  if (record.state === 'loading') return <Loading label="Loading the round’s record…" />;
  if (record.state === 'error') return <ErrorNote title="Steward could not read this round’s record." error={record.error} onRetry={reload} />;
  const r = record.data;
  return (
    <>
      <h4 className="section-label">As the server sent it</h4>
      <pre className="code-block" tabIndex={0} aria-label="Request as the server sent it">
        {pretty(r.request)}
      </pre>
      <h4 className="section-label">As the model got it</h4>
      {r.sent === null ? (
        <p className="muted">Nothing was sent to a model.</p>
      ) : (
        <pre className="code-block" tabIndex={0} aria-label="Request as the model got it">
          {pretty(r.sent)}
        </pre>
      )}
    </>
  );
}

function pretty(text: string): string {
  try {
    return toJson(JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}
