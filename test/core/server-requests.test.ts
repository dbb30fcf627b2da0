// A flooding server against the per-server caps at the session boundary: 2,000 forms, 200 pages, 100 task-augmented
// questions, 300 blocking tasks/result calls, 5,000 notifications and a progress flood, and a server that asks for a
// task with 200 KB in it and cancels it at once, 200 times over (and pages tasks/list with a forged cursor). At most the
// cap waits; the rest get a JSON-RPC error at once saying why, without a look at the shared database; the UI hears one
// change per question; and the server's questions go when its session does.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Host, HostOptions } from '../../main/core/host.js';
import { LIMIT_REACHED_CODE, SERVER_LIMITS } from '../../main/core/limits.js';
import type { InboxChange } from '../../shared/domain/inbox.js';
import { FakeClock } from '../helpers/clock.js';
import { addApproved, makeHost, type TestHost } from '../helpers/host.js';
import { FIXTURES, NODE } from '../helpers/paths.js';
import { textOf } from '../helpers/results.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

interface Tally {
  sent: number;
  answered: number;
  results: number;
  errors: Record<string, number>;
  firstError: string | null;
  taskIds: string[];
}

async function flooder(
  options: Partial<HostOptions> = {},
): Promise<{ host: Host; id: string; tool: (name: string, args: Record<string, unknown>) => Promise<string> }> {
  t = await makeHost(options);
  const { view, approve } = await addApproved(t.host, 'flooder', NODE, [join(FIXTURES, 'flood-server.mjs')]);
  await approve();
  const host = t.host;
  return { host, id: view.id, tool: async (name, args) => textOf(await host.tools.call({ serverId: view.id, name, arguments: args })) };
}

