// Tasks against server-everything over stdio: a tool that requires a task, and sampling the server asks for as a task.
import { afterEach, describe, expect, it } from 'vitest';
import { addApproved } from '../../helpers/host.js';
import { EVERYTHING, NODE } from '../../helpers/paths.js';
import { samplingRig, type SamplingRig } from '../../helpers/sampling.js';
import { textOf } from '../../helpers/results.js';

let rig: SamplingRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('tasks with server-everything', () => {
  it('runs simulate-research-query (taskSupport required) as a task and records it', async () => {
    rig = await samplingRig();
    const { view, approve } = await addApproved(rig.t.host, 'everything', NODE, [EVERYTHING, 'stdio']);
    await approve();
    const changes: string[] = [];
    rig.t.host.events.on('tasks:changed', (t) => changes.push(`${t.status}:${t.statusMessage ?? ''}`));
    const outcome = await rig.t.host.dispatch('tools:call', { serverId: view.id, name: 'simulate-research-query', arguments: { topic: 'tide pools' } });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(textOf(outcome.data as never)).toContain('tide pools');
    const [task] = rig.t.host.tasks.list({}, 10);
    expect(task).toMatchObject({ label: 'simulate-research-query', direction: 'outgoing', status: 'completed' });
    expect(changes.some((c) => c.startsWith('working:'))).toBe(true);
    const detail = rig.t.host.tasks.detail(task!.id);
    expect(detail.events.map((e) => e.status)).toContain('completed');
    expect(detail.arguments).toEqual({ topic: 'tide pools' });
    const page = rig.t.host.tasks.resultPage(task!.id, 0, 100);
    expect(page.total).toBeGreaterThan(100);
    expect(page.text).toHaveLength(100);
  });

  it('answers trigger-sampling-request-async: the host is the receiver of a sampling task', async () => {
    rig = await samplingRig();
    const { view, approve } = await addApproved(rig.t.host, 'everything', NODE, [EVERYTHING, 'stdio']);
    await approve();
    rig.t.host.sampling.setPolicy(view.id, 'everything', { mode: 'allow' });
    rig.api.script([{ text: 'Sampled inside a task.' }]);
    const result = await rig.t.host.tools.call({
      serverId: view.id,
      name: 'trigger-sampling-request-async',
      arguments: { prompt: 'Say something', maxTokens: 50 },
    });
    expect(textOf(result)).toContain('Sampled inside a task.');
    const incoming = rig.t.host.tasks.list({ serverId: view.id }, 10).filter((t) => t.direction === 'incoming');
    expect(incoming).toHaveLength(1);
    expect(incoming[0]).toMatchObject({ method: 'sampling/createMessage', status: 'completed' });
  });
});
