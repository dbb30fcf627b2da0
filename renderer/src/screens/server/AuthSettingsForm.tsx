// How Steward signs in to a remote server: browser sign-in, client credentials, enterprise sign-in or workload identity,
// a pre-registered client and the authorization server it belongs to, scopes and the company identity provider. Secrets are write-only: their fields are uncontrolled, so a typed
// secret never sits in page state, and the host only ever says whether one is set.
import { useEffect, useRef, useState, type InputEvent } from 'react';
import type { AuthConfig, AuthMode, AuthSecrets, AuthView } from '../../../../shared/domain/auth.js';
import { SaveRow } from '../../components/ActionRows.js';
import { Checkbox, Field } from '../../components/Field.js';
import { MODE_WORDS, settingIssues } from '../../lib/auth-words.js';
import { call } from '../../lib/steward.js';
import { submitTo, useAction } from '../../lib/use-action.js';

type SecretName = keyof AuthView['secretsSet'];

interface Draft {
  mode: AuthMode;
  clientId: string;
  clientAuth: AuthConfig['clientAuth'];
  algorithm: AuthConfig['algorithm'];
  scope: string;
  idpTokenEndpoint: string;
  idpClientId: string;
  issuer: string;
  workloadTokenFile: string;
}

function draftOf(c: AuthConfig): Draft {
  return {
    ...c,
    clientId: c.clientId ?? '',
    scope: c.scope ?? '',
    idpTokenEndpoint: c.idpTokenEndpoint ?? '',
    idpClientId: c.idpClientId ?? '',
    issuer: c.issuer ?? '',
    workloadTokenFile: c.workloadTokenFile ?? '',
  };
}

/** Empty means "not set": the host keeps null, never an empty string. */
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

function configOf(d: Draft): AuthConfig {
  return {
    mode: d.mode,
    clientId: orNull(d.clientId),
    clientAuth: d.clientAuth,
    algorithm: d.algorithm,
    scope: orNull(d.scope),
    idpTokenEndpoint: orNull(d.idpTokenEndpoint),
    idpClientId: orNull(d.idpClientId),
    issuer: orNull(d.issuer),
    workloadTokenFile: orNull(d.workloadTokenFile),
  };
}

/** The secrets the chosen mode uses; only these are shown and sent. */
function secretsFor(d: Draft): SecretName[] {
  if (d.mode === 'client_credentials') return [d.clientAuth === 'private_key_jwt' ? 'privateKey' : 'clientSecret'];
  if (d.mode === 'enterprise') return ['clientSecret', 'idpClientSecret', 'idToken'];
  if (d.mode === 'workload') return d.workloadTokenFile.trim() === '' ? ['workloadToken'] : [];
  return ['clientSecret'];
}

const SECRET_WORDS: Record<SecretName, { label: string; hint: string; multiline?: boolean }> = {
  clientSecret: { label: 'Client secret', hint: 'The pre-registered client’s secret at the server’s authorization server.' },
  privateKey: { label: 'Private key', hint: 'PEM or JWK; Steward signs its client assertion with it.', multiline: true },
  idpClientSecret: { label: 'Identity provider client secret', hint: 'Only if Steward’s client at the identity provider has one.' },
  idToken: { label: 'ID token', hint: 'Your ID token from the identity provider, traded for access to this server.' },
  workloadToken: { label: 'Workload identity token', hint: 'A JWT issued for this server’s authorization server (its audience).', multiline: true },
};

interface SecretEdit {
  filled: boolean;
  remove: boolean;
}

