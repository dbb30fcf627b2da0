// Tasks against the strict task fixture, which logs when each request arrives and records any poll sooner than the
// interval it last gave: the pace Steward keeps (also on a fake clock), ttl as the server's promise, a history that holds
// only the server's reports and typed local events, a late result after Steward gave up, and cancel as cancel.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/clock.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { taskWhen } from '../../helpers/tasks.js';

const TASK_SERVER = join(FIXTURES, 'task-server.mjs');

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function fixture(clock?: FakeClock) {
  t = await makeHost({ backoff: { baseMs: 50, maxMs: 200, maxRestarts: 0, healthyAfterMs: 60_000 }, ...(clock ? { clock } : {}) });
  const { view, approve } = await addApproved(t.host, 'tasks', NODE, [TASK_SERVER]);
  await approve();
  const host = t.host;
  const tool = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await host.tools.call({ serverId: view.id, name, arguments: args });
    return JSON.parse(String(result.content[0]!.text)) as unknown;
  };
  const wire = async (remoteTaskId: string | null) =>
    ((await tool('wire_log')) as Array<{ at: number; method: string; taskId?: string }>).filter((w) => w.taskId === remoteTaskId);
  const violations = async () => (await tool('violations')) as unknown[];
  return { host, serverId: view.id, tool, wire, violations };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pace', () => {
  it('never polls sooner than pollInterval, whatever status notifications come in between', async () => {
    const { host, serverId, wire, violations } = await fixture();
    // A notification on every step (every 250 ms) against a 1 s interval: the old host polled on each one.
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 3000, steps: 12, pollInterval: 1000, statusEvery: true } });
    await host.tasks.requester.settle(view.id);
    expect(await violations()).toEqual([]);
    const gets = (await wire(host.tasks.detail(view.id).remoteTaskId)).filter((w) => w.method === 'tasks/get').map((w) => w.at);
    expect(gets.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < gets.length; i++) expect(gets[i]! - gets[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it('on a fake clock: the first poll comes one interval after the server accepted the task, and notifications move nothing', async () => {
    // A whole second, so the wheel's 25 ms slots line up with the interval.
    const clock = new FakeClock(Math.floor(Date.now() / 1000) * 1000);
    const { host, serverId, wire } = await fixture(clock);
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 60_000, steps: 240, pollInterval: 1000, statusEvery: true } });
    const remote = host.tasks.detail(view.id).remoteTaskId;
    const gets = async () => (await wire(remote)).filter((w) => w.method === 'tasks/get').length;
    // Status notifications arrive (one per 250 ms of the server's time) while Steward's clock stands still.
    const notified = (count: number) =>
      new Promise<void>((resolve) => {
        let seen = 0;
        const off = host.events.on('tasks:changed', (v) => {
          if (v.id === view.id && ++seen >= count) {
            off();
            resolve();
          }
        });
      });
    await notified(2);
    expect(await gets()).toBe(0);
    clock.advance(999);
    // Had the advance started a poll, it would have left long before the next notification comes.
    await notified(1);
    expect(await gets()).toBe(0);
    clock.advance(1);
    await eventually('the first poll', async () => ((await gets()) === 1 ? true : undefined));
    await notified(2);
    expect(await gets()).toBe(1);
    await cancelQuietly(host, view.id);
  });
});

async function cancelQuietly(host: TestHost['host'], id: string) {
  await host.tasks.cancel(id).catch(() => undefined);
}

