// A server's settings: its launch or address, sandbox grants, start and stop options, shared folders, sampling, and removing it.
import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { ProtocolEraSetting, ServerView } from '../../../../shared/domain/servers.js';
import { InlineError, SaveRow } from '../../components/ActionRows.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Checkbox, Field } from '../../components/Field.js';
import { Notice } from '../../components/States.js';
import { useHostState } from '../../lib/host-state.js';
import { trimmedLines } from '../../lib/lines.js';
import { navigate } from '../../lib/router.js';
import { call, HostError } from '../../lib/steward.js';
import { submitTo, useAction } from '../../lib/use-action.js';
import { CopySection } from './CopySection.js';
import { LaunchSection } from './LaunchSection.js';
import { RootsEditor } from './RootsEditor.js';
import { SamplingSection } from './SamplingSection.js';
import './server-tabs.css';

interface Draft {
  enabled: boolean;
  writePaths: string;
  allowedDomains: string;
  denyReadPaths: string;
  readPaths: string;
  lazyStart: boolean;
  idleStopMinutes: string;
  restartOnCrash: boolean;
  toolTimeoutSeconds: string;
  protocolEra: ProtocolEraSetting;
}

const ERA_CHOICES: Array<{ value: ProtocolEraSetting; label: string }> = [
  { value: 'auto', label: 'Automatic: MCP 2026-07-28 when the server offers it, else 2025-11-25' },
  { value: 'modern', label: 'MCP 2026-07-28 only' },
  { value: 'legacy', label: 'MCP 2025-11-25 only' },
];

function draftOf(s: ServerView): Draft {
  return {
    enabled: s.sandbox.enabled,
    writePaths: s.sandbox.writePaths.join('\n'),
    allowedDomains: s.sandbox.allowedDomains.join('\n'),
    denyReadPaths: s.sandbox.denyReadPaths.join('\n'),
    readPaths: s.sandbox.readPaths.join('\n'),
    lazyStart: s.options.lazyStart,
    idleStopMinutes: s.options.idleStopMinutes === null ? '' : String(s.options.idleStopMinutes),
    restartOnCrash: s.options.restartOnCrash,
    toolTimeoutSeconds: String(s.options.toolTimeoutSeconds),
    protocolEra: s.options.protocolEra,
  };
}

function wholeNumber(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) throw new HostError('config_invalid', `${what} is a whole number.`);
  return Number(text.trim());
}