export function AuthSettingsForm({ view, onSaved }: { view: AuthView; onSaved: (view: AuthView) => void }) {
  // Taken once: sign-in events for this server must not reset what the user is typing.
  const [saved, setSaved] = useState(() => draftOf(view.config));
  const [draft, setDraft] = useState(saved);
  const [edits, setEdits] = useState<Partial<Record<SecretName, SecretEdit>>>({});
  const inputs = useRef<Partial<Record<SecretName, HTMLInputElement | HTMLTextAreaElement | null>>>({});
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const edit = (name: SecretName, patch: Partial<SecretEdit>) => setEdits((e) => ({ ...e, [name]: { filled: false, remove: false, ...e[name], ...patch } }));
  const shown = secretsFor(draft);
  const secretsTouched = shown.some((n) => edits[n]?.filled || edits[n]?.remove);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved) || secretsTouched;

  const save = useAction(async () => {
    const secrets: AuthSecrets = {};
    for (const name of shown) {
      const value = inputs.current[name]?.value ?? '';
      if (edits[name]?.remove) secrets[name] = null;
      else if (value.trim() !== '') secrets[name] = value.trim();
    }
    const next = await call('auth:configure', { serverId: view.serverId, config: configOf(draft), secrets });
    for (const name of shown) {
      const input = inputs.current[name];
      if (input) input.value = '';
    }
    setEdits({});
    const fresh = draftOf(next.config);
    setSaved(fresh);
    setDraft(fresh);
    onSaved(next);
  });
  const submit = submitTo(save);
  const discard = () => {
    for (const input of Object.values(inputs.current)) if (input) input.value = '';
    setEdits({});
    setDraft(saved);
    save.clearError();
  };

  const issues = save.error?.code === 'invalid_payload' ? settingIssues(save.error.message) : {};
  const fieldLevel = Object.keys(issues).length > 0;
  const needed = draft.mode !== 'oauth';

  return (
    <form className="settings-section card vstack" onSubmit={submit} aria-label="How Steward signs in">
      <h2 className="settings-title">How Steward signs in</h2>
      <fieldset className="fieldset">
        <legend>Way of signing in</legend>
        <div className="auth-modes">
          {(Object.keys(MODE_WORDS) as AuthMode[]).map((mode) => (
            <ModeChoice key={mode} mode={mode} checked={draft.mode === mode} onPick={() => set({ mode })} />
          ))}
        </div>
        {issues.mode && <p className="field-error inline-error">{issues.mode}</p>}
      </fieldset>
      <div className="form-grid">
        <Field
          label={needed ? 'Client ID' : 'Pre-registered client ID'}
          hint={
            needed
              ? 'Required: the client registered for Steward at the server’s authorization server.'
              : 'Optional. Empty: Steward uses its published client metadata document, or registers itself.'
          }
          error={issues.clientId}
        >
          <input className="input mono" value={draft.clientId} onChange={(e) => set({ clientId: e.target.value })} spellCheck={false} autoComplete="off" />
        </Field>
        <Field label="Scopes to ask for" hint="Separated by spaces. Empty: what the server suggests." error={issues.scope}>
          <input className="input mono" value={draft.scope} onChange={(e) => set({ scope: e.target.value })} spellCheck={false} placeholder="mcp:read" />
        </Field>
        {draft.mode === 'client_credentials' && (
          <>
            <Field label="The client proves itself with" error={issues.clientAuth}>
              <select className="input" value={draft.clientAuth} onChange={(e) => set({ clientAuth: e.target.value as Draft['clientAuth'] })}>
                <option value="client_secret_basic">a client secret</option>
                <option value="private_key_jwt">a private key (signed assertion)</option>
              </select>
            </Field>
            {draft.clientAuth === 'private_key_jwt' && (
              <Field label="Key algorithm" error={issues.algorithm}>
                <select className="input" value={draft.algorithm} onChange={(e) => set({ algorithm: e.target.value as Draft['algorithm'] })}>
                  {(['RS256', 'ES256', 'PS256', 'EdDSA'] as const).map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
              </Field>
            )}
          </>
        )}
        {(needed || draft.clientId.trim() !== '') && (
          <Field
            label="Authorization server"
            hint="The issuer the client ID belongs to; Steward presents these credentials nowhere else. Empty: the first one the server names."
            error={issues.issuer}
          >
            <input
              className="input mono"
              value={draft.issuer}
              onChange={(e) => set({ issuer: e.target.value })}
              spellCheck={false}
              placeholder="https://auth.example.com"
            />
          </Field>
        )}
        {draft.mode === 'workload' && (
          <Field
            label="Token file"
            hint="Read for every sign-in, as identity providers rotate it (e.g. a projected service account token). Empty: the stored token below."
            error={issues.workloadTokenFile}
          >
            <input
              className="input mono"
              value={draft.workloadTokenFile}
              onChange={(e) => set({ workloadTokenFile: e.target.value })}
              spellCheck={false}
              placeholder="/var/run/secrets/tokens/mcp-token"
            />
          </Field>
        )}
        {draft.mode === 'enterprise' && (
          <>
            <Field
              label="Identity provider token endpoint"
              hint="Where your ID token is exchanged for a grant this server accepts."
              error={issues.idpTokenEndpoint}
            >
              <input
                className="input mono"
                value={draft.idpTokenEndpoint}
                onChange={(e) => set({ idpTokenEndpoint: e.target.value })}
                spellCheck={false}
                placeholder="https://idp.example.com/oauth2/token"
              />
            </Field>
            <Field label="Identity provider client ID" error={issues.idpClientId}>
              <input
                className="input mono"
                value={draft.idpClientId}
                onChange={(e) => set({ idpClientId: e.target.value })}
                spellCheck={false}
                autoComplete="off"
              />
            </Field>
          </>
        )}
        {shown.map((name) => (
          <SecretField
            key={name}
            name={name}
            isSet={view.secretsSet[name]}
            edit={edits[name]}
            error={issues[name]}
            inputRef={(el) => {
              inputs.current[name] = el;
            }}
            onEdit={(patch) => edit(name, patch)}
          />
        ))}
      </div>
      <SaveRow
        save={save}
        dirty={dirty}
        label="Save sign-in settings"
        onDiscard={discard}
        {...(fieldLevel ? { problem: 'Nothing was saved: fix the settings marked above.' } : {})}
      />
    </form>
  );
}

