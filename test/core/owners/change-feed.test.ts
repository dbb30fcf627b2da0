// Changes made by another process reach a running host before its next decision: a running host (this test process)
// with a counting model stub, and real `steward` commands changing policy, budgets, model settings, server configs and
// consents beside it on the same data folder.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../shared/contract/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fixtures/fake-anthropic.mjs';
import { steward, waitFor } from '../../helpers/cli.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { openStore } from '../../../main/core/store/index.js';
import { requested, taskRecord } from '../store/temp-store.js';
import { createOsSandbox } from '../../../main/core/security/index.js';
import { addApproved, makeHostFor } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { nextItem, samplingRig, samplingServer, textRequest, type SamplingRig } from '../../helpers/sampling.js';

let rig: SamplingRig | undefined;
const extra: FakeAnthropic[] = [];
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  for (const api of extra.splice(0)) await api.close();
});

type Answer = { result?: Record<string, unknown>; error?: { code: number; message: string } };
const modelCalls = (api: FakeAnthropic) => api.requests.filter((r) => r.path === '/v1/messages').length;
const home = (r: SamplingRig) => join(r.t.dir, 'data');
/** The feed's timer as good as off: only the read before each decision can carry a change made elsewhere. */
const READ_THROUGH = { changePollMs: 3_600_000 };

function collect<K extends EventName>(r: SamplingRig, name: K): EventPayload<K>[] {
  const seen: EventPayload<K>[] = [];
  r.t.host.events.on(name, (payload) => seen.push(payload));
  return seen;
}

describe('changes from another process', () => {
  it('a deny from the command line lets no further request reach the model', async () => {
    rig = await samplingRig(READ_THROUGH);
    const server = await samplingServer(rig);
    rig.t.host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow' });
    const first = (await server.call('sample', { params: textRequest('Allowed?') })) as Answer;
    expect(first.result).toMatchObject({ role: 'assistant' });
    expect(modelCalls(rig.api)).toBe(1);
    const policies = collect(rig, 'sampling:policyChanged');

    const run = await steward(home(rig), ['sampling', 'policy', 'sampler', '--mode', 'deny']);
    expect(run.code).toBe(0);
    // Right after the command returns, with no wait: the host's next decision already sees the deny.
    const answers = (await server.call('flood', { count: 5, params: textRequest('And now?') })) as Answer[];
    expect(answers.map((a) => a.error?.code)).toEqual([-1, -1, -1, -1, -1]);
    expect(modelCalls(rig.api)).toBe(1);
    // And a screen showing the policy hears of it.
    await waitFor('the policy event', () => policies.find((p) => p.serverId === server.id && p.policy.mode === 'deny'));
  });

  it('a budget lowered from the command line holds the next request that exceeds it', async () => {
    rig = await samplingRig(READ_THROUGH);
    const server = await samplingServer(rig);
    rig.t.host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow' });
    expect(((await server.call('sample', { params: textRequest('Small enough', { maxTokens: 200 }) })) as Answer).result).toBeDefined();
    expect((await steward(home(rig), ['sampling', 'policy', 'sampler', '--max-tokens', '50'])).code).toBe(0);

    const pending = server.call('sample', { params: textRequest('Too big now', { maxTokens: 200 }) }) as Promise<Answer>;
    const item = await nextItem(rig, 'sampling');
    if (item.kind !== 'sampling') throw new Error('wrong kind');
    expect(item.request.askReasons.map((r) => r.code)).toContain('max_tokens');
    expect(modelCalls(rig.api)).toBe(1);
    await rig.t.host.inbox.decide(item.id, { kind: 'sampling', decision: 'deny', grant: 'once' });
    expect((await pending).error?.code).toBe(-1);
  });

  it('a new model address set from the command line is where the next request goes, with the key given for it', async () => {
    rig = await samplingRig(READ_THROUGH);
    const other = await startFakeAnthropic({ apiKey: 'sk-ant-second-0123456789' });
    extra.push(other);
    const server = await samplingServer(rig);
    rig.t.host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow' });
    await server.call('sample', { params: textRequest('To the first') });
    const models = collect(rig, 'models:changed');

    const moved = await steward(home(rig), ['models', 'set', '--base-url', other.url]);
    expect(moved.code).toBe(0);
    // The key was given for the first address and does not follow to another: the user is told, and gives one again.
    expect(moved.stderr + moved.stdout).toMatch(/No model key is set/);
    expect((await steward(home(rig), ['models', 'key'], {}, 'sk-ant-second-0123456789\n')).code).toBe(0);
    const answer = (await server.call('sample', { params: textRequest('To the second') })) as Answer;
    expect(answer.result).toMatchObject({ role: 'assistant' });
    expect([modelCalls(rig.api), modelCalls(other)]).toEqual([1, 1]);
    await waitFor('the settings event', () => models.find((m) => m.baseUrl === new URL(other.url).href));
  });

  it('a model key replaced from the command line is the key the next request carries', async () => {
    rig = await samplingRig(READ_THROUGH);
    const server = await samplingServer(rig);
    rig.t.host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow' });
    await server.call('sample', { params: textRequest('With the first key') });
    const keyOf = () => {
      const headers = rig?.api.requests.filter((r) => r.path === '/v1/messages').at(-1)?.headers ?? {};
      return headers['x-api-key'] ?? String(headers.authorization).replace(/^Bearer /, '');
    };
    expect(keyOf()).toBe(rig.api.apiKey);

    // The host keeps the key it read; a key written by another process must still replace it before the next request.
    expect((await steward(home(rig), ['models', 'key'], {}, 'sk-ant-rotated-0123456789\n')).code).toBe(0);
    await server.call('sample', { params: textRequest('With the second key') });
    expect(keyOf()).toBe('sk-ant-rotated-0123456789');
  });

  it('servers added, refused and removed elsewhere show up, stop and go here', async () => {
    // The OS sandbox as the command sees it, and the server's sandbox off: both plan exactly the same launch.
    rig = await samplingRig({ sandbox: createOsSandbox() });
    const { view, approve } = await addApproved(rig.t.host, 'sampler', NODE, [join(FIXTURES, 'sampling-server.mjs')], { sandbox: { enabled: false } });
    expect((await approve()).status).toBe('running');
    const server = { id: view.id };
    const changed = collect(rig, 'servers:changed');
    const removed = collect(rig, 'servers:removed');

    expect((await steward(home(rig), ['servers', 'add', 'remote', '--url', 'http://127.0.0.1:9/mcp'])).code).toBe(0);
    await waitFor('the new server', () => changed.find((v) => v.name === 'remote'));
    expect(rig.t.host.servers.list().map((s) => s.name)).toContain('remote');

    // Refusing the exact launch the host runs stops it there.
    expect((await steward(home(rig), ['consent', 'deny', 'sampler'])).code).toBe(0);
    await waitFor('the server to stop', () => changed.find((v) => v.id === server.id && v.status === 'error' && v.lastError?.code === 'consent_denied'));
    expect(rig.t.host.servers.get(server.id).pid).toBeNull();

    expect((await steward(home(rig), ['servers', 'remove', 'remote'])).code).toBe(0);
    await waitFor('the removal', () => removed.find((r) => changed.some((v) => v.name === 'remote' && v.id === r.serverId)));
    expect(rig.t.host.servers.list().map((s) => s.name)).not.toContain('remote');
  });
});

