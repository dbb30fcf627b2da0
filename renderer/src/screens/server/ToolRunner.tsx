// Calling one tool: its parameters, a JSON arguments editor, progress while it runs, Cancel, and the result.
import { LoaderCircle, Play, X } from 'lucide-react';
import { useState } from 'react';
import type { CallResult, Progress, ToolView } from '../../../../shared/domain/mcp.js';
import { ErrorNote } from '../../components/States.js';
import { randomId } from '../../lib/ids.js';
import { call, subscribe, type HostError } from '../../lib/steward.js';
import { toHostError } from '../../lib/use-load.js';
import { CallResultView } from './CallResultView.js';
import { defaultArguments, SchemaView } from './SchemaView.js';

type Outcome = { result: CallResult } | { error: HostError };

export function ToolRunner({ serverId, tool }: { serverId: string; tool: ToolView }) {
  const [args, setArgs] = useState(() => JSON.stringify(defaultArguments(tool.inputSchema), null, 2));
  const [argsError, setArgsError] = useState<string | null>(null);
  const [callId, setCallId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args);
    } catch (e) {
      setArgsError(`The arguments are not valid JSON: ${(e as Error).message}`);
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setArgsError('The arguments must be a JSON object, such as {"message": "hi"}.');
      return;
    }
    setArgsError(null);
    const id = randomId();
    setCallId(id);
    setProgress(null);
    setOutcome(null);
    // Subscribed before the call is sent, so no progress is missed.
    const off = subscribe('calls:changed', (p) => p.callId === id && setProgress(p));
    try {
      setOutcome({ result: await call('tools:call', { serverId, name: tool.name, arguments: parsed as Record<string, unknown>, callId: id }) });
    } catch (e) {
      setOutcome({ error: toHostError(e) });
    } finally {
      off();
      setCallId(null);
    }
  };
  // A call that ended meanwhile has nothing to cancel; its result arrives anyway.
  const cancel = () => callId && void call('tools:cancel', { callId }).catch(() => undefined);

  return (
    <div className="runner">
      <header className="runner-header">
        <h2 className="runner-title mono-text">{tool.name}</h2>
        {tool.title && tool.title !== tool.name && <span className="muted">{tool.title}</span>}
      </header>
      {tool.description && <p className="runner-description">{tool.description}</p>}
      <SchemaView schema={tool.inputSchema} />
      <label className="field-label" htmlFor={`args-${tool.name}`}>
        Arguments (JSON)
      </label>
      <textarea
        id={`args-${tool.name}`}
        className="input mono args-editor"
        rows={Math.min(12, Math.max(4, args.split('\n').length + 1))}
        value={args}
        spellCheck={false}
        onChange={(e) => setArgs(e.target.value)}
        aria-invalid={argsError !== null}
        aria-describedby={argsError ? `args-error-${tool.name}` : undefined}
      />
      {argsError && (
        <p className="inline-error" id={`args-error-${tool.name}`} role="alert">
          {argsError}
        </p>
      )}
      <div className="runner-actions">
        <button type="button" className="btn btn-primary" disabled={callId !== null} onClick={() => void run()}>
          <Play size={14} aria-hidden /> Call
        </button>
        {callId !== null && (
          <>
            <button type="button" className="btn" onClick={cancel}>
              <X size={14} aria-hidden /> Cancel
            </button>
            <span className="running" role="status">
              <LoaderCircle size={14} className="spin" aria-hidden /> Running…
              {progress && <ProgressText progress={progress} />}
            </span>
          </>
        )}
      </div>
      {progress && callId !== null && progress.total !== undefined && (
        <progress className="progress" value={progress.progress} max={progress.total} aria-label="Progress of the call" />
      )}
      {outcome && 'result' in outcome && <CallResultView result={outcome.result} />}
      {outcome && 'error' in outcome && (
        <ErrorNote title={outcome.error.code === 'cancelled' ? 'Cancelled.' : 'The call failed.'} error={outcome.error} />
      )}
    </div>
  );
}

function ProgressText({ progress }: { progress: Progress }) {
  const amount = progress.total !== undefined ? `${progress.progress} of ${progress.total}` : String(progress.progress);
  return (
    <span className="muted">
      {' '}
      {amount}
      {progress.message ? ` — ${progress.message}` : ''}
    </span>
  );
}
