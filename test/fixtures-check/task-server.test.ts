// Drives test/fixtures/task-server.mjs with a plain v2 Client over real stdio, so suites of the host's task layer can trust
// what the fixture does: capabilities, tasks on the wire, polling, input_required, failure, cancel, ttl expiry, a crash.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client, type ClientCapabilities, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CallToolResultSchema, CancelTaskResultSchema, CreateTaskResultSchema, GetTaskResultSchema, ListTasksResultSchema } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIXTURES, NODE } from '../helpers/paths.js';
import { anyString, stringContaining } from '../helpers/matchers.js';

const SERVER = join(FIXTURES, 'task-server.mjs');
const RELATED = 'io.modelcontextprotocol/related-task';

/** A JSON-RPC message as one side wrote it. */
interface Wire {
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
}
type Task = z.infer<typeof GetTaskResultSchema>;
type ToolResult = z.infer<typeof CallToolResultSchema>;
const Related = z.object({ [RELATED]: z.object({ taskId: z.string() }) });
const Progress = z.looseObject({
  progressToken: z.union([z.string(), z.number()]),
  progress: z.number(),
  total: z.number().optional(),
  _meta: Related.optional(),
});
const Status = z.looseObject({ status: z.string(), statusMessage: z.string().optional() });
/** The related-task entry of a message's `_meta`, if it has one. */
const relatedTask = (value: unknown) => z.object({ _meta: Related }).safeParse(value).data?._meta[RELATED];

interface Session {
  client: Client;
  /** Every message the server wrote, as sent. */
  inbound: Wire[];
  /** Every message the client wrote, as sent. */
  outbound: Wire[];
  create: (name: string, args?: Record<string, unknown>, extra?: Record<string, unknown>) => Promise<string>;
  get: (taskId: string) => Promise<Task>;
  result: (taskId: string) => Promise<ToolResult>;
  /** Polls tasks/get until the status is one of `statuses`; returns every snapshot seen. */
  pollUntil: (taskId: string, statuses: string[]) => Promise<Task[]>;
  call: (name: string, args?: Record<string, unknown>) => Promise<ToolResult>;
}

const sessions: Client[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((c) => c.close()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const textOf = (r: ToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
const TERMINAL = ['completed', 'failed', 'cancelled'];

async function open(flags: string[] = [], capabilities: ClientCapabilities = {}): Promise<Session> {
  const client = new Client({ name: 'task-fixture-check', version: '1.0.0' }, { capabilities });
  const transport = new StdioClientTransport({ command: NODE, args: [SERVER, ...flags], stderr: 'pipe' });
  const inbound: Wire[] = [];
  const outbound: Wire[] = [];
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage) => {
    outbound.push(message);
    return send(message);
  };
  await client.connect(transport);
  // Wrapped after connect, which installs the client's own handler; the SDK lifts reserved _meta keys before handlers see them.
  const deliver = transport.onmessage!;
  transport.onmessage = (message: JSONRPCMessage) => {
    inbound.push(structuredClone(message));
    deliver(message);
  };
  sessions.push(client);

  const session: Session = {
    client,
    inbound,
    outbound,
    async create(name, args = {}, extra = {}) {
      const created = await client.request(
        { method: 'tools/call', params: { name, arguments: args, task: { ttl: 30_000 }, ...extra } },
        CreateTaskResultSchema,
      );
      return created.task.taskId;
    },
    get: (taskId) => client.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema),
    result: (taskId) => client.request({ method: 'tasks/result', params: { taskId } }, CallToolResultSchema),
    async pollUntil(taskId, statuses) {
      const seen: Task[] = [];
      for (;;) {
        const task = await session.get(taskId);
        seen.push(task);
        if (statuses.includes(task.status)) return seen;
        await sleep(50);
      }
    },
    call: (name, args = {}) => client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema),
  };
  return session;
}

/** The wire-level messages the server sent with this method. */
const sent = (s: Session, method: string) => s.inbound.filter((m) => m.method === method);
/** The params of those messages, read with a schema. */
const sentParams = <T>(s: Session, method: string, schema: z.ZodType<T>) => sent(s, method).map((m) => schema.parse(m.params));

