// A server's tools: the list on the left, the selected tool's arguments, call and result on the right.
import { Wrench } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { EmptyState, ErrorNote, Loading } from '../../components/States.js';
import { call, subscribe } from '../../lib/steward.js';
import { useLoad } from '../../lib/use-load.js';
import { useSessionState } from '../../lib/session-state.js';
import { NeedsRunning } from './NeedsRunning.js';
import { ToolRunner } from './ToolRunner.js';
import './server-tabs.css';

export function ToolsTab({ server }: { server: ServerView }) {
  return (
    <NeedsRunning server={server} what="tools">
      <ToolsPanel server={server} />
    </NeedsRunning>
  );
}

function ToolsPanel({ server }: { server: ServerView }) {
  const [changes, setChanges] = useState(0);
  useEffect(() => subscribe('tools:changed', ({ serverId }) => serverId === server.id && setChanges((n) => n + 1)), [server.id]);
  const running = server.status === 'running';
  const [tools, reload] = useLoad(() => call('tools:list', { serverId: server.id }), [server.id, changes, running]);
  const [selected, setSelected] = useSessionState<string | null>(`tools-selected:${server.id}`, null);

  if (tools.state === 'loading') return <Loading label={running ? 'Loading tools…' : `Starting “${server.name}” to list its tools…`} />;
  if (tools.state === 'error') return <ErrorNote title="Steward could not list the tools." error={tools.error} onRetry={reload} />;
  if (tools.data.length === 0) return <EmptyState icon={Wrench} title="This server offers no tools" />;
  const tool = tools.data.find((t) => t.name === selected);
  return (
    <div className="split">
      <ul className="pick-list" aria-label="Tools">
        {tools.data.map((t) => (
          <li key={t.name}>
            <button type="button" className="pick-item" aria-current={t.name === selected ? 'true' : undefined} onClick={() => setSelected(t.name)}>
              <span className="pick-name mono-text">{t.name}</span>
              {t.title && t.title !== t.name && <span className="pick-title">{t.title}</span>}
              {t.description && <span className="pick-description">{t.description}</span>}
            </button>
          </li>
        ))}
      </ul>
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
