// Tool calls as tasks of the 2026-07-28 tasks extension (io.modelcontextprotocol/tasks) against a modern-only server on
// the SDK v2 server package, over stdio and HTTP: negotiated per request, polled with tasks/get, a question from inside
// the task through the inbox and back with tasks/update, a failure, a cancel, and the record saying which era.
// Hostile: a server that answers a task's status without the extension declared is never asked (every request
// declares it); questions are never answered twice even though every poll repeats them.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../../main/core/host.js';
import type { TaskView } from '../../../shared/domain/tasks.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { startListening, type Started } from '../../helpers/processes.js';
import { stringContaining } from '../../helpers/matchers.js';
import { textOf } from '../../helpers/results.js';
import { taskWhen } from '../../helpers/tasks.js';
import { nextInboxItem } from '../../helpers/inbox.js';

const SERVER = join(FIXTURES, 'tasks-ext-server.mjs');

let t: TestHost | undefined;
let server: Started | undefined;
afterEach(async () => {
  await t?.close();
  await server?.stop();
  t = undefined;
  server = undefined;
});

async function addServer(transport: 'stdio' | 'http'): Promise<{ host: Host; serverId: string }> {
  t = await makeHost();
  const host = t.host;
  if (transport === 'http') {
    server = await startListening([SERVER, '--http']);
    const view = await host.servers.add({ name: 'tasks-ext', config: { transport: 'http', url: server.url, headers: {} } });
    return { host, serverId: view.id };
  }
  const { view, approve } = await addApproved(host, 'tasks-ext', NODE, [SERVER]);
  await approve();
  return { host, serverId: view.id };
}

type Wire = Array<{ method: string; taskId?: string; keys?: string[] }>;
async function wireLog(host: Host, serverId: string): Promise<Wire> {
  return JSON.parse(textOf(await host.tools.call({ serverId, name: 'wire_log', arguments: {} }))) as Wire;
}

