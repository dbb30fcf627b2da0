// A flooding server against the per-server caps at the session boundary: 2,000 forms, 200 pages, 100 task-augmented
// questions, 300 blocking tasks/result calls, 5,000 notifications and a progress flood. At most the
// cap waits; the rest get a JSON-RPC error at once saying why, without a look at the shared database; the UI hears one
// change per question; and the server's questions go when its session does.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Host, HostOptions } from '../../main/core/host.js';
import { LIMIT_REACHED_CODE, SERVER_LIMITS } from '../../main/core/limits.js';
import type { InboxChange } from '../../shared/domain/inbox.js';
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
