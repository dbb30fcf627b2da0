// What is waiting for the user: launch approvals now, one queue for every kind of request.
import { Inbox, ShieldAlert } from 'lucide-react';
import type { InboxItem } from '../../../shared/domain/inbox.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { EmptyState, ErrorNote, Loading } from '../components/States.js';
import { useConsent } from '../lib/consent-context.js';
import { formatAgo, formatDateTime, plural } from '../lib/format.js';
import { useHostState } from '../lib/host-state.js';
import { useNow } from '../lib/use-now.js';
import './records.css';

export function InboxScreen() {
  const { inbox, servers, reload } = useHostState();
  return (
    <>
      <ScreenHeader title="Inbox" subtitle={inbox.length > 0 ? `${plural(inbox.length, 'request')} waiting for your answer` : 'Requests from servers that need your answer'} />
      <div className="screen-body">
        {servers.state === 'loading' && <Loading label="Loading the inbox…" />}
        {servers.state === 'error' && <ErrorNote title="Steward could not load the inbox." error={servers.error} onRetry={reload} />}
        {servers.state === 'ready' && inbox.length === 0 && (
          <EmptyState icon={Inbox} title="Nothing waiting for you">
            When a server asks for something — permission to run, a question, a model call — it shows up here.
          </EmptyState>
        )}
        {servers.state === 'ready' && inbox.length > 0 && (
          <ul className="inbox-list">
            {inbox.map((item) => (
              <InboxRow key={item.id} item={item} />
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

function InboxRow({ item }: { item: InboxItem }) {
  const { openConsent } = useConsent();
  const now = useNow();
  const { findings, commandLine } = item.request;
  const dangers = findings.filter((f) => f.severity === 'danger').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return (
    <li className="inbox-item" data-server={item.serverName}>
      <ShieldAlert size={18} aria-hidden className="inbox-icon" />
      <div className="inbox-main">
        <div className="inbox-title">
          <span>
            <strong>“{item.serverName}”</strong> asks to run a program on this computer
          </span>
          {item.request.changedSince && <span className="tag tag-warning">launch changed</span>}
        </div>
        <code className="inbox-command" title={commandLine}>
          {commandLine}
        </code>
        <div className="inbox-meta">
          <time dateTime={item.createdAt} title={formatDateTime(item.createdAt)}>
            {formatAgo(item.createdAt, now)}
          </time>
          {dangers > 0 && <span className="tag tag-danger">{plural(dangers, 'serious finding')}</span>}
          {warnings > 0 && <span className="tag tag-warning">{plural(warnings, 'warning')}</span>}
        </div>
      </div>
      <button type="button" className="btn btn-primary" onClick={() => openConsent(item.serverId)} aria-label={`Open the request from ${item.serverName}`}>
        Open
      </button>
    </li>
  );
}
