// Routes what servers send the host — requests (sampling, elicitation, tasks/*) and the notifications it acts on — to
// the module that answers, running a request as a task when the server asks and the host declared it.
import { ProtocolError } from '@modelcontextprotocol/client';
import type { LogLine } from '../../shared/domain/servers.js';
import { samplingToolsForModel } from './apps/index.js';
import type { ElicitationService } from './elicitation/index.js';
import type { SamplingService } from './sampling/index.js';
import type { McpSession, ServerNotificationMethod, ServerRequestInfo } from './sessions/index.js';
import type { TasksService } from './tasks/index.js';

export interface ServerRequestDeps {
  sampling: SamplingService;
  elicitation: ElicitationService;
  tasks: TasksService;
  serverName(serverId: string): string;
  live(serverId: string): McpSession | undefined;
  log(serverId: string, level: LogLine['level'], text: string): void;
}

export interface ServerTraffic {
  request(serverId: string, method: string, params: unknown, info: ServerRequestInfo): Promise<Record<string, unknown>>;
  notification(serverId: string, method: ServerNotificationMethod, params: Record<string, unknown>): void;
}

export function createServerTraffic(deps: ServerRequestDeps): ServerTraffic {
  /** A model is never offered a tool whose visibility leaves out "model", in a server's agent loop or a view's request. */
  const toolsForModel = async (serverId: string, session: McpSession | undefined, request: Record<string, unknown>): Promise<unknown> => {
    if (!Array.isArray(request.tools) || request.tools.length === 0) return request;
    const listed = session ? await session.listTools().catch(() => []) : [];
    const { params, hidden } = samplingToolsForModel(request, listed);
    if (hidden.length > 0) deps.log(serverId, 'notice', `Left ${hidden.join(', ')} out of a sampling request: those tools are not for models.`);
    return params;
  };
  return {
    async request(serverId, method, raw, info) {
      const params = (raw ?? {}) as Record<string, unknown>;
      const session = deps.live(serverId);
      const serverName = deps.serverName(serverId);
      let run: ((signal: AbortSignal) => Promise<Record<string, unknown>>) | undefined;
      if (method === 'sampling/createMessage') {
        const { task: _task, ...asked } = params;
        const request = await toolsForModel(serverId, session, asked);
        run = (signal) => deps.sampling.handle({ serverId, serverName, sessionKey: info.sessionKey, toolsDeclared: info.samplingTools, signal }, request);
      } else if (method === 'elicitation/create') {
        const { task: _task, ...request } = params;
        run = (signal) => deps.elicitation.handle({ serverId, serverName, protocolVersion: info.protocolVersion, signal }, request);
      }
      if (run) {
        // A task field on a request type not declared for tasks is ignored, as the spec says.
        if (params.task !== undefined && info.taskAugmentation && session) return deps.tasks.receiver.accept(serverId, session, method, params, run);
        return run(info.signal);
      }
      if (method.startsWith('tasks/') && session) return deps.tasks.serve(serverId, method, params, session);
      throw new ProtocolError(-32601, `Method not found: ${method}`);
    },
    notification(serverId, method, params) {
      if (method === 'notifications/tasks/status') deps.tasks.statusNotified(serverId, params);
      else deps.elicitation.complete(serverId, params);
    },
  };
}
