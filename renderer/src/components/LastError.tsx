// A server's last error: code and sentence, with the tail of its stderr one click away.
import { ChevronDown, ChevronRight, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { plural } from '../lib/format.js';

interface Props {
  code: string;
  message: string;
  stderrTail?: string[];
  /** Show the stderr tail without a click (detail page). */
  open?: boolean;
}

export function LastError({ code, message, stderrTail = [], open = false }: Props) {
  const [expanded, setExpanded] = useState(open);
  return (
    <div className="last-error" role="note">
      <div className="last-error-line">
        <TriangleAlert size={14} aria-hidden className="last-error-icon" />
        <span className="code-tag">{code}</span>
        <span className="last-error-message">{message}</span>
        {stderrTail.length > 0 && (
          <button type="button" className="btn-link" aria-expanded={expanded} onClick={() => setExpanded((v) => !v)}>
            {expanded ? <ChevronDown size={14} aria-hidden /> : <ChevronRight size={14} aria-hidden />}
            {expanded ? 'Hide' : 'Show'} stderr ({plural(stderrTail.length, 'line')})
          </button>
        )}
      </div>
      {expanded && stderrTail.length > 0 && (
        <pre className="code-block stderr-tail" tabIndex={0} aria-label="Last lines the server wrote to stderr">
          {stderrTail.join('\n')}
        </pre>
      )}
    </div>
  );
}
