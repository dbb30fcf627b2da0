// One round of an agent loop: what the server sent new, each step with who decided and why, the edits, what the model
// said and what the server got back (when the user changed it), and what it cost.
import { MessageSquareReply } from 'lucide-react';
import type { ReactNode } from 'react';
import type { RoundView } from '../../../../shared/domain/sampling.js';
import { Blocks, ConversationView } from '../../components/ConversationView.js';
import { formatClock, formatDateTime, formatMs, formatNumber } from '../../lib/format.js';
import { useHostState } from '../../lib/host-state.js';
import { useSamplingDialog } from '../../lib/sampling-context.js';
import { ParamsReport } from '../../components/SamplingFacts.js';
import { decidedByWords, isAsk, ROUND_STATUS } from '../../lib/sampling-words.js';
import { RoundEdits, RoundRecordDetails, RoundSteps } from './RoundSteps.js';

/** `children`: what follows the round's messages (the views of the tool calls it answers). */
export function RoundCard({ entry, calls, children }: { entry: RoundView; calls: Map<string, string>; children?: ReactNode }) {
  const { inbox } = useHostState();
  const { openSampling } = useSamplingDialog();
  const status = ROUND_STATUS[entry.status];
  const asking = inbox.filter(isAsk).find((i) => i.request.requestId === entry.requestId);
  const facts: Array<[string, string]> = [
    ['Decided by', decidedByWords(entry.decidedBy)],
    ['Model', entry.model ?? '—'],
    ['Tokens', `${formatNumber(entry.inputTokens)} in · ${formatNumber(entry.outputTokens)} out`],
    ['Latency', entry.latencyMs === null ? '—' : formatMs(entry.latencyMs)],
    ...(entry.stopReason ? ([['Stop reason', entry.stopReason]] as Array<[string, string]>) : []),
  ];
  return (
    <li className="round card vstack" data-round={entry.round} data-status={entry.status}>
      <header className="round-header">
        <h2 className="round-title">Round {entry.round}</h2>
        <span className={`status status-${status.tone}`}>
          <span className="status-dot" aria-hidden />
          {status.label}
        </span>
        <time className="muted round-time" dateTime={entry.receivedAt} title={formatDateTime(entry.receivedAt)}>
          {formatClock(entry.receivedAt)}
        </time>
        {asking && (
          <button type="button" className="btn btn-small btn-attention" onClick={() => openSampling(asking.id)}>
            <MessageSquareReply size={14} aria-hidden /> {asking.kind === 'sampling' ? 'Open the request' : 'Review the reply'}
          </button>
        )}
      </header>
      <dl className="round-facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <RoundSteps steps={entry.steps} />
      <RoundEdits edits={entry.edits} />
      <ParamsReport notes={entry.paramsReport} />
      <div className="round-body">
        <section className="round-part" aria-label={`Round ${entry.round}: sent by the server`}>
          <h3 className="section-label">New from the server</h3>
          {entry.newMessages.length === 0 ? (
            <p className="muted">Nothing new.</p>
          ) : (
            <ConversationView messages={entry.newMessages} label={`Round ${entry.round} messages`} earlierCalls={calls} />
          )}
        </section>
        <section className="round-part" aria-label={`Round ${entry.round}: reply`}>
          <h3 className="section-label">Reply</h3>
          {entry.reply ? (
            <div className="msg msg-assistant">
              <div className="msg-role">Assistant</div>
              <div className="msg-blocks">
                <Blocks blocks={entry.reply} names={calls} />
              </div>
            </div>
          ) : (
            <p className="muted">{entry.status === 'denied' || entry.status === 'failed' || entry.status === 'interrupted' ? 'No reply.' : 'No reply yet.'}</p>
          )}
          {entry.replyReturned && entry.reply && JSON.stringify(entry.replyReturned) !== JSON.stringify(entry.reply) && (
            <>
              <h3 className="section-label">Sent to the server, as you changed it</h3>
              <div className="msg msg-assistant" data-testid="reply-returned">
                <div className="msg-role">Assistant</div>
                <div className="msg-blocks">
                  <Blocks blocks={entry.replyReturned} names={calls} />
                </div>
              </div>
            </>
          )}
          {entry.replyReturned && !entry.reply && (
            <div className="msg msg-assistant" data-testid="reply-returned">
              <div className="msg-role">Written by you</div>
              <div className="msg-blocks">
                <Blocks blocks={entry.replyReturned} names={calls} />
              </div>
            </div>
          )}
        </section>
      </div>
      <RoundRecordDetails entry={entry} />
      {children}
      {entry.error && (
        <p className="round-error" role="note">
          {entry.error}
        </p>
      )}
    </li>
  );
}