describe('tasks of the 2026-07-28 extension', () => {
  for (const transport of ['stdio', 'http'] as const) {
    it(`runs a tool call as a task over ${transport}: handle, tasks/get polls, the inline result, era modern on the record`, async () => {
      const { host, serverId } = await addServer(transport);
      await host.servers.ensureRunning(serverId);
      expect(host.servers.get(serverId).era).toBe('modern');
      const result = await host.tasks.run({ serverId, tool: 'job', arguments: { ms: 400, steps: 3 } });
      expect(textOf(result)).toBe('job done: 3 steps');
      const [task] = host.tasks.list({ serverId }, 10);
      expect(task).toMatchObject({ era: 'modern', status: 'completed', settledBy: 'server', pollIntervalMs: 100 });
      const detail = host.tasks.detail(task!.id);
      expect(detail.remoteTaskId).toMatch(/[0-9a-f-]{36}/);
      expect(JSON.parse(host.tasks.resultPage(task!.id, 0).text)).toMatchObject({ content: [{ type: 'text', text: 'job done: 3 steps' }] });
      const wire = (await wireLog(host, serverId)).filter((w) => w.taskId === detail.remoteTaskId);
      expect(wire.filter((w) => w.method === 'tasks/get').length).toBeGreaterThanOrEqual(1);
    });
  }

  it('mirrors the arguments a tool marks with x-mcp-header into Mcp-Param headers of the call that may become a task', async () => {
    const { host, serverId } = await addServer('http');
    // The server's SDK answers 400 / -32020 when a declared header is missing or disagrees with the arguments.
    // Tried: a plain value, a value with a leading space and non-ASCII letters (sent Base64-encoded), a boolean, and an
    // optional argument left out (its header is left out too).
    const plain = await host.tasks.run({ serverId, tool: 'regional', arguments: { region: 'us-west', dryRun: true } });
    expect(textOf(plain)).toBe('ran in us-west, undefined, dry run true');
    const encoded = await host.tasks.run({ serverId, tool: 'regional', arguments: { region: ' Zürich', zone: 'a1', dryRun: false } });
    expect(textOf(encoded)).toBe('ran in  Zürich, a1, dry run false');
    expect(host.tasks.list({ serverId }, 10).map((task) => task.status)).toEqual(['completed', 'completed']);
  });

  it('a task that asks the user: the question lands in the inbox once, and the answer goes back with tasks/update', async () => {
    const { host, serverId } = await addServer('http');
    const run = host.tasks.run({ serverId, tool: 'ask', arguments: { what: 'the bike shed' } });
    const item = await nextInboxItem(host, 'elicitation');
    expect(item.request.message).toBe('Which colour for the bike shed?');
    const [task] = host.tasks.list({ serverId }, 10);
    await taskWhen(host, task!.id, (v) => v.status === 'input_required');
    // Several polls see the same question while the user thinks; it is asked once.
    const remote = host.tasks.detail(task!.id).remoteTaskId;
    for (let i = 0; i < 400; i++) {
      if ((await wireLog(host, serverId)).filter((w) => w.method === 'tasks/get' && w.taskId === remote).length >= 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await wireLog(host, serverId)).filter((w) => w.method === 'tasks/get' && w.taskId === remote).length).toBeGreaterThanOrEqual(4);
    expect(host.inbox.list().filter((x) => x.kind === 'elicitation')).toHaveLength(1);
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: { colour: 'green' } });
    expect(textOf(await run)).toBe('colour: green');
    const updates = (await wireLog(host, serverId)).filter((w) => w.method === 'tasks/update');
    expect(updates).toEqual([{ method: 'tasks/update', taskId: host.tasks.detail(task!.id).remoteTaskId, keys: ['pick'] }]);
    expect(host.tasks.list({ serverId }, 10)[0]).toMatchObject({ era: 'modern', status: 'completed' });
  });

  it('records the task before the call leaves: a starting row while the server has not answered, then its handle', async () => {
    const { host, serverId } = await addServer('stdio');
    await host.servers.ensureRunning(serverId);
    // The first change announced is the row, written before the request leaves.
    const starting = new Promise<TaskView>((resolve) => {
      const off = host.events.on('tasks:changed', (v) => {
        off();
        resolve(v);
      });
    });
    const started = host.tasks.start({ serverId, tool: 'job', arguments: { ms: 100, acceptMs: 500 } });
    const row = await starting;
    expect(row).toMatchObject({ era: 'modern', status: 'working', statusMessage: 'Starting…' });
    expect(host.tasks.detail(row.id).remoteTaskId).toBeNull();
    // Until the server names its task there is nothing to cancel: said plainly, and nothing is sent.
    await expect(host.tasks.cancel(row.id)).rejects.toMatchObject({ code: 'invalid_payload', message: stringContaining('not accepted') });
    const view = await started;
    expect(view.id).toBe(row.id);
    expect(host.tasks.detail(view.id).remoteTaskId).toMatch(/[0-9a-f-]{36}/);
    const ended = await taskWhen(host, view.id, (v) => v.status === 'completed');
    expect(ended.settledBy).toBe('server');
    expect(host.tasks.detail(view.id).events[0]).toMatchObject({ source: 'local', kind: 'requested', message: 'Steward called "job" as a task.' });
    expect((await wireLog(host, serverId)).some((w) => w.method === 'tasks/cancel')).toBe(false);
  });

  it('a call the server refuses leaves its row failed with the reason, not a missing row', async () => {
    const { host, serverId } = await addServer('stdio');
    await host.servers.ensureRunning(serverId);
    await expect(host.tasks.start({ serverId, tool: 'no_such_tool', arguments: {} })).rejects.toMatchObject({ code: 'tool_call_failed' });
    const [task] = host.tasks.list({ serverId }, 10);
    expect(task).toMatchObject({ era: 'modern', status: 'failed', label: 'no_such_tool' });
  });

  it('a task that fails carries the server error as its result', async () => {
    const { host, serverId } = await addServer('stdio');
    await expect(host.tasks.run({ serverId, tool: 'broken', arguments: {} })).rejects.toMatchObject({
      code: 'tool_call_failed',
      message: stringContaining('the job broke'),
    });
    const [task] = host.tasks.list({ serverId }, 10);
    expect(task).toMatchObject({ era: 'modern', status: 'failed' });
    expect(JSON.parse(host.tasks.resultPage(task!.id, 0).text)).toMatchObject({ error: { code: -32603, message: 'the job broke' } });
  });

  it('cancels with tasks/cancel; the next poll reads the cancelled status', async () => {
    const { host, serverId } = await addServer('http');
    const view = await host.tasks.start({ serverId, tool: 'forever', arguments: {} });
    expect(view).toMatchObject({ era: 'modern', status: 'working' });
    await host.tasks.cancel(view.id);
    const ended = await taskWhen(host, view.id, (v) => v.status === 'cancelled');
    expect(ended).toMatchObject({ settledBy: 'server', statusMessage: 'Cancelled on request' });
    expect((await wireLog(host, serverId)).some((w) => w.method === 'tasks/cancel')).toBe(true);
  });

  it('a tool call through the tool runner with asTask runs as a task; without it the call is plain and no task is recorded', async () => {
    const { host, serverId } = await addServer('stdio');
    const session = await host.servers.ensureRunning(serverId);
    expect((await session.listTools()).find((x) => x.name === 'job')?.taskSupport).toBe('optional');
    expect(textOf(await host.runTool({ serverId, name: 'job', arguments: { ms: 50 } }))).toBe('job ran without a task');
    expect(host.tasks.list({ serverId }, 10)).toHaveLength(0);
    expect(textOf(await host.runTool({ serverId, name: 'job', arguments: { ms: 50 }, asTask: true }))).toBe('job done: 1 steps');
    expect(host.tasks.list({ serverId }, 10)).toHaveLength(1);
  });
});
