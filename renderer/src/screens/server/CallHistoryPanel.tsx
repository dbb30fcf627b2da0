// A tool's past calls on this server, newest first, as Steward keeps them: when, how long, as a task or not, how it
// ended; each can fill the form again, be copied as JSON, or be opened to its result.
import { Copy, History, RotateCcw } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { ToolCallRecord } from '../../../../shared/domain/tool-calls.js';
import { ErrorNote, Loading } from '../../components/States.js';
import { formatBytes, formatClock, formatDateTime, formatMs, toJson } from '../../lib/format.js';
import { call, subscribe } from '../../lib/steward.js';
import { useLoad } from '../../lib/use-load.js';
import { CallResultView } from './CallResultView.js';

const SHOWN = 20;

interface Props {
  serverId: string;
  tool: string;
  outputSchema: Record<string, unknown> | undefined;
  onRerun: (args: Record<string, unknown>) => void;
}

export function CallHistoryPanel({ serverId, tool, outputSchema, onRerun }: Props) {
  const [changes, setChanges] = useState(0);
  useEffect(() => subscribe('tools:called', (e) => e.serverId === serverId && setChanges((n) => n + 1)), [serverId]);
  const [calls, reload] = useLoad(() => call('tools:history', { serverId, tool, limit: SHOWN }), [serverId, tool, changes]);
  const [copied, setCopied] = useState<number | null>(null);

  const copy = (c: ToolCallRecord) => {
    const text = toJson({ tool: c.tool, arguments: c.arguments, result: c.result, error: c.error, at: c.at, durationMs: c.durationMs, asTask: c.asTask });
    void navigator.clipboard.writeText(text).then(() => setCopied(c.id));
  };

  return (
    <section className="call-history" aria-label="Call history">
      <h3 className="result-title">
        <History size={14} aria-hidden /> History
      </h3>
      {calls.state === 'loading' && <Loading label="Loading the call history…" />}
      {calls.state === 'error' && <ErrorNote title="Steward could not read the call history." error={calls.error} onRetry={reload} />}
      {calls.state === 'ready' && calls.data.length === 0 && <p className="muted">No calls of this tool yet.</p>}
      {calls.state === 'ready' && calls.data.length > 0 && (
        <ol className="call-history-list">
          {calls.data.map((c) => (
            <li key={c.id} className="call-history-item" data-outcome={c.error ? 'error' : c.result?.isError ? 'tool-error' : 'ok'}>
              <details>
                <summary>
                  <time dateTime={c.at} title={formatDateTime(c.at)}>
                    {formatClock(c.at)}
                  </time>{' '}
                  · {outcomeWords(c)} · {formatMs(c.durationMs)}
                  {c.asTask ? ' · as a task' : ''}
                </summary>
                <p className="field-label">Arguments</p>
                {c.arguments ? <pre className="code-block">{toJson(c.arguments)}</pre> : <p className="muted">Too large to keep.</p>}
                {c.result && <CallResultView serverId={serverId} result={c.result} outputSchema={outputSchema} />}
                {!c.result && !c.error && <p className="muted">The result ({formatBytes(c.resultBytes)}) was too large to keep.</p>}
                {c.error && (
                  <p className="inline-error">
                    {c.error.message} <span className="mono-text">({c.error.code})</span>
                  </p>
                )}
              </details>
              <div className="call-history-actions">
                <button type="button" className="btn btn-small" disabled={!c.arguments} onClick={() => c.arguments && onRerun(c.arguments)}>
                  <RotateCcw size={12} aria-hidden /> Fill the form
                </button>
                <button type="button" className="btn btn-small" onClick={() => copy(c)}>
                  <Copy size={12} aria-hidden /> {copied === c.id ? 'Copied' : 'Copy'}
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function outcomeWords(c: ToolCallRecord): string {
  if (c.error) return c.error.code === 'cancelled' ? 'cancelled' : 'failed';
  return c.result?.isError ? 'the tool reported an error' : 'ok';
}
