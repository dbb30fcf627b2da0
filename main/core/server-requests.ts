// Routes what servers send the host — requests (sampling, elicitation, tasks/*) and the notifications it acts on — to
// the module that answers, running a request as a task when the server asks and the host declared it. This is the
// session boundary where the per-server caps hold: over one, a request is refused at once with the reason.
import { ProtocolError } from '@modelcontextprotocol/client';
import { StewardError } from '../../shared/errors.js';
import { samplingToolsForModel } from './apps/index.js';
import type { ElicitationService } from './elicitation/index.js';
import type { Inbox } from './inbox/index.js';
import { LIMIT_REACHED_CODE, megabytes, refusalError, SERVER_LIMITS, type QuestionKind } from './limits.js';
import type { SamplingService } from './sampling/index.js';
import { OVERSIZED_REQUEST, type McpSession, type ServerNotificationMethod, type ServerRequestInfo } from './sessions/index.js';
import type { TasksService } from './tasks/index.js';

/** JSON-RPC "Invalid Request": the answer to a request too large to read. */
const INVALID_REQUEST = -32600;
const RELATED_TASK = 'io.modelcontextprotocol/related-task';

export interface ServerRequestDeps {
  sampling: SamplingService;
  elicitation: ElicitationService;
  tasks: TasksService;
  inbox: Inbox;
  serverName(serverId: string): string;
  live(serverId: string): McpSession | undefined;
  /** A line in the server's log (a cap reached, a request refused, tools left out of a sampling request). */
  note(serverId: string, text: string): void;
  /**
   * Takes in what other processes changed (a policy, a budget, the model's address), so it counts from this request
   * on. Run for each request that is taken, after the checks that may refuse it, which read only this process's own
   * counts: a flood refused at a cap does not read the shared database once per request.
   */
  fresh(): void;
}

export interface ServerTraffic {
  request(serverId: string, method: string, params: unknown, info: ServerRequestInfo): Promise<Record<string, unknown>>;
  notification(serverId: string, method: ServerNotificationMethod, params: Record<string, unknown>): void;
}

/** The caps an elicitation/create would count against once it reaches the inbox. */
function elicitationKinds(params: Record<string, unknown>, asTask: boolean): QuestionKind[] {
  const kinds: QuestionKind[] = [params.mode === 'url' ? 'url' : 'form'];
  const meta = params._meta as Record<string, unknown> | undefined;
  if (asTask || meta?.[RELATED_TASK] !== undefined) kinds.push('taskInput');
  return kinds;
}