describe('task-server fixture: negotiation', () => {
  it('declares tasks (list, cancel, tools/call), lists each tool with its taskSupport, and reports the client capabilities', async () => {
    const s = await open([], { elicitation: {}, sampling: {} });
    expect(s.client.getServerCapabilities()).toEqual({ tools: { listChanged: false }, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } });
    expect(s.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    const { tools } = await s.client.listTools();
    expect(Object.fromEntries(tools.map((t) => [t.name, t.execution?.taskSupport]))).toEqual({
      job: 'optional',
      needs_input: 'required',
      sample_in_task: 'required',
      die: 'optional',
      forget: 'forbidden',
      violations: 'forbidden',
      client_capabilities: 'forbidden',
      wire_log: 'forbidden',
    });
    expect(JSON.parse(textOf(await s.call('client_capabilities')))).toMatchObject({ elicitation: {}, sampling: {} });
  });

  it('leaves out tasks.cancel with --no-cancel and answers tasks/cancel with -32601', async () => {
    const s = await open(['--no-cancel']);
    expect(s.client.getServerCapabilities()?.tasks).toEqual({ list: {}, requests: { tools: { call: {} } } });
    const taskId = await s.create('job', { ms: 300 });
    await expect(s.client.request({ method: 'tasks/cancel', params: { taskId } }, CancelTaskResultSchema)).rejects.toMatchObject({ code: -32601 });
    expect((await s.pollUntil(taskId, TERMINAL)).at(-1)?.status).toBe('completed');
  });

  it('leaves out tasks entirely with --no-tasks: a task field is ignored and tasks/* are unknown', async () => {
    const s = await open(['--no-tasks']);
    expect(s.client.getServerCapabilities()).toEqual({ tools: { listChanged: false } });
    const plain = await s.client.request({ method: 'tools/call', params: { name: 'job', arguments: { ms: 100 }, task: { ttl: 5000 } } }, CallToolResultSchema);
    expect(textOf(plain)).toBe('job done: 3 steps');
    await expect(s.get('anything')).rejects.toMatchObject({ code: -32601 });
    await expect(s.client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema)).rejects.toMatchObject({ code: -32601 });
  });

  it('answers ping, and -32601 for methods it does not know', async () => {
    const s = await open();
    await expect(s.client.ping()).resolves.toBeDefined();
    await expect(s.client.request({ method: 'x/unknown', params: {} }, CallToolResultSchema)).rejects.toMatchObject({ code: -32601 });
  });
});

