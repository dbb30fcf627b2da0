// The composition root's small parts: each builds one service's port from the repos or services that answer it, so
// createHost only connects them and each can be read and tested alone.
import { StewardError } from '../../shared/errors.js';
import type { ViewServer } from './apps/index.js';
import type { Audit } from './audit/index.js';
import { bundledServers, type BundledRuntime } from './defaults.js';
import type { SecretStore } from './ports.js';
import type { ServerRecords, ServersService } from './servers/index.js';
import type { CrossProcessRecords } from './cross-process.js';
import type { HostCapabilities, McpSession, ToolCallDeps } from './sessions/index.js';
import type { ServersRepo, SettingsRepo, Store, TasksRepo } from './store/index.js';
import type { ServerTraffic } from './server-requests.js';

/** The rows and secrets the servers domain keeps, out of the host's one store. */
export function serverRecords(store: Store, secrets: SecretStore): ServerRecords {
  const { servers, consents, logs, processes, owners, settings, transaction } = store;
  return { servers, consents, logs, processes, owners, settings, transaction, secrets };
}

/** The shared records the cross-process layer reads, out of the host's one store. */
export function crossProcessRecords(store: Store): CrossProcessRecords {
  const { changes, inbox, owners, processes, servers, tasks } = store;
  return { changes, inbox, owners, processes, servers, tasks };
}

/** What Steward offers each server when it connects: sampling with tools only where the server's policy allows them. */
export function hostCapabilities(allowTools: (serverId: string) => boolean): (serverId: string) => HostCapabilities {
  return (serverId) => ({
    sampling: { tools: allowTools(serverId) },
    elicitation: { form: true, url: true },
    taskRequests: ['sampling/createMessage', 'elicitation/create'],
    apps: true,
  });
}

type ServerRows = Pick<ServersRepo, 'get'>;

/** The name and address of a remote server, for its sign-in; none for a local (stdio) server or one that is gone. */
export function remoteServerOf(servers: ServerRows): (serverId: string) => { name: string; url: string } | undefined {
  return (serverId) => {
    const record = servers.get(serverId);
    return record && record.config.transport === 'http' ? { name: record.name, url: record.config.url } : undefined;
  };
}

/** The name and transport of a server, for the tasks it runs. */
export function taskServerOf(servers: ServerRows): (serverId: string) => { name: string; transport: 'stdio' | 'http' } | undefined {
  return (serverId) => {
    const record = servers.get(serverId);
    return record ? { name: record.name, transport: record.config.transport } : undefined;
  };
}

/**
 * The task of ours a server's question belongs to (its related-task id names the server's own task). A server's ids may
 * repeat across Steward processes running it, so this process's own task is the one taken.
 */
export function relatedTaskOf(
  tasks: Pick<TasksRepo, 'byRemote'>,
  self: { pid: number; started: string },
): (serverId: string, remoteTaskId: string) => { taskId: string; label: string } | null {
  return (serverId, remoteTaskId) => {
    const row = tasks.byRemote(serverId, 'outgoing', remoteTaskId, self);
    return row ? { taskId: row.id, label: row.label } : null;
  };
}

type LiveServers = Pick<ServersService, 'liveSession' | 'ensureRunning'>;

/** The session a view's request goes to: never one the user stopped; one stopped for being idle starts again as for any call. */
export function viewSession(servers: LiveServers, rows: ServerRows): (serverId: string) => Promise<McpSession> {
  return async (serverId) => {
    const live = servers.liveSession(serverId);
    if (live) return live;
    if (rows.get(serverId)?.desiredState !== 'running') {
      throw new StewardError('server_not_running', 'The server is stopped; start it again to use its view.');
    }
    return servers.ensureRunning(serverId);
  };
}

/**
 * What a view's server is now: where it runs, and its stored launch or address as one comparable string. The launch
 * holds the exact package versions it runs too: new ones (an update) are new code, consented to again as a new command is.
 */
export function viewServerOf(rows: ServerRows): (serverId: string) => (ViewServer & { launch: string }) | undefined {
  return (serverId) => {
    const record = rows.get(serverId);
    if (!record) return undefined;
    const pins = record.pins.map((p) => JSON.stringify([p.ecosystem, p.name, p.version, p.integrity])).sort();
    const launch = JSON.stringify({ config: record.config, pins });
    return record.config.transport === 'http' ? { transport: 'http', url: record.config.url, launch } : { transport: 'stdio', launch };
  };
}

/** A view's sampling request takes the server's own path: the same validation, visibility, policy, budgets and inbox. */
export function viewSampler(
  traffic: Pick<ServerTraffic, 'request'>,
): (serverId: string, session: McpSession, params: unknown, signal: AbortSignal) => Promise<Record<string, unknown>> {
  return (serverId, session, params, signal) =>
    traffic.request(serverId, 'sampling/createMessage', params, {
      sessionKey: session.key,
      samplingTools: false,
      taskAugmentation: false,
      protocolVersion: session.info.protocolVersion ?? '',
      signal,
      sessionSignal: session.ended,
    });
}

/** A tool call's server: connected (started if needed), marked in use until released, with its name and timeout. */
export function toolAcquirer(servers: Pick<ServersService, 'ensureRunning' | 'callSettings' | 'beginUse'>): ToolCallDeps['acquire'] {
  return async (serverId) => {
    const session = await servers.ensureRunning(serverId);
    const { name, toolTimeoutSeconds } = servers.callSettings(serverId);
    return { session, release: servers.beginUse(serverId), timeoutSeconds: toolTimeoutSeconds, serverName: name };
  };
}

/** A tool call's outcome on the audit record: its argument names, never their values. */
export function toolCallRecorder(audit: Pick<Audit, 'recordSoon'>): ToolCallDeps['record'] {
  return (entry) =>
    audit.recordSoon('tool.called', {
      serverId: entry.serverId,
      serverName: entry.serverName,
      actor: 'user',
      summary: `Called ${entry.tool} on "${entry.serverName}": ${entry.outcome} in ${entry.ms} ms.`,
      data: { tool: entry.tool, argumentNames: entry.argumentNames, outcome: entry.outcome, ms: entry.ms },
    });
}

/** Registers the bundled example servers once per data folder. */
export async function registerBundled(
  settings: Pick<SettingsRepo, 'get' | 'put'>,
  rows: Pick<ServersRepo, 'findByName'>,
  servers: Pick<ServersService, 'add'>,
  bundled: { examplesDir: string; runtime: BundledRuntime },
): Promise<void> {
  if (settings.get('bundled.registered')) return;
  for (const input of bundledServers(bundled.examplesDir, bundled.runtime)) {
    // Another Steward starting on a fresh data folder at the same moment may register it first.
    if (!rows.findByName(input.name)) {
      await servers.add(input, 'bundled', 'host').catch((error: unknown) => {
        if (!(error instanceof StewardError && error.code === 'name_taken')) throw error;
      });
    }
  }
  settings.put('bundled.registered', true);
}
