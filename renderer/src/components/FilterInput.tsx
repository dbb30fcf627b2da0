// The search box over a list: a labelled text field whose value filters what is shown, with the count found.
import { Search } from 'lucide-react';
import { useId } from 'react';

interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** How many items match, said after the box while a query is typed. */
  found?: number | undefined;
  autoFocus?: boolean;
}

export function FilterInput({ label, value, onChange, found, autoFocus }: Props) {
  const id = useId();
  return (
    <div className="filter-input">
      <Search size={14} aria-hidden className="filter-icon" />
      <input
        id={id}
        className="input"
        type="search"
        aria-label={label}
        placeholder={label}
        value={value}
        autoFocus={autoFocus}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
      {value.trim() !== '' && found !== undefined && (
        <span className="muted filter-count" role="status">
          {found} found
        </span>
      )}
    </div>
  );
}