export function SettingsTab({ server }: { server: ServerView }) {
  const { upsert } = useHostState();
  // Taken once: status and memory updates of the server must not reset what the user is typing.
  const [saved, setSaved] = useState(() => draftOf(server));
  const [draft, setDraft] = useState(saved);
  const [removing, setRemoving] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const local = server.transport === 'stdio';

  const save = useAction(async () => {
    const view = await call('servers:update', {
      serverId: server.id,
      ...(local
        ? {
            sandbox: {
              enabled: draft.enabled,
              writePaths: trimmedLines(draft.writePaths),
              allowedDomains: trimmedLines(draft.allowedDomains),
              denyReadPaths: trimmedLines(draft.denyReadPaths),
              readPaths: trimmedLines(draft.readPaths),
            },
          }
        : {}),
      options: {
        lazyStart: draft.lazyStart,
        idleStopMinutes: draft.idleStopMinutes.trim() === '' ? null : wholeNumber(draft.idleStopMinutes, 'Idle stop'),
        restartOnCrash: draft.restartOnCrash,
        toolTimeoutSeconds: wholeNumber(draft.toolTimeoutSeconds, 'The tool call timeout'),
        protocolEra: draft.protocolEra,
      },
    });
    upsert(view);
    const next = draftOf(view);
    setSaved(next);
    setDraft(next);
  });
  const submit = submitTo(save);

  return (
    <div className="scroll-pane settings">
      <LaunchSection server={server} />
      <form className="settings-form" onSubmit={submit} aria-label="Server settings">
        {local && (
          <section className="settings-section card vstack">
            <h2 className="settings-title">Sandbox</h2>
            <p className="muted">Changing these changes the launch, so Steward asks for your approval again before the next start.</p>
            <Checkbox label="Run it in the sandbox (recommended)" checked={draft.enabled} onChange={(enabled) => set({ enabled })} />
            {draft.enabled ? (
              <div className="form-grid form-grid-3">
                <Field label="Folders it may write to" hint="One absolute path per line.">
                  <textarea
                    className="input mono"
                    rows={3}
                    value={draft.writePaths}
                    onChange={(e) => set({ writePaths: e.target.value })}
                    spellCheck={false}
                    wrap="off"
                  />
                </Field>
                <Field label="Domains it may reach" hint="One per line. Empty: no network.">
                  <textarea
                    className="input mono"
                    rows={3}
                    value={draft.allowedDomains}
                    onChange={(e) => set({ allowedDomains: e.target.value })}
                    spellCheck={false}
                    wrap="off"
                  />
                </Field>
                <Field label="More folders to hide" hint="On top of the built-in secret locations.">
                  <textarea
                    className="input mono"
                    rows={3}
                    value={draft.denyReadPaths}
                    onChange={(e) => set({ denyReadPaths: e.target.value })}
                    spellCheck={false}
                    wrap="off"
                  />
                </Field>
                <Field label="Hidden locations it may read" hint="Whole hidden locations only (such as ~/.aws); each is flagged when you approve.">
                  <textarea
                    className="input mono"
                    rows={3}
                    value={draft.readPaths}
                    onChange={(e) => set({ readPaths: e.target.value })}
                    spellCheck={false}
                    wrap="off"
                  />
                </Field>
              </div>
            ) : (
              <Notice tone="danger">
                Without the sandbox this server runs with all of your rights: it can read, change and send any of your files, and reach any address on the
                network.
              </Notice>
            )}
          </section>
        )}
        {local && server.packages.length > 0 && <PackagesSection server={server} />}
        <section className="settings-section card vstack">
          <h2 className="settings-title">Starting and stopping</h2>
          <div className="form-grid">
            <Checkbox label="Start only when first needed" checked={draft.lazyStart} onChange={(lazyStart) => set({ lazyStart })} />
            <Checkbox
              label="Restart after a crash"
              checked={draft.restartOnCrash}
              onChange={(restartOnCrash) => set({ restartOnCrash })}
              hint="With growing pauses, and a limit on attempts."
            />
            <Field label="Stop after minutes without use" hint="Empty: keep it running.">
              <input
                className="input input-narrow"
                inputMode="numeric"
                value={draft.idleStopMinutes}
                onChange={(e) => set({ idleStopMinutes: e.target.value })}
              />
            </Field>
            <Field label="Protocol" hint="A running server reconnects when this changes.">
              <select className="input" value={draft.protocolEra} onChange={(e) => set({ protocolEra: e.target.value as ProtocolEraSetting })}>
                {ERA_CHOICES.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Tool call timeout (seconds)">
              <input
                className="input input-narrow"
                inputMode="numeric"
                value={draft.toolTimeoutSeconds}
                onChange={(e) => set({ toolTimeoutSeconds: e.target.value })}
              />
            </Field>
          </div>
        </section>
        <SaveRow save={save} dirty={dirty} label="Save changes" onDiscard={() => setDraft(saved)} />
      </form>
      <section className="settings-section card vstack">
        <h2 className="settings-title">Shared folders</h2>
        <p className="muted">The folders Steward tells the server it may work in (MCP roots). The sandbox still decides what it can write.</p>
        <RootsEditor server={server} />
      </section>
      <SamplingSection serverId={server.id} />
      <CopySection server={server} />
      <section className="settings-section card vstack danger-zone">
        <h2 className="settings-title">Remove this server</h2>
        <p className="muted">Stops it and forgets its settings and stored secrets. The audit record keeps what happened.</p>
        <button type="button" className="btn btn-danger-outline" onClick={() => setRemoving(true)}>
          <Trash2 size={14} aria-hidden /> Remove “{server.name}”…
        </button>
      </section>
      {removing && (
        <ConfirmDialog
          title={<>Remove “{server.name}”?</>}
          confirmLabel="Remove server"
          onClose={() => setRemoving(false)}
          onConfirm={async () => {
            await call('servers:remove', { serverId: server.id });
            navigate('servers');
          }}
        >
          <p>
            Steward stops “{server.name}” if it is running and forgets its configuration, approvals and stored secrets. Adding it again later asks for your
            approval again.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** Pinned packages, and the one way to move them: updating pins the newest allowed versions and asks for consent again. */
function PackagesSection({ server }: { server: ServerView }) {
  const hostState = useHostState();
  const [outcome, setOutcome] = useState<string | null>(null);
  const upgrade = useAction(async () => {
    const { server: view, changes } = await call('servers:upgrade', { serverId: server.id });
    hostState.upsert(view);
    setOutcome(
      changes.length === 0
        ? 'Already the newest versions its command allows.'
        : `Pinned ${changes.map((c) => `${c.name} ${c.from} → ${c.to}`).join(', ')}. It runs them after you approve the changed launch.`,
    );
  });
  return (
    <section className="settings-section card vstack" aria-label="Packages">
      <h2 className="settings-title">Packages</h2>
      <p className="muted">The exact versions this server runs. They change only when you update them here, and then Steward asks for your approval again.</p>
      <ul className="path-list">
        {server.packages.map((p) => (
          <li key={`${p.ecosystem}:${p.name}`} className="mono-text">
            {p.name} {p.version}
            {p.requested && p.requested !== p.version && <span className="path-why">asked for {p.requested}</span>}
          </li>
        ))}
      </ul>
      <div className="settings-actions">
        <button type="button" className="btn" disabled={upgrade.pending} onClick={() => void upgrade.run()}>
          {upgrade.pending ? 'Checking…' : 'Update to the newest allowed versions'}
        </button>
        {outcome && <span role="status">{outcome}</span>}
        <InlineError error={upgrade.error} />
      </div>
    </section>
  );
}
