// A server's last error: what happened in one line, what Steward saw, and the fix — a button when Steward can apply it
// (it changes the launch, so the consent dialog shows the change before anything runs), else what to do; stderr one click away.
import { ChevronDown, ChevronRight, TriangleAlert, Wrench } from 'lucide-react';
import { useState } from 'react';
import type { Failure } from '../../../shared/domain/launch.js';
import { plural } from '../lib/format.js';
import { useHostState } from '../lib/host-state.js';
import { call } from '../lib/steward.js';
import { useAction } from '../lib/use-action.js';
import { useServerControl } from '../lib/use-server-control.js';

interface Props {
  code: string;
  message: string;
  stderrTail?: string[];
  failure?: Failure | undefined;
  /** The server the error belongs to; needed for a fix button. */
  serverId?: string;
  /** Show the stderr tail without a click (detail page). */
  open?: boolean;
}

export function LastError({ code, message, stderrTail = [], failure, serverId, open = false }: Props) {
  const [expanded, setExpanded] = useState(open);
  return (
    <div className="last-error" role="note" data-failure={failure?.class}>
      <div className="last-error-line">
        <TriangleAlert size={14} aria-hidden className="last-error-icon" />
        <span className="code-tag">{failure?.class ?? code}</span>
        <span className="last-error-message">{failure?.summary ?? message}</span>
        {stderrTail.length > 0 && (
          <button type="button" className="btn-link" aria-expanded={expanded} onClick={() => setExpanded((v) => !v)}>
            {expanded ? <ChevronDown size={14} aria-hidden /> : <ChevronRight size={14} aria-hidden />}
            {expanded ? 'Hide' : 'Show'} stderr ({plural(stderrTail.length, 'line')})
          </button>
        )}
      </div>
      {failure && (
        <>
          <code className="failure-evidence">Seen: {failure.evidence}</code>
          <FailureFix failure={failure} serverId={serverId} />
        </>
      )}
      {expanded && stderrTail.length > 0 && (
        <pre className="code-block stderr-tail" tabIndex={0} aria-label="Last lines the server wrote to stderr">
          {stderrTail.join('\n')}
        </pre>
      )}
    </div>
  );
}

const GRANTS = { allow_domain: 'allowDomains', allow_write: 'allowWrite', allow_read: 'allowRead' } as const;

function FailureFix({ failure, serverId }: { failure: Failure; serverId: string | undefined }) {
  const { fix } = failure;
  const grant = fix.kind in GRANTS ? GRANTS[fix.kind as keyof typeof GRANTS] : undefined;
  return (
    <div className="failure-fix">
      {serverId && grant && fix.value !== null && <GrantButton serverId={serverId} grant={grant} value={fix.value} label={fix.label} />}
      {serverId && fix.kind === 'retry' && <RetryButton serverId={serverId} label={fix.label} />}
      {fix.hint && <span className="failure-hint">{fix.hint}</span>}
      {fix.command && (
        <span className="muted">
          or run <code className="mono-text">{fix.command}</code>
        </span>
      )}
    </div>
  );
}

function GrantButton({ serverId, grant, value, label }: { serverId: string; grant: (typeof GRANTS)[keyof typeof GRANTS]; value: string; label: string }) {
  const hostState = useHostState();
  const control = useServerControl(serverId);
  const apply = useAction(async () => {
    hostState.upsert(await call('servers:grant', { serverId, [grant]: [value] }));
    // The grant changed the launch: starting asks for consent and shows what changed.
    await control.start.run();
  });
  return (
    <>
      <button type="button" className="btn btn-small btn-primary" disabled={apply.pending} onClick={() => void apply.run()}>
        <Wrench size={13} aria-hidden /> {apply.pending ? 'Applying…' : label}
      </button>
      {apply.error && (
        <span className="inline-error" role="alert">
          {apply.error.message}
        </span>
      )}
    </>
  );
}

function RetryButton({ serverId, label }: { serverId: string; label: string }) {
  const control = useServerControl(serverId);
  return (
    <button type="button" className="btn btn-small" disabled={control.pending} onClick={() => void control.start.run()}>
      {label}
    </button>
  );
}
