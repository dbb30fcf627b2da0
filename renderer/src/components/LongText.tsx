// Text a user must judge, in a monospace block: long text starts cut short with a button to show all of it.
import { useState } from 'react';
import { formatNumber } from '../lib/format.js';

const MAX_CHARS = 1200;
const MAX_LINES = 14;

function cut(text: string): string | null {
  const lines = text.split('\n');
  if (text.length <= MAX_CHARS && lines.length <= MAX_LINES) return null;
  return lines.slice(0, MAX_LINES).join('\n').slice(0, MAX_CHARS);
}

export function LongText({ text, label }: { text: string; label: string }) {
  const [all, setAll] = useState(false);
  const short = cut(text);
  return (
    <div className="long-text">
      <pre className={`code-block block-text ${all ? 'block-text-all' : ''}`} tabIndex={0} aria-label={label}>
        {short === null || all ? text : `${short}…`}
      </pre>
      {short !== null && (
        <button type="button" className="btn-link" aria-expanded={all} onClick={() => setAll((v) => !v)}>
          {all ? 'Show less' : `Show all (${formatNumber(text.length)} characters)`}
        </button>
      )}
    </div>
  );
}
