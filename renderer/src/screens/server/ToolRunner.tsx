// Calling one tool: a form drawn from its input schema beside the same arguments as JSON, its hints, progress while
// it runs, Cancel, the result, and the server's history of its calls.
// A tool that supports tasks can also be run as one: it goes on in the background and the task center follows it.
// The last call's arguments and result, and the tasks started, stay with the server (call history), not with the tab.
import { ListChecks, LoaderCircle, Play, X } from 'lucide-react';
import { useMemo, useState } from 'react';
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
import { argumentsProblem, formProblems, initialValue, toolForm } from '../../lib/schema-form.js';
import { toJson } from '../../lib/format.js';
import { CallHistoryPanel } from './CallHistoryPanel.js';
import { ToolForm } from './ToolForm.js';
import { StartedTasks } from './StartedTasks.js';

/** The view of a tool's last call, kept for the session from the moment it is sent: the view outlives a tab switch. */
interface ViewCall {
  callId: string;
  args: Record<string, unknown>;
  outcome: CallOutcome | null;
}

/** The hints a tool declared, in words; a hint left out is not guessed (the protocol's defaults are not claims). */
const HINTS = [
  ['readOnlyHint', 'read-only', 'changes things'],
  ['destructiveHint', 'destructive', 'not destructive'],
  ['idempotentHint', 'idempotent', 'not idempotent'],
  ['openWorldHint', 'open world', 'closed world'],
] as const;

export function ToolRunner({ serverId, tool }: { serverId: string; tool: ToolView }) {
  const [confirming, setConfirming] = useState(false);
  const destructive = tool.annotations?.destructiveHint === true;
  const hints = HINTS.flatMap(([key, yes, no]) => {
    const said = tool.annotations?.[key];
    return typeof said === 'boolean' ? [{ key, said, word: said ? yes : no }] : [];
  });
  const history = useCallHistory();
  const last = history.history(serverId)?.calls.get(tool.name);
  const started = (history.history(serverId)?.tasks ?? []).filter((t) => t.label === tool.name);
  const form = useMemo(() => toolForm(tool.inputSchema), [tool.inputSchema]);
  const [args, setArgs] = useSessionState<Record<string, unknown>>(`tool-args:${serverId}:${tool.name}`, (initialValue(form) ?? {}) as Record<string, unknown>);
  const [json, setJson] = useSessionState(`tool-json:${serverId}:${tool.name}`, toJson(args));
  const badJson = argumentsProblem(json);
  const [showAll, setShowAll] = useState(false);
  const problems = formProblems(form, args);
  const problemCount = Object.keys(problems).length;
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

  /** The arguments when they can go: the JSON reads and the form finds nothing wrong; else the problems show. */
  const readArguments = (): Record<string, unknown> | null => {
    setShowAll(true);
    return badJson === null && problemCount === 0 ? args : null;
  };
  const edit = (value: Record<string, unknown>, text: string) => {
    setArgs(value);
    setJson(text);
  };
  const fill = (past: Record<string, unknown>) => {
    edit(past, toJson(past));
    setShowAll(false);
  };

  const run = async () => {
    const parsed = readArguments();
    if (!parsed) return;
    const id = randomId();
    const text = toJson(parsed);
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
        <div className="tool-hints-row">
          <span className="muted">The server says (hints, not guarantees):</span>
          <ul className="chips plain-list" aria-label="Hints from the server">
            {hints.map(({ key, said, word }) => (
              <li key={key} className={`hint hint-${key}`} data-said={said}>
                {word}
              </li>
            ))}
          </ul>
        </div>
      )}
      {tool.description && <p className="runner-description">{tool.description}</p>}
      <ToolForm form={form} value={args} json={json} onChange={edit} onJson={setJson} problems={problems} showAll={showAll} />
      <details className="disclosure">
        <summary>Input schema</summary>
        <pre className="code-block">{toJson(tool.inputSchema)}</pre>
      </details>
      {showAll && (problemCount > 0 || badJson) && (
        <p className="inline-error" role="alert">
          {badJson
            ? 'The arguments JSON must read before the call.'
            : `The form has ${problemCount === 1 ? 'a problem' : `${problemCount} problems`} to fix before the call.`}
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
      <CallHistoryPanel serverId={serverId} tool={tool.name} outputSchema={tool.outputSchema} onRerun={fill} />
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
