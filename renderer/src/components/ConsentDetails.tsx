// Everything a consent request says about a launch, laid out for judging: what changed, how a runner fetches its package,
// the command, findings, folder, variables (loader variables with their values), and every path it may write. What a
// config or a server wrote is shown with its invisible and bidi characters as visible escapes, so nothing in it can hide
// a word or draw the command line in another order than it runs.
import { Container, Download, Info, OctagonAlert, ShieldAlert, ShieldCheck, ShieldOff, TriangleAlert } from 'lucide-react';
import type { RunnerPlan } from '../../../shared/domain/launch.js';
import type { ConsentRequest, Finding, LaunchChange, SandboxPlan } from '../../../shared/domain/servers.js';
import { visibleText } from '../../../shared/visible-text.js';
import { plural } from '../lib/format.js';

export function ConsentDetails({ request }: { request: ConsentRequest }) {
  const { spec } = request;
  const download = spec.runner?.download ?? null;
  return (
    <div className="consent">
      {request.changes.length > 0 && (
        <section className="consent-section" aria-label="What changed">
          <h3 className="section-label">What changed since you last allowed it</h3>
          {request.diff.length > 0 ? (
            <ChangeTable diff={request.diff} />
          ) : (
            <ul className="change-list">
              {request.changes.map((c) => (
                <li key={c}>{visibleText(c)}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      {spec.runner && <RunnerSection runner={spec.runner} />}
      {download && (
        <section className="consent-section" aria-label="Download step">
          <h3 className="section-label">
            <Download size={14} aria-hidden /> Step 1 — download, once
          </h3>
          <p className="field-hint">
            {download.sandboxed
              ? `In a sandbox of its own: network only to ${download.allowedDomains.join(', ')}; it writes only into this server's own folder.`
              : 'The container engine fetches the image; Steward cannot sandbox the engine.'}
          </p>
          <pre className="code-block command-line" data-testid="download-line" tabIndex={0} aria-label="Download command line">
            {visibleText(download.commandLine)}
          </pre>
        </section>
      )}
      <section className="consent-section">
        <h3 className="section-label">{download ? 'Step 2 — the command it will run' : 'Command it will run'}</h3>
        <pre className="code-block command-line" data-testid="command-line" tabIndex={0} aria-label="Full command line">
          {visibleText(request.commandLine)}
        </pre>
      </section>
      <Findings findings={request.findings} />
      <div className="consent-grid">
        <section className="consent-section">
          <h3 className="section-label">Working folder</h3>
          <code className="mono-text">{visibleText(spec.cwd)}</code>
        </section>
        <section className="consent-section">
          <h3 className="section-label">Environment variables it gets</h3>
          {spec.envNames.length === 0 ? (
            <p className="muted">None of its own; only the basic set every program gets (such as PATH and your home folder).</p>
          ) : (
            <>
              <ul className="chips plain-list">
                {spec.envNames.map((name) => (
                  <li key={name} className="chip mono-text">
                    {visibleText(name)}
                  </li>
                ))}
              </ul>
              <p className="field-hint">Plus the basic set every program gets. Names only, except the ones below that decide what code runs.</p>
            </>
          )}
          {spec.flaggedEnv.length > 0 && (
            <ul className="flagged-env" aria-label="Variables that decide what code runs">
              {spec.flaggedEnv.map((f) => (
                <li key={f.name}>
                  <code className="mono-text">
                    {visibleText(f.name)}={visibleText(f.shown)}
                  </code>
                  <span className="muted"> — {f.why}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <SandboxSection sandbox={spec.sandbox} />
    </div>
  );
}

const CHANGE_WORDS: Record<LaunchChange['change'], string> = { added: 'added', removed: 'removed', changed: 'changed', unchanged: 'unchanged' };

/** Old → new per field; a variable's value is a secret, so only whether it changed is shown. */
function ChangeTable({ diff }: { diff: LaunchChange[] }) {
  return (
    <table className="table change-table" aria-label="Changes, field by field">
      <thead>
        <tr>
          <th>Field</th>
          <th>Before</th>
          <th>Now</th>
        </tr>
      </thead>
      <tbody>
        {diff.map((c) => {
          const secret = c.field.startsWith('Variable ');
          return (
            <tr key={`${c.field}:${c.before ?? ''}:${c.after ?? ''}`} data-change={c.change}>
              <th scope="row">{c.field}</th>
              {secret ? (
                <td colSpan={2}>
                  <span className={`change-tag change-${c.change}`}>{c.change === 'changed' ? 'value changed (not shown)' : CHANGE_WORDS[c.change]}</span>
                </td>
              ) : (
                <>
                  <td>{c.before === null ? <span className="muted">—</span> : <code className="mono-text change-old">{visibleText(c.before)}</code>}</td>
                  <td>{c.after === null ? <span className="muted">removed</span> : <code className="mono-text change-new">{visibleText(c.after)}</code>}</td>
                </>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const GROUPS: ReadonlyArray<{ severity: Finding['severity']; title: string; icon: typeof OctagonAlert }> = [
  { severity: 'danger', title: 'Needs a close look', icon: OctagonAlert },
  { severity: 'warning', title: 'Worth a look', icon: TriangleAlert },
  { severity: 'info', title: 'For your information', icon: Info },
];

function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) {
    return <p className="consent-clean">Steward found nothing unusual in this launch.</p>;
  }
  return (
    <section className="consent-section" aria-label="What Steward noticed">
      <h3 className="section-label">What Steward noticed</h3>
      {GROUPS.map(({ severity, title, icon: Icon }) => {
        const group = findings.filter((f) => f.severity === severity);
        if (group.length === 0) return null;
        return (
          <div key={severity} className={`findings findings-${severity}`} data-severity={severity}>
            <h4 className="findings-title">
              <Icon size={14} aria-hidden /> {title} ({group.length})
            </h4>
            <ul>
              {group.map((f) => (
                <li key={`${f.code}:${f.evidence}`} className="finding">
                  <span className="finding-message">{f.message}</span>
                  <pre className="code-inline finding-evidence">{visibleText(f.evidence)}</pre>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

const SANDBOX_WORDS: Record<SandboxPlan['mode'], { title: string; text: string; icon: typeof ShieldCheck; tone: string }> = {
  enforced: {
    title: 'Sandboxed',
    text: 'It can change files only in the folders below, reach only the listed domains, and cannot read your secret locations.',
    icon: ShieldCheck,
    tone: 'ok',
  },
  off: {
    title: 'Not sandboxed — turned off for this server',
    text: 'It runs with all of your rights: it can read and change any of your files and reach any address on the network.',
    icon: ShieldOff,
    tone: 'danger',
  },
  container: {
    title: 'In a container',
    text: "The container engine isolates it; Steward's own sandbox cannot wrap the engine. It may change only the folders mounted below.",
    icon: Container,
    tone: 'ok',
  },
  unsupported: {
    title: 'Not sandboxed — this computer has no sandbox Steward can use',
    text: 'It runs with all of your rights: it can read and change any of your files and reach any address on the network.',
    icon: ShieldAlert,
    tone: 'danger',
  },
};

function SandboxSection({ sandbox }: { sandbox: SandboxPlan }) {
  const words = SANDBOX_WORDS[sandbox.mode];
  const Icon = words.icon;
  return (
    <section className="consent-section">
      <h3 className="section-label">Sandbox</h3>
      <div className={`sandbox-summary tone-${words.tone}`} data-sandbox={sandbox.mode}>
        <Icon size={16} aria-hidden />
        <div>
          <strong>{words.title}.</strong> {words.text}
        </div>
      </div>
      {sandbox.mode === 'container' && <PathList title="Folders mounted for writing" items={sandbox.writePaths} empty="None." />}
      {sandbox.mode === 'enforced' && (
        <>
          <div className="consent-grid">
            <div>
              <h4 className="subsection-label">May write to</h4>
              <ul className="path-list" aria-label="Every path it may write">
                {sandbox.writePaths.map((p) => (
                  <li key={p} className="mono-text">
                    <span>{visibleText(p)}</span> <span className="path-why">your grant</span>
                  </li>
                ))}
                {sandbox.ownWritePaths.map((p) => (
                  <li key={p} className="mono-text">
                    <span>{visibleText(p)}</span> <span className="path-why">its own folder</span>
                  </li>
                ))}
                <li className="mono-text">
                  <span>{sandbox.runtimeWritePaths.join(', ')}</span> <span className="path-why">the sandbox itself</span>
                </li>
              </ul>
              {sandbox.writePaths.length === 0 && <p className="muted">None of your folders: it cannot change your files.</p>}
            </div>
            <PathList title="May reach" items={sandbox.allowedDomains} empty="No domains: it has no network access." />
          </div>
          {sandbox.ownReadPaths.length > 0 && <PathList title="Its code (read-only)" items={sandbox.ownReadPaths} empty="" />}
          {sandbox.readPaths.length > 0 && <PathList title="Hidden locations you chose to show it" items={sandbox.readPaths} empty="" />}
          <details className="disclosure">
            <summary>Hidden from it: {plural(sandbox.denyReadPaths.length, 'secret location')}</summary>
            <ul className="path-list path-list-columns">
              {sandbox.denyReadPaths.map((p) => (
                <li key={p} className="mono-text">
                  {visibleText(p)}
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
    </section>
  );
}

const RUNNER_MODES: Record<RunnerPlan['mode'], string> = {
  prefetch: 'downloaded once, then run without network',
  'own-cache': 'run in the sandbox with a cache of its own',
  container: 'run in a container',
};

function RunnerSection({ runner }: { runner: RunnerPlan }) {
  return (
    <section className="consent-section" aria-label="How the package runner is launched">
      <h3 className="section-label">
        {runner.tool}: {RUNNER_MODES[runner.mode]}
      </h3>
      {runner.notes.map((n) => (
        <p key={n} className="runner-note">
          {visibleText(n)}
        </p>
      ))}
      {runner.packages.length > 0 && (
        <ul className="chips plain-list" aria-label="Packages">
          {runner.packages.map((p) => (
            <li key={`${p.ecosystem}:${p.name}`} className="chip mono-text">
              {visibleText(p.name)} {p.version === null ? '(not pinned)' : visibleText(p.version)}
              {p.pinnedBy === 'steward' && <span className="path-why"> pinned at first install</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PathList({ title, items, empty }: { title: string; items: string[]; empty: string }) {
  return (
    <div>
      <h4 className="subsection-label">{title}</h4>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="path-list">
          {items.map((p) => (
            <li key={p} className="mono-text">
              {visibleText(p)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
