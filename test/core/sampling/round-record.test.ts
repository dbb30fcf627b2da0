// The sampling record against the raw sampling fixture (which logs what it receives, in order) and the fake Messages
// API (which records the bodies it gets and rejects what the real API would): each round stores the request exactly as
// the server sent it, every edit, the body the model got, the reply as received and as returned, and who decided each
// step and why; grants, budgets and the command line are named as themselves.
import { describe, expect, it, afterEach } from 'vitest';
import type { RoundRecord } from '../../../shared/domain/sampling.js';
import { answerUnattended } from '../../../main/cli/unattended.js';
import { nextItem, samplingRig, samplingServer, textRequest, type SamplingRig } from '../../helpers/sampling.js';

let rig: SamplingRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Answer = { result?: { content: unknown; model: string }; error?: { code: number; message: string } };

async function setUp() {
  rig = await samplingRig();
  const server = await samplingServer(rig);
  const host = rig.t.host;
  /** The record of the newest round of the newest loop. */
  const newest = (): RoundRecord => {
    const [loop] = host.sampling.listLoops(server.id, null, 1);
    const entries = host.sampling.loop(loop!.id)!.entries!;
    return host.sampling.round(entries.at(-1)!.requestId)!;
  };
  /** The Messages API bodies the fake got, as the model saw them (the SDK adds stream: true). */
  const bodies = () =>
    rig!.api.requests
      .filter((r) => r.path === '/v1/messages')
      .map((r) => {
        const { stream: _stream, ...body } = r.body as Record<string, unknown>;
        return body;
      });
  return { host, server, newest, bodies, api: rig.api };
}

