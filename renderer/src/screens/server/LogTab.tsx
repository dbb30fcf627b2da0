// A server's log, live: the newest page first loaded, new lines appended as they are written, older ones on request.
import { useEffect, useState } from 'react';
import type { LogLine, ServerView } from '../../../../shared/domain/servers.js';
import { LogView } from '../../components/LogView.js';
import { ErrorNote, Loading } from '../../components/States.js';
import { call, subscribe } from '../../lib/steward.js';
import { useAction } from '../../lib/use-action.js';
import { toHostError, type Loaded } from '../../lib/use-load.js';

const PAGE = 500;
/** Lines kept on screen; older ones can be loaded again. */
const KEEP = 20_000;

/** Lines newer than the last one shown (a page and live events overlap). */
function appendNew(shown: LogLine[], incoming: LogLine[]): LogLine[] {
  const last = shown.at(-1)?.id ?? 0;
  const fresh = incoming.filter((l) => l.id > last);
  if (fresh.length === 0) return shown;
  const next = [...shown, ...fresh];
  return next.length > KEEP ? next.slice(next.length - KEEP) : next;
}

export function LogTab({ server }: { server: ServerView }) {
  const [lines, setLines] = useState<Loaded<LogLine[]>>({ state: 'loading' });
  const [hasOlder, setHasOlder] = useState(false);
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    let live = true;
    let buffered: LogLine[] | null = [];
    const off = subscribe('logs:changed', ({ serverId, lines: incoming }) => {
      if (serverId !== server.id) return;
      if (buffered) buffered.push(...incoming);
      else setLines((prev) => (prev.state === 'ready' ? { state: 'ready', data: appendNew(prev.data, incoming) } : prev));
    });
    call('servers:logs', { serverId: server.id, limit: PAGE }).then(
      (page) => {
        if (!live) return;
        setLines({ state: 'ready', data: appendNew([...page].reverse(), buffered ?? []) });
        setHasOlder(page.length === PAGE);
        buffered = null;
      },
      (error: unknown) => live && setLines({ state: 'error', error: toHostError(error) }),
    );
    return () => {
      live = false;
      off();
    };
  }, [server.id, epoch]);

  const older = useAction(async () => {
    if (lines.state !== 'ready') return;
    const first = lines.data[0];
    const page = await call('servers:logs', { serverId: server.id, limit: PAGE, ...(first ? { beforeId: first.id } : {}) });
    setHasOlder(page.length === PAGE);
    setLines((prev) => (prev.state === 'ready' ? { state: 'ready', data: [...[...page].reverse(), ...prev.data] } : prev));
  });

  if (lines.state === 'loading') return <Loading label="Loading the log…" />;
  if (lines.state === 'error') return <ErrorNote title="Steward could not read the log." error={lines.error} onRetry={() => setEpoch((e) => e + 1)} />;
  return (
    <div className="log-tab">
      <div className="toolbar">
        <span className="muted">
          {lines.data.length === 0
            ? 'Nothing logged yet. Lines the server writes to stderr, its protocol log messages and Steward’s notes appear here.'
            : `${lines.data.length} lines, newest at the bottom`}
        </span>
        {hasOlder && (
          <button type="button" className="btn btn-small" disabled={older.pending} onClick={() => void older.run()}>
            {older.pending ? 'Loading…' : 'Load older lines'}
          </button>
        )}
        {older.error && <span className="inline-error">{older.error.message}</span>}
      </div>
      <LogView lines={lines.data} />
    </div>
  );
}
