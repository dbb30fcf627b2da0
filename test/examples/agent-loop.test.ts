// Folder Guide's ask_about_folder: a real agent loop through sampling with tools — three rounds, parallel tool calls.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addApproved, tempDir } from '../helpers/host.js';
import { EVERYTHING, EXAMPLES_DIST, NODE } from '../helpers/paths.js';
import { nextItem, samplingRig, type SamplingRig } from '../helpers/sampling.js';
import { stringMatching } from '../helpers/matchers.js';
import { textOf } from '../helpers/results.js';

let rig: SamplingRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function folderGuide(r: SamplingRig) {
  const shared = tempDir('steward-agent-');
  mkdirSync(join(shared, 'notes'));
  writeFileSync(join(shared, 'notes', 'plan.md'), '# Plan\nShip the consent dialog first.\nThen the sandbox.\n');
  writeFileSync(join(shared, 'README.md'), 'A small project.\n');
  const { view, approve } = await addApproved(r.t.host, 'guide', NODE, [join(EXAMPLES_DIST, 'folder-guide', 'server.js')], { cwd: EXAMPLES_DIST });
  await r.t.host.servers.setRoots(view.id, [{ path: shared }]);
  await approve();
  // Round 1 asks for two tools at once, round 2 reads a file, round 3 answers.
  r.api.script([
    {
      toolUses: [
        { name: 'list_files', input: {} },
        { name: 'search', input: { query: 'sandbox' } },
      ],
    },
    { toolUses: [{ name: 'read_file', input: { path: 'notes/plan.md' } }] },
    { text: 'First the consent dialog, then the sandbox (notes/plan.md).' },
  ]);
  return view.id;
}

function ask(r: SamplingRig, id: string) {
  return r.t.host.tools.call({ serverId: id, name: 'ask_about_folder', arguments: { question: 'What comes first?' }, callId: 'ask-1' });
}

