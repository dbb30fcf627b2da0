// Asks whether a server may use the user's model: who asks and why, the whole request (editable before it goes, and the
// edits keepable for the rest of the loop), and how far a yes reaches. Over budget, only the choices that can send this
// request are offered. Only the fields the user changed are sent back as edits.
import { useState } from 'react';
import type { InboxDecision } from '../../../shared/domain/inbox.js';
import type { SamplingEdits } from '../../../shared/domain/sampling.js';
import { formatNumber, formatUsd, plural } from '../lib/format.js';
import { href } from '../lib/router.js';
import { editableUserIndex, isBudgetReason, textOf, type SamplingItem } from '../lib/sampling-words.js';
import { call } from '../lib/steward.js';
import { useAction } from '../lib/use-action.js';
import { useLoad } from '../lib/use-load.js';
import type { QueuedDialogProps } from '../lib/use-dialog-queue.js';
import { ConversationView } from './ConversationView.js';
import { Checkbox, Field } from './Field.js';
import { LongText } from './LongText.js';
import { AnswerFooter, type Choice } from './AnswerFooter.js';
import { Modal, ModalBody } from './Modal.js';
import { AskReasons, Fact, Facts, ParamsReport } from './SamplingFacts.js';
import { Notice } from './States.js';
import { ToolsOffered } from './ToolsOffered.js';
import './sampling.css';

type Grant = Extract<InboxDecision, { kind: 'sampling' }>['grant'];

const GRANTS: ReadonlyArray<{ grant: Grant; label: string; help: string }> = [
  { grant: 'once', label: 'Send once', help: 'sends this request only; the next round asks again.' },
  { grant: 'loop', label: 'Allow for this loop', help: 'also sends the rest of this tool call’s rounds without asking.' },
  { grant: 'session', label: 'Allow for this session', help: 'sends this server’s requests without asking until it restarts.' },
  { grant: 'always', label: 'Always allow (within budget)', help: 'sets this server’s policy to allow within budget.' },
];

type Props = QueuedDialogProps<SamplingItem>;

/** Rows enough to show the text as it wraps in the dialog's main column (about 95 characters), within bounds. */
function rowsFor(text: string, max: number): number {
  const lines = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 95)), 0);
  return Math.min(max, Math.max(2, lines + 1));
}

function wholeTokens(text: string): number | null {
  return /^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= 1_000_000 ? Number(text) : null;
}

