// One server in the list: status, name and command, transport, sandbox, memory, start/stop, and its last error.
import { ShieldCheck, ShieldOff } from 'lucide-react';
import type { ServerView } from '../../../shared/domain/servers.js';
import { LastError } from '../components/LastError.js';
import { controlError, ServerButtons } from '../components/ServerButtons.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatMemory, ownerWords } from '../lib/format.js';
import { href } from '../lib/router.js';
import { useServerControl } from '../lib/use-server-control.js';

export function launchText(server: ServerView): string {
  return server.transport === 'stdio' ? [server.command ?? '', ...(server.args ?? [])].join(' ') : (server.url ?? '');
}

export function ServerRow({ server }: { server: ServerView }) {
  const control = useServerControl(server.id);
  const pressError = server.status === 'running' ? null : controlError(control);
  // A classified failure kept with the server says more than the error of the button press that met it.
  const error =
    pressError && !server.lastError?.failure ? { code: pressError.code, message: pressError.message, stderrTail: [], failure: undefined } : server.lastError;
  return (
    <tbody className="server-row" data-server={server.name}>
      <tr>
        <td className="col-status">
          <StatusBadge status={server.status} />
        </td>
        <td className="col-name">
          <a className="server-link" href={href('servers', server.id)}>
            {server.name}
          </a>
          <code className="row-command" title={launchText(server)}>
            {launchText(server)}
          </code>
          {server.elsewhere && server.elsewhere.length > 0 && (
            <span className="row-elsewhere muted">Also running in {server.elsewhere.map(ownerWords).join(', ')}</span>
          )}
        </td>
        <td className="col-transport">{server.transport === 'stdio' ? 'stdio' : 'HTTP'}</td>
        <td className="col-sandbox">
          {server.transport === 'http' ? (
            <span className="muted" title="Remote servers run elsewhere">
              —
            </span>
          ) : server.sandbox.enabled ? (
            <span className="sandbox-tag sandbox-on">
              <ShieldCheck size={14} aria-hidden /> on
            </span>
          ) : (
            <span className="sandbox-tag sandbox-off">
              <ShieldOff size={14} aria-hidden /> OFF
            </span>
          )}
        </td>
        <td className="col-memory num">{formatMemory(server.rssBytes)}</td>
        <td className="col-actions">
          <div className="row-actions">
            <ServerButtons server={server} control={control} />
          </div>
        </td>
      </tr>
      {error && (
        <tr className="row-error">
          <td />
          <td colSpan={5}>
            <LastError code={error.code} message={error.message} stderrTail={error.stderrTail} failure={error.failure} serverId={server.id} />
          </td>
        </tr>
      )}
    </tbody>
  );
}
