// The JSON-RPC messages with a server, newest last: filtered by method, each answer next to the time its request took,
// any message opened to its full text (as the server sent it, shown as text). And the server's log level.
import { ArrowDownLeft, ArrowUpRight } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { LogLevelSchema, type LogLevel, type WireMessage } from '../../../../shared/domain/workbench.js';
import { Field } from '../../components/Field.js';
import { ErrorNote } from '../../components/States.js';
import { formatClock } from '../../lib/format.js';
import { call } from '../../lib/steward.js';
import { useAction } from '../../lib/use-action.js';
import { useLoad } from '../../lib/use-load.js';
import './server-tabs.css';

const KEEP = 1000;
const POLL_MS = 1000;

export function WireTab({ server }: { server: ServerView }) {
  const [filter, setFilter] = useState('');
  const [messages, setMessages] = useState<WireMessage[]>([]);
  const last = useRef(0);
  useEffect(() => {
    let live = true;
    last.current = 0;
    setMessages([]);
    const fetchNew = () =>
      call('servers:wire', { serverId: server.id, afterSeq: last.current, ...(filter.trim() ? { method: filter.trim() } : {}) })
        .then((page) => {
          if (!live || page.messages.length === 0) return;
          last.current = page.messages.at(-1)?.seq ?? last.current;
          setMessages((before) => [...before, ...page.messages].slice(-KEEP));
        })
        .catch(() => undefined);
    void fetchNew();
    const timer = setInterval(() => void fetchNew(), POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [server.id, filter]);

  return (
    <div className="wire">
      <div className="wire-controls">
        <Field label="Method" hint="Only messages whose method starts with this, e.g. tools/ or resources/read.">
          <input className="input mono" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="all methods" />
        </Field>
        {server.status === 'running' && <LogLevel serverId={server.id} />}
      </div>
      {messages.length === 0 ? (
        <p className="muted">No messages{filter ? ` for “${filter}”` : ''} yet in this window’s host.</p>
      ) : (
        <ol className="wire-list" aria-label="JSON-RPC messages">
          {messages.map((m) => (
            <WireRow key={m.seq} message={m} />
          ))}
        </ol>
      )}
    </div>
  );
}

function WireRow({ message: m }: { message: WireMessage }) {
  const arrow = m.direction === 'out' ? <ArrowUpRight size={12} aria-label="to the server" /> : <ArrowDownLeft size={12} aria-label="from the server" />;
  return (
    <li className={`wire-row wire-${m.kind}`} data-kind={m.kind} data-direction={m.direction}>
      <details>
        <summary>
          <time dateTime={m.at}>{formatClock(m.at)}</time> {arrow} <span className="wire-kind">{m.kind}</span>{' '}
          <span className="mono-text">{m.method ?? '—'}</span>
          {m.id !== undefined && <span className="muted"> #{String(m.id)}</span>}
          {m.ms !== undefined && <span className="wire-ms"> {m.ms} ms</span>}
        </summary>
        <pre className="code-block">{m.text}</pre>
        {m.cut !== undefined && <p className="muted">{m.cut} more characters not kept.</p>}
      </details>
    </li>
  );
}

function LogLevel({ serverId }: { serverId: string }) {
  const [features] = useLoad(() => call('servers:features', { serverId }), [serverId]);
  const [level, setLevel] = useState<LogLevel>('info');
  const [done, setDone] = useState<LogLevel | null>(null);
  const setting = useAction(async (next: LogLevel) => {
    await call('servers:setLogLevel', { serverId, level: next });
    setDone(next);
  });
  if (features.state !== 'ready') return null;
  if (!features.data.logging) return <p className="muted">This server does not take a log level.</p>;
  return (
    <form
      className="wire-level"
      onSubmit={(e) => {
        e.preventDefault();
        void setting.run(level);
      }}
    >
      <Field label="Server log level">
        <select className="input" value={level} onChange={(e) => setLevel(LogLevelSchema.parse(e.target.value))}>
          {LogLevelSchema.options.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="btn" disabled={setting.pending}>
        Set level
      </button>
      <span role="status" className="muted">
        {done && !setting.pending ? `The server sends ${done} and above.` : ''}
      </span>
      {setting.error && <ErrorNote title="The server did not take the level." error={setting.error} />}
    </form>
  );
}