describe('lifetime', () => {
  it('keeps following a task past its ttl while the server still answers for it, and records how it really ended', async () => {
    const { host, serverId, wire } = await fixture();
    const view = await host.tasks.start({ serverId, tool: 'needs_input', arguments: { ttl: 300, keepPastTtl: true, pollInterval: 250 } });
    const expiresAt = Date.parse(view.expiresAt!);
    expect(expiresAt - Date.parse(view.createdAt)).toBeLessThan(2000);
    const item = await eventually('the question', () => host.inbox.list().find((i) => i.kind === 'elicitation'));
    const remote = host.tasks.detail(view.id).remoteTaskId;
    // The server keeps answering polls well after the ttl: the task is still the server's, waiting for the user.
    await eventually('polls past the ttl', async () => {
      const created = (await wire(remote)).find((w) => w.method === 'tasks/get');
      const gets = (await wire(remote)).filter((w) => w.method === 'tasks/get');
      return created && gets.length >= 1 && Date.now() > expiresAt + 600 ? true : undefined;
    });
    expect(host.tasks.list({ serverId }, 5)[0]).toMatchObject({ id: view.id, status: 'input_required' });
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: { answer: 'late but fine' } });
    const row = await host.tasks.requester.settle(view.id);
    expect(row).toMatchObject({ status: 'completed', settled_by: 'server', error: null });
    expect(host.tasks.detail(view.id).events.some((e) => e.kind === 'lost')).toBe(false);
    expect(JSON.parse(host.tasks.resultPage(view.id, 0).text)).toMatchObject({ content: [{ text: 'answered: late but fine' }] });
  });

  it('keeps a result that comes after Steward marked the task lost, and records its true final status with a note', async () => {
    const { host, serverId, tool } = await fixture();
    const view = await host.tasks.start({ serverId, tool: 'needs_input', arguments: { pollInterval: 250 } });
    const item = await eventually('the question', () => host.inbox.list().find((i) => i.kind === 'elicitation'));
    // The server loses track of the task for polls (-32602) while the open tasks/result still waits for the answer.
    await tool('forget', { taskId: host.tasks.detail(view.id).remoteTaskId });
    const lost = await host.tasks.requester.settle(view.id);
    expect(lost).toMatchObject({ status: 'failed', settled_by: 'steward', error: 'unknown task' });
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: { answer: 'blue' } });
    const done = await taskWhen(host, view.id, (v) => v.status === 'completed');
    expect(done).toMatchObject({ settledBy: 'server' });
    expect(JSON.parse(host.tasks.resultPage(view.id, 0).text)).toMatchObject({ content: [{ text: 'answered: blue' }] });
    const kinds = host.tasks.detail(view.id).events.map((e) => `${e.source}:${e.kind}:${e.status}`);
    expect(kinds.slice(-2)).toEqual(['local:lost:failed', 'local:late_result:completed']);
    const ended = host.audit.list({ kind: 'task.ended', limit: 10 });
    expect(ended.map((e) => e.data.status)).toEqual(['completed', 'failed']);
    expect(ended[0]!.data).toMatchObject({ corrected: true, settledBy: 'server' });
  });
});

describe('history', () => {
  it('keeps a status the server sent before the answer that created the task', async () => {
    const { host, serverId } = await fixture();
    // The server writes a status notification, then the CreateTaskResult: the status comes before the task is on record.
    // Polls (every second) come only after the job's first step, so this notification is the one place "warming up" is told.
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 1500, steps: 1, pollInterval: 1000, statusFirst: true } });
    await host.tasks.requester.settle(view.id);
    const server = host.tasks
      .detail(view.id)
      .events.filter((e) => e.source === 'server')
      .map((e) => `${e.status} ${e.message}`);
    expect(server.slice(0, 2)).toEqual(['working queued', 'working warming up']);
    expect(server.at(-1)).toMatch(/^completed/);
  });

  it('holds each status the server reported once, with its message and time, and local events typed as local', async () => {
    const { host, serverId } = await fixture();
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 900, steps: 3, pollInterval: 250, statusEvery: true } });
    await host.tasks.requester.settle(view.id);
    const events = host.tasks.detail(view.id).events;
    expect(events[0]).toMatchObject({ source: 'local', kind: 'requested', status: 'working' });
    const server = events.filter((e) => e.source === 'server');
    // Exactly what the server said, in order, nothing invented: no "working" entry for the final notification.
    expect(server.map((e) => `${e.status} ${e.message}`)).toEqual([
      'working queued',
      'working step 1 of 3',
      'working step 2 of 3',
      'working step 3 of 3',
      'completed done',
    ]);
    for (const e of server) expect(Date.parse(e.serverAt!)).not.toBeNaN();
    expect(events.filter((e) => e.source === 'local').map((e) => e.kind)).toEqual(['requested']);
  });

  it('shows a cancelled task as cancelled: the request is the user’s, the status the server’s, and no error', async () => {
    const { host, serverId } = await fixture();
    const view = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 20_000, steps: 20, pollInterval: 250 } });
    await taskWhen(host, view.id, (v) => (v.statusMessage ?? '').startsWith('step'));
    await host.tasks.cancel(view.id);
    const row = await host.tasks.requester.settle(view.id);
    expect(row).toMatchObject({ status: 'cancelled', settled_by: 'server', error: null, cancel_requested: 1 });
    const tail = host.tasks.detail(view.id).events.slice(-2);
    expect(tail).toMatchObject([
      { source: 'local', kind: 'cancel_requested', status: 'working' },
      { source: 'server', kind: 'status', status: 'cancelled', message: 'cancelled by the client' },
    ]);
  });
});
