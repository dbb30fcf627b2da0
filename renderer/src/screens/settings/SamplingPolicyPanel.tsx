// One server's sampling policy: ask, allow within budget or deny; reply review; tools; and the four budgets.
import { useEffect, useState } from 'react';
import type { Budgets, SamplingPolicy, SamplingPolicyPatch } from '../../../../shared/domain/sampling.js';
import { SaveRow } from '../../components/ActionRows.js';
import { Checkbox, Field } from '../../components/Field.js';
import { ErrorNote, Loading } from '../../components/States.js';
import { useHostState } from '../../lib/host-state.js';
import { navigate } from '../../lib/router.js';
import { call, HostError, subscribe } from '../../lib/steward.js';
import { submitTo, useAction } from '../../lib/use-action.js';
import { useLoad } from '../../lib/use-load.js';

const MODES: ReadonlyArray<{ mode: SamplingPolicy['mode']; label: string; help: string }> = [
  { mode: 'ask', label: 'Ask every time', help: 'Each request waits for you. From the dialog you can allow the rest of a loop, or the session.' },
  {
    mode: 'allow',
    label: 'Allow within budget',
    help: 'Requests go to the model without asking while they stay within the budgets below; anything over budget still asks.',
  },
  { mode: 'deny', label: 'Deny', help: 'Every request is refused, and the server is told so.' },
];

const BUDGETS: ReadonlyArray<{ key: keyof Budgets; label: string; max: number }> = [
  { key: 'maxTokensPerRequest', label: 'Max tokens per request', max: 1_000_000 },
  { key: 'tokensPerDay', label: 'Tokens per day', max: 100_000_000 },
  { key: 'requestsPerMinute', label: 'Requests per minute', max: 600 },
  { key: 'roundsPerLoop', label: 'Rounds per loop', max: 200 },
];

export function SamplingPolicyPanel({ initialServerId }: { initialServerId: string | undefined }) {
  const { servers, reload } = useHostState();
  const list = servers.state === 'ready' ? servers.data : [];
  const serverId = (list.find((s) => s.id === initialServerId) ?? list[0])?.id ?? '';
  return (
    <section className="settings-section card vstack" aria-labelledby="sampling-policy-title">
      <h2 className="settings-title" id="sampling-policy-title">
        Sampling, server by server
      </h2>
      {servers.state === 'loading' && <Loading label="Loading the servers…" />}
      {servers.state === 'error' && <ErrorNote title="Steward could not load the servers." error={servers.error} onRetry={reload} />}
      {servers.state === 'ready' && list.length === 0 && <p className="muted">Add a server first; then choose here how it may use your model.</p>}
      {serverId && (
        <>
          <Field label="Server">
            <select className="input policy-server" value={serverId} onChange={(e) => navigate('settings', e.target.value)}>
              {list.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
          <PolicyLoader key={serverId} serverId={serverId} />
        </>
      )}
    </section>
  );
}

function PolicyLoader({ serverId }: { serverId: string }) {
  const [policy, reload] = useLoad(() => call('sampling:getPolicy', { serverId }), [serverId]);
  useEffect(() => subscribe('sampling:policyChanged', (changed) => changed.serverId === serverId && reload()), [serverId, reload]);
  if (policy.state === 'loading') return <Loading label="Loading the policy…" />;
  if (policy.state === 'error') return <ErrorNote title="Steward could not read this server’s policy." error={policy.error} onRetry={reload} />;
  return <PolicyForm serverId={serverId} policy={policy.data} />;
}

interface Draft {
  mode: SamplingPolicy['mode'];
  reviewReplies: boolean;
  allowTools: boolean;
  budgets: Record<keyof Budgets, string>;
}

function draftOf(p: SamplingPolicy): Draft {
  const budgets = Object.fromEntries(BUDGETS.map((b) => [b.key, String(p.budgets[b.key])])) as Record<keyof Budgets, string>;
  return { mode: p.mode, reviewReplies: p.reviewReplies, allowTools: p.allowTools, budgets };
}

function budgetsOf(draft: Draft): Budgets {
  const entries = BUDGETS.map(({ key, label, max }) => {
    const text = draft.budgets[key].trim();
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max)
      throw new HostError('invalid_payload', `${label} is a whole number from 1 to ${max.toLocaleString('en-US')}.`);
    return [key, Number(text)];
  });
  return Object.fromEntries(entries) as Budgets;
}

