// Everything a consent request says about a launch, laid out for judging: command, findings, folder, variables, sandbox.
import { Info, OctagonAlert, ShieldAlert, ShieldCheck, ShieldOff, TriangleAlert } from 'lucide-react';
import type { ConsentRequest, Finding, SandboxPlan } from '../../../shared/domain/servers.js';
import { plural } from '../lib/format.js';

export function ConsentDetails({ request }: { request: ConsentRequest }) {
  const { spec } = request;
  return (
    <div className="consent">
      <section className="consent-section">
        <h3 className="section-label">Command it will run</h3>
        <pre className="code-block command-line" data-testid="command-line" tabIndex={0} aria-label="Full command line">
          {request.commandLine}
        </pre>
      </section>
      <Findings findings={request.findings} />
      <div className="consent-grid">
        <section className="consent-section">
          <h3 className="section-label">Working folder</h3>
          <code className="mono-text">{spec.cwd}</code>
        </section>
        <section className="consent-section">
          <h3 className="section-label">Environment variables it gets</h3>
          {spec.envNames.length === 0 ? (
            <p className="muted">None of its own; only the basic set every program gets (such as PATH and your home folder).</p>
          ) : (
            <>
              <ul className="chips">
                {spec.envNames.map((name) => (
                  <li key={name} className="chip mono-text">
                    {name}
                  </li>
                ))}
              </ul>
              <p className="field-hint">Plus the basic set every program gets. Names only: Steward never shows the values.</p>
            </>
          )}
        </section>
      </div>
      <SandboxSection sandbox={spec.sandbox} />
    </div>
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
                  <pre className="code-inline finding-evidence">{f.evidence}</pre>
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
      {sandbox.mode === 'enforced' && (
        <>
          <div className="consent-grid">
            <PathList title="May write to" items={sandbox.writePaths} empty="No folders: it cannot change your files." />
            <PathList title="May reach" items={sandbox.allowedDomains} empty="No domains: it has no network access." />
          </div>
          <details className="disclosure">
            <summary>Hidden from it: {plural(sandbox.denyReadPaths.length, 'secret location')}</summary>
            <ul className="path-list path-list-columns">
              {sandbox.denyReadPaths.map((p) => (
                <li key={p} className="mono-text">
                  {p}
                </li>
              ))}
            </ul>
          </details>
        </>
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
              {p}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