describe('task changes from other processes', () => {
  const cleanup = undoAfterEach();
  const task = (id: string, at: string, owner: { pid: number; started: string }) =>
    taskRecord(id, at, { server_name: 'elsewhere', transport: 'http', arguments: null, owner_pid: owner.pid, owner_started: owner.started });

  it("are each announced once, in the order they were committed, whatever the writers' clocks say", async () => {
    const t = await makeHostFor(cleanup);
    const seen: string[] = [];
    t.host.events.on('tasks:changed', (view) => seen.push(`${view.id}:${view.status}`));
    const other = openStore(join(t.dir, 'data', 'steward.db'));
    cleanup(() => other.close());
    const elsewhere = { pid: 999_999, started: 'elsewhere' };
    // Tried: a writer whose clock steps back between two writes (an NTP step, a resumed machine), and one whose change
    // commits after another stamped later. Before, the cursor was the last updated_at seen, and both were missed.
    other.tasks.insert(task('x', '2030-01-01T10:00:01.000Z', elsewhere), requested);
    await waitFor('the first change', () => seen.includes('x:working'));
    other.tasks.insert(task('y', '2030-01-01T10:00:00.500Z', elsewhere), requested);
    await waitFor('the change stamped earlier but committed later', () => seen.includes('y:working'));
    other.tasks.apply('x', '2030-01-01T09:00:00.000Z', { status: 'completed' }, [], undefined);
    await waitFor('a later change stamped an hour earlier', () => seen.includes('x:completed'));
    expect(seen).toEqual(['x:working', 'y:working', 'x:completed']);
  });
});
