// One server: who it is, how it runs, and tabs for its tools, prompts, resources, log, settings and (remote) sign-in.
import * as Tabs from '@radix-ui/react-tabs';
import { ChevronLeft, Server } from 'lucide-react';
import type { ReactNode } from 'react';
import type { ServerView } from '../../../shared/domain/servers.js';
import { Facts } from '../components/Facts.js';
import { LastError } from '../components/LastError.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { controlError, ServerButtons } from '../components/ServerButtons.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { EmptyState, ErrorNote, Loading } from '../components/States.js';
import { formatMemory } from '../lib/format.js';
import { useHostState } from '../lib/host-state.js';
import { href, navigate } from '../lib/router.js';
import { useServerControl } from '../lib/use-server-control.js';
import { launchText } from './ServerRow.js';
import { LogTab } from './server/LogTab.js';
import { PromptsTab } from './server/PromptsTab.js';
import { ResourcesTab } from './server/ResourcesTab.js';
import { SettingsTab } from './server/SettingsTab.js';
import { SignInTab } from './server/SignInTab.js';
import { ToolsTab } from './server/ToolsTab.js';
import { WireTab } from './server/WireTab.js';
import './servers.css';

interface Tab {
  id: string;
  label: string;
  /** `item`: what the tab opens on (a resource's URI in Resources). */
  render: (server: ServerView, item: string | undefined) => ReactNode;
  /** Only for some servers (all when absent). */
  shows?: (server: ServerView) => boolean;
}

const TABS: readonly Tab[] = [
  { id: 'tools', label: 'Tools', render: (s, item) => <ToolsTab server={s} tool={item} /> },
  { id: 'prompts', label: 'Prompts', render: (s) => <PromptsTab server={s} /> },
  { id: 'resources', label: 'Resources', render: (s, item) => <ResourcesTab server={s} uri={item} /> },
  { id: 'log', label: 'Log', render: (s) => <LogTab server={s} /> },
  { id: 'wire', label: 'Wire', render: (s) => <WireTab server={s} /> },
  { id: 'sign-in', label: 'Sign-in', render: (s) => <SignInTab server={s} />, shows: (s) => s.transport === 'http' },
  { id: 'settings', label: 'Settings', render: (s) => <SettingsTab server={s} /> },
];

const tabsOf = (server: ServerView) => TABS.filter((t) => t.shows?.(server) ?? true);

const BACK = (
  <a className="back-link" href={href('servers')}>
    <ChevronLeft size={14} aria-hidden /> Servers
  </a>
);

export function ServerDetailScreen({ serverId, tab, item }: { serverId: string; tab: string | undefined; item?: string | undefined }) {
  const { servers, reload } = useHostState();
  if (servers.state === 'loading') return <Loading label="Loading the server…" />;
  if (servers.state === 'error') return <ErrorNote title="Steward could not load the servers." error={servers.error} onRetry={reload} />;
  const server = servers.data.find((s) => s.id === serverId);
  if (!server) {
    return (
      <EmptyState icon={Server} title="This server no longer exists" actions={BACK}>
        It may have been removed from another window or from the command line.
      </EmptyState>
    );
  }
  return <ServerDetail server={server} tab={tabsOf(server).find((t) => t.id === tab)?.id ?? 'tools'} item={item} />;
}

function ServerDetail({ server, tab, item }: { server: ServerView; tab: string; item: string | undefined }) {
  const control = useServerControl(server.id);
  const pressError = server.status === 'running' ? null : controlError(control);
  // A classified failure kept with the server says more than the error of the button press that met it.
  const error =
    pressError && !server.lastError?.failure ? { code: pressError.code, message: pressError.message, stderrTail: [], failure: undefined } : server.lastError;
  const tabs = tabsOf(server);
  return (
    <div className="detail">
      <ScreenHeader
        before={BACK}
        title={
          <>
            {server.name} <StatusBadge status={server.status} />
          </>
        }
        subtitle={<ServerFacts server={server} />}
        actions={<ServerButtons server={server} control={control} restart />}
      />
      <div className="detail-summary">
        <pre className="code-block launch-line" tabIndex={0} aria-label={server.transport === 'stdio' ? 'Configured command' : 'Server URL'}>
          {launchText(server)}
        </pre>
        {error && <LastError code={error.code} message={error.message} stderrTail={error.stderrTail} failure={error.failure} serverId={server.id} />}
        {server.instructions && (
          <details className="disclosure">
            <summary>Instructions from the server</summary>
            <p className="instructions">{server.instructions}</p>
          </details>
        )}
      </div>
      <Tabs.Root className="detail-tabs" value={tab} onValueChange={(next) => navigate('servers', server.id, next)}>
        <Tabs.List className="tab-list" aria-label={`${server.name} sections`}>
          {tabs.map((t) => (
            <Tabs.Trigger key={t.id} className="tab" value={t.id}>
              {t.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {tabs.map((t) => (
          <Tabs.Content key={t.id} className="tab-panel" value={t.id}>
            {t.render(server, t.id === tab ? item : undefined)}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </div>
  );
}

/** The MCP revision in use and its era, e.g. "2026-07-28 (modern)"; the setting when it is pinned. */
function protocolText(server: ServerView): string {
  const pinned = server.options.protocolEra === 'auto' ? '' : `, pinned to ${server.options.protocolEra}`;
  return server.era ? `${server.protocolVersion ?? ''} (${server.era}${pinned})` : `—${pinned ? ` (${pinned.slice(2)})` : ''}`;
}

function ServerFacts({ server }: { server: ServerView }) {
  const facts: Array<[string, string]> = [
    ['Transport', server.transport === 'stdio' ? 'stdio' : 'Streamable HTTP'],
    ...(server.transport === 'stdio'
      ? ([
          ['pid', server.pid === null ? '—' : String(server.pid)],
          ['Memory', formatMemory(server.rssBytes)],
        ] as Array<[string, string]>)
      : []),
    ['Protocol', protocolText(server)],
    ['Server', server.serverInfo ? `${server.serverInfo.title ?? server.serverInfo.name} ${server.serverInfo.version}` : '—'],
    ...(server.restarts > 0 ? ([['Restarts', String(server.restarts)]] as Array<[string, string]>) : []),
  ];
  return <Facts facts={facts} />;
}