/** The request of round 2, once it waits in the inbox. */
async function eventuallySecond(host: SamplingRig['t']['host']) {
  for (let i = 0; i < 400; i++) {
    const item = host.inbox.list().find((x) => x.kind === 'sampling' && x.request.round === 2);
    if (item) return item;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('round 2 never asked');
}

describe('a round’s record', () => {
  it('auto-approved: the request as sent by the server, the exact body the model got, the reply both ways, and the policy’s steps', async () => {
    const { host, server, newest, bodies, api } = await setUp();
    host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow' });
    api.script([{ text: 'Oslo.' }]);
    // A hostile-looking but valid request: extra fields the spec allows, and content given as one block.
    const params = { ...textRequest('Capital of Norway?', { systemPrompt: 'Be brief.' }), _meta: { trace: 'abc' }, stopSequences: ['END'] };
    const answer = (await server.call('sample', { params })) as Answer;
    expect(answer.result).toMatchObject({ content: { type: 'text', text: 'Oslo.' } });
    const record = newest();
    expect(JSON.parse(record.request)).toEqual(params);
    expect(JSON.parse(record.sent!)).toEqual(bodies().at(-1));
    expect(record).toMatchObject({
      status: 'replied',
      decidedBy: 'policy',
      reply: [{ type: 'text', text: 'Oslo.' }],
      replyReturned: [{ type: 'text', text: 'Oslo.' }],
      edits: [],
    });
    expect(record.steps.map((s) => `${s.to}/${s.by}`)).toEqual(['received/server', 'checked/host', 'sent/policy', 'replied/host']);
    expect(record.steps[2]!.why).toMatch(/allows requests within budget/);
    const approved = host.audit.list({ kind: 'sampling.approved', limit: 1 })[0]!;
    expect(approved).toMatchObject({ actor: 'policy', data: { requestId: record.requestId, decidedBy: 'policy' } });
  });

  it('edited by the user: every edit on record, and the body the model got is the edited one', async () => {
    const { host, server, newest, bodies } = await setUp();
    const pending = server.call('sample', { params: textRequest('Original question', { systemPrompt: 'Original system' }) }) as Promise<Answer>;
    const item = await nextItem(rig!, 'sampling');
    await host.inbox.decide(item.id, {
      kind: 'sampling',
      decision: 'approve',
      grant: 'once',
      edits: { systemPrompt: 'Edited system', lastUserText: 'Edited question', maxTokens: 50 },
    });
    await pending;
    const record = newest();
    expect(JSON.parse(record.request)).toMatchObject({ systemPrompt: 'Original system', maxTokens: 200 });
    expect(record.edits).toEqual([
      {
        at: expect.any(String) as string,
        edits: { systemPrompt: 'Edited system', lastUserText: 'Edited question', maxTokens: 50 },
        keptFromRound: null,
        keep: false,
      },
    ]);
    const sent = JSON.parse(record.sent!) as Record<string, unknown>;
    expect(sent).toEqual(bodies().at(-1));
    expect(sent).toMatchObject({ system: 'Edited system', max_tokens: 50, messages: [{ role: 'user', content: [{ type: 'text', text: 'Edited question' }] }] });
    expect(record.steps.map((s) => `${s.to}/${s.by}`)).toEqual(['received/server', 'checked/host', 'waiting/policy', 'sent/user', 'replied/host']);
    expect(record.steps[3]!.why).toBe('You approved it with edits.');
  });

  it('reviewed: ends replied with the reply the user changed, and the server gets the changed one', async () => {
    const { host, server, newest } = await setUp();
    host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow', reviewReplies: true });
    rig!.api.script([{ text: 'Draft answer' }]);
    const sent = server.call('sample', { params: textRequest('One') }) as Promise<Answer>;
    const review = await nextItem(rig!, 'sampling_review');
    await host.inbox.decide(review.id, { kind: 'sampling_review', decision: 'send', replyText: 'Checked answer' });
    expect((await sent).result).toMatchObject({ content: { type: 'text', text: 'Checked answer' } });
    const record = newest();
    expect(record).toMatchObject({
      status: 'replied',
      reply: [{ type: 'text', text: 'Draft answer' }],
      replyReturned: [{ type: 'text', text: 'Checked answer' }],
    });
    expect(record.steps.map((s) => `${s.to}/${s.by}`).slice(-2)).toEqual(['reviewing/policy', 'replied/user']);
    expect(host.audit.list({ kind: 'sampling.replied', limit: 1 })[0]).toMatchObject({ actor: 'user', data: { edited: true } });
  });

  it('reviewed and withheld: ends denied, by the user', async () => {
    const { host, server, newest } = await setUp();
    host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow', reviewReplies: true });
    const sent = server.call('sample', { params: textRequest('Two') }) as Promise<Answer>;
    const review = await nextItem(rig!, 'sampling_review');
    await host.inbox.decide(review.id, { kind: 'sampling_review', decision: 'deny' });
    expect((await sent).error).toMatchObject({ code: -1 });
    expect(newest()).toMatchObject({ status: 'denied', decidedBy: 'user', reply: expect.any(Array) as unknown[], replyReturned: null });
  });

  it('a loop grant and a session grant are named as themselves, never as the policy', async () => {
    const { host, server, newest } = await setUp();
    rig!.api.script([{ text: 'First.' }, { text: 'Second.' }, { text: 'Third.' }, { text: 'Fourth.' }]);
    // Two rounds of one loop (one tool call): the second repeats the first's messages and reply, and adds one more.
    const first = textRequest('Step one');
    const second = {
      ...first,
      messages: [
        ...first.messages,
        { role: 'assistant', content: { type: 'text', text: 'First.' } },
        { role: 'user', content: { type: 'text', text: 'Step two' } },
      ],
    };
    const loop = server.call('sequence', { requests: [first, second] }) as Promise<Answer[]>;
    await host.inbox.decide((await nextItem(rig!, 'sampling')).id, { kind: 'sampling', decision: 'approve', grant: 'loop' });
    expect((await loop).map((a) => a.result?.content)).toEqual([
      { type: 'text', text: 'First.' },
      { type: 'text', text: 'Second.' },
    ]);
    expect(newest()).toMatchObject({ round: 2, decidedBy: 'loop_grant' });
    expect(host.audit.list({ kind: 'sampling.approved', limit: 1 })[0]).toMatchObject({ actor: 'loop_grant' });

    const other = server.call('sample', { params: textRequest('Something else') }) as Promise<Answer>;
    await host.inbox.decide((await nextItem(rig!, 'sampling')).id, { kind: 'sampling', decision: 'approve', grant: 'session' });
    await other;
    expect(((await server.call('sample', { params: textRequest('And more') })) as Answer).result).toBeDefined();
    expect(newest()).toMatchObject({ round: 1, decidedBy: 'session_grant' });
  });

  it('a budget hold is the budget’s doing, with the budget named', async () => {
    const { host, server, newest } = await setUp();
    host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow', budgets: { maxTokensPerRequest: 100 } });
    const held = server.call('sample', { params: textRequest('Long one', { maxTokens: 500 }) }) as Promise<Answer>;
    const item = await nextItem(rig!, 'sampling');
    const waiting = newest();
    expect(waiting.steps.at(-1)).toMatchObject({ to: 'waiting', by: 'budget', why: expect.stringMatching(/limit per request is 100/) as string });
    await host.inbox.decide(item.id, { kind: 'sampling', decision: 'deny', grant: 'once' });
    await held;
  });

  it('refused by the command line, which cannot ask: recorded as the command line’s, and its note names the budget to raise', async () => {
    const { host, server, newest } = await setUp();
    const notes: string[] = [];
    const off = answerUnattended(host, (line) => notes.push(line));
    try {
      const asked = (await server.call('sample', { params: textRequest('Unattended') })) as Answer;
      expect(asked.error).toMatchObject({ code: -1 });
      expect(newest()).toMatchObject({ status: 'denied', decidedBy: 'unattended' });
      expect(host.audit.list({ kind: 'sampling.denied', limit: 1 })[0]).toMatchObject({ actor: 'unattended' });
      expect(notes.at(-1)).toMatch(/--mode allow$/);

      host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow', budgets: { maxTokensPerRequest: 100 } });
      const held = (await server.call('sample', { params: textRequest('Over budget', { maxTokens: 500 }) })) as Answer;
      expect(held.error).toMatchObject({ code: -1 });
      expect(notes.at(-1)).toMatch(/over its budget \(It asks for up to 500 tokens; the limit per request is 100\.\).*--max-tokens N$/);
      expect(notes.at(-1)).not.toMatch(/--mode allow/);
    } finally {
      off();
    }
  });

  it('sampling parameters: what the Messages API takes reaches it, what it does not is reported on the round and in the dialog', async () => {
    const { host, server, newest, bodies } = await setUp();
    const params = textRequest('With extras', { temperature: 0.3, includeContext: 'allServers', metadata: { user_id: 'person-7', trace: 'xyz' } });
    const pending = server.call('sample', { params }) as Promise<Answer>;
    const item = await nextItem(rig!, 'sampling');
    if (item.kind !== 'sampling') throw new Error('wrong kind');
    expect(item.request.temperature).toBe(0.3);
    expect(item.request.paramsReport.map((n) => n.name)).toEqual(['temperature', 'includeContext', 'metadata.trace']);
    await host.inbox.decide(item.id, { kind: 'sampling', decision: 'approve', grant: 'once' });
    expect((await pending).result).toBeDefined();
    const body = bodies().at(-1)!;
    // The fake API refuses fields the real one has no place for; metadata.user_id passes through.
    expect(body.metadata).toEqual({ user_id: 'person-7' });
    expect(body).not.toHaveProperty('temperature');
    expect(newest().paramsReport.map((n) => [n.name, n.value])).toEqual([
      ['temperature', 0.3],
      ['includeContext', 'allServers'],
      ['metadata.trace', 'xyz'],
    ]);
  });

  it('an edit kept for the loop applies to its later rounds, and says so', async () => {
    const { host, server, newest, bodies } = await setUp();
    rig!.api.script([{ text: 'A.' }, { text: 'B.' }]);
    const first = textRequest('Round one', { systemPrompt: 'Server system' });
    const second = {
      ...first,
      messages: [
        ...first.messages,
        { role: 'assistant', content: { type: 'text', text: 'A.' } },
        { role: 'user', content: { type: 'text', text: 'Round two' } },
      ],
    };
    const loop = server.call('sequence', { requests: [first, second] }) as Promise<Answer[]>;
    await host.inbox.decide((await nextItem(rig!, 'sampling')).id, {
      kind: 'sampling',
      decision: 'approve',
      grant: 'once',
      edits: { systemPrompt: 'My system', maxTokens: 120 },
      keepEdits: true,
    });
    const item = await eventuallySecond(host);
    if (item.kind !== 'sampling') throw new Error('wrong kind');
    expect(item.request).toMatchObject({ round: 2, systemPrompt: 'Server system', keptEdits: { systemPrompt: 'My system', maxTokens: 120 } });
    await host.inbox.decide(item.id, { kind: 'sampling', decision: 'approve', grant: 'once', keepEdits: true });
    await loop;
    expect(bodies().at(-1)).toMatchObject({ system: 'My system', max_tokens: 120 });
    expect(newest()).toMatchObject({ round: 2, edits: [{ edits: { systemPrompt: 'My system', maxTokens: 120 }, keptFromRound: 1, keep: true }] });
  });

  it('withdrawn by the server while it waits: interrupted, by the server, and taken out of the inbox', async () => {
    const { host, server, newest } = await setUp();
    const pending = server.call('sample', { params: textRequest('Never mind') }) as Promise<{ cancelled?: boolean }>;
    await nextItem(rig!, 'sampling');
    await server.call('cancel_pending');
    expect(await pending).toEqual({ cancelled: true });
    for (let i = 0; i < 200 && host.inbox.list().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(host.inbox.list()).toEqual([]);
    expect(newest()).toMatchObject({
      status: 'interrupted',
      steps: expect.arrayContaining([expect.objectContaining({ to: 'interrupted', by: 'server' })]) as unknown[],
    });
    const log = (await server.call('wire_log')) as Array<{ kind: string; id?: string }>;
    // The host never answered the withdrawn request.
    expect(log.filter((w) => w.kind === 'answer' && w.id === 's-1')).toEqual([]);
  });
});
