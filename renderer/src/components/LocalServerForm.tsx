// Adding a local (stdio) server: the program, its arguments one per line, secret variables, sandbox grants and start options.
import { useState } from 'react';
import { useKept } from '../lib/kept-state.js';
import type { ServerView } from '../../../shared/domain/servers.js';
import { argumentLines, trimmedLines } from '../lib/lines.js';
import { call, HostError } from '../lib/steward.js';
import { submitTo, useAction } from '../lib/use-action.js';
import { Checkbox, Field } from './Field.js';
import { KeyValueEditor, rowsToRecord, type Row } from './KeyValueEditor.js';
import { FormFooter } from './ActionRows.js';
import { ModalBody } from './Modal.js';
import { Notice } from './States.js';
import { randomId } from '../lib/ids.js';

export function LocalServerForm({ onAdded, onCancel }: { onAdded: (view: ServerView) => void; onCancel: () => void }) {
  const [name, setName] = useKept('local.name', '');
  const [command, setCommand] = useKept('local.command', '');
  const [args, setArgs] = useKept('local.args', '');
  const [env, setEnv] = useKept<Row[]>('local.env', []);
  const [cwd, setCwd] = useKept('local.cwd', '');
  const [sandboxed, setSandboxed] = useKept('local.sandboxed', true);
  const [writePaths, setWritePaths] = useKept('local.writePaths', '');
  const [domains, setDomains] = useKept('local.domains', '');
  const [lazyStart, setLazyStart] = useKept('local.lazyStart', false);
  const [idleMinutes, setIdleMinutes] = useKept('local.idleMinutes', '');
  const [pasted, setPasted] = useKept('local.pasted', '');
  const [filled, setFilled] = useState<string | null>(null);

  // Read by the host without a shell; the fields below are filled for the user to check, never added directly.
  const fill = useAction(async () => {
    setFilled(null);
    const parsed = await call('servers:parseCommand', { text: pasted });
    setCommand(parsed.command);
    setArgs(parsed.args.join('\n'));
    const names = Object.keys(parsed.env);
    if (names.length > 0)
      setEnv([...env.filter((r) => !names.includes(r.name.trim())), ...names.map((name) => ({ key: randomId(), name, value: parsed.env[name] ?? '' }))]);
    setFilled(
      `Filled in: ${parsed.command}, ${parsed.args.length} argument(s)${names.length > 0 ? `, variable(s) ${names.join(', ')}` : ''}. Check them below before adding.`,
    );
  });

  const add = useAction(async () => {
    const idle = idleMinutes.trim();
    if (idle !== '' && !/^\d+$/.test(idle))
      throw new HostError('config_invalid', 'Idle stop is a whole number of minutes, or empty to keep the server running.');
    onAdded(
      await call('servers:add', {
        name,
        config: { transport: 'stdio', command, args: argumentLines(args), env: rowsToRecord(env), ...(cwd.trim() ? { cwd: cwd.trim() } : {}) },
        sandbox: { enabled: sandboxed, writePaths: trimmedLines(writePaths), allowedDomains: trimmedLines(domains) },
        options: { lazyStart, idleStopMinutes: idle === '' ? null : Number(idle) },
      }),
    );
  });
  const submit = submitTo(add);

  return (
    <form className="modal-form" onSubmit={submit} aria-label="Add a local server">
      <ModalBody>
        <div className="form-grid">
          <div className="span-2 paste-field">
            <Field
              label="Paste a command line"
              hint="Optional. Read without a shell: NAME=value words at the start become variables; pipes, $VARIABLES, $(…), globs and redirections are refused."
            >
              <input
                className="input mono"
                value={pasted}
                onChange={(e) => setPasted(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    if (pasted.trim() !== '') void fill.run();
                  }
                }}
                placeholder="npx -y @modelcontextprotocol/server-filesystem@2025.8.21 ~/projects"
                spellCheck={false}
              />
            </Field>
            <div className="paste-actions">
              <button type="button" className="btn btn-small" disabled={pasted.trim() === '' || fill.pending} onClick={() => void fill.run()}>
                Fill in the fields below
              </button>
              {fill.error && (
                <span className="inline-error" role="alert">
                  {fill.error.message}
                </span>
              )}
              {filled && <span role="status">{filled}</span>}
            </div>
          </div>
          <Field label="Name">
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="files" required data-autofocus />
          </Field>
          <Field label="Working folder" hint="Optional. Absolute path; your home folder when empty.">
            <input className="input mono" value={cwd} onChange={(e) => setCwd(e.target.value)} placeholder="/home/you/projects" spellCheck={false} />
          </Field>
          <Field label="Command" hint="The program to run: a full path, or a name Steward finds on PATH (node, npx, uvx)." className="span-2">
            <input className="input mono" value={command} onChange={(e) => setCommand(e.target.value)} placeholder="npx" required spellCheck={false} />
          </Field>
          <Field label="Arguments" hint="One per line, exactly as the program should get it; spaces stay inside the line." className="span-2">
            <textarea
              className="input mono"
              rows={4}
              value={args}
              onChange={(e) => setArgs(e.target.value)}
              placeholder={'-y\n@modelcontextprotocol/server-filesystem@2025.8.21\n/home/you/projects'}
              spellCheck={false}
              wrap="off"
            />
          </Field>
          <fieldset className="fieldset span-2">
            <legend>Environment variables</legend>
            <p className="field-hint">
              Values are kept in Steward’s secret store and never shown again. Paste NAME=VALUE lines into a name box to add several.
            </p>
            <KeyValueEditor noun="variable" separator="=" rows={env} onChange={setEnv} namePlaceholder="API_KEY" />
          </fieldset>
          <fieldset className="fieldset span-2">
            <legend>Sandbox</legend>
            <Checkbox
              label="Run it in the sandbox (recommended)"
              checked={sandboxed}
              onChange={setSandboxed}
              hint="It can change only the folders you list and reach only the domains you list."
            />
            {sandboxed ? (
              <div className="form-grid">
                <Field label="Folders it may write to" hint="One absolute path per line. Empty: it changes no files.">
                  <textarea className="input mono" rows={3} value={writePaths} onChange={(e) => setWritePaths(e.target.value)} spellCheck={false} wrap="off" />
                </Field>
                <Field label="Domains it may reach" hint="One per line, e.g. api.github.com or *.example.com. Empty: no network.">
                  <textarea className="input mono" rows={3} value={domains} onChange={(e) => setDomains(e.target.value)} spellCheck={false} wrap="off" />
                </Field>
              </div>
            ) : (
              <Notice tone="danger">
                Without the sandbox this server runs with all of your rights: it can read, change and send any of your files, and reach any address on the
                network. Turn it off only for a program you trust completely.
              </Notice>
            )}
          </fieldset>
          <fieldset className="fieldset span-2">
            <legend>Starting and stopping</legend>
            <div className="form-grid">
              <Checkbox
                label="Start only when first needed"
                checked={lazyStart}
                onChange={setLazyStart}
                hint="It starts on the first tool list or call instead of right away."
              />
              <Field label="Stop after minutes without use" hint="Empty: keep it running.">
                <input
                  className="input input-narrow"
                  inputMode="numeric"
                  value={idleMinutes}
                  onChange={(e) => setIdleMinutes(e.target.value)}
                  placeholder="e.g. 30"
                />
              </Field>
            </div>
          </fieldset>
        </div>
      </ModalBody>
      <FormFooter action={add} onBack={onCancel} submit="Add server" busy="Adding…" />
    </form>
  );
}
