// Shows the model's reply before it goes back to the server (the server's policy asks for review): send it as it is,
// send it changed (a reply of text alone), or not at all. The record keeps the reply both ways.
import { useState } from 'react';
import { formatNumber, plural } from '../lib/format.js';
import type { ReviewItem } from '../lib/sampling-words.js';
import { call } from '../lib/steward.js';
import { useAnswer } from '../lib/use-answer.js';
import type { QueuedDialogProps } from '../lib/use-dialog-queue.js';
import { Blocks, ConversationView, toolNames } from './ConversationView.js';
import { AnswerFooter } from './AnswerFooter.js';
import { Modal, ModalBody } from './Modal.js';
import { Fact, Facts } from './SamplingFacts.js';
import { Notice } from './States.js';
import { LongText } from './LongText.js';
import './sampling.css';

type Props = QueuedDialogProps<ReviewItem>;

export function ReviewDialog({ item, waiting, onClose }: Props) {
  const { request: r, reply } = item;
  // Only a reply of text alone can be changed: a tool request is the model's to make.
  const textOnly = reply.content.length > 0 && reply.content.every((b) => b.type === 'text');
  const original = reply.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(original);
  const changed = editing && text !== original;
  const { choice, decide, gone, answer } = useAnswer(waiting, async (decision: 'send' | 'deny') => {
    const replyText = decision === 'send' && changed ? { replyText: text } : {};
    await call('inbox:decide', { itemId: item.id, decision: { kind: 'sampling_review', decision, ...replyText } });
    onClose(true);
  });
  const names = toolNames(r.messages.flatMap((m) => m.content));

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose(false)}
      name="sampling-review"
      size="large"
      title={<>Send this reply to “{item.serverName}”?</>}
      description={
        <>
          The model answered round {r.round}
          {r.toolCall ? (
            <>
              {' '}
              of the tool call <code className="code-tag">{r.toolCall.name}</code>
            </>
          ) : null}
          . Steward holds the reply until you decide; <strong>Don’t send</strong> tells the server you rejected it.
        </>
      }
    >
      <ModalBody>
        {gone && <Notice tone="info">This reply is no longer waiting: the server withdrew its request, or it was answered elsewhere.</Notice>}
        <Facts row>
          <Fact label="Model">
            <code className="mono-text">{reply.model}</code>
          </Fact>
          <Fact label="Tokens">
            {formatNumber(reply.inputTokens)} in · {formatNumber(reply.outputTokens)} out
          </Fact>
          <Fact label="Stop reason">
            <code className="mono-text">{reply.stopReason ?? '—'}</code>
          </Fact>
        </Facts>
        <section className="sampling-section" aria-label="The model’s reply">
          <h3 className="section-label">The model’s reply</h3>
          {editing ? (
            <textarea
              className="input mono"
              aria-label="Reply to send (editable)"
              rows={Math.min(16, Math.max(4, text.split('\n').length + 1))}
              value={text}
              onChange={(e) => setText(e.target.value)}
              spellCheck={false}
            />
          ) : (
            <div className="msg msg-assistant reply-blocks">
              <div className="msg-role">Assistant</div>
              <div className="msg-blocks">
                {reply.content.length === 0 ? <p className="muted">The reply is empty.</p> : <Blocks blocks={reply.content} names={names} />}
              </div>
            </div>
          )}
          {textOnly && !gone && (
            <button type="button" className="btn-link" onClick={() => setEditing((e) => !e)}>
              {editing ? 'Show the model’s reply as it came' : 'Change the reply before sending it'}
            </button>
          )}
          {changed && <p className="muted">“{item.serverName}” gets your version; the record keeps both.</p>}
        </section>
        <details className="disclosure sampling-section">
          <summary>The request it answers ({plural(r.messages.length, 'message')})</summary>
          {r.systemPrompt !== null && <LongText text={r.systemPrompt} label="System prompt" />}
          <ConversationView messages={r.messages} label="Conversation the model saw" />
        </details>
      </ModalBody>
      <AnswerFooter
        problem={decide.error?.message ?? null}
        note={<>Sending gives “{item.serverName}” this reply as the model’s answer.</>}
        gone={gone}
        onClose={() => onClose(true)}
        pending={decide.pending}
        chosen={choice}
        choices={[
          { id: 'deny', label: 'Don’t send', busy: 'Refusing…', tone: 'danger', onClick: () => answer('deny') },
          {
            id: 'send',
            label: changed ? 'Send my version' : 'Send to server',
            busy: 'Sending…',
            tone: 'primary',
            disabled: changed && text.trim() === '',
            onClick: () => answer('send'),
          },
        ]}
      />
    </Modal>
  );
}
