// Installing an MCPB bundle: pick (or drop) the file, see what it is and who says they made it — honestly unsigned or
// unverified — fill in its settings, install; it then asks for consent to run like any other server.
import { FolderOpen, Package } from 'lucide-react';
import { useEffect, useState, type SyntheticEvent } from 'react';
import type { BundleConfig, BundleField, BundlePreview } from '../../../shared/domain/bundles.js';
import type { FormField } from '../../../shared/domain/elicitation.js';
import { formProblems, initialDrafts, toAnswer, type Drafts } from '../lib/elicitation-form.js';
import { useConsent } from '../lib/consent-context.js';
import { formatBytes, plural } from '../lib/format.js';
import { useHostState } from '../lib/host-state.js';
import { trimmedLines } from '../lib/lines.js';
import { call, isBrowserMode } from '../lib/steward.js';
import { useAction } from '../lib/use-action.js';
import { FieldControl } from './ElicitationFields.js';
import { Field } from './Field.js';
import { FormFooter } from './ActionRows.js';
import { ModalBody, ModalFooter } from './Modal.js';
import { Notice } from './States.js';

/** A file read as base64 in slices, so a large bundle does not overflow the argument list of fromCharCode. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Settings the elicitation form engine can show; secrets and lists of paths get controls of their own. */
function formFieldOf(f: BundleField): FormField | undefined {
  const common = { name: f.key, label: f.title, description: f.description, required: f.required, secretLike: false };
  if (f.sensitive || f.multiple) return undefined;
  if (f.type === 'number')
    return { ...common, kind: 'number', integer: false, minimum: f.min, maximum: f.max, default: typeof f.defaultValue === 'number' ? f.defaultValue : null };
  if (f.type === 'boolean') return { ...common, kind: 'boolean', default: typeof f.defaultValue === 'boolean' ? f.defaultValue : null };
  const hint =
    f.type === 'directory' ? 'The full path of a folder; it is granted to this server for writing.' : f.type === 'file' ? 'The full path of a file.' : null;
  return {
    ...common,
    description: [f.description, hint].filter(Boolean).join(' ') || null,
    kind: 'text',
    format: null,
    minLength: null,
    maxLength: null,
    default: typeof f.defaultValue === 'string' ? f.defaultValue : null,
  };
}

export function BundleInstallForm({ initialFile, onDone }: { initialFile?: File | undefined; onDone: () => void }) {
  const [preview, setPreview] = useState<BundlePreview | null>(null);
  const inspect = useAction(async (file: File) => setPreview(await call('bundles:inspect', { fileName: file.name, data: await base64Of(file) })));
  useEffect(() => {
    // Only the file the dialog opened with (a drop); later picks go through the input.
    if (initialFile) void inspect.run(initialFile);
  }, [initialFile]);

  if (preview) return <BundleSettings preview={preview} onBack={() => setPreview(null)} onDone={onDone} />;
  return (
    <>
      <ModalBody>
        <p className="muted">
          An <code>.mcpb</code> bundle is a packaged MCP server. Steward checks it before anything is unpacked, shows you what it is, and runs it only after you
          approve its launch — sandboxed, reading its own files and writing only the folders you choose.
        </p>
        <Field label="Bundle file" hint="Or drop an .mcpb file on the Servers screen.">
          <input
            className="input-file"
            type="file"
            accept=".mcpb,.dxt"
            onChange={(e) => e.target.files?.[0] && void inspect.run(e.target.files[0])}
            data-autofocus
          />
        </Field>
        {inspect.pending && <p role="status">Checking the bundle…</p>}
        {inspect.error && (
          <Notice tone="danger">
            <strong>Steward will not install this bundle.</strong> {inspect.error.message}
          </Notice>
        )}
      </ModalBody>
      <ModalFooter>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </ModalFooter>
    </>
  );
}