async function tallyOnce(tool: (name: string, args: Record<string, unknown>) => Promise<string>, batch: string, until: (t: Tally) => boolean): Promise<Tally> {
  let last: Tally | undefined;
  for (let i = 0; i < 800; i++) {
    last = JSON.parse(await tool('tally', { batch })) as Tally;
    if (until(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`batch ${batch} never got there: ${JSON.stringify(last)}`);
}

const formParams = { message: 'Flood?', requestedSchema: { type: 'object', properties: { a: { type: 'string' } } } };
const urlParams = { mode: 'url', message: 'Open me', url: 'https://example.com/page', elicitationId: 'page' };

describe('a server flooding the host with questions', () => {
  it('gets at most its cap of 2,000 forms in front of the user, the rest refused at once, each change told alone', { timeout: 120_000 }, async () => {
    // The change feed's timer as good as off, so every look at what other processes changed is one a request made.
    const { host, id, tool } = await flooder({ changePollMs: 3_600_000 });
    const changes: InboxChange[] = [];
    host.events.on('inbox:changed', (c) => changes.push(c));
    const looks = vi.spyOn(host.store.changes, 'dataVersion');
    await tool('flood', { batch: 'forms', method: 'elicitation/create', count: 2000, params: formParams });
    const cap = SERVER_LIMITS.questions.form;
    // Refused without anyone answering anything: the waiting ones are still waiting.
    const tally = await tallyOnce(tool, 'forms', (x) => x.answered === 2000 - cap);
    expect(tally.errors).toEqual({ [LIMIT_REACHED_CODE]: 2000 - cap });
    expect(tally.firstError).toMatch(/"flooder" already has 20 forms waiting for the user/);
    expect(host.inbox.list()).toHaveLength(cap);
    expect(changes).toHaveLength(cap);
    expect(changes.every((c) => c.change === 'added')).toBe(true);
    // A refused request does not read the shared database: only the ones taken look for other processes' changes.
    expect(looks.mock.calls.length).toBeGreaterThanOrEqual(cap);
    expect(looks.mock.calls.length).toBeLessThan(2 * cap);
    // Nothing recorded per refused request; the log says it once.
    expect(host.audit.list({ kind: 'elicitation.requested', limit: 1000 })).toHaveLength(cap);
    const log = host.servers.logsPage(id, 200).map((l) => l.text);
    expect(log.filter((l) => l.startsWith('Refusing requests'))).toHaveLength(1);

    // The user answers one: one change, and room for one more.
    await host.inbox.decide(host.inbox.list()[0]!.id, { kind: 'elicitation', action: 'decline' });
    expect(changes.at(-1)).toMatchObject({ change: 'removed' });
    await tool('flood', { batch: 'one-more', method: 'elicitation/create', count: 2, params: formParams });
    const more = await tallyOnce(tool, 'one-more', (x) => x.answered === 1);
    expect(more.errors).toEqual({ [LIMIT_REACHED_CODE]: 1 });
    expect(host.inbox.list()).toHaveLength(cap);
  });

  it('caps pages to open, and questions sent as tasks, the same way', { timeout: 120_000 }, async () => {
    const { host, tool } = await flooder();
    await tool('flood', { batch: 'pages', method: 'elicitation/create', count: 200, params: urlParams });
    const pages = await tallyOnce(tool, 'pages', (x) => x.answered === 200 - SERVER_LIMITS.questions.url);
    expect(pages.errors).toEqual({ [LIMIT_REACHED_CODE]: 200 - SERVER_LIMITS.questions.url });
    expect(host.inbox.list().filter((i) => i.kind === 'elicitation_url')).toHaveLength(SERVER_LIMITS.questions.url);

    await tool('flood', { batch: 'tasks', method: 'elicitation/create', count: 100, params: formParams, task: true });
    const tasks = await tallyOnce(tool, 'tasks', (x) => x.answered === 100);
    // Accepted as tasks (CreateTaskResult) up to the cap; the rest refused at once, never a task.
    expect(tasks.results).toBe(SERVER_LIMITS.questions.taskInput);
    expect(tasks.errors).toEqual({ [LIMIT_REACHED_CODE]: 100 - SERVER_LIMITS.questions.taskInput });
    expect(host.tasks.list({}, 200)).toHaveLength(SERVER_LIMITS.questions.taskInput);
  });

  it('refuses requests past the in-flight cap: 300 blocking tasks/result calls for one task', { timeout: 120_000 }, async () => {
    const { tool } = await flooder();
    await tool('flood', { batch: 'one-task', method: 'elicitation/create', count: 1, params: formParams, task: true });
    const [taskId] = (await tallyOnce(tool, 'one-task', (x) => x.answered === 1)).taskIds;
    await tool('task_results', { batch: 'results', taskId, count: 300 });
    const results = await tallyOnce(tool, 'results', (x) => x.answered >= 300 - SERVER_LIMITS.inFlightRequests);
    expect(results.errors).toEqual({ [LIMIT_REACHED_CODE]: 300 - SERVER_LIMITS.inFlightRequests });
    expect(results.firstError).toMatch(/64 requests being handled/);
  });

  it('takes its questions away when its session ends: forms, pages waiting to be reported done, and task questions', { timeout: 120_000 }, async () => {
    const { host, id, tool } = await flooder();
    await tool('flood', { batch: 'forms', method: 'elicitation/create', count: 3, params: formParams });
    await tool('flood', { batch: 'page', method: 'elicitation/create', count: 1, params: urlParams });
    await tool('flood', { batch: 'task', method: 'elicitation/create', count: 1, params: formParams, task: true });
    for (let i = 0; i < 400 && host.inbox.list().length < 5; i++) await new Promise((r) => setTimeout(r, 25));
    const page = host.inbox.list().find((i) => i.kind === 'elicitation_url')!;
    // Opened: it now waits for the server to say the page is done, after its request was answered.
    await host.inbox.decide(page.id, { kind: 'elicitation_url', action: 'open' });
    for (let i = 0; i < 400 && !host.inbox.list().some((x) => x.kind === 'elicitation_url' && x.request.stage === 'waiting'); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(host.inbox.list()).toHaveLength(5);

    await host.servers.stop(id);
    expect(host.inbox.list()).toEqual([]);
    const [task] = host.tasks.list({}, 10);
    expect(task).toMatchObject({ status: 'failed' });
    expect(host.audit.list({ kind: 'elicitation.answered', limit: 10 }).map((e) => e.summary)).toContain(
      '"flooder" disconnected before the page it asked you to open was done; the question was withdrawn.',
    );
  });
});

describe('a server flooding the host with notifications and progress', () => {
  it('has notifications past its budget dropped, with a note, and the host answering meanwhile', { timeout: 120_000 }, async () => {
    const { host, id, tool } = await flooder();
    await tool('notify', { count: 5000 });
    expect(await tool('notify', { count: 1 })).toBe('notified');
    host.servers.logsPage(id, 1);
    const lines = host.store.logs.page(id, 100_000).map((l) => l.text);
    // The burst, plus what the steady rate lets through while the flood is read: far from all of the 5,000.
    expect(lines.filter((l) => l.startsWith('flood line')).length).toBeLessThan(4000);
    expect(lines.some((l) => l.startsWith('Dropping notifications'))).toBe(true);
  });

  it('passes a call’s progress on paced: 400 updates reach the UI as a few', { timeout: 120_000 }, async () => {
    const { host, id } = await flooder();
    const seen: number[] = [];
    host.events.on('calls:changed', (p) => seen.push(p.progress));
    await host.tools.call({ serverId: id, name: 'progress', arguments: { count: 400 }, callId: 'paced' });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(50);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

describe('a server that has tasks made and cancelled without end', () => {
  it('gets its tasks taken at a rate, keeps a bounded number stored without their bulk, and pages tasks/list', { timeout: 120_000 }, async () => {
    const clock = new FakeClock();
    const { host, id, tool } = await flooder({ clock });
    const { burst, perSecond, kept, argumentBytes } = SERVER_LIMITS.tasksReceived;
    const churn = async () =>
      JSON.parse(await tool('churn', { count: burst + 10, pad: 200_000 })) as {
        taken: number;
        cancelled: number;
        errors: Record<string, number>;
        firstError: string;
      };
    const incoming = () => host.tasks.list({ serverId: id }, 10_000).filter((task) => task.direction === 'incoming');

    // The clock stands still: the burst is taken, the rest refused at once, none of them stored.
    const first = await churn();
    expect(first).toMatchObject({ taken: burst, cancelled: burst, errors: { [LIMIT_REACHED_CODE]: 10 } });
    expect(first.firstError).toMatch(/"flooder" sends requests as tasks faster than 1 a second/);
    expect(incoming()).toHaveLength(burst);
    expect(host.audit.list({ kind: 'task.received', limit: 1000 })).toHaveLength(burst);
    // 200 KB asked; a note of the size kept.
    const stored = host.tasks.detail(incoming()[0]!.id).arguments;
    expect(JSON.stringify(stored).length).toBeLessThan(argumentBytes);
    expect(stored).toEqual({ notKept: expect.stringMatching(/^The request was 196 KB; Steward keeps a request of up to 64 KB/) as unknown });

    // As time lets more in, the ended ones past the number kept go, oldest first.
    for (let round = 0; round < 4; round += 1) {
      clock.advance((burst / perSecond) * 1000);
      expect(await churn()).toMatchObject({ taken: burst, errors: { [LIMIT_REACHED_CODE]: 10 } });
    }
    const left = incoming();
    expect(left.length).toBeGreaterThanOrEqual(kept);
    expect(left.length).toBeLessThanOrEqual(kept + 1);
    expect(left.every((task) => task.status === 'cancelled')).toBe(true);

    // tasks/list: every live task once, in pages; a cursor Steward never gave is refused.
    const listed = JSON.parse(await tool('list_tasks', {})) as { pages: string[][] };
    expect(listed.pages).toHaveLength(Math.ceil(left.length / 50));
    expect(listed.pages.every((page) => page.length <= 50)).toBe(true);
    expect(listed.pages.flat().sort()).toEqual(left.map((task) => task.id).sort());
    const forged = JSON.parse(await tool('list_tasks', { cursor: 'not-a-cursor' })) as { error?: { code: number } };
    expect(forged.error?.code).toBe(-32602);

    // Past their ttl the ended ones are no longer listed, and the next task taken drops them.
    clock.advance(3_600_001);
    expect((JSON.parse(await tool('list_tasks', {})) as { pages: string[][] }).pages).toEqual([[]]);
    await churn();
    expect(incoming().length).toBeLessThanOrEqual(burst + 1);
  });
});
