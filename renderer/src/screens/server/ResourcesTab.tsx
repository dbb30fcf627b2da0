// The resources a server lists: name, URI and type.
import { FileText } from 'lucide-react';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { EmptyState, ErrorNote, Loading } from '../../components/States.js';
import { call } from '../../lib/steward.js';
import { useLoad } from '../../lib/use-load.js';
import { NeedsRunning } from './NeedsRunning.js';

export function ResourcesTab({ server }: { server: ServerView }) {
  return (
    <NeedsRunning server={server} what="resources">
      <ResourcesList server={server} />
    </NeedsRunning>
  );
}

function ResourcesList({ server }: { server: ServerView }) {
  const [resources, reload] = useLoad(() => call('resources:list', { serverId: server.id }), [server.id, server.status === 'running']);
  if (resources.state === 'loading') return <Loading label="Loading resources…" />;
  if (resources.state === 'error') return <ErrorNote title="Steward could not list the resources." error={resources.error} onRetry={reload} />;
  if (resources.data.length === 0) return <EmptyState icon={FileText} title="This server lists no resources" />;
  return (
    <div className="scroll-pane">
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>URI</th>
            <th>Type</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          {resources.data.map((r) => (
            <tr key={r.uri}>
              <td>{r.title ?? r.name}</td>
              <td className="mono-text break">{r.uri}</td>
              <td className="mono-text">{r.mimeType ?? '—'}</td>
              <td>{r.description ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
