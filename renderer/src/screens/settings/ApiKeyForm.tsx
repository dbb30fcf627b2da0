// The model API key: written in, never shown or read back. The field is uncontrolled so the key never sits in page state.
import { CircleCheck, KeyRound } from 'lucide-react';
import { useRef, useState, type SubmitEvent } from 'react';
import type { ModelSettings } from '../../../../shared/domain/sampling.js';
import { call } from '../../lib/steward.js';
import { useAction } from '../../lib/use-action.js';

export function ApiKeyForm({ hasKey, onChanged }: { hasKey: boolean; onChanged: (settings: ModelSettings) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [filled, setFilled] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const save = useAction(async () => {
    const field = input.current;
    if (!field) return;
    onChanged(await call('models:setKey', { apiKey: field.value }));
    field.value = '';
    setFilled(false);
    setDone('Key saved. Steward keeps it with its other secrets and never shows it again.');
  });
  const remove = useAction(async () => {
    onChanged(await call('models:setKey', { apiKey: null }));
    setDone('Key removed.');
  });
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    setDone(null);
    void save.run();
  };
  const error = save.error ?? remove.error;

  return (
    <form className="key-form" onSubmit={submit} aria-label="Model key">
      <p className={`key-state ${hasKey ? 'key-set' : 'key-unset'}`} data-testid="key-state">
        {hasKey ? <CircleCheck size={14} aria-hidden /> : <KeyRound size={14} aria-hidden />}
        {hasKey ? 'A key is set. Saving another replaces it.' : 'No key: sampling requests can only be answered by a reply you write yourself.'}
      </p>
      <div className="key-row">
        <label className="field-label" htmlFor="model-api-key">
          API key
        </label>
        <input
          ref={input}
          id="model-api-key"
          className="input mono"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="sk-ant-…"
          onInput={(e) => setFilled(e.currentTarget.value.trim() !== '')}
        />
        <button type="submit" className="btn btn-primary" disabled={!filled || save.pending}>
          {save.pending ? 'Saving…' : 'Save key'}
        </button>
        {hasKey && (
          <button
            type="button"
            className="btn btn-danger-outline"
            disabled={remove.pending}
            onClick={() => {
              setDone(null);
              void remove.run();
            }}
          >
            {remove.pending ? 'Removing…' : 'Remove key'}
          </button>
        )}
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error.message}
        </p>
      )}
      {done && !error && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
    </form>
  );
}
