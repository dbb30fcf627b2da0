// Tool calls as tasks against the task fixture over real stdio: polling pace, progress, failure both ways, cancel
// accepted and refused, ttl expiry, an id the server forgot, a server that dies mid-task, and no status notifications.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { samplingRig, type SamplingRig } from '../../helpers/sampling.js';
import { stringContaining, arrayContaining } from '../../helpers/matchers.js';
import { taskWhen } from '../../helpers/tasks.js';
import { textOf } from '../../helpers/results.js';
import { SERVER_LIMITS } from '../../../main/core/limits.js';

const TASK_SERVER = join(FIXTURES, 'task-server.mjs');

let t: TestHost | undefined;
let rig: SamplingRig | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  await rig?.close();
  rig = undefined;
});

async function nextItem(host: TestHost['host'], kind: string) {
  for (let i = 0; i < 400; i++) {
    const item = host.inbox.list().find((x) => x.kind === kind);
    if (item) return item;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${kind} item arrived`);
}

async function fixture(flags: string[] = []) {
  t = await makeHost({ backoff: { baseMs: 50, maxMs: 200, maxRestarts: 0, healthyAfterMs: 60_000 } });
  const { view, approve } = await addApproved(t.host, 'tasks', NODE, [TASK_SERVER, ...flags]);
  await approve();
  return { host: t.host, serverId: view.id };
}

type Wire = Array<{ at: number; method: string; taskId?: string }>;
async function wireLog(host: TestHost['host'], serverId: string): Promise<Wire> {
  const result = await host.tools.call({ serverId, name: 'wire_log', arguments: {} });
  return JSON.parse(String(result.content[0]!.text)) as Wire;
}

describe('tool calls as tasks (task fixture)', () => {
  it('polls no faster than the server asks, shows progress and status messages, and fetches the result once', async () => {
    const { host, serverId } = await fixture();
    const progress: string[] = [];
    host.events.on('tasks:changed', (v) => v.progress !== null && progress.push(`${v.progress}/${v.progressTotal}`));
    const result = await host.tasks.run({ serverId, tool: 'job', arguments: { ms: 2400, steps: 4, pollInterval: 600 }, ttlMs: 30_000 });
    expect(textOf(result)).toBe('job done: 4 steps');
    const [task] = host.tasks.list({ serverId }, 10);
    expect(task).toMatchObject({ status: 'completed', statusMessage: 'done', pollIntervalMs: 600, progress: 4, progressTotal: 4 });
    expect(progress).toEqual(arrayContaining(['1/4', '2/4', '3/4', '4/4']));
    const detail = host.tasks.detail(task!.id);
    expect(detail.events.map((e) => e.status)).toEqual(arrayContaining(['working', 'completed']));
    expect(detail.events.some((e) => /step \d of 4/.test(e.message ?? ''))).toBe(true);

    const wire = (await wireLog(host, serverId)).filter((w) => w.taskId === detail.remoteTaskId);
    const gets = wire.filter((w) => w.method === 'tasks/get').map((w) => w.at);
    expect(gets.length).toBeGreaterThanOrEqual(2);
    // Timers may fire a hair early; never twice inside one interval.
    for (let i = 1; i < gets.length; i++) expect(gets[i]! - gets[i - 1]!).toBeGreaterThanOrEqual(540);
    expect(wire.filter((w) => w.method === 'tasks/result')).toHaveLength(1);
  });

  it('keeps to its floor when a server asks to be polled every 10 ms, and a poll that brings nothing new changes nothing', async () => {
    const { host, serverId } = await fixture();
    let changes = 0;
    host.events.on('tasks:changed', () => changes++);
    await host.tasks.run({ serverId, tool: 'job', arguments: { ms: 2000, steps: 1, pollInterval: 10, progress: false } });
    const gets = (await wireLog(host, serverId)).filter((w) => w.method === 'tasks/get').map((w) => w.at);
    expect(gets.length).toBeLessThanOrEqual(9);
    for (let i = 1; i < gets.length; i++) expect(gets[i]! - gets[i - 1]!).toBeGreaterThanOrEqual(225);
    // Only "working · step 1 of 1" repeats while it runs: no write and no event for those polls.
    expect(gets.length).toBeGreaterThanOrEqual(3);
    const [task] = host.tasks.list({ serverId }, 10);
    const detail = host.tasks.detail(task!.id);
    expect(changes).toBeLessThan(gets.length);
    expect(changes).toBeLessThanOrEqual(detail.events.length + 2);
  });

  it('records a task that fails with a JSON-RPC error, and one that ends with isError', async () => {
    const { host, serverId } = await fixture();
    await expect(host.tasks.run({ serverId, tool: 'job', arguments: { ms: 300, steps: 1, pollInterval: 250, fail: 'error' } })).rejects.toMatchObject({
      code: 'tool_call_failed',
      message: stringContaining('job exploded'),
    });
    const isError = await host.tasks.run({ serverId, tool: 'job', arguments: { ms: 300, steps: 1, pollInterval: 250, fail: 'isError' } });
    expect(isError).toMatchObject({ isError: true });
    expect(textOf(isError)).toBe('job failed on purpose');
    const [second, first] = host.tasks.list({ serverId }, 10);
    expect(first).toMatchObject({ status: 'failed', statusMessage: 'job exploded' });
    expect(JSON.parse(host.tasks.resultPage(first!.id, 0).text)).toMatchObject({ error: { code: -32603, message: stringContaining('job exploded') } });
    expect(second).toMatchObject({ status: 'failed', statusMessage: 'job failed' });
    expect(JSON.parse(host.tasks.resultPage(second!.id, 0).text)).toMatchObject({ isError: true });
    expect(host.tasks.list({ status: 'failed' }, 10)).toHaveLength(2);
  });

  it('cancels with tasks/cancel when the server allows it, then stops polling', async () => {
    const { host, serverId } = await fixture();
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 20_000, steps: 20, pollInterval: 250 } });
    await taskWhen(host, view.id, (v) => (v.statusMessage ?? '').startsWith('step'));
    const cancelled = await host.tasks.cancel(view.id);
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    await expect(host.tasks.cancel(view.id)).rejects.toMatchObject({ code: 'invalid_payload' });
    const before = (await wireLog(host, serverId)).filter((w) => w.method === 'tasks/get').length;
    await new Promise((r) => setTimeout(r, 800));
    const wire = await wireLog(host, serverId);
    expect(wire.filter((w) => w.method === 'tasks/get').length).toBe(before);
    expect(wire.filter((w) => w.method === 'tasks/cancel')).toHaveLength(1);
    expect(host.audit.list({ kind: 'task.cancelled', limit: 10 })).toHaveLength(1);
  });

  it('does not send tasks/cancel to a server that did not declare it; the task carries on', async () => {
    const { host, serverId } = await fixture(['--no-cancel']);
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 900, steps: 3, pollInterval: 250 } });
    await expect(host.tasks.cancel(view.id)).rejects.toMatchObject({
      code: 'not_supported',
      message: stringContaining('does not let its tasks be cancelled'),
    });
    expect((await host.tasks.requester.settle(view.id)).status).toBe('completed');
    expect((await wireLog(host, serverId)).some((w) => w.method === 'tasks/cancel')).toBe(false);
  });

  it('fails a task whose time to live ran out', async () => {
    const { host, serverId } = await fixture();
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 10_000, steps: 10, pollInterval: 250, ttl: 700 } });
    expect(view.expiresAt).not.toBeNull();
    const row = await host.tasks.requester.settle(view.id);
    expect(row.status).toBe('failed');
    expect(['expired', 'unknown task']).toContain(row.error);
  });

  it('treats a task the server no longer knows as lost: failed, settled by Steward, with the reason on record', async () => {
    const { host, serverId } = await fixture();
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 10_000, steps: 10, pollInterval: 250 } });
    // The server loses the task: from now on it answers -32602 for its id.
    await host.tools.call({ serverId, name: 'forget', arguments: { taskId: host.tasks.detail(view.id).remoteTaskId } });
    const row = await host.tasks.requester.settle(view.id);
    expect(row).toMatchObject({ status: 'failed', error: 'unknown task', settled_by: 'steward' });
    expect(host.tasks.detail(view.id).events.at(-1)).toMatchObject({ source: 'local', kind: 'lost', status: 'failed' });
  });

  it('refuses a poll whose answer is not a Task: nothing is taken or written, and the status and history stay as they were', async () => {
    const unexpected: unknown[] = [];
    t = await makeHost({ onUnexpected: (_where, error) => unexpected.push(error) });
    const { host } = t;
    const { view: server, approve } = await addApproved(host, 'tasks', NODE, [TASK_SERVER]);
    await approve();
    const serverId = server.id;
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 10_000, steps: 1, pollInterval: 250, progress: false, badPolls: true } });
    const before = host.tasks.detail(view.id);
    let changes = 0;
    host.events.on('tasks:changed', () => changes++);
    for (let i = 0; i < 100 && (await wireLog(host, serverId)).filter((w) => w.method === 'tasks/get').length < 3; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await wireLog(host, serverId)).filter((w) => w.method === 'tasks/get').length).toBeGreaterThanOrEqual(3);
    const after = host.tasks.detail(view.id);
    expect(after).toMatchObject({ status: 'working', statusMessage: before.statusMessage });
    expect(after.events).toEqual(before.events);
    expect(changes).toBe(0);
    // Refused as the answer is read, not left for the record's own checks to fail on.
    expect(unexpected).toEqual([]);
  });

  it('fails the task of a local server that dies mid-task, with the reason', async () => {
    const { host, serverId } = await fixture();
    const view = await host.tasks.start({ serverId, tool: 'die', arguments: {} });
    const row = await host.tasks.requester.settle(view.id);
    expect(row.status).toBe('failed');
    expect(row.status_message).toMatch(/server process ended/);
    expect(host.tasks.list({ status: 'working' }, 10)).toHaveLength(0);
  });

  it('finishes without a single status notification, and takes the one that says it is done without a poll of its own', async () => {
    const { host, serverId } = await fixture();
    const quiet = await host.tasks.run({ serverId, tool: 'job', arguments: { ms: 600, steps: 2, pollInterval: 250 } });
    expect(textOf(quiet)).toBe('job done: 2 steps');
    const chatty = await host.tasks.run({ serverId, tool: 'job', arguments: { ms: 600, steps: 2, pollInterval: 5000, statusEvery: true } });
    expect(textOf(chatty)).toBe('job done: 2 steps');
    // With a 5 s interval the job is over before the first poll is due: the notification carried the final status,
    // and tasks/result (not tasks/get) was asked at once.
    const wire = await wireLog(host, serverId);
    const chattyId = host.tasks.detail(host.tasks.list({ serverId }, 1)[0]!.id).remoteTaskId;
    expect(wire.filter((w) => w.taskId === chattyId).map((w) => w.method)).toEqual(['tasks/result']);
    expect(host.tasks.list({ status: 'completed' }, 10)).toHaveLength(2);
  });

  it("keeps a chatty task's history and status message bounded: its first entries, its latest ones, and a count of what was dropped", async () => {
    const { host, serverId } = await fixture();
    // Tried: 700 steps in about 4 s, each a new status message of 20,000 characters, each sent as a notification and
    // seen again by polls: before, every one was a history entry of its own, whole, for ever.
    const steps = 700;
    const result = await host.tasks.run({
      serverId,
      tool: 'job',
      arguments: { ms: 4000, steps, pollInterval: 250, statusEvery: true, statusPad: 20_000, progress: false },
    });
    expect(textOf(result)).toBe(`job done: ${steps} steps`);
    const [task] = host.tasks.list({ serverId }, 1);
    const detail = host.tasks.detail(task!.id);
    const { entries, kept } = SERVER_LIMITS.taskHistory;
    expect(detail.events).toHaveLength(entries);
    expect(detail.eventsDropped).toBeGreaterThan(0);
    // How it began stays (the first steps), and how it ended.
    const stepOf = (message: string | null) => Number(/^step (\d+) of/.exec(message ?? '')?.[1] ?? Number.NaN);
    const early = detail.events
      .slice(0, kept)
      .map((e) => stepOf(e.message))
      .filter((n) => !Number.isNaN(n));
    expect(early.length).toBeGreaterThan(0);
    expect(Math.max(...early)).toBeLessThan(20);
    expect(detail.events.at(-1)).toMatchObject({ status: 'completed' });
    const late = detail.events
      .slice(kept)
      .map((e) => stepOf(e.message))
      .filter((n) => !Number.isNaN(n));
    expect(Math.min(...late)).toBeGreaterThan(Math.max(...early));
    // Every entry's message is cut to the cap, with a mark that it was cut.
    for (const event of detail.events) expect((event.message ?? '').length).toBeLessThanOrEqual(SERVER_LIMITS.taskStatusMessageChars + 1);
    expect(detail.events.some((e) => e.message?.endsWith('…'))).toBe(true);
  });

  it('runs a task whose id the server gave before, to an earlier task, when it numbered its tasks anew after a restart', async () => {
    const { host, serverId } = await fixture(['--counter-ids']);
    const first = await host.tasks.run({ serverId, tool: 'job', arguments: { ms: 300, steps: 1, pollInterval: 250, statusEvery: true } });
    expect(textOf(first)).toBe('job done: 1 steps');
    await host.servers.stop(serverId, 'user');
    await host.servers.ensureRunning(serverId);
    // Tried: the restarted server calls its first task "1" again. Before, the store refused a second task with that id
    // (a unique index), and the call failed after the server had accepted it.
    const second = await host.tasks.run({ serverId, tool: 'job', arguments: { ms: 600, steps: 2, pollInterval: 250, statusEvery: true } });
    expect(textOf(second)).toBe('job done: 2 steps');
    const tasks = host.tasks.list({ serverId }, 10);
    expect(tasks.map((t) => t.status)).toEqual(['completed', 'completed']);
    const details = tasks.map((t) => host.tasks.detail(t.id));
    expect(details.map((d) => d.remoteTaskId)).toEqual(['1', '1']);
    // Each task's history is its own: the second one's steps did not land on the first.
    expect(details.map((d) => d.events.filter((e) => /^step \d of 2/.test(e.message ?? '')).length > 0)).toEqual([true, false]);
  });

  it("keeps a status for a new task with a reused id off the task that was lost with the server's earlier process", async () => {
    const { host, serverId } = await fixture(['--counter-ids']);
    // Task "1" is lost with its process: the server dies while it runs.
    const lost = await host.tasks.start({ serverId, tool: 'die', arguments: {} });
    expect(await host.tasks.requester.settle(lost.id)).toMatchObject({ status: 'failed', error: 'server exited' });
    await host.servers.ensureRunning(serverId);
    // The new process calls its first task "1" too, and reports a status for it before the answer that creates it.
    const result = await host.tasks.run({ serverId, tool: 'job', arguments: { ms: 300, steps: 1, pollInterval: 250, statusFirst: true } });
    expect(textOf(result)).toBe('job done: 1 steps');
    // Tried: before, that status was taken for the lost task's late report: the lost task read "completed after all" and
    // the new task's "warming up" was gone.
    const old = host.tasks.detail(lost.id);
    expect(old).toMatchObject({ status: 'failed', error: 'server exited' });
    expect(old.events.map((e) => e.kind)).not.toContain('late_result');
    const fresh = host.tasks.detail(host.tasks.list({ serverId }, 1)[0]!.id);
    expect(fresh.id).not.toBe(lost.id);
    expect(fresh.events.map((e) => e.message)).toContain('warming up');
  });

  it('runs an optional-task tool as a task when the caller asks, and inline otherwise', async () => {
    const { host, serverId } = await fixture();
    const asTask = await host.dispatch('tools:call', { serverId, name: 'job', arguments: { ms: 300, steps: 1, pollInterval: 250 }, asTask: true });
    expect(asTask).toMatchObject({ ok: true });
    const inline = await host.dispatch('tools:call', { serverId, name: 'job', arguments: { ms: 300, steps: 1 } });
    expect(inline).toMatchObject({ ok: true });
    expect(host.tasks.list({ serverId }, 10)).toHaveLength(1);
  });

  it('refuses to start a task on a server without the tasks capability', async () => {
    const { host, serverId } = await fixture(['--no-tasks']);
    await expect(host.tasks.start({ serverId, tool: 'job', arguments: {} })).rejects.toMatchObject({ code: 'not_supported' });
    expect(host.tasks.list({}, 10)).toHaveLength(0);
  });

  it('follows input_required: the question the task asks reaches the inbox, tagged with its task, and the answer finishes it', async () => {
    const { host, serverId } = await fixture();
    const view = await host.tasks.start({ serverId, tool: 'needs_input', arguments: {} });
    const item = await nextItem(host, 'elicitation');
    expect(item.kind === 'elicitation' && item.request).toMatchObject({
      message: 'The task needs your answer to finish.',
      relatedTask: { taskId: view.id, label: 'needs_input' },
    });
    expect(host.tasks.list({ serverId }, 5)[0]).toMatchObject({ status: 'input_required', statusMessage: 'waiting for your answer' });
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: { answer: 'blue' } });
    const row = await host.tasks.requester.settle(view.id);
    expect(row.status).toBe('completed');
    expect(JSON.parse(host.tasks.resultPage(view.id, 0).text)).toMatchObject({ content: [{ type: 'text', text: 'answered: blue' }] });
    expect(host.tasks.detail(view.id).events.map((e) => e.status)).toEqual(arrayContaining(['working', 'input_required', 'completed']));
  });

  it('follows input_required into sampling: the model request reaches the inbox and its reply finishes the task', async () => {
    rig = await samplingRig();
    const { view: server, approve } = await addApproved(rig.t.host, 'tasks', NODE, [TASK_SERVER]);
    await approve();
    rig.api.script([{ text: 'A sentence for the task.' }]);
    const host = rig.t.host;
    const running = host.tasks.run({ serverId: server.id, tool: 'sample_in_task', arguments: {} });
    const item = await nextItem(host, 'sampling');
    await host.inbox.decide(item.id, { kind: 'sampling', decision: 'approve', grant: 'once' });
    expect(textOf(await running)).toBe('A sentence for the task.');
    expect(host.tasks.list({ serverId: server.id }, 5)[0]).toMatchObject({ label: 'sample_in_task', status: 'completed' });
  });
});
