// Editing what a server runs (command, arguments, variables, folder) or where it is (URL, headers), and its name. Stored
// secret values are never sent to the page: a variable left empty keeps its value. The host says what follows.
import { useState } from 'react';
import type { EditConfig } from '../../../../shared/domain/server-edit.js';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { SaveRow } from '../../components/ActionRows.js';
import { Field } from '../../components/Field.js';
import { KeyValueEditor, type Row } from '../../components/KeyValueEditor.js';
import { useConsent } from '../../lib/consent-context.js';
import { useHostState } from '../../lib/host-state.js';
import { randomId } from '../../lib/ids.js';
import { argumentLines } from '../../lib/lines.js';
import { call } from '../../lib/steward.js';
import { submitTo, useAction } from '../../lib/use-action.js';

interface Draft {
  name: string;
  command: string;
  args: string;
  cwd: string;
  url: string;
  pairs: Row[];
}

function draftOf(s: ServerView): Draft {
  const names = (s.transport === 'stdio' ? s.envNames : s.headerNames) ?? [];
  return {
    name: s.name,
    command: s.command ?? '',
    args: (s.args ?? []).join('\n'),
    cwd: s.cwd ?? '',
    url: s.url ?? '',
    pairs: names.map((name) => ({ key: randomId(), name, value: '' })),
  };
}

/** A stored name left without a value keeps what is stored (null); a new name takes what was typed. */
function values(rows: Row[], stored: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (name !== '') out[name] = row.value === '' && stored.includes(name) ? null : row.value;
  }
  return out;
}

export function LaunchSection({ server }: { server: ServerView }) {
  const { upsert } = useHostState();
  const { openConsent } = useConsent();
  const [saved, setSaved] = useState(() => draftOf(server));
  const [draft, setDraft] = useState(saved);
  const [outcome, setOutcome] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const local = server.transport === 'stdio';
  const stored = (local ? server.envNames : server.headerNames) ?? [];

  const save = useAction(async () => {
    setOutcome(null);
    const config: EditConfig = local
      ? { transport: 'stdio', command: draft.command.trim(), args: argumentLines(draft.args), env: values(draft.pairs, stored), cwd: draft.cwd.trim() }
      : { transport: 'http', url: draft.url.trim(), headers: values(draft.pairs, stored) };
    const result = await call('servers:edit', { serverId: server.id, name: draft.name, config });
    upsert(result.server);
    const next = draftOf(result.server);
    setSaved(next);
    setDraft(next);
    setOutcome(result.message);
    if (result.launch === 'consent' && result.server.status === 'running') openConsent(server.id);
  });
  const submit = submitTo(save);

  return (
    <form className="settings-section card vstack" onSubmit={submit} aria-label="Launch">
      <h2 className="settings-title">{local ? 'Launch' : 'Address'}</h2>
      <p className="muted">
        {local
          ? 'A change here asks for your approval again, showing exactly what changed. A running server keeps its earlier launch until you allow the new one.'
          : 'A connected server reconnects with the new address and headers.'}
      </p>
      <div className="form-grid">
        <Field label="Name">
          <input className="input" value={draft.name} onChange={(e) => set({ name: e.target.value })} required />
        </Field>
        {local ? (
          <>
            <Field label="Working folder" hint="Absolute path; your home folder when empty.">
              <input className="input mono" value={draft.cwd} onChange={(e) => set({ cwd: e.target.value })} spellCheck={false} />
            </Field>
            <Field label="Command" className="span-2">
              <input className="input mono" value={draft.command} onChange={(e) => set({ command: e.target.value })} required spellCheck={false} />
            </Field>
            <Field label="Arguments" hint="One per line, exactly as the program should get it." className="span-2">
              <textarea className="input mono" rows={4} value={draft.args} onChange={(e) => set({ args: e.target.value })} spellCheck={false} wrap="off" />
            </Field>
          </>
        ) : (
          <Field label="URL">
            <input className="input mono" value={draft.url} onChange={(e) => set({ url: e.target.value })} required spellCheck={false} />
          </Field>
        )}
        <fieldset className="fieldset span-2">
          <legend>{local ? 'Environment variables' : 'Headers'}</legend>
          <p className="field-hint">Stored values are never shown. Leave a value empty to keep it; type one to replace it; remove the row to drop it.</p>
          <KeyValueEditor
            noun={local ? 'variable' : 'header'}
            separator={local ? '=' : ':'}
            rows={draft.pairs}
            onChange={(pairs) => set({ pairs })}
            namePlaceholder={local ? 'API_KEY' : 'Authorization'}
          />
        </fieldset>
      </div>
      <SaveRow
        save={save}
        dirty={dirty}
        label={local ? 'Save launch' : 'Save address'}
        onDiscard={() => setDraft(saved)}
        status={outcome && <span role="status">{outcome}</span>}
      />
    </form>
  );
}
