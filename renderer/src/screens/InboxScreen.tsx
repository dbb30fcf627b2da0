// What is waiting for the user, one queue for every kind of request: launch approvals, model calls, replies to review,
// forms to fill, pages to open and sign-ins.
import { ClipboardPen, ExternalLink, Hourglass, Inbox, LogIn, MessageSquareReply, ShieldAlert, Sparkles } from 'lucide-react';
import type { ReactNode } from 'react';
import type { InboxItem } from '../../../shared/domain/inbox.js';
import { visibleText } from '../../../shared/visible-text.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { EmptyState, ErrorNote, Loading } from '../components/States.js';
import { pageOf, type SignInItem } from '../lib/auth-words.js';
import { useConsent } from '../lib/consent-context.js';
import { useElicitationDialog } from '../lib/elicitation-context.js';
import type { FormItem, UrlItem } from '../lib/elicitation-words.js';
import { formatAgo, formatDateTime, formatNumber, ownerWords, plural } from '../lib/format.js';
import { useHostState } from '../lib/host-state.js';
import { useSamplingDialog } from '../lib/sampling-context.js';
import { useSignInDialog } from '../lib/sign-in-context.js';
import { isBudgetReason, type ReviewItem, type SamplingItem } from '../lib/sampling-words.js';
import { useNow } from '../lib/use-now.js';
import './records.css';

