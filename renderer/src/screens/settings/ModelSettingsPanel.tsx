// The model provider behind sampling: the API key, the API address, which models may be used and the default.
import { useEffect, useState } from 'react';
import type { ModelSettings } from '../../../../shared/domain/sampling.js';
import { SaveRow } from '../../components/ActionRows.js';
import { Field } from '../../components/Field.js';
import { ErrorNote, Loading } from '../../components/States.js';
import { formatUsd } from '../../lib/format.js';
import { call, subscribe } from '../../lib/steward.js';
import { submitTo, useAction } from '../../lib/use-action.js';
import { useLoad } from '../../lib/use-load.js';
import { ApiKeyForm } from './ApiKeyForm.js';

export function ModelSettingsPanel() {
  const [loaded, reload] = useLoad(() => call('models:get', {}), []);
  const [latest, setLatest] = useState<ModelSettings | null>(null);
  // Settings changed anywhere (another window, a steward command) show here as they change.
  useEffect(() => subscribe('models:changed', setLatest), []);
  const settings = latest ?? (loaded.state === 'ready' ? loaded.data : null);
  return (
    <section className="settings-section card vstack" aria-labelledby="model-provider-title">
      <h2 className="settings-title" id="model-provider-title">
        Model provider: Anthropic
      </h2>
      <p className="muted">Servers that ask for sampling get answers from this provider, after your approval or within their budgets.</p>
      {loaded.state === 'loading' && <Loading label="Loading the model settings…" />}
      {loaded.state === 'error' && <ErrorNote title="Steward could not read the model settings." error={loaded.error} onRetry={reload} />}
      {settings && (
        <>
          <ApiKeyForm hasKey={settings.hasKey} onChanged={setLatest} />
          <ModelsForm key={JSON.stringify([settings.baseUrl, settings.enabledModels, settings.defaultModel])} settings={settings} onSaved={setLatest} />
        </>
      )}
    </section>
  );
}

interface Draft {
  baseUrl: string;
  enabled: string[];
  defaultModel: string;
}

function draftOf(s: ModelSettings): Draft {
  return { baseUrl: s.baseUrl ?? '', enabled: s.enabledModels, defaultModel: s.defaultModel };
}

/** The origin an address field sends to (empty: Anthropic's own); null while the text is no address yet. */
function originOf(address: string): string | null {
  return URL.parse(address.trim() === '' ? 'https://api.anthropic.com' : address.trim())?.origin ?? null;
}

function ModelsForm({ settings, onSaved }: { settings: ModelSettings; onSaved: (settings: ModelSettings) => void }) {
  const saved = draftOf(settings);
  const [draft, setDraft] = useState(saved);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  // The host sends the key only to the origin it was saved for: said before the user saves an address elsewhere.
  const leavesKey = settings.hasKey && originOf(draft.baseUrl) !== originOf(saved.baseUrl);
  const toggle = (id: string, on: boolean) =>
    setDraft((d) => {
      const enabled = settings.catalog.map((m) => m.id).filter((m) => (m === id ? on : d.enabled.includes(m)));
      return { ...d, enabled, defaultModel: enabled.includes(d.defaultModel) ? d.defaultModel : (enabled[0] ?? d.defaultModel) };
    });
  const save = useAction(async () => {
    onSaved(
      await call('models:set', {
        baseUrl: draft.baseUrl.trim() === '' ? null : draft.baseUrl.trim(),
        enabledModels: draft.enabled,
        defaultModel: draft.defaultModel,
      }),
    );
  });
  const submit = submitTo(save);

  return (
    <form className="models-form" onSubmit={submit} aria-label="Models">
      <Field
        label="API address"
        hint={`Leave empty for Anthropic’s own address. Must be https, or http on this computer.${leavesKey ? ' The key is sent only to the host it was saved for (one saved before any address was chosen, and not yet used, goes with the first): if it no longer shows as set after saving, enter it again.' : ''}`}
      >
        <input
          className="input mono"
          value={draft.baseUrl}
          placeholder="https://api.anthropic.com"
          onChange={(e) => setDraft((d) => ({ ...d, baseUrl: e.target.value }))}
          spellCheck={false}
        />
      </Field>
      <table className="table table-compact models-table">
        <caption className="field-label">Models servers may use</caption>
        <thead>
          <tr>
            <th className="col-use">Use</th>
            <th>Model</th>
            <th className="num">Input</th>
            <th className="num">Output</th>
          </tr>
        </thead>
        <tbody>
          {settings.catalog.map((m) => (
            <tr key={m.id}>
              <td className="col-use">
                <input
                  type="checkbox"
                  checked={draft.enabled.includes(m.id)}
                  onChange={(e) => toggle(m.id, e.target.checked)}
                  aria-label={`Use ${m.label}`}
                  disabled={draft.enabled.length === 1 && draft.enabled.includes(m.id)}
                />
              </td>
              <td>
                {m.label} <code className="muted mono-text">{m.id}</code>
              </td>
              <td className="num">{formatUsd(m.inputUsdPerMTok)} / M tokens</td>
              <td className="num">{formatUsd(m.outputUsdPerMTok)} / M tokens</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="field-hint">List prices, used only for the estimates Steward shows before a request is sent; your bill comes from the provider.</p>
      <Field label="Default model" hint="Used unless a server’s model hints or priorities pick another enabled model.">
        <select className="input models-default" value={draft.defaultModel} onChange={(e) => setDraft((d) => ({ ...d, defaultModel: e.target.value }))}>
          {settings.catalog
            .filter((m) => draft.enabled.includes(m.id))
            .map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
        </select>
      </Field>
      <SaveRow save={save} dirty={dirty} label="Save model settings" onDiscard={() => setDraft(saved)} />
    </form>
  );
}
