// An address shown as text for the user to judge, its host standing out. Never a link: nothing here loads anything.
import { splitAtHost } from '../lib/elicitation-words.js';
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
