// The tasks extension of MCP 2026-07-28 (io.modelcontextprotocol/tasks) on the wire: a tools/call that declares it may
// come back as a task handle, tasks/get carries the result or the task's questions inline, tasks/update answers them,
// tasks/cancel asks to stop. Shapes are checked with the extension's own schemas; what a result means is the machine's.
import { setMaxListeners } from 'node:events';
import {
  CallToolResultV2Schema,
  DetailedTaskV2Schema,
  InputRequestsV2Schema,
  isCreateTaskResultV2,
  type DetailedTaskV2,
  type TaskV2,
} from '@modelcontextprotocol/ext-tasks/core/v2';
import type { CallResult } from '../../../shared/domain/mcp.js';
import { StewardError } from '../../../shared/errors.js';
import { SERVER_LIMITS } from '../limits.js';
import { unanswered, type McpSession } from '../sessions/index.js';
import { stampOf, statusMessageOf } from './deps.js';
import type { ServerTask } from './task-machine.js';
import { pollIntervalOf } from './timing.js';

/**
 * Rounds of questions a server may ask before a call is given up on (the SDK's own MRTR driver stops at the same), and
 * rounds a task may ask before it is cancelled.
 */
export const MAX_INPUT_ROUNDS = 10;
const REQUEST_TIMEOUT_MS = 60_000;

export type ModernCall = { kind: 'task'; task: TaskV2 } | { kind: 'result'; result: CallResult };

/**
 * Calls a tool declaring the tasks extension. The server alone decides whether the answer is a task handle or the
 * result itself; questions it asks first (input_required) are answered through the inbox and the call is retried
 * with the answers and the server's request state, as the SDK does for calls it frames.
 */
export async function callDeclaringTasks(
  session: McpSession,
  tool: string,
  args: Record<string, unknown>,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined } = {},
): Promise<ModernCall> {
  let retry: Record<string, unknown> = {};
  const headers = await session.toolHeaders(tool, args);
  for (let round = 0; ; round++) {
    const raw = await session.framedRequest(
      `Calling tool "${tool}"`,
      'tools/call',
      { name: tool, arguments: args, ...retry },
      { signal: options.signal, timeoutMs: options.timeoutMs ?? REQUEST_TIMEOUT_MS, headers },
    );
    if (raw.resultType === 'task') {
      if (!isCreateTaskResultV2(raw)) throw malformed('task handle');
      return { kind: 'task', task: raw };
    }
    if (raw.resultType === 'input_required') {
      if (round + 1 >= MAX_INPUT_ROUNDS) {
        throw new StewardError('tool_call_failed', `"${tool}" kept asking questions after ${MAX_INPUT_ROUNDS} rounds; Steward stopped it.`);
      }
      const requests = InputRequestsV2Schema.safeParse(raw.inputRequests);
      if (!requests.success) throw malformed('list of questions');
      const inputResponses = await answerAll(session, requests.data, [options.signal ?? session.ended]);
      retry = { inputResponses, ...(typeof raw.requestState === 'string' ? { requestState: raw.requestState } : {}) };
      continue;
    }
    if (raw.resultType !== 'complete') throw malformed(`result type "${String(raw.resultType)}"`);
    return { kind: 'result', result: toCallResult(raw) };
  }
}

/**
 * Answers every question of one round. A refused one (a sampling request the user or policy turned down, a form over the
 * cap) fails them all, and the others are withdrawn from the inbox at once instead of being left for the user to answer
 * in vain; so are all of them when one of `signals` aborts (the connection ended, the user cancelled the task).
 */
export async function answerAll(
  session: McpSession,
  requests: Record<string, { method: string; params?: unknown }>,
  signals: readonly AbortSignal[],
): Promise<Record<string, Record<string, unknown>>> {
  const round = new AbortController();
  // Each question waiting for the user listens to it; the caps bound how many there can be.
  setMaxListeners(SERVER_LIMITS.inFlightRequests * 2, round.signal);
  const withdraw = () => round.abort();
  for (const signal of signals) signal.addEventListener('abort', withdraw, { once: true });
  if (signals.some((signal) => signal.aborted)) withdraw();
  try {
    const entries = await Promise.all(Object.entries(requests).map(async ([key, request]) => [key, await answerOne(session, request, round.signal)] as const));
    return Object.fromEntries(entries);
  } catch (error) {
    withdraw();
    throw error;
  } finally {
    for (const signal of signals) signal.removeEventListener('abort', withdraw);
  }
}

async function answerOne(session: McpSession, request: { method: string; params?: unknown }, signal: AbortSignal): Promise<Record<string, unknown>> {
  try {
    return await session.ask(request.method, request.params ?? {}, signal);
  } catch (error) {
    throw unanswered(request.method, error);
  }
}

export async function getTask(session: McpSession, taskId: string): Promise<DetailedTaskV2> {
  const raw = await session.framedRequest('Checking a task', 'tasks/get', { taskId }, { timeoutMs: 30_000 });
  const task = DetailedTaskV2Schema.safeParse(raw);
  if (!task.success) throw malformed('task status');
  return task.data;
}

export async function updateTask(session: McpSession, taskId: string, inputResponses: Record<string, unknown>): Promise<void> {
  await session.framedRequest('Answering a task', 'tasks/update', { taskId, inputResponses }, { timeoutMs: REQUEST_TIMEOUT_MS });
}

export async function cancelTask(session: McpSession, taskId: string): Promise<void> {
  await session.framedRequest('Cancelling a task', 'tasks/cancel', { taskId }, { timeoutMs: REQUEST_TIMEOUT_MS });
}

/** The Task fields as the machine reads them (ttlMs and pollIntervalMs are the 2026 names of ttl and pollInterval). */
export function modernServerTask(task: TaskV2): ServerTask {
  const created = Date.parse(task.createdAt);
  const expires = typeof task.ttlMs === 'number' && Number.isFinite(created) ? new Date(created + task.ttlMs) : null;
  return {
    status: task.status,
    statusMessage: statusMessageOf(task.statusMessage),
    lastUpdatedAt: stampOf(task.lastUpdatedAt),
    pollIntervalMs: pollIntervalOf(task.pollIntervalMs),
    expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires.toISOString() : null,
  };
}

/** A tool result from a call, or inline in a completed task (which carries no resultType of its own). */
export function toCallResult(raw: unknown): CallResult {
  const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  const parsed = CallToolResultV2Schema.safeParse(record && record.resultType === undefined ? { ...record, resultType: 'complete' } : raw);
  if (!parsed.success) throw malformed('tool result');
  const result = parsed.data as {
    content?: CallResult['content'];
    structuredContent?: Record<string, unknown>;
    isError?: boolean;
    _meta?: Record<string, unknown>;
  };
  return {
    content: result.content ?? [],
    ...(result.structuredContent ? { structuredContent: result.structuredContent } : {}),
    isError: result.isError === true,
    ...(result._meta ? { _meta: result._meta } : {}),
  };
}

function malformed(what: string): StewardError {
  return new StewardError('invalid_payload', `The server sent a malformed ${what} for the tasks extension.`);
}
