// Every tool of every running server, searched by name, title and description; a match opens in its server's Tools tab.
// Stopped servers are not started to be searched: the screen says how many were left out.
import { Wrench } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { ToolView } from '../../../shared/domain/mcp.js';
import type { ServerView } from '../../../shared/domain/servers.js';
import { FilterInput } from '../components/FilterInput.js';
import { PickList } from '../components/PickList.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { EmptyState, ErrorNote, Loading } from '../components/States.js';
import { useHostState } from '../lib/host-state.js';
import { navigate } from '../lib/router.js';
import { useSessionState } from '../lib/session-state.js';
import { call, subscribe } from '../lib/steward.js';
import { matchesQuery } from '../lib/text-match.js';
import { useLoad } from '../lib/use-load.js';
import './server/server-tabs.css';

interface ServerTools {
  server: ServerView;
  tools: ToolView[] | null;
}

export function ToolSearchScreen() {
  const { servers } = useHostState();
  const [query, setQuery] = useSessionState('tool-search', '');
  const [changes, setChanges] = useState(0);
  useEffect(() => subscribe('tools:changed', () => setChanges((n) => n + 1)), []);
  const running = servers.state === 'ready' ? servers.data.filter((s) => s.status === 'running') : [];
  const runningKey = running.map((s) => s.id).join(',');
  const [found, reload] = useLoad(
    // A server that fails to list is left out rather than failing the search: the others still answer.
    () =>
      Promise.all(
        running.map(async (server): Promise<ServerTools> => ({ server, tools: await call('tools:list', { serverId: server.id }).catch(() => null) })),
      ),
    [runningKey, changes],
  );
  const stopped = servers.state === 'ready' ? servers.data.length - running.length : 0;

  return (
    <div className="screen">
      <ScreenHeader title="Tools" subtitle="Every tool of the running servers, by name, title and description." />
      <div className="tool-search">
        <FilterInput label="Search tools" value={query} onChange={setQuery} autoFocus found={found.state === 'ready' ? count(found.data, query) : undefined} />
        {stopped > 0 && (
          <p className="muted">
            {stopped === 1 ? 'One server is' : `${stopped} servers are`} not running; {stopped === 1 ? 'its' : 'their'} tools are not searched.
          </p>
        )}
        {found.state === 'loading' && <Loading label="Listing the tools…" />}
        {found.state === 'error' && <ErrorNote title="Steward could not list the tools." error={found.error} onRetry={reload} />}
        {found.state === 'ready' && running.length === 0 && <EmptyState icon={Wrench} title="No server is running" />}
        {found.state === 'ready' &&
          found.data.map(({ server, tools }) => {
            const matches = (tools ?? []).filter((t) => matchesQuery(query, [t.name, t.title, t.description]));
            if (tools !== null && matches.length === 0) return null;
            return (
              <section key={server.id} aria-label={`Tools of ${server.name}`}>
                <h2 className="section-title">{server.name}</h2>
                {tools === null ? (
                  <p className="muted">Steward could not list this server’s tools.</p>
                ) : (
                  <PickList
                    label={`Tools of ${server.name}`}
                    items={matches.map((t) => ({ key: t.name, name: t.name, title: t.title, description: t.description }))}
                    selected={null}
                    onSelect={(name) => navigate('servers', server.id, 'tools', name)}
                  />
                )}
              </section>
            );
          })}
        {found.state === 'ready' && running.length > 0 && count(found.data, query) === 0 && <p className="muted">No tool matches “{query}”.</p>}
      </div>
    </div>
  );
}

function count(found: ServerTools[], query: string): number {
  return found.reduce((n, { tools }) => n + (tools ?? []).filter((t) => matchesQuery(query, [t.name, t.title, t.description])).length, 0);
}
