// Controls the record screens (tasks, loops, audit) share: the server filter and the refresh button.
import { RefreshCw } from 'lucide-react';
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