describe('task-server fixture: job', () => {
  it('runs synchronously without a task, with progress, and fails both ways on request', async () => {
    const s = await open();
    const progress: number[] = [];
    const done = await s.client.request({ method: 'tools/call', params: { name: 'job', arguments: { ms: 150, steps: 3 } } }, CallToolResultSchema, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(textOf(done)).toBe('job done: 3 steps');
    // The client sees the notifications in order, but not necessarily all: a notification that reaches the client in the
    // same read as the result may be handled after the call has settled (the last one always can; on a loaded machine,
    // where steps 50 ms apart arrive together, the second one too). What the server sent is checked in full below.
    expect(progress).toEqual([1, 2, 3].slice(0, progress.length));
    expect(sentParams(s, 'notifications/progress', Progress).map((p) => p.progress)).toEqual([1, 2, 3]);
    const isError = await s.call('job', { ms: 50, fail: 'isError' });
    expect(isError.isError).toBe(true);
    await expect(s.call('job', { ms: 50, fail: 'error' })).rejects.toMatchObject({ code: -32603, message: stringContaining('job exploded') });
  });

  it('as a task: answers CreateTaskResult at once, steps through statusMessage, completes, and tasks/result carries related-task', async () => {
    const s = await open();
    const created = await s.client.request(
      {
        method: 'tools/call',
        params: { name: 'job', arguments: { ms: 600, steps: 3, pollInterval: 120 }, task: { ttl: 120_000 }, _meta: { progressToken: 'job-1' } },
      },
      CreateTaskResultSchema,
    );
    expect(created.task).toMatchObject({ status: 'working', statusMessage: 'queued', ttl: 60_000, pollInterval: 120 });
    expect(Date.parse(created.task.createdAt)).not.toBeNaN();
    expect(created.task.lastUpdatedAt).toBe(created.task.createdAt);
    const { taskId } = created.task;

    const seen = await s.pollUntil(taskId, TERMINAL);
    // Polling samples the steps; the exact sequence is checked through status notifications below.
    const messages = [...new Set(seen.map((t) => t.statusMessage))];
    const all = ['queued', 'step 1 of 3', 'step 2 of 3', 'step 3 of 3', 'done'];
    const positions = messages.map((m) => all.indexOf(m ?? ''));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(messages.some((m) => m?.startsWith('step'))).toBe(true);
    expect(messages.at(-1)).toBe('done');
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ taskId, status: 'completed', createdAt: created.task.createdAt, ttl: 60_000, pollInterval: 120 });
    expect(Date.parse(last.lastUpdatedAt)).toBeGreaterThan(Date.parse(created.task.createdAt));

    const result = await s.result(taskId);
    expect(textOf(result)).toBe('job done: 3 steps');
    const answer = s.inbound.find((m) => m.result?.content && relatedTask(m.result));
    expect(relatedTask(answer?.result)).toEqual({ taskId });

    const progress = sentParams(s, 'notifications/progress', Progress);
    expect(progress.map((p) => [p.progressToken, p.progress, p.total])).toEqual([
      ['job-1', 1, 3],
      ['job-1', 2, 3],
      ['job-1', 3, 3],
    ]);
    expect(progress.every((p) => p._meta?.[RELATED].taskId === taskId)).toBe(true);
    expect(sent(s, 'notifications/tasks/status')).toEqual([]);
  });

  it('grants the ttl argument over the requested one, sends status notifications only when asked, and skips progress on request', async () => {
    const s = await open();
    const created = await s.client.request(
      {
        method: 'tools/call',
        params: {
          name: 'job',
          arguments: { ms: 200, steps: 2, ttl: 9000, statusEvery: true, progress: false },
          task: { ttl: 1000 },
          _meta: { progressToken: 'p' },
        },
      },
      CreateTaskResultSchema,
    );
    expect(created.task.ttl).toBe(9000);
    await s.result(created.task.taskId);
    expect(sentParams(s, 'notifications/tasks/status', Status).map((n) => `${n.status}:${n.statusMessage ?? ''}`)).toEqual([
      'working:step 1 of 2',
      'working:step 2 of 2',
      'completed:done',
    ]);
    expect(sent(s, 'notifications/progress')).toEqual([]);
  });

  it('tasks/result blocks until the task is terminal', async () => {
    const s = await open();
    const taskId = await s.create('job', { ms: 400, steps: 2 }, { _meta: { progressToken: 'b' } });
    const result = await s.result(taskId);
    expect(textOf(result)).toBe('job done: 2 steps');
    expect((await s.get(taskId)).status).toBe('completed');
    const order = s.inbound
      .map((m) => (m.method === 'notifications/progress' ? `progress ${Progress.parse(m.params).progress}` : m.result?.content ? 'result' : undefined))
      .filter(Boolean);
    expect(order).toEqual(['progress 1', 'progress 2', 'result']);
  });

  it('pads the result text by pad characters, for hosts that page large results', async () => {
    const s = await open();
    const taskId = await s.create('job', { ms: 10, steps: 1, pad: 200_000 });
    expect(textOf(await s.result(taskId))).toBe(`job done: 1 steps${'.'.repeat(200_000)}`);
  });

  it('fails with isError: status failed, tasks/result gives the isError result', async () => {
    const s = await open();
    const taskId = await s.create('job', { ms: 100, fail: 'isError' });
    expect((await s.pollUntil(taskId, TERMINAL)).at(-1)?.status).toBe('failed');
    const result = await s.result(taskId);
    expect(result.isError).toBe(true);
  });

  it('fails with an error: status failed, tasks/result answers the JSON-RPC error', async () => {
    const s = await open();
    const taskId = await s.create('job', { ms: 100, fail: 'error' });
    expect((await s.pollUntil(taskId, TERMINAL)).at(-1)?.status).toBe('failed');
    await expect(s.result(taskId)).rejects.toMatchObject({ code: -32603, message: stringContaining('job exploded') });
  });

  it('lists live tasks and rejects a cursor it never gave out', async () => {
    const s = await open();
    const a = await s.create('job', { ms: 2000 });
    const b = await s.create('job', { ms: 100 });
    const { tasks } = await s.client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(tasks.map((t) => t.taskId).sort()).toEqual([a, b].sort());
    expect(tasks.every((t) => t.createdAt && t.lastUpdatedAt && t.ttl === 30_000)).toBe(true);
    await expect(s.client.request({ method: 'tasks/list', params: { cursor: 'nope' } }, ListTasksResultSchema)).rejects.toMatchObject({ code: -32602 });
  });

  it('cancels a working task for good, and refuses to cancel a terminal one', async () => {
    const s = await open();
    // Long enough to be cancelled however late the cancel comes, with progress every 200 ms that must stop with it.
    const taskId = await s.create('job', { ms: 60_000, steps: 300 }, { _meta: { progressToken: 'c' } });
    await s.pollUntil(taskId, ['working']);
    const cancelled = await s.client.request({ method: 'tasks/cancel', params: { taskId } }, CancelTaskResultSchema);
    expect(cancelled).toMatchObject({ taskId, status: 'cancelled', statusMessage: 'cancelled by the client' });
    const progressAtCancel = sent(s, 'notifications/progress').length;
    await sleep(800);
    expect(await s.get(taskId)).toMatchObject({ status: 'cancelled', statusMessage: 'cancelled by the client' });
    expect(sent(s, 'notifications/progress')).toHaveLength(progressAtCancel);
    await expect(s.client.request({ method: 'tasks/cancel', params: { taskId } }, CancelTaskResultSchema)).rejects.toMatchObject({
      code: -32602,
      message: stringContaining('Task is already cancelled'),
    });

    const finished = await s.create('job', { ms: 50 });
    await s.result(finished);
    await expect(s.client.request({ method: 'tasks/cancel', params: { taskId: finished } }, CancelTaskResultSchema)).rejects.toMatchObject({
      message: stringContaining('Task is already completed'),
    });
  });

  it('ignores notifications/cancelled for a task-augmented call, but stops a plain call', async () => {
    const s = await open();
    const taskId = await s.create('job', { ms: 300 });
    const call = s.outbound.findLast((m) => m.method === 'tools/call')!;
    await s.client.notification({ method: 'notifications/cancelled', params: { requestId: call.id, reason: 'wrong way to cancel a task' } });
    expect((await s.pollUntil(taskId, TERMINAL)).at(-1)?.status).toBe('completed');

    // Cancelled at its first progress (100 ms in), with the rest of its 3 s for the cancel to arrive in on a loaded
    // machine; then watched until past the time it would have answered, which is at most 2.9 s after that progress.
    const abort = new AbortController();
    let progressAt = 0;
    const plain = s.client.request({ method: 'tools/call', params: { name: 'job', arguments: { ms: 3000, steps: 30 } } }, CallToolResultSchema, {
      signal: abort.signal,
      onprogress: () => {
        progressAt = Date.now();
        abort.abort('user stopped it');
      },
    });
    await expect(plain).rejects.toBeDefined();
    const plainId = s.outbound.findLast((m) => m.method === 'tools/call')!.id;
    expect(s.outbound.findLast((m) => m.method === 'notifications/cancelled')?.params?.requestId).toBe(plainId);
    await sleep(Math.max(0, progressAt + 3200 - Date.now()));
    expect(s.inbound.filter((m) => m.id === plainId)).toEqual([]);
  });

  it('answers -32602 for unknown ids, and forgets a task once its ttl has run out', async () => {
    const s = await open();
    await expect(s.get('no-such-task')).rejects.toMatchObject({ code: -32602, message: stringContaining('Unknown task') });
    await expect(s.result('no-such-task')).rejects.toMatchObject({ code: -32602 });
    await expect(s.client.request({ method: 'tasks/cancel', params: { taskId: 'no-such-task' } }, CancelTaskResultSchema)).rejects.toMatchObject({
      code: -32602,
    });

    const taskId = await s.create('job', { ms: 50, ttl: 1000 });
    expect((await s.get(taskId)).ttl).toBe(1000);
    for (;;) {
      const outcome = await s.get(taskId).then(
        () => 'alive',
        (error: unknown) => (error as { code?: number }).code,
      );
      if (outcome !== 'alive') {
        expect(outcome).toBe(-32602);
        break;
      }
      await sleep(50);
    }
    const { tasks } = await s.client.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(tasks).toEqual([]);
  });

  it('a blocked tasks/result for a task whose ttl runs out answers -32602', async () => {
    const s = await open();
    const taskId = await s.create('job', { ms: 5000, ttl: 300 });
    await expect(s.result(taskId)).rejects.toMatchObject({ code: -32602 });
  });

  it('logs every request it receives, with the task id, so poll cadence can be checked', async () => {
    const s = await open();
    const taskId = await s.create('job', { ms: 300, pollInterval: 100 });
    await s.pollUntil(taskId, TERMINAL);
    const log = JSON.parse(textOf(await s.call('wire_log'))) as { at: number; method: string; taskId?: string }[];
    expect(log.slice(0, 3).map((e) => e.method)).toEqual(['initialize', 'notifications/initialized', 'tools/call']);
    const polls = log.filter((e) => e.method === 'tasks/get');
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.every((e) => e.taskId === taskId)).toBe(true);
    expect(log.map((e) => e.at)).toEqual([...log.map((e) => e.at)].sort((a, b) => a - b));
    expect(log.at(-1)?.method).toBe('tools/call');
  });
  it('records a poll sooner than the interval it last gave as a violation, and none for a poll that waits', async () => {
    const s = await open();
    const taskId = await s.create('job', { ms: 5000, steps: 1, pollInterval: 200 });
    await s.get(taskId);
    const too = JSON.parse(textOf(await s.call('violations'))) as { kind: string; taskId: string; gap: number; interval: number }[];
    expect(too).toEqual([{ at: expect.any(Number) as number, kind: 'poll_too_soon', taskId, gap: expect.any(Number) as number, interval: 200 }]);
    expect(too[0]!.gap).toBeLessThan(200);
    await sleep(250);
    await s.get(taskId);
    expect(JSON.parse(textOf(await s.call('violations')))).toHaveLength(1);
  });

  it('forgets a task on request: polls answer -32602 while an open tasks/result still gets the result', async () => {
    const s = await open([], { elicitation: {} });
    s.client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { answer: 'kept' } }));
    const taskId = await s.create('needs_input', { pollInterval: 100 });
    await s.pollUntil(taskId, ['input_required']);
    const result = s.result(taskId);
    await s.call('forget', { taskId });
    await expect(s.get(taskId)).rejects.toMatchObject({ code: -32602 });
    expect(await result).toMatchObject({ content: [{ type: 'text', text: 'answered: kept' }] });
  });

  it('keeps a task past its ttl when asked to (a receiver MAY delete it then, not must)', async () => {
    const s = await open();
    const taskId = await s.create('job', { ms: 600, steps: 1, ttl: 100, keepPastTtl: true, pollInterval: 100 });
    const seen = await s.pollUntil(taskId, TERMINAL);
    expect(seen.at(-1)).toMatchObject({ status: 'completed', ttl: 100 });
  });
});

