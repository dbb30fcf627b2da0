// An address shown as text for the user to judge, its host standing out, with the URL gate's verdict on it. Never a
// link: nothing here loads anything.
import type { ReactNode } from 'react';
import { splitAtHost } from '../lib/elicitation-words.js';
import { Notice } from './States.js';
import './elicitation.css';

interface Props {
  /** The address as the user should read it (the URL gate's display form). */
  display: string;
  /** The part to highlight; empty highlights nothing. */
  host: string;
  label: string;
  testId?: string;
}

export function UrlBlock({ display, host, label, testId }: Props) {
  const parts = splitAtHost(display, host);
  return (
    <pre className="code-block url-block" data-testid={testId} tabIndex={0} aria-label={label}>
      {parts ? (
        <>
          {parts.before}
          <mark className="url-host">{parts.host}</mark>
          {parts.after}
        </>
      ) : (
        display
      )}
    </pre>
  );
}

interface Verdict {
  allowed: boolean;
  problems: readonly string[];
  warnings: readonly string[];
}

/** Why Steward will not open an address (with what refusing means here), and what to check before opening one. */
export function UrlVerdictNotices({ verdict, refusal }: { verdict: Verdict; refusal: ReactNode }) {
  return (
    <>
      {verdict.problems.length > 0 && (
        <Notice tone="danger">
          <strong>Steward won’t open this address.</strong>
          <ul className="elicit-verdict">
            {verdict.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          {refusal}
        </Notice>
      )}
      {verdict.warnings.length > 0 && (
        <Notice tone="warning">
          <strong>Check the address before you open it.</strong>
          <ul className="elicit-verdict">
            {verdict.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Notice>
      )}
    </>
  );
}

/** The footer's note: what the open button does, before and after the click. */
export function openingNote(stage: 'consent' | 'waiting', verdict: Verdict, host: string): string {
  if (stage !== 'consent') return `Opened ${host} in your browser.`;
  return verdict.allowed ? `Opens ${host} in your default browser.` : 'Opening is blocked.';
}
