// A server asks the user to open a page in their own browser. The address is shown whole as text (never a link, never
// fetched or previewed), its host stands out, and the URL gate's warnings and refusals are spelled out. Once opened,
// the same dialog waits for the server to say the page is done, and says so when it does.
import { CircleCheck } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { InboxDecision } from '../../../shared/domain/inbox.js';
import type { UrlItem } from '../lib/elicitation-words.js';
import { formatClock } from '../lib/format.js';
import { call, subscribe } from '../lib/steward.js';
import { useAnswer } from '../lib/use-answer.js';
import type { QueuedDialogProps } from '../lib/use-dialog-queue.js';
import { RelatedTask, ServerMessage } from './ElicitationParts.js';
import { AnswerFooter, type Choice } from './AnswerFooter.js';
import { Modal, ModalBody } from './Modal.js';
import { Notice } from './States.js';
import { openingNote, UrlBlock, UrlVerdictNotices } from './UrlBlock.js';
import './elicitation.css';

type Action = Extract<InboxDecision, { kind: 'elicitation_url' }>['action'];

type Props = QueuedDialogProps<UrlItem>;

export function UrlElicitationDialog({ item, waiting, onClose }: Props) {
  const r = item.request;
  const host = r.verdict.host || 'the page';
  /** Opened from this dialog: the host asks again with an item that waits for the server, and the provider moves to it. */
  const [opened, setOpened] = useState(false);
  /** When the server said the page is done (its completion notification), if it has. */
  const [completedAt, setCompletedAt] = useState<string | null>(null);
  useEffect(
    () =>
      subscribe('elicitation:completed', (event) => {
        if (event.serverId === item.serverId && event.elicitationId === r.elicitationId) setCompletedAt(event.at);
      }),
    [item.serverId, r.elicitationId],
  );
  const { choice, decide, gone, answer } = useAnswer(waiting, async (action: Action) => {
    await call('inbox:decide', { itemId: item.id, decision: { kind: 'elicitation_url', action } });
    if (action !== 'open') onClose(true);
    else if (r.stage === 'consent') setOpened(true);
  });
  const retry = r.origin === 'required' && r.retryTool !== null;

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose(gone)}
      name="elicitation-url"
      size="large"
      title={r.stage === 'consent' ? <>“{item.serverName}” asks you to open a page</> : <>Waiting for {host}</>}
      description={
        r.stage === 'consent' ? (
          <>
            Nothing is opened until you choose. <strong>Open in browser</strong> hands this exact address to your default browser; <strong>Decline</strong>{' '}
            tells “{item.serverName}” you won’t open it{retry ? ' and cancels the call that needs it' : ''}; <strong>Cancel</strong> dismisses the question.
            Closing this dialog answers nothing: it stays in your Inbox.
          </>
        ) : (
          <>
            Waiting for {host} — “{item.serverName}” will say when you’re done. <strong>I’m done</strong> says so yourself; <strong>Dismiss</strong> stops
            waiting
            {retry ? ' and cancels the call that needs the page' : ''}. Closing this dialog keeps it in your Inbox.
          </>
        )
      }
    >
      <ModalBody>
        {completedAt !== null && (
          <Notice tone="info" icon={CircleCheck}>
            <span data-testid="elicitation-completed">
              “{item.serverName}” says the page is done (at <time dateTime={completedAt}>{formatClock(completedAt)}</time>)
              {retry ? <>; Steward tries the call again now.</> : '.'}
            </span>
          </Notice>
        )}
        {gone && !opened && completedAt === null && (
          <Notice tone="info">This page is no longer waited for: the server withdrew the request, or it was answered elsewhere.</Notice>
        )}
        {gone && opened && completedAt === null && <Notice tone="info">Opened in your browser. “{item.serverName}” no longer waits for this page.</Notice>}
        {retry && (
          <p className="elicit-retry">
            “{item.serverName}” needs this page before a tool can run: <code className="code-tag">{r.retryTool}</code> will be tried again once the page is
            done.
          </p>
        )}
        <RelatedTask task={r.relatedTask} />
        <ServerMessage serverName={item.serverName} message={r.message} />
        <Address item={item} />
        <UrlVerdictNotices verdict={r.verdict} refusal={<>Decline tells “{item.serverName}” you won’t open it.</>} />
      </ModalBody>
      <AnswerFooter
        problem={decide.error?.message ?? null}
        note={openingNote(r.stage, r.verdict, host)}
        gone={gone}
        onClose={() => onClose(true)}
        pending={decide.pending}
        chosen={choice}
        choices={r.stage === 'consent' ? consentChoices(answer, r.verdict.allowed) : waitingChoices(answer, r.verdict.allowed)}
      />
    </Modal>
  );
}

/** Before opening: not now, no, or open. */
function consentChoices(answer: (action: Action) => void, allowed: boolean): Choice[] {
  return [
    { id: 'cancel', label: 'Cancel', busy: 'Cancelling…', onClick: () => answer('cancel') },
    { id: 'decline', label: 'Decline', busy: 'Declining…', tone: 'danger', onClick: () => answer('decline') },
    { id: 'open', label: 'Open in browser', busy: 'Opening…', tone: 'primary', disabled: !allowed, onClick: () => answer('open') },
  ];
}

/** After opening: stop waiting, open once more, or say the page is done. */
function waitingChoices(answer: (action: Action) => void, allowed: boolean): Choice[] {
  return [
    { id: 'cancel', label: 'Dismiss', busy: 'Dismissing…', onClick: () => answer('cancel') },
    { id: 'open', label: 'Open again', busy: 'Opening…', disabled: !allowed, onClick: () => answer('open') },
    { id: 'done', label: 'I’m done', busy: 'Finishing…', tone: 'primary', onClick: () => answer('done') },
  ];
}

/**
 * The address as the user should read it, host highlighted; and exactly as sent when that differs by more than the
 * slash a bare host gets. Text only: nothing here is a link or loads anything.
 */
function Address({ item }: { item: UrlItem }) {
  const { url, verdict } = item.request;
  return (
    <section className="elicit-address" aria-label="Address">
      <h3 className="section-label">Address{verdict.host ? <> · opens on {verdict.host}</> : null}</h3>
      <UrlBlock display={verdict.display} host={verdict.host} label="Full address" testId="elicitation-url" />
      {verdict.display !== url && verdict.display !== `${url}/` && (
        <>
          <p className="field-hint">Exactly as the server sent it:</p>
          <pre className="code-block url-block" tabIndex={0} aria-label="Address as sent">
            {url}
          </pre>
        </>
      )}
    </section>
  );
}
