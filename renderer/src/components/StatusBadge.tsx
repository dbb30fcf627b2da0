// A server's status as a coloured dot and the word for it.
import type { ServerStatus } from '../../../shared/domain/servers.js';
import { STATUS } from '../lib/format.js';

export function StatusBadge({ status }: { status: ServerStatus }) {
  const { label, tone } = STATUS[status];
  return (
    <span className={`status status-${tone}`} data-status={status}>
      <span className="status-dot" aria-hidden />
      {label}
    </span>
  );
}