export function createServerTraffic(deps: ServerRequestDeps): ServerTraffic {
  /** A model is never offered a tool whose visibility leaves out "model", in a server's agent loop or a view's request. */
  const toolsForModel = async (serverId: string, session: McpSession | undefined, request: Record<string, unknown>): Promise<unknown> => {
    if (!Array.isArray(request.tools) || request.tools.length === 0) return request;
    const listed = session ? await session.listTools().catch(() => []) : [];
    const { params, hidden } = samplingToolsForModel(request, listed);
    if (hidden.length > 0) deps.note(serverId, `Left ${hidden.join(', ')} out of a sampling request: those tools are not for models.`);
    return params;
  };
  const inFlight = new Map<string, number>();
  /** Task-augmented requests still running, per server (each one waits for the user). */
  const asTasks = new Map<string, number>();
  /** Servers whose last request was refused over a cap: the log says so once per flood, not once per request. */
  const refusing = new Set<string>();

  const refuse = (serverId: string, error: StewardError): ProtocolError => {
    if (!refusing.has(serverId)) deps.note(serverId, `Refusing requests: ${error.message}`);
    refusing.add(serverId);
    return refusalError(() => new ProtocolError(LIMIT_REACHED_CODE, error.message));
  };

  /**
   * Everything that decides whether a request is taken happens here, synchronously, before it counts as in flight: a
   * refusal costs nothing and is answered at once. Returns the work to run.
   */
  function plan(serverId: string, method: string, raw: unknown, info: ServerRequestInfo): () => Promise<Record<string, unknown>> {
    const params = (raw ?? {}) as Record<string, unknown>;
    if (method === OVERSIZED_REQUEST) {
      const { method: original, bytes, limit } = params as { method?: string; bytes?: number; limit?: number };
      throw new ProtocolError(
        INVALID_REQUEST,
        `Steward refused this ${original ? `${original} ` : ''}request: it was ${megabytes(bytes ?? 0)}, over the limit of ${megabytes(limit ?? SERVER_LIMITS.messageBytes)} for one message.`,
      );
    }
    const session = deps.live(serverId);
    const serverName = deps.serverName(serverId);
    const asTask = params.task !== undefined && info.taskAugmentation && session !== undefined;
    let run: ((signal: AbortSignal) => Promise<Record<string, unknown>>) | undefined;
    // The task field is the receiver's business; the request itself goes on without it.
    const request = Object.fromEntries(Object.entries(params).filter(([key]) => key !== 'task'));
    if (method === 'sampling/createMessage') {
      run = async (signal) =>
        deps.sampling.handle(
          { serverId, serverName, sessionKey: info.sessionKey, toolsDeclared: info.samplingTools, signal },
          await toolsForModel(serverId, session, request),
        );
    } else if (method === 'elicitation/create') {
      // Refused before anything is recorded or shown, so a flood costs nothing.
      deps.inbox.ensureRoom(serverId, serverName, elicitationKinds(params, asTask));
      run = (signal) =>
        deps.elicitation.handle({ serverId, serverName, protocolVersion: info.protocolVersion, signal, sessionSignal: info.sessionSignal }, request);
    }
    const inFlightNow = inFlight.get(serverId) ?? 0;
    if (inFlightNow >= SERVER_LIMITS.inFlightRequests) {
      throw new StewardError('limit_reached', `"${serverName}" already has ${inFlightNow} requests being handled, the most one server may have.`);
    }
    if (run) {
      const work = run;
      // A task field on a request type not declared for tasks is ignored, as the spec says.
      if (!asTask) return () => work(info.signal);
      const running = asTasks.get(serverId) ?? 0;
      if (running >= SERVER_LIMITS.questions.taskInput) {
        throw new StewardError('limit_reached', `"${serverName}" already has ${running} requests running as tasks, the most one server may have.`);
      }
      // Each task taken is stored: a server that cancels each one at once must still not make them without end.
      deps.tasks.receiver.admit(serverId, serverName);
      asTasks.set(serverId, running + 1);
      // The work stops when the session it came on ends: the server can no longer follow it.
      const counted = (signal: AbortSignal) =>
        work(AbortSignal.any([signal, info.sessionSignal])).finally(() => {
          const left = (asTasks.get(serverId) ?? 1) - 1;
          if (left > 0) asTasks.set(serverId, left);
          else asTasks.delete(serverId);
        });
      return () => Promise.resolve(deps.tasks.receiver.accept(serverId, session, method, params, counted));
    }
    // tasks/list pages: the receiver reads the cursor from the params.
    if (method === 'tasks/list' && session) return () => Promise.resolve(deps.tasks.receiver.list(serverId, params));
    if (method.startsWith('tasks/') && session) return () => Promise.resolve(deps.tasks.serve(serverId, method, params, session));
    throw new ProtocolError(-32601, `Method not found: ${method}`);
  }

  const limited = (serverId: string, error: unknown): unknown =>
    error instanceof StewardError && error.code === 'limit_reached' ? refuse(serverId, error) : error;

  return {
    async request(serverId, method, raw, info) {
      let work: () => Promise<Record<string, unknown>>;
      try {
        work = plan(serverId, method, raw, info);
      } catch (error) {
        throw limited(serverId, error);
      }
      inFlight.set(serverId, (inFlight.get(serverId) ?? 0) + 1);
      try {
        deps.fresh();
        const result = await work();
        refusing.delete(serverId);
        return result;
      } catch (error) {
        throw limited(serverId, error);
      } finally {
        const left = (inFlight.get(serverId) ?? 1) - 1;
        if (left > 0) inFlight.set(serverId, left);
        else inFlight.delete(serverId);
      }
    },
    notification(serverId, method, params) {
      if (method === 'notifications/tasks/status') deps.tasks.statusNotified(serverId, params);
      else deps.elicitation.complete(serverId, params);
    },
  };
}