describe('task-server fixture: input_required', () => {
  it('needs_input requires a task', async () => {
    const s = await open([], { elicitation: {} });
    await expect(s.call('needs_input')).rejects.toMatchObject({ code: -32601, message: stringContaining('Task augmentation required for tools/call') });
  });

  it('asks its question only while a tasks/result is open, then completes with the answer', async () => {
    const s = await open([], { elicitation: {} });
    const asked: unknown[] = [];
    s.client.setRequestHandler('elicitation/create', (request) => {
      asked.push(request.params);
      return { action: 'accept', content: { answer: 'blue' } };
    });
    // It starts working, as its answer to tools/call says (a poll could come after the 200 ms it works for), then asks.
    const { task } = await s.client.request(
      { method: 'tools/call', params: { name: 'needs_input', arguments: {}, task: { ttl: 30_000 } } },
      CreateTaskResultSchema,
    );
    expect(task.status).toBe('working');
    const taskId = task.taskId;
    const seen = await s.pollUntil(taskId, ['input_required']);
    expect(seen.at(-1)?.statusMessage).toBe('waiting for your answer');
    await sleep(600);
    expect(sent(s, 'elicitation/create')).toEqual([]);
    expect((await s.get(taskId)).status).toBe('input_required');

    const result = await s.result(taskId);
    expect(textOf(result)).toBe('answered: blue');
    const [elicitation] = sent(s, 'elicitation/create');
    expect(elicitation?.params).toEqual({
      message: anyString(),
      requestedSchema: { type: 'object', properties: { answer: { type: 'string', title: 'Answer' } }, required: ['answer'] },
      _meta: { [RELATED]: { taskId } },
    });
    expect(asked).toHaveLength(1);
    expect(await s.get(taskId)).toMatchObject({ status: 'completed' });
  });

  it('asks once the task needs input when tasks/result was opened early, and reports a decline', async () => {
    const s = await open([], { elicitation: {} });
    s.client.setRequestHandler('elicitation/create', () => ({ action: 'decline' }));
    const taskId = await s.create('needs_input');
    expect(textOf(await s.result(taskId))).toBe('answered: (declined)');
    expect(sent(s, 'elicitation/create')).toHaveLength(1);
  });

  it('fails the task when the client cannot elicit', async () => {
    const s = await open();
    const taskId = await s.create('needs_input');
    const result = await s.result(taskId);
    expect(result.isError).toBe(true);
    expect((await s.get(taskId)).status).toBe('failed');
    expect(sent(s, 'elicitation/create')).toEqual([]);
  });

  it('sample_in_task asks for a model reply with related-task meta and completes with the sampled text', async () => {
    const s = await open([], { sampling: {} });
    s.client.setRequestHandler('sampling/createMessage', () => ({
      model: 'test-model',
      role: 'assistant',
      content: { type: 'text', text: 'A sampled sentence.' },
    }));
    await expect(s.call('sample_in_task')).rejects.toMatchObject({ code: -32601 });
    const taskId = await s.create('sample_in_task');
    expect((await s.pollUntil(taskId, ['input_required'])).at(-1)?.statusMessage).toBe('waiting for the model');
    expect(sent(s, 'sampling/createMessage')).toEqual([]);
    expect(textOf(await s.result(taskId))).toBe('A sampled sentence.');
    const [request] = sent(s, 'sampling/createMessage');
    expect(request?.params).toMatchObject({ maxTokens: 50, _meta: { [RELATED]: { taskId } } });
    const Sampling = z.looseObject({ messages: z.array(z.looseObject({ content: z.looseObject({ type: z.string() }) })) });
    expect(Sampling.parse(request?.params).messages[0]?.content.type).toBe('text');
  });
});

describe('task-server fixture: die', () => {
  it('answers CreateTaskResult, then exits with code 9 mid-task', async () => {
    const child = spawn(NODE, [SERVER], { stdio: ['pipe', 'pipe', 'ignore'] });
    const lines = createInterface({ input: child.stdout });
    const replies: Wire[] = [];
    lines.on('line', (line) => replies.push(JSON.parse(line) as Wire));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const write = (msg: Wire) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
    write({ id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    write({ method: 'notifications/initialized' });
    write({ id: 2, method: 'tools/call', params: { name: 'die', arguments: {}, task: { ttl: 10_000 } } });
    expect(await exited).toBe(9);
    expect(replies.find((r) => r.id === 2)?.result?.task).toMatchObject({ status: 'working' });
  });
});