/** Only what the user changed in this form: a change made elsewhere meanwhile (another window, the CLI) is kept. */
function changesOf(saved: Draft, draft: Draft): SamplingPolicyPatch {
  const budgets = budgetsOf(draft);
  const changedBudgets = Object.fromEntries(BUDGETS.filter(({ key }) => draft.budgets[key] !== saved.budgets[key]).map(({ key }) => [key, budgets[key]]));
  return {
    ...(draft.mode !== saved.mode ? { mode: draft.mode } : {}),
    ...(draft.reviewReplies !== saved.reviewReplies ? { reviewReplies: draft.reviewReplies } : {}),
    ...(draft.allowTools !== saved.allowTools ? { allowTools: draft.allowTools } : {}),
    ...(Object.keys(changedBudgets).length > 0 ? { budgets: changedBudgets } : {}),
  };
}

/** The stored policy moved on (changed elsewhere): what the user has changed here stays, the rest follows the new policy. */
function rebase(saved: Draft, draft: Draft, next: Draft): Draft {
  const pick = <K extends keyof Omit<Draft, 'budgets'>>(key: K): Draft[K] => (draft[key] !== saved[key] ? draft[key] : next[key]);
  const budgets = Object.fromEntries(
    BUDGETS.map(({ key }) => [key, draft.budgets[key] !== saved.budgets[key] ? draft.budgets[key] : next.budgets[key]]),
  ) as Draft['budgets'];
  return { mode: pick('mode'), reviewReplies: pick('reviewReplies'), allowTools: pick('allowTools'), budgets };
}

function PolicyForm({ serverId, policy }: { serverId: string; policy: SamplingPolicy }) {
  const [saved, setSaved] = useState(() => draftOf(policy));
  const [draft, setDraft] = useState(saved);
  const [shown, setShown] = useState(policy);
  if (policy !== shown) {
    setShown(policy);
    const next = draftOf(policy);
    setSaved(next);
    setDraft(rebase(saved, draft, next));
  }
  const [done, setDone] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const set = (patch: Partial<Draft>) => {
    setDone(false);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const save = useAction(async () => {
    const next = await call('sampling:setPolicy', { serverId, policy: changesOf(saved, draft) });
    setSaved(draftOf(next));
    setDraft(draftOf(next));
    setDone(true);
  });
  const submit = submitTo(save);

  return (
    <form className="policy-form" onSubmit={submit} aria-label="Sampling policy">
      <fieldset className="fieldset">
        <legend>When this server asks to use your model</legend>
        {MODES.map((m) => (
          <label key={m.mode} className="radio">
            <input type="radio" name="sampling-mode" value={m.mode} checked={draft.mode === m.mode} onChange={() => set({ mode: m.mode })} />
            <span>
              <span className="radio-label">{m.label}</span>
              <span className="field-hint">{m.help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <Checkbox
          label="Review each reply before it goes back to the server"
          checked={draft.reviewReplies}
          onChange={(reviewReplies) => set({ reviewReplies })}
        />
        <Checkbox
          label="Let the model call this server’s tools (agent loops)"
          checked={draft.allowTools}
          onChange={(allowTools) => set({ allowTools })}
          hint="Turning it on applies from the server’s next start (Steward declares it when they connect); turning it off applies at once."
        />
      </div>
      <fieldset className="fieldset">
        <legend>Budgets</legend>
        <p className="field-hint">A request that would go over any of these always asks you first, whatever the mode or earlier approvals.</p>
        <div className="form-grid budgets-grid">
          {BUDGETS.map((b) => (
            <Field key={b.key} label={b.label}>
              <input
                className="input mono"
                inputMode="numeric"
                value={draft.budgets[b.key]}
                onChange={(e) => set({ budgets: { ...draft.budgets, [b.key]: e.target.value } })}
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <SaveRow
        save={save}
        dirty={dirty}
        label="Save policy"
        onDiscard={() => set(saved)}
        status={
          done &&
          !dirty && (
            <span className="muted" role="status">
              Saved.
            </span>
          )
        }
      />
    </form>
  );
}
