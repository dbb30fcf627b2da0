// Binds the contract's calls to the host: the handlers the one dispatcher calls, whatever the transport.
import type { Handlers } from '../../shared/dispatch.js';
import type { Audit } from './audit/index.js';
import type { Inbox } from './inbox/index.js';
import type { ServersService } from './servers/index.js';
import type { ToolCalls } from './sessions/index.js';

export interface HandlerDeps {
  servers: ServersService;
  tools: ToolCalls;
  inbox: Inbox;
  audit: Audit;
}

export function createHandlers(host: HandlerDeps): Handlers {
  const { servers, tools } = host;
  return {
    'servers:list': async () => servers.list(),
    'servers:get': async ({ serverId }) => servers.get(serverId),
    'servers:add': async (input) => servers.add(input),
    'servers:update': async ({ serverId, ...patch }) => servers.update(serverId, patch),
    'servers:remove': async ({ serverId }) => {
      await servers.remove(serverId);
      return { ok: true as const };
    },
    'servers:import': async ({ text, fileName }) => servers.import(text, fileName),
    'servers:start': async ({ serverId }) => servers.start(serverId),
    'servers:stop': async ({ serverId }) => servers.stop(serverId),
    'servers:restart': async ({ serverId }) => servers.restart(serverId),
    'servers:logs': async ({ serverId, limit, beforeId }) => servers.logsPage(serverId, limit, beforeId),
    'servers:ping': async ({ serverId }) => {
      const session = await servers.ensureRunning(serverId);
      const started = performance.now();
      await session.ping();
      return { ms: Math.round((performance.now() - started) * 10) / 10 };
    },
    'servers:setRoots': async ({ serverId, roots }) => servers.setRoots(serverId, roots),
    'consent:get': async ({ serverId }) => servers.consentRequest(serverId),
    'consent:decide': async ({ serverId, hash, decision }) => servers.decideConsent(serverId, hash, decision, 'user'),
    'tools:list': async ({ serverId }) => (await servers.ensureRunning(serverId)).listTools(),
    'tools:call': async (request) => tools.call(request),
    'tools:cancel': async ({ callId }) => {
      tools.cancel(callId);
      return { ok: true as const };
    },
    'prompts:list': async ({ serverId }) => (await servers.ensureRunning(serverId)).listPrompts(),
    'resources:list': async ({ serverId }) => (await servers.ensureRunning(serverId)).listResources(),
    'inbox:list': async () => host.inbox.list(),
    'inbox:decide': async ({ itemId, decision }) => {
      await host.inbox.decide(itemId, decision);
      return { ok: true as const };
    },
    'audit:list': async (query) => host.audit.list(query),
  };
}
