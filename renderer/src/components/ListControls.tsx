// Controls the record screens (tasks, loops, audit) share: the server filter, the refresh button and the next page.
import { RefreshCw } from 'lucide-react';
import type { ReactNode } from 'react';
import { useHostState } from '../lib/host-state.js';
import { Field } from './Field.js';

/** "Server" select over the servers Steward knows; the empty value means all of them. */
export function ServerFilter({ value, onChange }: { value: string; onChange: (serverId: string) => void }) {
  const { servers } = useHostState();
  return (
    <Field label="Server">
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All servers</option>
        {servers.state === 'ready' &&
          servers.data.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
      </select>
    </Field>
  );
}

export function RefreshButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="btn" onClick={onClick}>
      <RefreshCw size={14} aria-hidden /> Refresh
    </button>
  );
}

interface NextPageProps {
  /** Loads the next page (see useAction). */
  action: { run: () => Promise<unknown>; pending: boolean; error: { message: string } | null };
  /** Whether there is a next page to load. */
  more: boolean;
  label: string;
  /** Said once the list is whole. */
  end: ReactNode;
}

/** The row under a record list: a button for the next page while there is one, else where the record ends. */
export function NextPage({ action, more, label, end }: NextPageProps) {
  return (
    <div className="table-footer">
      {more ? (
        <button type="button" className="btn" disabled={action.pending} onClick={() => void action.run()}>
          {action.pending ? 'Loading…' : label}
        </button>
      ) : (
        <span className="muted">{end}</span>
      )}
      {action.error && <span className="inline-error">{action.error.message}</span>}
    </div>
  );
}
