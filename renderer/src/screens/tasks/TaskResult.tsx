// A task's result, read one slice at a time: results can be tens of megabytes, so the page never holds more than
// one 64 KB slice of its JSON text. A result that fits in one slice is shown whole and pretty-printed.
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useState } from 'react';
import { CallResultSchema } from '../../../../shared/domain/mcp.js';
import { TASK_RESULT_PAGE, type TaskView } from '../../../../shared/domain/tasks.js';
import { ErrorNote, Loading, Notice } from '../../components/States.js';
import { formatBytes, formatNumber, toJson } from '../../lib/format.js';
import { call } from '../../lib/steward.js';
import { isTerminal } from '../../lib/task-words.js';
import { useLoad } from '../../lib/use-load.js';
import { CallResultView } from '../server/CallResultView.js';

/** In characters, as the host counts them (offsets and totals are the host's, never the page's own string lengths). */
const SLICE = TASK_RESULT_PAGE;

export function TaskResult({ task }: { task: TaskView }) {
  if (task.resultBytes === null) {
    return <p className="muted">{isTerminal(task.status) ? 'No result has been stored for this task.' : 'The result appears here once the task has ended.'}</p>;
  }
  // A result stored again (an error recorded after the fact) starts over from its first slice.
  return <ResultSlices key={task.resultBytes} serverId={task.serverId} taskId={task.id} bytes={task.resultBytes} cancelled={task.status === 'cancelled'} />;
}

function ResultSlices({ serverId, taskId, bytes, cancelled }: { serverId: string; taskId: string; bytes: number; cancelled: boolean }) {
  const [offset, setOffset] = useState(0);
  const [slice, reload] = useLoad(() => call('tasks:result', { taskId, offset, length: SLICE }), [taskId, offset]);

  if (slice.state === 'loading') return <Loading label="Loading the result…" />;
  if (slice.state === 'error') return <ErrorNote title="Steward could not read the result." error={slice.error} onRetry={reload} />;
  // The slice on screen, which stays there while the next one loads.
  const { text, total, offset: at } = slice.data;
  if (at === 0 && total <= SLICE) return <WholeResult serverId={serverId} text={text} cancelled={cancelled} />;

  const end = Math.min(at + SLICE, total);
  // Until the slice asked for arrives, the buttons wait: a second click counts from the slice asked for, not the one shown.
  const turning = at !== offset;
  const range = `Characters ${formatNumber(at + 1)}–${formatNumber(end)} of ${formatNumber(total)}`;
  return (
    <div className="result-slices">
      <p className="muted">The result is large ({formatBytes(bytes)}), so it is shown as raw JSON, one slice at a time.</p>
      <nav className="result-pager" aria-label="Result pages">
        <button type="button" className="btn btn-small" disabled={turning || offset === 0} onClick={() => setOffset((o) => Math.max(0, o - SLICE))}>
          <ChevronLeft size={14} aria-hidden /> Previous
        </button>
        <span className="result-range" role="status">
          {range}
        </span>
        <button type="button" className="btn btn-small" disabled={turning || end >= total} onClick={() => setOffset((o) => Math.min(o + SLICE, total))}>
          Next <ChevronRight size={14} aria-hidden />
        </button>
      </nav>
      <pre className="code-block result-slice" tabIndex={0} aria-label={`Result, ${range.toLowerCase()}`}>
        {text}
      </pre>
    </div>
  );
}

/**
 * A tool result reads as one (text as text, images as images); a stored error says so, except for a cancelled task,
 * whose "error" is only the server saying there is no result; anything else is JSON.
 */
function WholeResult({ serverId, text, cancelled }: { serverId: string; text: string; cancelled: boolean }) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return (
      <pre className="code-block" tabIndex={0} aria-label="Result">
        {text}
      </pre>
    );
  }
  const error = storedError(parsed);
  // The protocol leaves isError out when it is false.
  const result = CallResultSchema.safeParse(parsed && typeof parsed === 'object' ? { isError: false, ...parsed } : parsed);
  return (
    <div className="result-whole">
      {error && cancelled && <p className="muted">Cancelled, so there is no result. The server said: {error.message}</p>}
      {error && !cancelled && (
        <Notice tone="danger">
          The server answered with an error: {error.message} {error.code !== null && <span className="code-tag">{error.code}</span>}
        </Notice>
      )}
      {!error && result.success && <CallResultView serverId={serverId} result={result.data} />}
      {!error && !result.success && (
        <pre className="code-block" tabIndex={0} aria-label="Result">
          {toJson(parsed)}
        </pre>
      )}
      {(error || result.success) && (
        <details className="disclosure">
          <summary>Raw JSON</summary>
          <pre className="code-block" tabIndex={0} aria-label="Raw result">
            {toJson(parsed)}
          </pre>
        </details>
      )}
    </div>
  );
}

/** A task that failed keeps the JSON-RPC error the server answered tasks/result with. */
function storedError(value: unknown): { code: number | null; message: string } | null {
  if (!value || typeof value !== 'object' || !('error' in value)) return null;
  const error = value.error;
  if (!error || typeof error !== 'object') return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code: typeof code === 'number' ? code : null, message: typeof message === 'string' ? message : 'no message' };
}
