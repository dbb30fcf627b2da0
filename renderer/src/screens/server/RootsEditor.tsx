// The folders shared with a server as MCP roots: each change is saved at once and the server is told.
import { FolderOpen, Plus, X } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import type { Root, ServerView } from '../../../../shared/domain/servers.js';
import { IconButton } from '../../components/IconButton.js';
import { useHostState } from '../../lib/host-state.js';
import { call } from '../../lib/steward.js';
import { useAction } from '../../lib/use-action.js';

export function RootsEditor({ server }: { server: ServerView }) {
  const { upsert } = useHostState();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const save = useAction(async (roots: Root[]) => upsert(await call('servers:setRoots', { serverId: server.id, roots })));
  const add = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!(await save.run([...server.roots, { path: path.trim(), ...(name.trim() ? { name: name.trim() } : {}) }]))) return;
    setPath('');
    setName('');
  };

  return (
    <div className="roots">
      {server.roots.length === 0 ? (
        <p className="muted">No folders shared.</p>
      ) : (
        <ul className="roots-list plain-list vstack">
          {server.roots.map((root) => (
            <li key={root.path} className="roots-item">
              <FolderOpen size={14} aria-hidden />
              <code className="mono-text">{root.path}</code>
              {root.name && <span className="muted">{root.name}</span>}
              <IconButton
                icon={X}
                label={`Stop sharing ${root.path}`}
                disabled={save.pending}
                onClick={() => void save.run(server.roots.filter((r) => r.path !== root.path))}
              />
            </li>
          ))}
        </ul>
      )}
      <form className="roots-add" onSubmit={(e) => void add(e)} aria-label="Share a folder">
        <input
          className="input mono"
          aria-label="Folder to share (absolute path)"
          placeholder="/home/you/projects/site"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          spellCheck={false}
          required
        />
        <input
          className="input input-name"
          aria-label="Name shown to the server (optional)"
          placeholder="name (optional)"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="btn" disabled={save.pending}>
          <Plus size={14} aria-hidden /> Share folder
        </button>
      </form>
      {save.error && (
        <p className="inline-error" role="alert">
          {save.error.message}
        </p>
      )}
    </div>
  );
}
