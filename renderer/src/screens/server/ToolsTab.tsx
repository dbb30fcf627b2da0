// A server's tools: the list on the left (filtered by what is typed), the selected tool's form, call and result on the
// right. `tool` in the address opens on that tool.
import { Wrench } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { FilterInput } from '../../components/FilterInput.js';
import { PickList } from '../../components/PickList.js';
import { EmptyState, ErrorNote, Loading } from '../../components/States.js';
import { call, subscribe } from '../../lib/steward.js';
import { useLoad } from '../../lib/use-load.js';
import { useSessionState } from '../../lib/session-state.js';
import { matchesQuery } from '../../lib/text-match.js';
import { NeedsRunning } from './NeedsRunning.js';
import { ToolRunner } from './ToolRunner.js';
import './server-tabs.css';

export function ToolsTab({ server, tool }: { server: ServerView; tool?: string | undefined }) {
  return (
    <NeedsRunning server={server} what="tools">
      <ToolsPanel server={server} opened={tool} />
    </NeedsRunning>
  );
}

function ToolsPanel({ server, opened }: { server: ServerView; opened: string | undefined }) {
  const [changes, setChanges] = useState(0);
  useEffect(() => subscribe('tools:changed', ({ serverId }) => serverId === server.id && setChanges((n) => n + 1)), [server.id]);
  const running = server.status === 'running';
  const [tools, reload] = useLoad(() => call('tools:list', { serverId: server.id }), [server.id, changes, running]);
  const [selected, setSelected] = useSessionState<string | null>(`tools-selected:${server.id}`, null);
  const [query, setQuery] = useSessionState(`tools-filter:${server.id}`, '');
  useEffect(() => {
    if (opened !== undefined) setSelected(opened);
  }, [opened, setSelected]);

  if (tools.state === 'loading') return <Loading label={running ? 'Loading tools…' : `Starting “${server.name}” to list its tools…`} />;
  if (tools.state === 'error') return <ErrorNote title="Steward could not list the tools." error={tools.error} onRetry={reload} />;
  if (tools.data.length === 0) return <EmptyState icon={Wrench} title="This server offers no tools" />;
  const tool = tools.data.find((t) => t.name === selected);
  const shown = tools.data.filter((t) => matchesQuery(query, [t.name, t.title, t.description]));
  return (
    <div className="split">
      <div className="split-side">
        {tools.data.length > 8 && <FilterInput label="Filter tools" value={query} onChange={setQuery} found={shown.length} />}
        <PickList
          label="Tools"
          items={shown.map((t) => ({ key: t.name, name: t.name, title: t.title, description: t.description }))}
          selected={selected}
          onSelect={setSelected}
        />
      </div>
      <div className="split-main">
        {tool ? (
          <ToolRunner key={tool.name} serverId={server.id} tool={tool} />
        ) : (
          <p className="muted pane-hint">Choose a tool to see what it takes and to call it.</p>
        )}
      </div>
    </div>
  );
}
