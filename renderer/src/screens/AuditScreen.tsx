// The audit record: what happened, to which server, and who decided it; filtered by server and kind, paged back in
// time, and exported as JSON lines with the same filters.
import { Download, ScrollText } from 'lucide-react';
import { useEffect, useState } from 'react';
import { AUDIT_KINDS, type AuditEvent, type AuditKind } from '../../../shared/domain/audit.js';
import { Field } from '../components/Field.js';
import { NextPage, RefreshButton, ServerFilter } from '../components/ListControls.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { EmptyState, ErrorNote, Loading } from '../components/States.js';
import { downloadText } from '../lib/download.js';
import { formatDateTime, plural } from '../lib/format.js';
import { useHostState } from '../lib/host-state.js';
import { href } from '../lib/router.js';
import { call } from '../lib/steward.js';
import { useAction } from '../lib/use-action.js';
import { toHostError, type Loaded } from '../lib/use-load.js';
import './records.css';

const PAGE = 100;

const KIND_TONE: Partial<Record<AuditKind, string>> = {
  'consent.denied': 'danger',
  'server.crashed': 'danger',
  'sandbox.disabled': 'danger',
  'consent.approved': 'ok',
  'server.launched': 'ok',
  'sampling.denied': 'danger',
  'sampling.failed': 'danger',
  'sampling.approved': 'ok',
  'sampling.replied': 'ok',
  'sampling.policy': 'warning',
  'models.settings': 'warning',
};

/** Sampling entries name the loop they belong to, task entries their task: either is one click away. */
function linkOf(e: AuditEvent): { href: string; label: string } | null {
  if (e.kind.startsWith('sampling.') && typeof e.data.loopId === 'string') return { href: href('loops', e.data.loopId), label: 'View loop' };
  if (e.kind.startsWith('task.') && typeof e.data.taskId === 'string') return { href: href('tasks', e.data.taskId), label: 'View task' };
  return null;
}

function exportName(serverName: string | undefined, kind: string): string {
  const parts = ['steward-audit', new Date().toISOString().slice(0, 10), serverName, kind || undefined];
  return `${parts
    .filter(Boolean)
    .join('-')
    .replace(/[^\w.-]+/g, '_')}.jsonl`;
}

export function AuditScreen() {
  const { servers } = useHostState();
  const [serverId, setServerId] = useState('');
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [events, setEvents] = useState<Loaded<AuditEvent[]>>({ state: 'loading' });
  const [hasOlder, setHasOlder] = useState(false);
  const [epoch, setEpoch] = useState(0);
  const [exported, setExported] = useState<number | null>(null);
  const filter = { ...(serverId ? { serverId } : {}), ...(kind ? { kind } : {}) };

  useEffect(() => {
    let live = true;
    setEvents({ state: 'loading' });
    setExported(null);
    call('audit:list', { ...filter, limit: PAGE }).then(
      (page) => {
        if (!live) return;
        setEvents({ state: 'ready', data: page });
        setHasOlder(page.length === PAGE);
      },
      (error: unknown) => live && setEvents({ state: 'error', error: toHostError(error) }),
    );
    return () => {
      live = false;
    };
  }, [serverId, kind, epoch]);

  const older = useAction(async () => {
    if (events.state !== 'ready') return;
    const last = events.data.at(-1);
    const page = await call('audit:list', { ...filter, limit: PAGE, ...(last ? { beforeId: last.id } : {}) });
    setHasOlder(page.length === PAGE);
    setEvents((prev) => (prev.state === 'ready' ? { state: 'ready', data: [...prev.data, ...page] } : prev));
  });
  const exporter = useAction(async () => {
    setExported(null);
    // Page by page: the host never holds the whole record at once, and the file is made from the pages as they are.
    const parts: string[] = [];
    let count = 0;
    for (let afterId: number | null = 0; afterId !== null;) {
      const page: { jsonl: string; count: number; next: number | null } = await call('audit:export', { ...filter, afterId });
      parts.push(page.jsonl);
      count += page.count;
      afterId = page.next;
    }
    const serverName = servers.state === 'ready' ? servers.data.find((s) => s.id === serverId)?.name : undefined;
    downloadText(exportName(serverName, kind), parts, 'application/x-ndjson');
    setExported(count);
  });

  return (
    <>
      <ScreenHeader
        title="Audit"
        subtitle="What happened, to which server, and who decided it"
        actions={
          <>
            <RefreshButton onClick={() => setEpoch((e) => e + 1)} />
            <button type="button" className="btn" disabled={exporter.pending} onClick={() => void exporter.run()}>
              <Download size={14} aria-hidden /> {exporter.pending ? 'Exporting…' : 'Export (JSON lines)'}
            </button>
          </>
        }
      />
      <div className="toolbar filters">
        <ServerFilter value={serverId} onChange={setServerId} />
        <Field label="Kind">
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')}>
            <option value="">All kinds</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
        <span className="filters-note" role="status">
          {exporter.error && <span className="inline-error">{exporter.error.message}</span>}
          {exported !== null && !exporter.error && `Exported ${plural(exported, 'entry', 'entries')}${serverId || kind ? ' matching these filters' : ''}.`}
        </span>
      </div>
      <div className="screen-body">
        {events.state === 'loading' && <Loading label="Loading the audit record…" />}
        {events.state === 'error' && <ErrorNote title="Steward could not read the audit record." error={events.error} onRetry={() => setEpoch((e) => e + 1)} />}
        {events.state === 'ready' && events.data.length === 0 && (
          <EmptyState icon={ScrollText} title={serverId || kind ? 'Nothing matches these filters' : 'Nothing recorded yet'}>
            Launches, approvals, tool calls and setting changes are recorded here as they happen.
          </EmptyState>
        )}
        {events.state === 'ready' && events.data.length > 0 && (
          <>
            <table className="table audit-table">
              <thead>
                <tr>
                  <th className="col-time">Time</th>
                  <th className="col-kind">Kind</th>
                  <th className="col-server">Server</th>
                  <th className="col-actor">Actor</th>
                  <th>Summary</th>
                </tr>
              </thead>
              <tbody>
                {events.data.map((e) => (
                  <tr key={e.id} data-kind={e.kind}>
                    <td className="col-time num">
                      <time dateTime={e.ts}>{formatDateTime(e.ts)}</time>
                    </td>
                    <td className="col-kind">
                      <span className={KIND_TONE[e.kind] ? `tag tag-${KIND_TONE[e.kind]}` : 'tag'}>{e.kind}</span>
                    </td>
                    <td className="col-server">{e.serverName ?? <span className="muted">—</span>}</td>
                    <td className="col-actor">{e.actor}</td>
                    <td className="audit-summary">
                      <div className="audit-summary-line">
                        <span>{e.summary}</span>
                        <AuditLink event={e} />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <NextPage
              action={older}
              more={hasOlder}
              label="Load older"
              end={<>That is the beginning of the record{serverId || kind ? ' for these filters' : ''}.</>}
            />
          </>
        )}
      </div>
    </>
  );
}

function AuditLink({ event }: { event: AuditEvent }) {
  const link = linkOf(event);
  return link ? (
    <a className="audit-link" href={link.href}>
      {link.label}
    </a>
  ) : null;
}
