// Binds the contract's calls to the host: the handlers the one dispatcher calls, whatever the transport.
import type { Handlers } from '../../shared/dispatch.js';
import type { Audit } from './audit/index.js';
import type { InboxDecision, InboxItem } from '../../shared/domain/inbox.js';
import type { ServerView } from '../../shared/domain/servers.js';
import type { TaskView } from '../../shared/domain/tasks.js';
import type { ServersService } from './servers/index.js';
import { features, type ToolCalls } from './sessions/index.js';
import type { SamplingService } from './sampling/index.js';
import type { ModelSettingsService } from './models/index.js';
import type { TasksService } from './tasks/index.js';
import type { ToolRunner } from './tool-runner.js';
import type { AuthService } from './auth/index.js';
import type { AppsService } from './apps/index.js';
import type { AppearanceService } from './appearance.js';
import type { BundlesService } from './bundles/index.js';
import type { PathPicker } from './ports.js';
import type { UrlVerdict } from '../../shared/domain/elicitation.js';
import type { ToolCallRecord } from '../../shared/domain/tool-calls.js';
import { StewardError } from '../../shared/errors.js';

export interface HandlerDeps {
  servers: ServersService;
  tools: ToolCalls;
  /** Every process's questions; an answer to another's is carried to it. */
  inbox: { list(): InboxItem[]; decide(itemId: string, decision: InboxDecision): Promise<void> };
  audit: Audit;
  sampling: SamplingService;
  tasks: TasksService;
  models: ModelSettingsService;
  runTool: ToolRunner;
  auth: AuthService;
  bundles: BundlesService;
  /** The front end's file and folder chooser, where it has one. */
  pathPicker: PathPicker | undefined;
  /** Actions on what may be another process's: carried to the owner when it lives. */
  cross: { cancelTask(taskId: string): Promise<TaskView>; stopServer(serverId: string): Promise<ServerView> };
  apps: AppsService;
  /** Each server's call history (written by the tool runner). */
  callHistory: {
    page(serverId: string, options: { tool?: string | undefined; beforeId?: number | undefined; limit: number }): ToolCallRecord[];
    clear(serverId: string): void;
  };
  /** Addresses in a server's text: judged by the URL gate, opened by the system browser after the user's yes. */
  links: { check(url: string): UrlVerdict; open(url: string): Promise<UrlVerdict> };
  appearance: AppearanceService;
}

