// The screens in the sidebar. A new screen is one more entry here.
import { Inbox, ListChecks, Repeat, ScrollText, Server, Settings, Wrench, type LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import type { HostState } from './lib/host-state.js';
import { AuditScreen } from './screens/AuditScreen.js';
import { InboxScreen } from './screens/InboxScreen.js';
import { LoopDetailScreen } from './screens/LoopDetailScreen.js';
import { LoopsScreen } from './screens/LoopsScreen.js';
import { ServerDetailScreen } from './screens/ServerDetailScreen.js';
import { ServersScreen } from './screens/ServersScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { TaskDetailScreen } from './screens/TaskDetailScreen.js';
import { TasksScreen } from './screens/TasksScreen.js';
import { ToolSearchScreen } from './screens/ToolSearchScreen.js';

export interface RouteEntry {
  /** First path segment: #/<id>/... */
  id: string;
  label: string;
  icon: LucideIcon;
  /** A count shown next to the label; 0 shows nothing. `word` says what it counts ("3 waiting"). */
  badge?: { count: (state: HostState) => number; word: string; tone: 'attention' | 'busy' };
  /** Gets the path segments after the id. */
  render: (params: string[]) => ReactNode;
}

export const ROUTES: readonly [RouteEntry, ...RouteEntry[]] = [
  {
    id: 'servers',
    label: 'Servers',
    icon: Server,
    render: ([serverId, tab, item]) => (serverId ? <ServerDetailScreen key={serverId} serverId={serverId} tab={tab} item={item} /> : <ServersScreen />),
  },
  { id: 'tools', label: 'Tools', icon: Wrench, render: () => <ToolSearchScreen /> },
  {
    id: 'inbox',
    label: 'Inbox',
    icon: Inbox,
    badge: { count: (state) => state.inbox.length, word: 'waiting', tone: 'attention' },
    render: () => <InboxScreen />,
  },
  {
    id: 'tasks',
    label: 'Tasks',
    icon: ListChecks,
    badge: { count: (state) => state.activeTasks, word: 'running', tone: 'busy' },
    render: ([taskId]) => (taskId ? <TaskDetailScreen key={taskId} taskId={taskId} /> : <TasksScreen />),
  },
  {
    id: 'loops',
    label: 'Loops',
    icon: Repeat,
    render: ([loopId]) => (loopId ? <LoopDetailScreen key={loopId} loopId={loopId} /> : <LoopsScreen />),
  },
  { id: 'audit', label: 'Audit', icon: ScrollText, render: () => <AuditScreen /> },
  { id: 'settings', label: 'Settings', icon: Settings, render: ([serverId]) => <SettingsScreen serverId={serverId} /> },
];