function BundleSettings({ preview, onBack, onDone }: { preview: BundlePreview; onBack: () => void; onDone: () => void }) {
  const hostState = useHostState();
  const consent = useConsent();
  const formFields = preview.fields.flatMap((f) => formFieldOf(f) ?? []);
  const [drafts, setDrafts] = useState<Drafts>(() => initialDrafts(formFields));
  const [extra, setExtra] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState(false);
  const problems = formProblems(formFields, toAnswer(formFields, drafts));
  const install = useAction(async () => {
    const config: BundleConfig = { ...toAnswer(formFields, drafts) };
    for (const f of preview.fields) {
      const text = extra[f.key];
      if (text === undefined || text.trim() === '') continue;
      config[f.key] = f.multiple ? trimmedLines(text) : text;
    }
    const { server } = await call('bundles:install', { stagingId: preview.stagingId, config });
    hostState.upsert(server);
    onDone();
    consent.openConsent(server.id);
  });
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(problems).length === 0) void install.run();
  };

  return (
    <form className="modal-form" onSubmit={submit} aria-label="Install bundle">
      <ModalBody>
        <section className="bundle-head" aria-label="About this bundle">
          <Package size={28} aria-hidden />
          <div>
            <h3 className="bundle-title">
              {preview.displayName} <span className="muted">{preview.version}</span>
            </h3>
            <p className="muted">
              by {preview.author.name}
              {preview.author.email && ` <${preview.author.email}>`}
              {preview.author.url && ` · ${preview.author.url}`} · {preview.serverType} server · manifest {preview.manifestVersion} ·{' '}
              {plural(preview.files, 'file')}, {formatBytes(preview.bytes)}
            </p>
            <p>{preview.description}</p>
          </div>
        </section>
        <Notice tone="warning">
          <strong data-signature={preview.signature.state}>{preview.signature.state === 'unsigned' ? 'Unsigned.' : 'Unverified.'}</strong>{' '}
          {preview.signature.note}
        </Notice>
        {preview.existing && !preview.existing.publisherChanged && (
          <Notice tone="info">
            Installing updates “{preview.existing.serverName}” from {preview.existing.version} to {preview.version}. Its settings are kept; it runs again only
            after you approve the changed launch.
          </Notice>
        )}
        {preview.existing?.publisherChanged && (
          <Notice tone="warning">
            <strong>This bundle comes from another author or signer than the “{preview.existing.serverName}” you installed.</strong> Installing it replaces
            version {preview.existing.version}; its plain settings are kept, but its secret settings are not (give them again below), and what you allowed the
            installed one starts over: its sandbox, networks, shown folders, shared folders and sampling permission. It runs only after you approve its launch.
          </Notice>
        )}
        <div className="consent-grid">
          <section className="consent-section">
            <h4 className="subsection-label">Tools it says it offers</h4>
            {preview.tools.length === 0 ? (
              <p className="muted">{preview.toolsGenerated ? 'Listed once it runs.' : 'None declared.'}</p>
            ) : (
              <ul className="path-list" aria-label="Tools">
                {preview.tools.map((t) => (
                  <li key={t.name}>
                    <code className="mono-text">{t.name}</code> <span className="muted">{t.description}</span>
                  </li>
                ))}
              </ul>
            )}
            {preview.prompts.length > 0 && (
              <>
                <h4 className="subsection-label">Prompts</h4>
                <ul className="path-list" aria-label="Prompts">
                  {preview.prompts.map((p) => (
                    <li key={p.name}>
                      <code className="mono-text">{p.name}</code> <span className="muted">{p.description}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          <section className="consent-section">
            <h4 className="subsection-label">Privacy policies</h4>
            {preview.privacyPolicies.length === 0 ? (
              <p className="muted">None given.</p>
            ) : (
              <ul className="path-list" aria-label="Privacy policies">
                {preview.privacyPolicies.map((p) => (
                  <li key={p} className="mono-text">
                    {p}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        {preview.fields.length > 0 && (
          <section className="consent-section" aria-label="Settings">
            <h3 className="section-label">Settings</h3>
            {formFields.map((field) => {
              const setting = preview.fields.find((f) => f.key === field.name);
              return (
                <div key={field.name} className={pathKindOf(setting) ? 'path-setting' : undefined}>
                  <FieldControl
                    field={field}
                    draft={drafts[field.name] ?? ''}
                    error={touched ? problems[field.name] : undefined}
                    onChange={(draft) => setDrafts((d) => ({ ...d, [field.name]: draft }))}
                    onTouch={() => undefined}
                  />
                  <ChoosePath setting={setting} onChosen={(path) => setDrafts((d) => ({ ...d, [field.name]: path }))} />
                </div>
              );
            })}
            {preview.fields
              .filter((f) => f.sensitive || f.multiple)
              .map((f) => (
                <Field
                  key={f.key}
                  label={`${f.title}${f.required ? ' (required)' : ''}`}
                  hint={`${f.description ? `${f.description.replace(/\.?$/, '.')} ` : ''}${f.sensitive ? "Kept in the secret store, never in Steward's database." : 'One full path per line.'}`}
                >
                  {f.sensitive ? (
                    <input
                      className="input"
                      type="password"
                      autoComplete="off"
                      value={extra[f.key] ?? ''}
                      onChange={(e) => setExtra((x) => ({ ...x, [f.key]: e.target.value }))}
                    />
                  ) : (
                    <>
                      <textarea
                        className="input mono"
                        rows={3}
                        value={extra[f.key] ?? (Array.isArray(f.defaultValue) ? f.defaultValue.join('\n') : '')}
                        onChange={(e) => setExtra((x) => ({ ...x, [f.key]: e.target.value }))}
                        spellCheck={false}
                      />
                      <ChoosePath
                        setting={f}
                        onChosen={(path) =>
                          setExtra((x) => {
                            const before = x[f.key] ?? (Array.isArray(f.defaultValue) ? f.defaultValue.join('\n') : '');
                            return { ...x, [f.key]: before.trim() === '' ? path : `${before.replace(/\n*$/, '')}\n${path}` };
                          })
                        }
                      />
                    </>
                  )}
                </Field>
              ))}
          </section>
        )}
      </ModalBody>
      <FormFooter
        action={install}
        onBack={onBack}
        back="Choose another file"
        submit={preview.existing ? 'Update, then review its launch' : 'Install, then review its launch'}
        busy="Installing…"
      />
    </form>
  );
}

/** Settings that name a file or folder, which the desktop app's chooser can fill in. */
const pathKindOf = (f: BundleField | undefined): 'file' | 'directory' | undefined => (f?.type === 'file' || f?.type === 'directory' ? f.type : undefined);

/**
 * The desktop app's own file or folder chooser for a setting that names a path (a list of paths gets one more line per
 * choice). A browser tab cannot hand over a full path, so there the path is typed and no button is shown.
 */
function ChoosePath({ setting, onChosen }: { setting: BundleField | undefined; onChosen: (path: string) => void }) {
  const kind = pathKindOf(setting);
  const choose = useAction(async () => {
    if (!kind) return;
    const { path } = await call('paths:pick', { kind, title: setting?.title.slice(0, 200) || 'Choose' });
    if (path !== null) onChosen(path);
  });
  if (!kind || isBrowserMode()) return null;
  return (
    <>
      <button type="button" className="btn btn-small" disabled={choose.pending} onClick={() => void choose.run()}>
        <FolderOpen size={13} aria-hidden /> {kind === 'directory' ? 'Choose a folder…' : 'Choose a file…'}
      </button>
      {choose.error && (
        <span className="inline-error" role="alert">
          {choose.error.message}
        </span>
      )}
    </>
  );
}