export function createHandlers(host: HandlerDeps): Handlers {
  const { servers, tools, sampling, tasks, models, runTool, auth, bundles, apps } = host;
  const ack = { ok: true as const };
  return {
    'servers:list': () => servers.list(),
    'servers:get': ({ serverId }) => servers.get(serverId),
    'servers:add': async (input) => servers.add(input),
    'servers:update': async ({ serverId, ...patch }) => servers.update(serverId, patch),
    'servers:remove': async ({ serverId }) => {
      await servers.remove(serverId);
      return { ok: true as const };
    },
    'servers:import': async ({ text, fileName }) => servers.import(text, fileName),
    'servers:edit': async ({ serverId, ...edit }) => servers.edit(serverId, edit),
    'servers:clone': async ({ serverId, name }) => servers.clone(serverId, name),
    'servers:export': ({ serverId }) => servers.exportConfig(serverId),
    'servers:parseCommand': ({ text }) => servers.parseCommand(text),
    'servers:start': async ({ serverId }) => servers.start(serverId),
    'servers:stop': async ({ serverId }) => host.cross.stopServer(serverId),
    'servers:restart': async ({ serverId }) => servers.restart(serverId),
    'servers:logs': ({ serverId, limit, beforeId }) => servers.logsPage(serverId, limit, beforeId),
    'servers:ping': async ({ serverId }) => {
      const session = await servers.ensureRunning(serverId);
      const started = performance.now();
      await session.ping();
      return { ms: Math.round((performance.now() - started) * 10) / 10 };
    },
    'servers:setRoots': async ({ serverId, roots }) => servers.setRoots(serverId, roots),
    'servers:grant': async ({ serverId, ...change }) => servers.grant(serverId, change, 'grant'),
    'servers:revoke': async ({ serverId, ...change }) => servers.grant(serverId, change, 'revoke'),
    'servers:upgrade': async ({ serverId }) => servers.upgrade(serverId),
    'bundles:inspect': async ({ fileName, data }) => bundles.inspect(fileName, Buffer.from(data, 'base64')),
    'bundles:install': async ({ stagingId, name, config }) => bundles.install(stagingId, { name, config }),
    'bundles:list': () => Promise.resolve(bundles.list()),
    'bundles:uninstall': async ({ bundleId }) => {
      await bundles.uninstall(bundleId);
      return { ok: true as const };
    },
    'bundles:setEnabled': async ({ bundleId, enabled }) => bundles.setEnabled(bundleId, enabled),
    'paths:pick': async ({ kind, title }) => {
      if (!host.pathPicker) throw new StewardError('not_supported', 'This window cannot open a file chooser; type the full path instead.');
      return { path: await host.pathPicker.pick(kind, title) };
    },
    'consent:get': async ({ serverId }) => servers.consentRequest(serverId),
    'consent:decide': async ({ serverId, hash, decision }) => servers.decideConsent(serverId, hash, decision, 'user'),
    'tools:list': async ({ serverId }) => (await servers.ensureRunning(serverId)).listTools(),
    'tools:call': async (request) => runTool(request),
    'tools:cancel': ({ callId }) => {
      tools.cancel(callId);
      return { ok: true as const };
    },
    'tools:history': ({ serverId, tool, beforeId, limit }) => host.callHistory.page(servers.get(serverId).id, { tool, beforeId, limit }),
    'tools:clearHistory': ({ serverId }) => {
      host.callHistory.clear(servers.get(serverId).id);
      return ack;
    },
    'links:check': ({ url }) => host.links.check(url),
    'links:open': async ({ serverId, url }) => {
      const server = servers.get(serverId);
      const verdict = await host.links.open(url);
      host.audit.record('link.opened', {
        serverId: server.id,
        serverName: server.name,
        actor: 'user',
        summary: `Opened ${verdict.display} from a link in the text of "${server.name}".`,
        data: { url: verdict.display },
      });
      return verdict;
    },
    'servers:features': async ({ serverId }) => features.featuresOf(await servers.ensureRunning(serverId)),
    'servers:wire': ({ serverId, afterSeq, method, limit }) => servers.wire(serverId, { afterSeq, method, limit }),
    'servers:setLogLevel': async ({ serverId, level }) => {
      await features.setLogLevel(await servers.ensureRunning(serverId), level);
      return { ok: true as const };
    },
    'prompts:list': async ({ serverId, cursor }) => features.listPrompts(await servers.ensureRunning(serverId), cursor),
    'prompts:get': async ({ serverId, name, arguments: args }) => features.getPrompt(await servers.ensureRunning(serverId), name, args),
    'resources:list': async ({ serverId, cursor }) => features.listResources(await servers.ensureRunning(serverId), cursor),
    'resources:templates': async ({ serverId, cursor }) => features.listResourceTemplates(await servers.ensureRunning(serverId), cursor),
    'resources:read': async ({ serverId, uri }) => ({ contents: await features.readResource(await servers.ensureRunning(serverId), uri) }),
    'resources:subscribe': async ({ serverId, uri }) => {
      await features.subscribe(await servers.ensureRunning(serverId), uri);
      return { ok: true as const };
    },
    'resources:unsubscribe': async ({ serverId, uri }) => {
      await (await servers.ensureRunning(serverId)).unsubscribe(uri);
      return { ok: true as const };
    },
    'completion:complete': async ({ serverId, ref, argument, context }) => features.complete(await servers.ensureRunning(serverId), ref, argument, context),
    'inbox:list': () => host.inbox.list(),
    'inbox:decide': async ({ itemId, decision }) => {
      await host.inbox.decide(itemId, decision);
      return { ok: true as const };
    },
    'audit:list': (query) => host.audit.list(query),
    'audit:export': ({ serverId, kind, afterId }) => host.audit.exportPage({ serverId, kind }, afterId),
    'sampling:getPolicy': ({ serverId }) => {
      servers.get(serverId);
      return sampling.policy(serverId);
    },
    'sampling:setPolicy': ({ serverId, policy }) => sampling.setPolicy(serverId, servers.get(serverId).name, policy),
    'sampling:loops': ({ serverId, before, limit }) => sampling.listLoops(serverId ?? null, before ?? null, limit),
    'sampling:loop': ({ loopId }) => {
      const loop = sampling.loop(loopId);
      if (!loop) throw new StewardError('not_found', 'There is no such agent loop.');
      return loop;
    },
    'sampling:round': ({ requestId }) => {
      const round = sampling.round(requestId);
      if (!round) throw new StewardError('not_found', 'There is no such sampling round.');
      return round;
    },
    'tasks:list': ({ status, serverId, cursor, limit }) => tasks.list({ status, serverId }, limit, cursor),
    'tasks:get': ({ taskId }) => tasks.detail(taskId),
    'tasks:result': ({ taskId, offset, length }) => tasks.resultPage(taskId, offset, length),
    'tasks:start': async ({ serverId, name, arguments: args, ttlSeconds }) =>
      tasks.start({ serverId, tool: name, arguments: args, ttlMs: ttlSeconds ? ttlSeconds * 1000 : undefined }),
    'tasks:cancel': async ({ taskId }) => host.cross.cancelTask(taskId),
    'auth:get': async ({ serverId }) => auth.view(servers.get(serverId).id),
    'auth:configure': async ({ serverId, config, secrets }) => auth.configure(servers.get(serverId).id, config, secrets),
    'auth:signIn': async ({ serverId, again }) => auth.signIn(servers.get(serverId).id, again ?? false),
    'auth:signOut': async ({ serverId }) => auth.signOut(servers.get(serverId).id),
    'models:get': async () => models.get(),
    'models:set': async (patch) => {
      const { settings: next, changed, key } = await models.set(patch);
      // A change that changes nothing leaves no row.
      if (changed) {
        const keyNote = !key
          ? ''
          : key.outcome === 'left'
            ? ` The model key no longer applies: it was saved for ${key.keyFor}, and the API address is now ${key.addressNow}. It is kept for ${key.keyFor} and not sent to the new address; enter a key again to use it.`
            : ` The model key, saved before any address was chosen and not yet used, now goes to ${key.addressNow} instead of ${key.keyFor}.`;
        host.audit.record('models.settings', {
          actor: 'user',
          summary: `Model settings changed: default ${next.defaultModel}, ${next.enabledModels.length} model(s) enabled.${keyNote}`,
          data: { baseUrl: next.baseUrl, enabledModels: next.enabledModels, defaultModel: next.defaultModel, ...(key ? { key } : {}) },
        });
      }
      return next;
    },
    'models:setKey': async ({ apiKey }) => {
      await models.setKey(apiKey);
      host.audit.record('models.settings', { actor: 'user', summary: apiKey === null ? 'Model key removed.' : 'Model key set.' });
      return models.get();
    },
    'appearance:get': () => host.appearance.get(),
    'appearance:set': (appearance) => host.appearance.set(appearance),
    'apps:open': async ({ serverId, tool, hostOrigin }) => apps.open(servers.get(serverId).id, tool, hostOrigin),
    'apps:request': async ({ viewId, method, params }) => apps.request(viewId, method, params),
    'apps:checkLink': ({ viewId, url }) => apps.checkLink(viewId, url),
    'apps:openLink': async ({ viewId, url }) => apps.openLink(viewId, url),
    'apps:message': ({ viewId, params }) => {
      apps.message(viewId, params);
      return ack;
    },
    'apps:modelContext': ({ viewId, params }) => {
      apps.modelContext(viewId, params);
      return ack;
    },
    'apps:log': ({ viewId, level, text }) => {
      apps.writeLog(viewId, level, text);
      return ack;
    },
    'apps:rejected': ({ viewId, method, reason }) => {
      apps.rejected(viewId, method, reason);
      return ack;
    },
    'apps:close': ({ viewId, reason }) => {
      apps.close(viewId, reason);
      return ack;
    },
  };
}
