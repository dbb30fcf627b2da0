// The servers the user has added, live: what runs, what waits for approval, what failed.
import { FileUp, Plus, Server } from 'lucide-react';
import { useState, type DragEvent } from 'react';
import { AddServerDialog, type AddTab } from '../components/AddServerDialog.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { EmptyState, ErrorNote, Loading } from '../components/States.js';
import { plural } from '../lib/format.js';
import { useHostState } from '../lib/host-state.js';
import { ServerRow } from './ServerRow.js';
import './servers.css';

export function ServersScreen() {
  const { servers, reload } = useHostState();
  const [adding, setAdding] = useState<AddTab | null>(null);
  const [dropped, setDropped] = useState<File | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  // A bundle dropped anywhere on the screen opens its install screen.
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = [...e.dataTransfer.files].find((f) => /\.(mcpb|dxt)$/i.test(f.name));
    if (!file) return;
    setDropped(file);
    setAdding('bundle');
  };
  const list = servers.state === 'ready' ? servers.data : [];
  const running = list.filter((s) => s.status === 'running').length;
  const waiting = list.filter((s) => s.status === 'awaiting_consent').length;

  return (
    <div
      className={`screen-drop${dragging ? ' screen-drop-active' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <ScreenHeader
        title="Servers"
        subtitle={
          servers.state === 'ready' && list.length > 0
            ? [plural(list.length, 'server'), `${running} running`, waiting > 0 ? `${waiting} waiting for your approval` : ''].filter(Boolean).join(' · ')
            : 'MCP servers Steward runs or connects to'
        }
        actions={
          <>
            <button type="button" className="btn" onClick={() => setAdding('import')}>
              <FileUp size={14} aria-hidden /> Import
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setAdding('local')}>
              <Plus size={14} aria-hidden /> Add server
            </button>
          </>
        }
      />
      <div className="screen-body">
        {servers.state === 'loading' && <Loading label="Loading servers…" />}
        {servers.state === 'error' && <ErrorNote title="Steward could not list the servers." error={servers.error} onRetry={reload} />}
        {servers.state === 'ready' && list.length === 0 && (
          <EmptyState
            icon={Server}
            title="No servers yet"
            actions={
              <>
                <button type="button" className="btn btn-primary" onClick={() => setAdding('local')}>
                  <Plus size={14} aria-hidden /> Add a server
                </button>
                <button type="button" className="btn" onClick={() => setAdding('import')}>
                  <FileUp size={14} aria-hidden /> Import from Claude Desktop, VS Code or Cursor
                </button>
              </>
            }
          >
            Add a local program or a remote HTTP server. Nothing runs until you have seen its exact command and allowed it.
          </EmptyState>
        )}
        {servers.state === 'ready' && list.length > 0 && (
          <table className="table servers-table">
            <thead>
              <tr>
                <th className="col-status">Status</th>
                <th className="col-name">Server</th>
                <th className="col-transport">Transport</th>
                <th className="col-sandbox">Sandbox</th>
                <th className="col-memory num">Memory</th>
                <th className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            {list.map((server) => (
              <ServerRow key={server.id} server={server} />
            ))}
          </table>
        )}
      </div>
      {adding && (
        <AddServerDialog
          tab={adding}
          onTab={setAdding}
          bundleFile={dropped}
          onClose={() => {
            setAdding(null);
            setDropped(undefined);
          }}
        />
      )}
    </div>
  );
}
