// A server's form for the user: who asks and why, one control per field, problems shown as the host will judge them.
// Nothing is sent until Submit; Decline is an explicit no; Cancel dismisses it without a choice. Closing the dialog
// (Escape, the close button) answers nothing: the form waits in the Inbox.
import { useRef, useState, type SubmitEvent } from 'react';
import type { InboxDecision } from '../../../shared/domain/inbox.js';
import { formProblems, initialDrafts, toAnswer, type Draft } from '../lib/elicitation-form.js';
import type { FormItem } from '../lib/elicitation-words.js';
import { plural } from '../lib/format.js';
import { HostError, call } from '../lib/steward.js';
import { useAction } from '../lib/use-action.js';
import type { QueuedDialogProps } from '../lib/use-dialog-queue.js';
import { FieldControl } from './ElicitationFields.js';
import { RelatedTask, ServerMessage } from './ElicitationParts.js';
import { AnswerFooter } from './AnswerFooter.js';
import { Modal, ModalBody } from './Modal.js';
import { Notice } from './States.js';
import './elicitation.css';

type Action = Extract<InboxDecision, { kind: 'elicitation' }>['action'];

type Props = QueuedDialogProps<FormItem>;

export function ElicitationDialog({ item, waiting, onClose }: Props) {
  const r = item.request;
  const [drafts, setDrafts] = useState(() => initialDrafts(r.fields));
  /** Number fields holding text the browser cannot read as a number. */
  const [unreadable, setUnreadable] = useState<ReadonlySet<string>>(new Set());
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  /** The host's own verdict on the last answer sent, by field, until that field changes. */
  const [hostProblems, setHostProblems] = useState<Record<string, string>>({});
  const [choice, setChoice] = useState<Action | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const answer = toAnswer(r.fields, drafts);
  const problems: Record<string, string> = {
    ...formProblems(r.fields, answer),
    ...Object.fromEntries([...unreadable].map((name) => [name, 'Enter a number.'])),
  };
  const invalid = r.fields.filter((f) => problems[f.name]);
  const shownError = (name: string) => ((submitted || touched.has(name)) && problems[name]) || hostProblems[name];

  const decide = useAction(async (decision: Extract<InboxDecision, { kind: 'elicitation' }>) => {
    setChoice(decision.action);
    try {
      await call('inbox:decide', { itemId: item.id, decision });
    } catch (error) {
      const found = error instanceof HostError ? error.details?.problems : undefined;
      if (found && typeof found === 'object') setHostProblems(found as Record<string, string>);
      throw error;
    }
    onClose(true);
  });
  const gone = !waiting && !decide.pending;

  const change = (name: string, draft: Draft, cannotRead = false) => {
    setDrafts((d) => ({ ...d, [name]: draft }));
    setUnreadable((s) => (cannotRead === s.has(name) ? s : cannotRead ? new Set([...s, name]) : new Set([...s].filter((n) => n !== name))));
    setHostProblems(({ [name]: _, ...rest }) => rest);
  };
  const touch = (name: string) => setTouched((s) => (s.has(name) ? s : new Set([...s, name])));

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (decide.pending || gone) return;
    setSubmitted(true);
    const first = invalid[0];
    if (first) {
      form.current?.querySelector<HTMLElement>(`[data-field="${CSS.escape(first.name)}"] :is(input, select)`)?.focus();
      return;
    }
    void decide.run({ kind: 'elicitation', action: 'accept', content: answer });
  };
  const dismiss = (action: 'decline' | 'cancel') => !decide.pending && void decide.run({ kind: 'elicitation', action });

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose(gone)}
      name="elicitation"
      size="large"
      title={<>“{item.serverName}” asks you to fill in a form</>}
      description={
        <>
          Nothing is sent until you choose. <strong>Submit</strong> sends the answers below to “{item.serverName}”; <strong>Decline</strong> tells it you won’t
          answer; <strong>Cancel</strong> dismisses the question without an answer. Closing this dialog answers nothing: the form waits in the Inbox.
        </>
      }
    >
      <form ref={form} className="modal-form" onSubmit={submit} noValidate aria-label={`Form from ${item.serverName}`}>
        <ModalBody>
          {gone && <Notice tone="info">This question is no longer waiting: the server withdrew it, or it was answered elsewhere.</Notice>}
          {r.fields.some((f) => f.secretLike) && (
            <Notice tone="warning">
              <strong>Servers must not ask for passwords, tokens or keys in a form — don’t enter them here.</strong> The fields marked “looks like a secret”
              seem to ask for one. If the server needs your sign-in, it should send you to its own page instead.
            </Notice>
          )}
          <RelatedTask task={r.relatedTask} />
          <ServerMessage serverName={item.serverName} message={r.message} />
          {r.fields.length === 0 ? (
            <p className="muted">The form has no fields: submitting tells the server you agree.</p>
          ) : (
            <div className="elicit-grid">
              {r.fields.map((field) => (
                <FieldControl
                  key={field.name}
                  field={field}
                  draft={drafts[field.name] ?? ''}
                  error={shownError(field.name)}
                  onChange={(draft, cannotRead) => change(field.name, draft, cannotRead)}
                  onTouch={() => touch(field.name)}
                />
              ))}
            </div>
          )}
        </ModalBody>
        <AnswerFooter
          problem={decide.error?.message ?? (submitted && invalid.length > 0 ? `Fix ${plural(invalid.length, 'answer')} marked above before sending.` : null)}
          note={
            <>
              {r.fields.some((f) => f.required) ? '* Required. ' : ''}Submit sends these answers to “{item.serverName}”.
            </>
          }
          gone={gone}
          onClose={() => onClose(true)}
          pending={decide.pending}
          chosen={choice}
          choices={[
            { id: 'cancel', label: 'Cancel', busy: 'Cancelling…', onClick: () => dismiss('cancel') },
            { id: 'decline', label: 'Decline', busy: 'Declining…', tone: 'danger', onClick: () => dismiss('decline') },
            { id: 'accept', label: 'Submit', busy: 'Sending…', tone: 'primary' },
          ]}
        />
      </form>
    </Modal>
  );
}
