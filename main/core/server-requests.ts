// Routes what servers ask of the host (sampling, tasks/*) to the module that answers it, as a task when asked and declared.
import { ProtocolError } from '@modelcontextprotocol/client';
import type { SamplingService } from './sampling/index.js';
import type { McpSession, ServerRequestInfo } from './sessions/index.js';
import type { TasksService } from './tasks/index.js';

export interface ServerRequestDeps {
  sampling: SamplingService;
  tasks: TasksService;
  serverName(serverId: string): string;
  live(serverId: string): McpSession | undefined;
}

export type ServerRequestHandler = (serverId: string, method: string, params: unknown, info: ServerRequestInfo) => Promise<Record<string, unknown>>;

export function createServerRequests(deps: ServerRequestDeps): ServerRequestHandler {
  return async (serverId, method, raw, info) => {
    const params = (raw ?? {}) as Record<string, unknown>;
    const session = deps.live(serverId);
    if (method === 'sampling/createMessage') {
      const { task, ...request } = params;
      const run = (signal: AbortSignal) =>
        deps.sampling.handle({ serverId, serverName: deps.serverName(serverId), sessionKey: info.sessionKey, toolsDeclared: info.samplingTools, signal }, request);
      // A task field on a request type not declared for tasks is ignored, as the spec says.
      if (task !== undefined && info.taskAugmentation && session) return deps.tasks.receiver.accept(serverId, session, method, params, run);
      return run(info.signal);
    }
    if (method.startsWith('tasks/') && session) return deps.tasks.serve(serverId, method, params, session);
    throw new ProtocolError(-32601, `Method not found: ${method}`);
  };
}