export function SamplingDialog({ item, waiting, onClose }: Props) {
  const r = item.request;
  const editIndex = editableUserIndex(r.messages);
  const originalText = textOf(r.messages[editIndex]);
  const kept = r.keptEdits;
  // Edits the user kept for this loop are filled in, so what is shown is what will be sent.
  const [system, setSystem] = useState(kept?.systemPrompt !== undefined ? (kept.systemPrompt ?? '') : (r.systemPrompt ?? ''));
  const [lastText, setLastText] = useState(originalText);
  const [maxTokensText, setMaxTokensText] = useState(String(kept?.maxTokens ?? r.maxTokens));
  const [keep, setKeep] = useState(kept !== null);
  const [manual, setManual] = useState('');
  const [choice, setChoice] = useState<Grant | 'deny' | null>(null);
  const [models] = useLoad(() => call('models:get', {}), []);
  const maxTokens = wholeTokens(maxTokensText);
  // Over a budget, no grant sends this request: it always asks. Only sending it once (or denying it) can settle it.
  const overBudget = r.askReasons.some(isBudgetReason);
  const grants = overBudget ? GRANTS.filter((g) => g.grant === 'once') : GRANTS;

  const edits: SamplingEdits = {
    ...(system !== (r.systemPrompt ?? '') ? { systemPrompt: system } : {}),
    ...(editIndex >= 0 && lastText !== originalText ? { lastUserText: lastText } : {}),
    ...(maxTokens !== null && maxTokens !== r.maxTokens ? { maxTokens } : {}),
  };
  const keepable = edits.systemPrompt !== undefined || edits.maxTokens !== undefined;
  const decide = useAction(async (decision: Extract<InboxDecision, { kind: 'sampling' }>) => {
    await call('inbox:decide', { itemId: item.id, decision });
    onClose(true);
  });
  const choose = (next: Grant | 'deny') => {
    setChoice(next);
    const base = { kind: 'sampling' as const, ...(Object.keys(edits).length > 0 ? { edits } : {}) };
    if (next === 'deny') void decide.run({ kind: 'sampling', decision: 'deny', grant: 'once' });
    // A reply written by hand goes back as it is: there is no request to edit.
    else if (r.noKey) void decide.run({ kind: 'sampling', decision: 'approve', grant: 'once', manualReply: { text: manual } });
    else void decide.run({ ...base, decision: 'approve', grant: next, keepEdits: keep && keepable });
  };

  const model = models.state === 'ready' ? models.data.catalog.find((m) => m.id === r.model) : undefined;
  const cost =
    model && maxTokens !== null ? (r.estimatedInputTokens * model.inputUsdPerMTok + maxTokens * model.outputUsdPerMTok) / 1_000_000 : r.costEstimateUsd;
  const gone = !waiting && !decide.pending;

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose(false)}
      name="sampling"
      size="wide"
      title={<>“{item.serverName}” asks to use your model</>}
      description={
        <>
          {r.toolCall ? (
            <>
              For its tool call <code className="code-tag">{r.toolCall.name}</code>
            </>
          ) : (
            'Not tied to a tool call Steward can name'
          )}{' '}
          · round {r.round} of its loop. Nothing is sent until you choose; <strong>Deny</strong> tells the server you rejected it.
        </>
      }
    >
      <ModalBody>
        {gone && <Notice tone="info">This request is no longer waiting: the server withdrew it, or it was answered elsewhere.</Notice>}
        <div className="sampling-layout">
          <div className="sampling-main">
            {r.noKey ? (
              <section className="sampling-section">
                <h3 className="section-label">System prompt</h3>
                {r.systemPrompt === null ? <p className="muted">None.</p> : <LongText text={r.systemPrompt} label="System prompt" />}
              </section>
            ) : (
              <Field
                label="System prompt"
                hint={
                  r.systemPrompt === null
                    ? 'The server sent none; anything you write here is sent as one.'
                    : 'Edit it before it goes, or clear it to send none.'
                }
              >
                <textarea className="input mono" rows={rowsFor(system, 8)} value={system} onChange={(e) => setSystem(e.target.value)} spellCheck={false} />
              </Field>
            )}
            <section className="sampling-section">
              <h3 className="section-label">Conversation ({plural(r.messages.length, 'message')})</h3>
              <ConversationView
                messages={r.messages}
                label="Conversation the model will see"
                {...(editIndex >= 0 && !r.noKey ? { editLast: { index: editIndex, editor: <LastUserEditor value={lastText} onChange={setLastText} /> } } : {})}
              />
              {r.stopSequences.length > 0 && (
                <p className="muted">
                  Stops at:{' '}
                  {r.stopSequences.map((s) => (
                    <code key={s} className="code-tag">
                      {JSON.stringify(s)}
                    </code>
                  ))}
                </p>
              )}
            </section>
            {!r.noKey && (keepable || kept !== null) && (
              <div className="keep-edits">
                <Checkbox
                  label="Keep my system prompt and max tokens for the rest of this loop"
                  checked={keep && keepable}
                  disabled={!keepable}
                  onChange={setKeep}
                  hint={
                    kept
                      ? 'You kept these from an earlier round of this loop; untick to send the server’s own from now on.'
                      : 'Later rounds of this loop are sent with them too; each round’s record says so.'
                  }
                />
              </div>
            )}
            {r.noKey && (
              <section className="sampling-section">
                <Notice tone="warning">
                  <strong>No model key is set</strong>, so Steward cannot ask a model. Write the reply yourself and it goes to “{item.serverName}” as the
                  model’s answer, or set a key in <a href={href('settings')}>Settings</a>.
                </Notice>
                <Field label="Write the reply yourself">
                  <textarea className="input mono" rows={4} value={manual} onChange={(e) => setManual(e.target.value)} data-autofocus />
                </Field>
              </section>
            )}
          </div>
          <aside className="sampling-side" aria-label="About this request">
            <AskReasons reasons={r.askReasons} />
            <ParamsReport notes={r.paramsReport} />
            <Facts>
              <Fact label="Model" wide>
                <span>
                  <code className="mono-text" data-testid="sampling-model">
                    {r.model ?? 'none'}
                  </code>
                  {model && <span className="muted"> ({model.label})</span>}
                </span>
                <span className="fact-note">Why: {r.modelReason}</span>
              </Fact>
              <Fact label="Max tokens">
                {r.noKey ? (
                  <span className="mono-text">{formatNumber(r.maxTokens)}</span>
                ) : (
                  <input
                    className="input mono"
                    inputMode="numeric"
                    aria-label="Max tokens"
                    aria-invalid={maxTokens === null}
                    value={maxTokensText}
                    onChange={(e) => setMaxTokensText(e.target.value)}
                  />
                )}
                {maxTokens === null && <span className="fact-note inline-error">A whole number from 1 to 1,000,000.</span>}
              </Fact>
              <Fact label="Cost estimate">
                {cost === null ? <span className="muted">unknown</span> : <strong>up to {formatUsd(cost)}</strong>}
                <span className="fact-note">~{formatNumber(r.estimatedInputTokens)} tokens in, list prices</span>
              </Fact>
            </Facts>
            <section className="sampling-section" aria-label="Tools offered">
              <h3 className="section-label">Tools offered ({r.tools.length})</h3>
              <ToolsOffered tools={r.tools} toolChoice={r.toolChoice} />
            </section>
            {!r.noKey && !overBudget && (
              <dl className="grant-help" aria-label="What each choice does">
                {GRANTS.map((g) => (
                  <div key={g.grant}>
                    <dt>{g.label}</dt>
                    <dd>{g.help}</dd>
                  </div>
                ))}
                <div>
                  <dt>Over budget</dt>
                  <dd>a request that would go over a budget always asks you, whatever you allowed.</dd>
                </div>
              </dl>
            )}
            {!r.noKey && overBudget && (
              <p className="budget-choices" data-testid="budget-choices">
                Allowing the loop, the session or always would not send this request: one over a budget always asks. Send it once, lower its max tokens, or
                change the budgets in <a href={href('settings', r.serverId)}>Settings</a>.
              </p>
            )}
          </aside>
        </div>
      </ModalBody>
      <AnswerFooter
        problem={decide.error?.message ?? null}
        note={r.noKey ? `Your reply goes to “${item.serverName}” as the answer.` : `Approving sends the request to ${model?.label ?? r.model ?? 'the model'}.`}
        gone={gone}
        onClose={() => onClose(true)}
        pending={decide.pending}
        chosen={choice}
        choices={[
          { id: 'deny', label: 'Deny', busy: 'Denying…', tone: 'danger', onClick: () => choose('deny') },
          ...(r.noKey
            ? [
                {
                  id: 'once',
                  label: 'Send my reply',
                  busy: 'Sending…',
                  tone: 'primary',
                  disabled: manual.trim() === '',
                  onClick: () => choose('once'),
                } satisfies Choice,
              ]
            : grants.map((g): Choice => ({
                id: g.grant,
                label: g.label,
                busy: 'Sending…',
                ...(g.grant === 'once' ? { tone: 'primary' as const } : {}),
                disabled: maxTokens === null,
                onClick: () => choose(g.grant),
              }))),
        ]}
      />
    </Modal>
  );
}

function LastUserEditor({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  return (
    <textarea
      className="input mono"
      aria-label="Last user message (editable)"
      rows={rowsFor(value, 10)}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      spellCheck={false}
    />
  );
}
