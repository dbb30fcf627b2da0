// The tools of a server that have views, read only while the server runs (showing a record never starts a server).
import type { ToolView } from '../../../../shared/domain/mcp.js';
import { useHostState } from '../../lib/host-state.js';
import { call, subscribe } from '../../lib/steward.js';
import { useLoad } from '../../lib/use-load.js';
import { useEffect } from 'react';

export function useViewTools(serverId: string): Map<string, ToolView> {
  const { servers } = useHostState();
  const running = servers.state === 'ready' && servers.data.some((s) => s.id === serverId && s.status === 'running');
  const [tools, reload] = useLoad(() => (running ? call('tools:list', { serverId }) : Promise.resolve([])), [serverId, running]);
  useEffect(() => subscribe('tools:changed', (changed) => changed.serverId === serverId && reload()), [serverId, reload]);
  const data = tools.state === 'ready' ? tools.data : [];
  return new Map(data.filter((t) => t.ui?.resourceUri !== undefined).map((t) => [t.name, t]));
}