export function InboxScreen() {
  const { inbox, servers, reload } = useHostState();
  return (
    <>
      <ScreenHeader
        title="Inbox"
        subtitle={inbox.length > 0 ? `${plural(inbox.length, 'request')} waiting for your answer` : 'Requests from servers that need your answer'}
      />
      <div className="screen-body">
        {servers.state === 'loading' && <Loading label="Loading the inbox…" />}
        {servers.state === 'error' && <ErrorNote title="Steward could not load the inbox." error={servers.error} onRetry={reload} />}
        {servers.state === 'ready' && inbox.length === 0 && (
          <EmptyState icon={Inbox} title="Nothing waiting for you">
            When a server asks for something — permission to run, a question, a model call — it shows up here.
          </EmptyState>
        )}
        {servers.state === 'ready' && inbox.length > 0 && (
          <ul className="inbox-list plain-list vstack">
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
  switch (item.kind) {
    case 'consent':
      return <ConsentRow item={item} />;
    case 'sampling':
      return <SamplingRow item={item} />;
    case 'sampling_review':
      return <ReviewRow item={item} />;
    case 'elicitation':
      return <FormRow item={item} />;
    case 'elicitation_url':
      return <PageRow item={item} />;
    case 'auth':
      return <SignInRow item={item} />;
  }
}

function Row({ item, icon, title, onOpen, children }: { item: InboxItem; icon: ReactNode; title: ReactNode; onOpen: () => void; children?: ReactNode }) {
  const now = useNow();
  return (
    <li className="inbox-item card" data-server={item.serverName} data-kind={item.kind}>
      {icon}
      <div className="inbox-main">
        <div className="inbox-title">{title}</div>
        {children}
        <div className="inbox-meta">
          <time dateTime={item.createdAt} title={formatDateTime(item.createdAt)}>
            {formatAgo(item.createdAt, now)}
          </time>
          {(item.kind === 'sampling' || item.kind === 'sampling_review') && <SamplingMeta item={item} />}
          {item.kind === 'consent' && <ConsentMeta item={item} />}
          {item.elsewhere && <span className="inbox-elsewhere">asked in {ownerWords(item.elsewhere)}; your answer goes there</span>}
        </div>
      </div>
      <button type="button" className="btn btn-primary" onClick={onOpen} aria-label={`Open the request from ${item.serverName}`}>
        Open
      </button>
    </li>
  );
}

function ConsentRow({ item }: { item: Extract<InboxItem, { kind: 'consent' }> }) {
  const { openConsent } = useConsent();
  const { commandLine, changedSince } = item.request;
  return (
    <Row
      item={item}
      icon={<ShieldAlert size={18} aria-hidden className="inbox-icon" />}
      title={
        <>
          <span>
            <strong>“{item.serverName}”</strong> asks to run a program on this computer
          </span>
          {changedSince && <span className="tag tag-warning">launch changed</span>}
        </>
      }
      onOpen={() => openConsent(item.serverId)}
    >
      <code className="inbox-command" title={commandLine}>
        {commandLine}
      </code>
    </Row>
  );
}

function ConsentMeta({ item }: { item: Extract<InboxItem, { kind: 'consent' }> }) {
  const dangers = item.request.findings.filter((f) => f.severity === 'danger').length;
  const warnings = item.request.findings.filter((f) => f.severity === 'warning').length;
  return (
    <>
      {dangers > 0 && <span className="tag tag-danger">{plural(dangers, 'serious finding')}</span>}
      {warnings > 0 && <span className="tag tag-warning">{plural(warnings, 'warning')}</span>}
    </>
  );
}

function SamplingMeta({ item }: { item: SamplingItem | ReviewItem }) {
  const r = item.request;
  return (
    <>
      <span className="meta-item">
        {r.toolCall ? (
          <>
            tool call <code className="code-tag">{r.toolCall.name}</code>,{' '}
          </>
        ) : null}
        round {r.round}
      </span>
      <span className="meta-item">
        model <code className="mono-text">{item.kind === 'sampling_review' ? item.reply.model : (r.model ?? 'none')}</code>
      </span>
    </>
  );
}

function SamplingRow({ item }: { item: SamplingItem }) {
  const { openSampling } = useSamplingDialog();
  const r = item.request;
  return (
    <Row
      item={item}
      icon={<Sparkles size={18} aria-hidden className="inbox-icon" />}
      title={
        <>
          <span>
            <strong>“{item.serverName}”</strong> asks to use your model
          </span>
          {r.noKey && <span className="tag tag-warning">no key: reply by hand</span>}
        </>
      }
      onOpen={() => openSampling(item.id)}
    >
      <ul className="inbox-reasons" aria-label="Why Steward is asking">
        {r.askReasons.map((reason) => (
          <li key={reason.code} className={isBudgetReason(reason) ? 'reason-budget' : undefined}>
            {isBudgetReason(reason) && <strong>Over budget: </strong>}
            {reason.message}
          </li>
        ))}
      </ul>
    </Row>
  );
}

function ReviewRow({ item }: { item: ReviewItem }) {
  const { openSampling } = useSamplingDialog();
  return (
    <Row
      item={item}
      icon={<MessageSquareReply size={18} aria-hidden className="inbox-icon" />}
      title={
        <span>
          A reply for <strong>“{item.serverName}”</strong> waits for your review before it is sent
        </span>
      }
      onOpen={() => openSampling(item.id)}
    >
      <span className="muted">
        {formatNumber(item.reply.inputTokens)} tokens in · {formatNumber(item.reply.outputTokens)} out
      </span>
    </Row>
  );
}

function FormRow({ item }: { item: FormItem }) {
  const { openElicitation } = useElicitationDialog();
  const { fields, message, relatedTask } = item.request;
  return (
    <Row
      item={item}
      icon={<ClipboardPen size={18} aria-hidden className="inbox-icon" />}
      title={
        <>
          <span>
            <strong>“{item.serverName}”</strong> asks you to fill in a form
          </span>
          {fields.some((f) => f.secretLike) && <span className="tag tag-warning">asks for something secret-looking</span>}
        </>
      }
      onOpen={() => openElicitation(item.id)}
    >
      <span className="inbox-command" title={message}>
        {message}
      </span>
      <span className="muted">
        {plural(fields.length, 'field')}
        {relatedTask ? ` · for the task ${relatedTask.label}` : ''}
      </span>
    </Row>
  );
}

function PageRow({ item }: { item: UrlItem }) {
  const { openElicitation } = useElicitationDialog();
  const { verdict, stage, retryTool, url } = item.request;
  const host = verdict.host || 'a page';
  return (
    <Row
      item={item}
      icon={stage === 'waiting' ? <Hourglass size={18} aria-hidden className="inbox-icon" /> : <ExternalLink size={18} aria-hidden className="inbox-icon" />}
      title={
        <>
          <span>
            {stage === 'waiting' ? (
              <>
                Waiting for {host}: <strong>“{item.serverName}”</strong> will say when you’re done
              </>
            ) : (
              <>
                <strong>“{item.serverName}”</strong> asks you to open a page on {host}
              </>
            )}
          </span>
          {!verdict.allowed && <span className="tag tag-danger">Steward won’t open it</span>}
          {verdict.warnings.length > 0 && <span className="tag tag-warning">{plural(verdict.warnings.length, 'warning')}</span>}
        </>
      }
      onOpen={() => openElicitation(item.id)}
    >
      <code className="inbox-command" title={url}>
        {verdict.display}
      </code>
      {retryTool && (
        <span className="muted">
          <code className="code-tag">{retryTool}</code> will be tried again once the page is done
        </span>
      )}
    </Row>
  );
}

function SignInRow({ item }: { item: SignInItem }) {
  const { openSignIn } = useSignInDialog();
  const { verdict, stage, reason, scopes, authorizationUrl } = item.request;
  const host = verdict.host || 'its authorization server';
  return (
    <Row
      item={item}
      icon={stage === 'waiting' ? <Hourglass size={18} aria-hidden className="inbox-icon" /> : <LogIn size={18} aria-hidden className="inbox-icon" />}
      title={
        <>
          <span>
            {stage === 'waiting' ? (
              <>
                Waiting for you to finish signing in to <strong>“{item.serverName}”</strong> at {host}
              </>
            ) : (
              <>
                <strong>“{item.serverName}”</strong> asks you to sign in at {host}
              </>
            )}
          </span>
          {reason === 'step_up' && <span className="tag tag-warning">more access</span>}
          {!verdict.allowed && <span className="tag tag-danger">Steward won’t open it</span>}
          {verdict.warnings.length > 0 && <span className="tag tag-warning">{plural(verdict.warnings.length, 'warning')}</span>}
        </>
      }
      onOpen={() => openSignIn(item.id)}
    >
      <code className="inbox-command" title={authorizationUrl}>
        {pageOf(verdict.display)}
      </code>
      {scopes.length > 0 && <span className="muted">asks for {visibleText(scopes.join(' '))}</span>}
    </Row>
  );
}
