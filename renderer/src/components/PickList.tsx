// The list on the left of a split view: one button per item (Up, Down, Home and End move between them), the chosen one
// marked, and "load more" for paged lists.
import type { KeyboardEvent, ReactNode } from 'react';
import { nextIndex } from '../lib/list-keys.js';

/** Up, Down, Home and End between the list's items. */
function pickKeys(event: KeyboardEvent<HTMLElement>): void {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>('.pick-item')];
  const next = nextIndex(event.key, items.indexOf(document.activeElement as HTMLElement), items.length);
  if (next === null) return;
  event.preventDefault();
  items[next]?.focus();
}

export interface PickItem {
  key: string;
  name: string;
  title?: string | undefined;
  description?: string | undefined;
}

interface Props {
  label: string;
  items: PickItem[];
  selected: string | null;
  onSelect: (key: string) => void;
  more?: { shown: boolean; loading: boolean; onMore: () => void };
  children?: ReactNode;
}

export function PickList({ label, items, selected, onSelect, more, children }: Props) {
  return (
    <ul className="pick-list plain-list card" aria-label={label} onKeyDown={pickKeys}>
      {children}
      {items.map((t) => (
        <li key={t.key}>
          <button type="button" className="pick-item" aria-current={t.key === selected ? 'true' : undefined} onClick={() => onSelect(t.key)}>
            <span className="pick-name mono-text">{t.name}</span>
            {t.title && t.title !== t.name && <span className="pick-title">{t.title}</span>}
            {t.description && <span className="pick-description">{t.description}</span>}
          </button>
        </li>
      ))}
      {more?.shown && (
        <li>
          <button type="button" className="btn btn-small pick-more" disabled={more.loading} onClick={more.onMore}>
            {more.loading ? 'Loading…' : 'Load more'}
          </button>
        </li>
      )}
    </ul>
  );
}
