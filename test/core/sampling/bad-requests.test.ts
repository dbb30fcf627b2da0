// Bad sampling requests from a real server over stdio: each gets -32602 with a message that says what is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplingRig, samplingServer, type SamplingRig } from '../../helpers/sampling.js';

let rig: SamplingRig;
let server: Awaited<ReturnType<typeof samplingServer>>;
let noTools: Awaited<ReturnType<typeof samplingServer>>;
beforeAll(async () => {
  rig = await samplingRig();
  server = await samplingServer(rig);
  // Tools are declared per server at connect time; with them off, a restart tells the server "sampling without tools".
  noTools = await samplingServer(rig, 'no-tools');
  rig.t.host.sampling.setPolicy(noTools.id, 'no-tools', { allowTools: false, mode: 'allow' });
  await rig.t.host.servers.restart(noTools.id);
});
afterAll(async () => rig.close());

type Answer = { result?: unknown; error?: { code: number; message: string } };

const user = (content: unknown) => ({ role: 'user', content });
const assistant = (content: unknown) => ({ role: 'assistant', content });
const text = (t: string) => ({ type: 'text', text: t });
const use = (id: string) => ({ type: 'tool_use', id, name: 'lookup', input: {} });
const result = (id: string) => ({ type: 'tool_result', toolUseId: id, content: [text('found')] });
const TOOLS = [{ name: 'lookup', inputSchema: { type: 'object' } }];

const cases: Array<[string, Record<string, unknown>, RegExp]> = [
  [
    'tool results mixed with text',
    { messages: [user(text('q')), assistant([use('a')]), user([result('a'), text('and more')])], tools: TOOLS, maxTokens: 100 },
    /only tool results/,
  ],
  [
    'a tool_use never answered',
    { messages: [user(text('q')), assistant([use('a'), use('b')]), user([result('a')])], tools: TOOLS, maxTokens: 100 },
    /tool result missing for "b"/,
  ],
  [
    'a result for a tool_use that never happened',
    { messages: [user(text('q')), assistant([use('a')]), user([result('a'), result('zzz')])], tools: TOOLS, maxTokens: 100 },
    /"zzz" answers no tool_use/,
  ],
  ['an unknown content type', { messages: [user({ type: 'video', data: 'AAAA', mimeType: 'video/mp4' })], maxTokens: 100 }, /video/],
  ['audio content', { messages: [user({ type: 'audio', data: 'AAAA', mimeType: 'audio/wav' })], maxTokens: 100 }, /audio/],
  ['maxTokens 0', { messages: [user(text('q'))], maxTokens: 0 }, /maxTokens/],
  ['an absurd maxTokens', { messages: [user(text('q'))], maxTokens: 50_000_000 }, /maxTokens/],
  ['no messages', { messages: [], maxTokens: 100 }, /messages/],
];

describe('bad sampling requests', () => {
  it.each(cases)('%s', async (_label, params, message) => {
    const answer = (await server.call('sample', { params })) as Answer;
    expect(answer.error?.code).toBe(-32602);
    expect(answer.error?.message).toMatch(message);
  });

  it('10 MB of prompt', async () => {
    const answer = (await server.call('sample', { params: { messages: [user(text('x'.repeat(9 * 1024 * 1024)))], maxTokens: 100 } })) as Answer;
    expect(answer.error?.code).toBe(-32602);
    expect(answer.error?.message).toMatch(/MB/);
  });

  it('tools offered to a server that was not told it may use them', async () => {
    const caps = (await noTools.call('capabilities')) as { sampling?: Record<string, unknown> };
    expect(caps.sampling).toEqual({});
    const answer = (await noTools.call('sample', { params: { messages: [user(text('q'))], tools: TOOLS, maxTokens: 100 } })) as Answer;
    expect(answer.error?.code).toBe(-32602);
    expect(answer.error?.message).toMatch(/tools/);
  });

  it('none of them reached the model or the user', () => {
    expect(rig.api.requests).toEqual([]);
    expect(rig.t.host.inbox.list()).toEqual([]);
  });
});
