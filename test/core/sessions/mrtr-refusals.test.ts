// What a refused or unfinished question does to a 2026-07-28 request: a sampling request the user denies fails the
// whole tool call (or task) with an error that says so, never a hang and never a partial result; the server is not
// retried with an answer that was never given.
// Hostile: the server asks again after the denial (a retry it never gets); a task keeps repeating its question.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../../main/core/host.js';
import { addApproved } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { nextItem, samplingRig, type SamplingRig } from '../../helpers/sampling.js';

let rig: SamplingRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function modernServer(script: string, name: string) {
  rig = await samplingRig();
  const { view, approve } = await addApproved(rig.t.host, name, NODE, [join(FIXTURES, script), ...(script === 'era-server.mjs' ? ['--era=modern'] : [])]);
  await approve();
  await rig.t.host.servers.ensureRunning(view.id);
  expect(rig.t.host.servers.get(view.id).era).toBe('modern');
  return { host: rig.t.host, serverId: view.id };
}

/** Denies the sampling question `pending` raises, and returns the error it then fails with (it must not succeed). */
async function failsAfterDenial(host: Host, pending: Promise<unknown>): Promise<{ code: string; message: string }> {
  const outcome = pending.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  const item = await nextItem(rig!, 'sampling');
  await host.inbox.decide(item.id, { kind: 'sampling', decision: 'deny', grant: 'once' });
  const settled = await outcome;
  expect(settled).not.toHaveProperty('result');
  return (settled as { error: { code: string; message: string } }).error;
}

describe('refusals inside 2026-07-28 requests', () => {
  it('a denied sampling question fails the whole tool call with a clear error', async () => {
    const { host, serverId } = await modernServer('era-server.mjs', 'era-modern');
    const error = await failsAfterDenial(host, host.tools.call({ serverId, name: 'ask_model', arguments: { prompt: 'say hi' } }));
    expect(error).toMatchObject({ code: 'tool_call_failed' });
    expect(error.message).toMatch(/request to use the model was not answered, so its request cannot go on: .*rejected/);
    expect(rig!.api.requests).toHaveLength(0);
  });

  it('a denied sampling question inside a task cancels the task and fails it with the reason', async () => {
    const { host, serverId } = await modernServer('tasks-ext-server.mjs', 'tasks-ext');
    const error = await failsAfterDenial(host, host.tasks.run({ serverId, tool: 'consult', arguments: { prompt: 'say hi' } }));
    expect(error).toMatchObject({ code: 'tool_call_failed' });
    expect(error.message).toMatch(/request to use the model was not answered/);
    const [task] = host.tasks.list({ serverId }, 10);
    expect(task).toMatchObject({ era: 'modern', status: 'failed' });
    const wire = JSON.parse(String((await host.tools.call({ serverId, name: 'wire_log', arguments: {} })).content[0]!.text)) as { method: string }[];
    expect(wire.map((w) => w.method)).toContain('tasks/cancel');
    expect(wire.map((w) => w.method)).not.toContain('tasks/update');
    expect(host.inbox.list().filter((x) => x.kind === 'sampling')).toHaveLength(0);
  });
});