function ModeChoice({ mode, checked, onPick }: { mode: AuthMode; checked: boolean; onPick: () => void }) {
  const id = `auth-mode-${mode}`;
  return (
    <div className="auth-mode">
      <input id={id} type="radio" name="auth-mode" checked={checked} onChange={onPick} aria-describedby={`${id}-hint`} />
      <div>
        <label htmlFor={id}>{MODE_WORDS[mode].label}</label>
        <p className="field-hint" id={`${id}-hint`}>
          {MODE_WORDS[mode].hint}
        </p>
      </div>
    </div>
  );
}

interface SecretFieldProps {
  name: SecretName;
  isSet: boolean;
  edit: SecretEdit | undefined;
  error: string | undefined;
  inputRef: (el: HTMLInputElement | HTMLTextAreaElement | null) => void;
  onEdit: (patch: Partial<SecretEdit>) => void;
}

/** A write-only secret: empty keeps what is stored, typing replaces it, and a stored one can be removed. */
function SecretField({ name, isSet, edit, error, inputRef, onEdit }: SecretFieldProps) {
  const words = SECRET_WORDS[name];
  const onEditRef = useRef(onEdit);
  onEditRef.current = onEdit;
  // A field that goes away (another mode chosen) takes what was typed into it along.
  useEffect(() => () => onEditRef.current({ filled: false, remove: false }), []);
  const remove = edit?.remove ?? false;
  const hint = `${words.hint} ${isSet ? 'One is set; Steward never shows it. Type a new one to replace it.' : 'None is set.'}`;
  const common = {
    className: 'input mono',
    spellCheck: false,
    autoComplete: 'off',
    disabled: remove,
    placeholder: isSet ? '•••••••• (set)' : '',
    onInput: (e: InputEvent<HTMLInputElement | HTMLTextAreaElement>) => onEdit({ filled: e.currentTarget.value.trim() !== '' }),
  };
  return (
    <div className="secret-field">
      <Field label={words.label} hint={hint} error={error}>
        {words.multiline ? <textarea {...common} ref={inputRef} rows={3} wrap="off" /> : <input {...common} ref={inputRef} type="password" />}
      </Field>
      {isSet && <Checkbox label={`Remove the stored ${words.label.toLowerCase()}`} checked={remove} onChange={(checked) => onEdit({ remove: checked })} />}
    </div>
  );
}
