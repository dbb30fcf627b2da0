// Names with secret values (environment variables, HTTP headers): one row per pair, values masked.
// Pasting NAME=VALUE lines into a name box fills one row per line.
import { Eye, EyeOff, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { randomId } from '../lib/ids.js';
import { parsePairs, type Pair } from '../lib/lines.js';
import { IconButton } from './IconButton.js';

export interface Row extends Pair {
  key: string;
}

interface Props {
  /** What one pair is called ("variable", "header"). */
  noun: string;
  separator: '=' | ':';
  rows: Row[];
  onChange: (rows: Row[]) => void;
  namePlaceholder: string;
}

function newRow(pair: Pair = { name: '', value: '' }): Row {
  return { ...pair, key: randomId() };
}

export function rowsToRecord(rows: Row[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.name.trim() !== '').map((r) => [r.name.trim(), r.value]));
}

export function KeyValueEditor({ noun, separator, rows, onChange, namePlaceholder }: Props) {
  const [revealed, setRevealed] = useState(false);
  const set = (key: string, patch: Partial<Pair>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const paste = (key: string, text: string): boolean => {
    if (!text.includes(separator) && !text.includes('\n')) return false;
    const pasted = parsePairs(text, separator).map((p) => newRow(p));
    if (pasted.length === 0) return false;
    const at = rows.findIndex((r) => r.key === key);
    // Pasting into an empty row replaces it; into a filled one adds the pasted rows after it.
    const target = rows[at];
    const replaced = target?.name === '' && target.value === '' ? 1 : 0;
    onChange([...rows.slice(0, at + 1 - replaced), ...pasted, ...rows.slice(at + 1)]);
    return true;
  };

  return (
    <div className="kv">
      {rows.map((row, index) => (
        <div className="kv-row" key={row.key}>
          <input
            className="input mono"
            aria-label={`${noun} ${index + 1} name`}
            placeholder={namePlaceholder}
            value={row.name}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => set(row.key, { name: e.target.value })}
            onPaste={(e) => {
              if (paste(row.key, e.clipboardData.getData('text'))) e.preventDefault();
            }}
          />
          <span className="kv-sep" aria-hidden>
            {separator}
          </span>
          <input
            className="input mono"
            type={revealed ? 'text' : 'password'}
            aria-label={`Value of ${row.name.trim() || `${noun} ${index + 1}`}`}
            placeholder="value"
            value={row.value}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => set(row.key, { value: e.target.value })}
          />
          <IconButton icon={Trash2} label={`Remove ${noun} ${row.name.trim() || index + 1}`} onClick={() => onChange(rows.filter((r) => r.key !== row.key))} />
        </div>
      ))}
      <div className="kv-actions">
        <button type="button" className="btn btn-small" onClick={() => onChange([...rows, newRow()])}>
          <Plus size={14} aria-hidden /> Add {noun}
        </button>
        {rows.length > 0 && (
          <button type="button" className="btn btn-small btn-ghost" aria-pressed={revealed} onClick={() => setRevealed((v) => !v)}>
            {revealed ? <EyeOff size={14} aria-hidden /> : <Eye size={14} aria-hidden />} {revealed ? 'Hide values' : 'Show values'}
          </button>
        )}
      </div>
    </div>
  );
}