describe('agent loop through sampling with tools', () => {
  it('runs three rounds after one "allow for this loop", and the transcript shows each round', async () => {
    rig = await samplingRig();
    const id = await folderGuide(rig);
    const answer = ask(rig, id);
    const first = await nextItem(rig, 'sampling');
    if (first.kind !== 'sampling') throw new Error('wrong kind');
    expect(first.request.toolCall).toEqual({ name: 'ask_about_folder', callId: 'ask-1' });
    expect(first.request.tools.map((t) => t.name)).toEqual(['list_files', 'read_file', 'search']);
    await rig.t.host.inbox.decide(first.id, { kind: 'sampling', decision: 'approve', grant: 'loop' });
    const result = await answer;
    expect(textOf(result)).toContain('First the consent dialog, then the sandbox');
    expect(textOf(result)).toContain('3 round(s), 3 tool call(s)');

    const calls = rig.api.requests
      .filter((r) => r.path === '/v1/messages')
      .map((r) => r.body as { messages: { role: string; content: { type: string }[] }[]; tools: unknown[] });
    expect(calls).toHaveLength(3);
    expect(calls[1]!.messages.at(-1)!.content.map((b) => b.type)).toEqual(['tool_result', 'tool_result']);
    expect(calls[2]!.messages).toHaveLength(5);

    const loops = await rig.t.host.dispatch('sampling:loops', { serverId: id });
    if (!loops.ok) throw new Error(loops.message);
    const [loop] = loops.data as { id: string; rounds: number; toolCall: string }[];
    expect(loop).toMatchObject({ rounds: 3, toolCall: 'ask_about_folder' });
    const detail = await rig.t.host.dispatch('sampling:loop', { loopId: loop!.id });
    if (!detail.ok) throw new Error(detail.message);
    const entries = (detail.data as { entries: { round: number; status: string; decidedBy: string; reply: { type: string }[] }[] }).entries;
    expect(entries.map((e) => [e.round, e.status, e.decidedBy])).toEqual([
      [1, 'replied', 'user'],
      [2, 'replied', 'loop_grant'],
      [3, 'replied', 'loop_grant'],
    ]);
    expect(entries[0]!.reply.map((b) => b.type)).toEqual(['tool_use', 'tool_use']);
  });

  it('runs on policy within budget, and a round past the loop budget waits for the user', async () => {
    rig = await samplingRig();
    const id = await folderGuide(rig);
    rig.t.host.sampling.setPolicy(id, 'guide', { mode: 'allow', budgets: { roundsPerLoop: 2 } });
    const answer = ask(rig, id);
    const held = await nextItem(rig, 'sampling');
    if (held.kind !== 'sampling') throw new Error('wrong kind');
    expect(held.request.round).toBe(3);
    expect(held.request.askReasons).toEqual([{ code: 'rounds_per_loop', message: stringMatching(/round 3 of its loop; the limit is 2/) }]);
    expect(rig.api.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(2);
    await rig.t.host.inbox.decide(held.id, { kind: 'sampling', decision: 'approve', grant: 'once' });
    expect(textOf(await answer)).toContain('3 round(s)');
  });

  it('tells the server when the user denies a round', async () => {
    rig = await samplingRig();
    const id = await folderGuide(rig);
    const answer = ask(rig, id);
    const first = await nextItem(rig, 'sampling');
    await rig.t.host.inbox.decide(first.id, { kind: 'sampling', decision: 'deny', grant: 'once' });
    const result = await answer;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('User rejected sampling request');
  });

  it('serves server-everything’s trigger-sampling-request', async () => {
    rig = await samplingRig();
    const { view, approve } = await addApproved(rig.t.host, 'everything', NODE, [EVERYTHING, 'stdio']);
    await approve();
    rig.t.host.sampling.setPolicy(view.id, 'everything', { mode: 'allow' });
    rig.api.script([{ text: 'A haiku about hosts.' }]);
    const result = await rig.t.host.tools.call({ serverId: view.id, name: 'trigger-sampling-request', arguments: { prompt: 'Write a haiku', maxTokens: 100 } });
    expect(textOf(result)).toContain('A haiku about hosts.');
  });
});

describe('loop lifetime', () => {
  it('ends the loop when the tool call that began it ends', async () => {
    rig = await samplingRig();
    const id = await folderGuide(rig);
    rig.t.host.sampling.setPolicy(id, 'guide', { mode: 'allow' });
    await ask(rig, id);
    const loops = await rig.t.host.dispatch('sampling:loops', { serverId: id });
    expect(loops.ok && (loops.data as { status: string }[]).map((l) => l.status)).toEqual(['ended']);
  });
});

describe('agent loop on 2026-07-28 (the modern twin: input_required rounds, no server requests)', () => {
  it('runs the same three rounds through input_required after one "allow for this loop"', async () => {
    rig = await samplingRig();
    const shared = tempDir('steward-agent-modern-');
    mkdirSync(join(shared, 'notes'));
    writeFileSync(join(shared, 'notes', 'plan.md'), '# Plan\nShip the consent dialog first.\nThen the sandbox.\n');
    const { view, approve } = await addApproved(rig.t.host, 'guide-modern', NODE, [join(EXAMPLES_DIST, 'folder-guide', 'modern.js')], { cwd: EXAMPLES_DIST });
    await rig.t.host.servers.setRoots(view.id, [{ path: shared }]);
    await approve();
    await rig.t.host.servers.ensureRunning(view.id);
    expect(rig.t.host.servers.get(view.id).era).toBe('modern');
    rig.api.script([
      {
        toolUses: [
          { name: 'list_files', input: {} },
          { name: 'search', input: { query: 'sandbox' } },
        ],
      },
      { toolUses: [{ name: 'read_file', input: { path: 'notes/plan.md' } }] },
      { text: 'First the consent dialog, then the sandbox (notes/plan.md).' },
    ]);
    const answer = ask(rig, view.id);
    const first = await nextItem(rig, 'sampling');
    if (first.kind !== 'sampling') throw new Error('wrong kind');
    expect(first.request.tools.map((t) => t.name)).toEqual(['list_files', 'read_file', 'search']);
    await rig.t.host.inbox.decide(first.id, { kind: 'sampling', decision: 'approve', grant: 'loop' });
    const result = await answer;
    expect(textOf(result)).toContain('First the consent dialog, then the sandbox');
    expect(textOf(result)).toContain('3 round(s), 3 tool call(s)');
    const calls = rig.api.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body as { messages: { content: { type: string }[] }[] });
    expect(calls).toHaveLength(3);
    // The tool results the model saw came from the shared folder, read by the server between rounds.
    expect(JSON.stringify(calls[2]!.messages)).toContain('Ship the consent dialog first.');
    const loops = await rig.t.host.dispatch('sampling:loops', { serverId: view.id });
    if (!loops.ok) throw new Error(loops.message);
    expect((loops.data as { rounds: number; toolCall: string }[])[0]).toMatchObject({ rounds: 3, toolCall: 'ask_about_folder' });
  });
});
