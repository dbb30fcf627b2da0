// Calling one tool: its parameters, a JSON arguments editor, progress while it runs, Cancel, and the result.
// A tool that supports tasks can also be run as one: it goes on in the background and the task center follows it.
// The last call's arguments and result, and the tasks started, stay with the server (call history), not with the tab.
import { ListChecks, LoaderCircle, Play, X } from 'lucide-react';
import { useState } from 'react';
import type { Progress, ToolView } from '../../../../shared/domain/mcp.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { ErrorNote } from '../../components/States.js';
import { AppView } from '../../components/apps/AppView.js';
import { useAppViews } from '../../components/apps/AppViewsProvider.js';
import { askToNotify } from '../../lib/desktop-notify.js';
import { useCallHistory, type CallOutcome } from '../../lib/call-history.js';
import { formatClock } from '../../lib/format.js';
import { randomId } from '../../lib/ids.js';
import { call, subscribe } from '../../lib/steward.js';
import { useAction } from '../../lib/use-action.js';
import { useSessionState } from '../../lib/session-state.js';
import { toHostError } from '../../lib/use-load.js';
import { CallResultView } from './CallResultView.js';
import { defaultArguments, SchemaView } from './SchemaView.js';
import { StartedTasks } from './StartedTasks.js';

/** The view of a tool's last call, kept for the session from the moment it is sent: the view outlives a tab switch. */
interface ViewCall {
  callId: string;
  args: Record<string, unknown>;
  outcome: CallOutcome | null;
}

/** The editor's text as a call's arguments, or the sentence that says what is wrong with it. */
function parseArguments(text: string): { value: Record<string, unknown> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `The arguments are not valid JSON: ${(e as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { error: 'The arguments must be a JSON object, such as {"message": "hi"}.' };
  }
  return { value: parsed as Record<string, unknown> };
}

/** The hints a tool declared true, in words; a hint left out is not guessed (the protocol's defaults are not claims). */
const HINTS = [
  ['readOnlyHint', 'read-only'],
  ['destructiveHint', 'destructive'],
  ['idempotentHint', 'idempotent'],
  ['openWorldHint', 'open world'],
] as const;

export function ToolRunner({ serverId, tool }: { serverId: string; tool: ToolView }) {
  const [confirming, setConfirming] = useState(false);
  const destructive = tool.annotations?.destructiveHint === true;
  const hints = HINTS.filter(([key]) => tool.annotations?.[key] === true);
  const history = useCallHistory();
  const last = history.history(serverId)?.calls.get(tool.name);
  const started = (history.history(serverId)?.tasks ?? []).filter((t) => t.label === tool.name);
  const [args, setArgs] = useState(() => last?.args ?? JSON.stringify(defaultArguments(tool.inputSchema), null, 2));
  const [argsError, setArgsError] = useState<string | null>(null);
  const [callId, setCallId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const outcome = callId === null ? (last?.outcome ?? null) : null;
  const [viewCall, setViewCall] = useSessionState<ViewCall | null>(`tool-view:${serverId}:${tool.name}`, null);
  const views = useAppViews();
  const viewOutcome = viewCall?.outcome ?? null;
  const starting = useAction(async (parsed: Record<string, unknown>) =>
    history.started(serverId, await call('tasks:start', { serverId, name: tool.name, arguments: parsed })),
  );
  const asTask = tool.taskSupport === 'optional' || tool.taskSupport === 'required';
  const callable = tool.taskSupport !== 'required';

  const readArguments = (): Record<string, unknown> | null => {
    const parsed = parseArguments(args);
    setArgsError('error' in parsed ? parsed.error : null);
    return 'value' in parsed ? parsed.value : null;
  };

  const run = async () => {
    const parsed = readArguments();
    if (!parsed) return;
    const id = randomId();
    const text = args;
    setCallId(id);
    setProgress(null);
    // One view per call: the last call's view makes way for this one's.
    if (viewCall) views.release(`call:${viewCall.callId}`);
    setViewCall({ callId: id, args: parsed, outcome: null });
    const at = new Date().toISOString();
    const settle = (ended: CallOutcome) => {
      history.record(serverId, { tool: tool.name, args: text, at, outcome: ended });
      setViewCall((v) => (v?.callId === id ? { ...v, outcome: ended } : v));
    };
    // Subscribed before the call is sent, so no progress is missed.
    const off = subscribe('calls:changed', (p) => p.callId === id && setProgress(p));
    try {
      settle({ result: await call('tools:call', { serverId, name: tool.name, arguments: parsed, callId: id }) });
    } catch (e) {
      settle({ error: toHostError(e) });
    } finally {
      off();
      setCallId(null);
    }
  };
  // A call that ended meanwhile has nothing to cancel; its result arrives anyway.
  const cancel = () => callId && void call('tools:cancel', { callId }).catch(() => undefined);

  const runAsTask = () => {
    const parsed = readArguments();
    if (!parsed) return;
    // Before anything is awaited: a browser asks for notification permission only while handling the click.
    askToNotify();
    void starting.run(parsed);
  };

  return (
    <div className="runner">
      <header className="runner-header">
        <h2 className="runner-title mono-text">{tool.name}</h2>
        {tool.title && tool.title !== tool.name && <span className="muted">{tool.title}</span>}
      </header>
      {hints.length > 0 && (
        <ul className="tool-hints" aria-label="What the tool says of itself">
          {hints.map(([key, word]) => (
            <li key={key} className={`hint hint-${key}`}>
              {word}
            </li>
          ))}
        </ul>
      )}
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
        {callable && (
          <button type="button" className="btn btn-primary" disabled={callId !== null} onClick={() => (destructive ? setConfirming(true) : void run())}>
            <Play size={14} aria-hidden /> Call
          </button>
        )}
        {asTask && (
          <button type="button" className={callable ? 'btn' : 'btn btn-primary'} disabled={starting.pending} onClick={runAsTask}>
            <ListChecks size={14} aria-hidden /> {starting.pending ? 'Starting…' : 'Run as task'}
          </button>
        )}
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
      {!callable && <p className="muted">This tool runs only as a task: it goes on in the background, and the task center follows it.</p>}
      {starting.error && (
        <p className="inline-error" role="alert">
          Steward could not start the task: {starting.error.message}
        </p>
      )}
      {progress && callId !== null && progress.total !== undefined && (
        <progress className="progress" value={progress.progress} max={progress.total} aria-label="Progress of the call" />
      )}
      {viewCall && tool.ui?.resourceUri && (
        <AppView
          key={viewCall.callId}
          viewKey={`call:${viewCall.callId}`}
          serverId={serverId}
          tool={tool}
          input={viewCall.args}
          result={viewOutcome && 'result' in viewOutcome ? viewOutcome.result : null}
          cancelled={viewOutcome && 'error' in viewOutcome ? viewOutcome.error.message : null}
        />
      )}
      {last && outcome && (
        <p className="muted call-when">
          Last call, at <time dateTime={last.at}>{formatClock(last.at)}</time>
        </p>
      )}
      {outcome && 'result' in outcome && <CallResultView serverId={serverId} result={outcome.result} outputSchema={tool.outputSchema} />}
      {outcome && 'error' in outcome && <ErrorNote title={outcome.error.code === 'cancelled' ? 'Cancelled.' : 'The call failed.'} error={outcome.error} />}
      <StartedTasks tasks={started} />
      {confirming && (
        <ConfirmDialog
          title={`Call “${tool.name}”?`}
          confirmLabel="Call it"
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            return run();
          }}
        >
          The server says this tool is destructive: it may delete or overwrite things.
        </ConfirmDialog>
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
