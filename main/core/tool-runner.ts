// How a tool call runs: as a task when the tool requires one (or the caller asks and the tool allows it), inline
// otherwise; and when the server answers -32042, after the user has finished the pages it names, once more. Each call
// ends in the server's call history, whatever its outcome.
import type { CallResult } from '../../shared/domain/mcp.js';
import type { NewToolCall } from '../../shared/domain/tool-calls.js';
import { StewardError } from '../../shared/errors.js';
import type { Audit } from './audit/index.js';
import type { ElicitationService } from './elicitation/index.js';
import type { ServersService } from './servers/index.js';
import type { CallRequest, ToolCalls } from './sessions/index.js';
import type { TasksService } from './tasks/index.js';

/** A server that keeps answering -32042 after its pages were done is not retried for ever. */
const MAX_URL_ROUNDS = 3;

export interface ToolRunRequest extends CallRequest {
  asTask?: boolean | undefined;
}

export interface ToolRunnerDeps {
  servers: ServersService;
  tools: ToolCalls;
  tasks: TasksService;
  elicitation: ElicitationService;
  audit: Audit;
  /** Where each call is written down when it ends; a failure to write is reported, never the call's failure. */
  history?: { record(call: NewToolCall): void; onError(error: unknown): void };
  now?: () => string;
}

export type ToolRunner = (request: ToolRunRequest) => Promise<CallResult>;

export function createToolRunner(deps: ToolRunnerDeps): ToolRunner {
  /** Set by `once` when the call went as a task. */
  const once = async ({ asTask, ...request }: ToolRunRequest, ran: { asTask: boolean }): Promise<CallResult> => {
    const session = await deps.servers.ensureRunning(request.serverId);
    const tool = (await session.listTools()).find((t) => t.name === request.name);
    const serverTasks =
      session.tasksExtension || (session.serverCapabilities as { tasks?: { requests?: { tools?: { call?: unknown } } } }).tasks?.requests?.tools?.call;
    if (serverTasks && (tool?.taskSupport === 'required' || (tool?.taskSupport === 'optional' && asTask))) {
      ran.asTask = true;
      return deps.tasks.run({
        serverId: request.serverId,
        tool: request.name,
        arguments: request.arguments,
        ttlMs: request.timeoutSeconds ? request.timeoutSeconds * 1000 : undefined,
      });
    }
    return deps.tools.call(request);
  };

  const withRetries = async (request: ToolRunRequest, ran: { asTask: boolean }): Promise<CallResult> => {
    for (let round = 1; ; round++) {
      try {
        return await once(request, ran);
      } catch (error) {
        if (!(error instanceof StewardError) || error.code !== 'elicitation_required' || round > MAX_URL_ROUNDS) throw error;
        const { name } = deps.servers.callSettings(request.serverId);
        const elicitations = Array.isArray(error.details?.elicitations) ? (error.details.elicitations as unknown[]) : [];
        // The pages are the server's questions: they go when its connection does.
        await deps.elicitation.required(request.serverId, name, request.name, elicitations, deps.servers.liveSession(request.serverId)?.ended);
        deps.audit.record('elicitation.retried', {
          serverId: request.serverId,
          serverName: name,
          actor: 'host',
          summary: `Tried "${request.name}" on "${name}" again after the page${elicitations.length === 1 ? ' it needed was' : 's it needed were'} done.`,
          data: { tool: request.name, round },
        });
      }
    }
  };

  return async (request) => {
    const at = deps.now?.() ?? new Date().toISOString();
    const started = performance.now();
    const ran = { asTask: false };
    const write = (outcome: Pick<NewToolCall, 'result' | 'error'>) => {
      try {
        const call = { serverId: request.serverId, tool: request.name, arguments: request.arguments, resultBytes: 0, asTask: ran.asTask, at };
        deps.history?.record({ ...call, ...outcome, durationMs: Math.round((performance.now() - started) * 10) / 10 });
      } catch (error) {
        deps.history?.onError(error);
      }
    };
    try {
      const result = await withRetries(request, ran);
      write({ result, error: null });
      return result;
    } catch (error) {
      const code = error instanceof StewardError ? error.code : 'internal_error';
      write({ result: null, error: { code, message: error instanceof Error ? error.message : String(error) } });
      throw error;
    }
  };
}
