// Sampling end to end over real stdio: a server asks, the policy or the user decides, the model (the fake API) answers.
import { afterEach, describe, expect, it } from 'vitest';
import { nextItem, samplingRig, samplingServer, textRequest, type SamplingRig } from '../../helpers/sampling.js';
import { anyNumber, stringMatching, arrayContaining } from '../../helpers/matchers.js';

let rig: SamplingRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Answer = { result?: Record<string, unknown>; error?: { code: number; message: string } };

describe('sampling flow', () => {
  it('asks the user, sends the approved request to the model, and answers the server', async () => {
    rig = await samplingRig();
    const server = await samplingServer(rig);
    rig.api.script([{ text: 'Paris.' }]);
    const pending = server.call('sample', {
      params: textRequest('Capital of France?', { systemPrompt: 'Be brief.', modelPreferences: { hints: [{ name: 'haiku' }] } }),
    }) as Promise<Answer>;
    const item = await nextItem(rig, 'sampling');
    if (item.kind !== 'sampling') throw new Error('wrong kind');
    expect(item.request).toMatchObject({ serverName: 'sampler', systemPrompt: 'Be brief.', maxTokens: 200, model: 'claude-haiku-5-5', round: 1, noKey: false });
    expect(item.request.askReasons[0]).toMatchObject({ code: 'policy', message: stringMatching(/ask every time/) });
    expect(item.request.costEstimateUsd).toBeGreaterThan(0);
    await rig.t.host.inbox.decide(item.id, { kind: 'sampling', decision: 'approve', grant: 'once' });
    const answer = await pending;
    expect(answer.result).toMatchObject({ role: 'assistant', model: 'claude-haiku-5-5', content: { type: 'text', text: 'Paris.' }, stopReason: 'endTurn' });
    const sent = rig.api.requests.find((r) => r.path === '/v1/messages')!;
    expect(sent.body).toMatchObject({
      model: 'claude-haiku-5-5',
      system: 'Be brief.',
      max_tokens: 200,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] }],
    });
    const kinds = rig.t.host.audit.list({ limit: 10 }).map((e) => e.kind);
    expect(kinds).toEqual(arrayContaining(['sampling.approved', 'sampling.replied']));
    const [replied] = rig.t.host.audit.list({ limit: 1, kind: 'sampling.replied' });
    expect(replied!.data).toMatchObject({
      model: 'claude-haiku-5-5',
      inputTokens: anyNumber(),
      outputTokens: anyNumber(),
      latencyMs: anyNumber(),
    });
  });

  it('sends what the user edited', async () => {
    rig = await samplingRig();
    const server = await samplingServer(rig);
    const pending = server.call('sample', { params: textRequest('Original question', { systemPrompt: 'Original system' }) }) as Promise<Answer>;
    const item = await nextItem(rig, 'sampling');
    await rig.t.host.inbox.decide(item.id, {
      kind: 'sampling',
      decision: 'approve',
      grant: 'once',
      edits: { systemPrompt: 'Edited system', lastUserText: 'Edited question', maxTokens: 50 },
    });
    await pending;
    expect(rig.api.requests.at(-1)!.body).toMatchObject({
      system: 'Edited system',
      max_tokens: 50,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Edited question' }] }],
    });
  });

  it('answers a denial with the rejection error, and nothing reaches the model', async () => {
    rig = await samplingRig();
    const server = await samplingServer(rig);
    const pending = server.call('sample', { params: textRequest('Hi') }) as Promise<Answer>;
    const item = await nextItem(rig, 'sampling');
    await rig.t.host.inbox.decide(item.id, { kind: 'sampling', decision: 'deny', grant: 'once' });
    expect((await pending).error).toMatchObject({ code: -1, message: 'User rejected sampling request' });
    expect(rig.api.requests).toEqual([]);
    expect(rig.t.host.audit.list({ limit: 5, kind: 'sampling.denied' })[0]).toMatchObject({ actor: 'user' });
  });

  it('lets the user write the reply when no key is set', async () => {
    rig = await samplingRig({ key: false });
    const server = await samplingServer(rig);
    const pending = server.call('sample', { params: textRequest('Hi') }) as Promise<Answer>;
    const item = await nextItem(rig, 'sampling');
    if (item.kind !== 'sampling') throw new Error('wrong kind');
    expect(item.request.noKey).toBe(true);
    await rig.t.host.inbox.decide(item.id, { kind: 'sampling', decision: 'approve', grant: 'once', manualReply: { text: 'Written by hand.' } });
    expect((await pending).result).toMatchObject({ content: { type: 'text', text: 'Written by hand.' }, model: 'written-by-user' });
    expect(rig.api.requests).toEqual([]);
  });

  it('sends without asking within budget, and holds an over-budget request for the user', async () => {
    rig = await samplingRig();
    const server = await samplingServer(rig);
    rig.t.host.sampling.setPolicy(server.id, 'sampler', {
      mode: 'allow',
      budgets: { maxTokensPerRequest: 500, tokensPerDay: 100_000, requestsPerMinute: 10, roundsPerLoop: 5 },
    });
    expect(((await server.call('sample', { params: textRequest('Within budget') })) as Answer).result).toBeDefined();
    expect(rig.t.host.inbox.list()).toEqual([]);

    const held = server.call('sample', { params: textRequest('Too big', { maxTokens: 5000 }) }) as Promise<Answer>;
    const item = await nextItem(rig, 'sampling');
    if (item.kind !== 'sampling') throw new Error('wrong kind');
    expect(item.request.askReasons).toEqual([{ code: 'max_tokens', message: stringMatching(/limit per request is 500/) }]);
    expect(rig.api.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(1);
    await rig.t.host.inbox.decide(item.id, { kind: 'sampling', decision: 'approve', grant: 'once' });
    expect((await held).result).toBeDefined();
  });

  it('refuses every request when sampling is denied by policy', async () => {
    rig = await samplingRig();
    const server = await samplingServer(rig);
    rig.t.host.sampling.setPolicy(server.id, 'sampler', { mode: 'deny' });
    expect(((await server.call('sample', { params: textRequest('Hi') })) as Answer).error).toMatchObject({ code: -1 });
    expect(rig.t.host.audit.list({ limit: 5, kind: 'sampling.denied' })[0]).toMatchObject({ actor: 'policy' });
  });

  it('lets the user review the model reply before it goes back', async () => {
    rig = await samplingRig();
    const server = await samplingServer(rig);
    rig.t.host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow', reviewReplies: true });
    rig.api.script([{ text: 'First reply' }, { text: 'Second reply' }]);
    const sent = server.call('sample', { params: textRequest('One') }) as Promise<Answer>;
    const review = await nextItem(rig, 'sampling_review');
    if (review.kind !== 'sampling_review') throw new Error('wrong kind');
    expect(review.reply.content).toEqual([{ type: 'text', text: 'First reply' }]);
    await rig.t.host.inbox.decide(review.id, { kind: 'sampling_review', decision: 'send' });
    expect((await sent).result).toMatchObject({ content: { text: 'First reply' } });

    const withheld = server.call('sample', { params: textRequest('Two') }) as Promise<Answer>;
    const second = await nextItem(rig, 'sampling_review');
    await rig.t.host.inbox.decide(second.id, { kind: 'sampling_review', decision: 'deny' });
    expect((await withheld).error).toMatchObject({ code: -1 });
  });

  it('does not let a flood bury the user: a few wait, the rest are refused at once', async () => {
    rig = await samplingRig();
    const server = await samplingServer(rig);
    const flood = server.call('flood', { count: 25, params: textRequest('spam') }) as Promise<Answer[]>;
    // Every request has reached the host once five wait and twenty were refused (a denial before then would free a place).
    const refusedByHost = () => rig!.t.host.audit.list({ kind: 'sampling.denied', limit: 100 }).filter((e) => e.actor === 'host').length;
    for (let i = 0; i < 400 && (rig.t.host.inbox.list().length < 5 || refusedByHost() < 20); i++) await new Promise((r) => setTimeout(r, 25));
    // The host stays responsive while the flood is on.
    expect((await rig.t.host.dispatch('servers:list', {})).ok).toBe(true);
    const waiting = rig.t.host.inbox.list();
    expect(waiting).toHaveLength(5);
    for (const item of waiting) await rig.t.host.inbox.decide(item.id, { kind: 'sampling', decision: 'deny', grant: 'once' });
    const answers = await flood;
    expect(answers.filter((a) => a.error?.code === -32000)).toHaveLength(20);
    expect(answers.filter((a) => a.error?.code === -1)).toHaveLength(5);
    expect(rig.api.requests).toEqual([]);
  });
});
