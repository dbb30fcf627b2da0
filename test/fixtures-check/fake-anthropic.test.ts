// Drives the model API stand-in with the real @anthropic-ai/sdk client, so suites that rely on it test against the wire
// format the SDK actually speaks: replies, tool loops, streaming, auth and the request checks the real API makes.
import { join } from 'node:path';
import Anthropic, { AuthenticationError, BadRequestError, OverloadedError } from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic.mjs';
import { FIXTURES } from '../helpers/paths.js';
import { startListening, type Started } from '../helpers/processes.js';
import { anyString, anyNumber, stringContaining, stringMatching } from '../helpers/matchers.js';

const MODEL = 'claude-sonnet-5-5';
const WEATHER: Anthropic.Tool = { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };
const TIME: Anthropic.Tool = { name: 'get_time', input_schema: { type: 'object', properties: {} } };

let fake: FakeAnthropic | undefined;
let child: Started | undefined;

afterEach(async () => {
  await fake?.close();
  await child?.stop();
  fake = undefined;
  child = undefined;
});

async function start(): Promise<{ fake: FakeAnthropic; client: Anthropic }> {
  fake = await startFakeAnthropic();
  return { fake, client: new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 }) };
}

/** The rejection of a request, or undefined when it succeeded. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

function post(url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  return fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

const hello = { model: MODEL, max_tokens: 256, messages: [{ role: 'user' as const, content: 'Hello' }] };

describe('fake Anthropic Messages API', () => {
  it('answers a scripted text reply and records what the SDK sent', async () => {
    const { fake, client } = await start();
    fake.script([{ text: 'Hi! How can I help?' }]);

    const message = await client.messages.create({ ...hello, system: 'Be brief.' });

    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: MODEL, stop_reason: 'end_turn', stop_sequence: null });
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toEqual([{ type: 'text', text: 'Hi! How can I help?', citations: null }]);
    // "Be brief." + "Hello" = 14 characters -> 4 tokens; 19 characters of reply -> 5 tokens.
    expect(message.usage).toMatchObject({ input_tokens: 4, output_tokens: 5 });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/messages', body: { ...hello, system: 'Be brief.' } });
    expect(request?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(request?.headers['x-api-key']).toBeUndefined();
    expect(request?.headers['anthropic-version']).toBeTruthy();
  });

  it('returns parallel tool_use blocks and accepts a follow-up answering each of them', async () => {
    const { fake, client } = await start();
    fake.script([
      {
        text: 'Checking both.',
        toolUses: [
          { name: 'get_weather', input: { city: 'Oslo' } },
          { name: 'get_time', input: {} },
        ],
      },
      { text: 'Sunny, and it is noon.' },
    ]);
    const tools = [WEATHER, TIME];
    const first = await client.messages.create({ ...hello, tools });

    expect(first.stop_reason).toBe('tool_use');
    const uses = first.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
    expect(first.content[0]).toMatchObject({ type: 'text', text: 'Checking both.' });
    expect(uses.map((use) => [use.name, use.input])).toEqual([
      ['get_weather', { city: 'Oslo' }],
      ['get_time', {}],
    ]);
    expect(uses.map((use) => use.id)).toEqual([stringMatching(/^toolu_01/), stringMatching(/^toolu_01/)]);
    expect(new Set(uses.map((use) => use.id)).size).toBe(2);

    const results: Anthropic.ToolResultBlockParam[] = uses
      .toReversed()
      .map((use) => ({ type: 'tool_result', tool_use_id: use.id, content: `${use.name} result` }));
    const assistant: Anthropic.MessageParam = { role: 'assistant', content: uses.map(({ id, name, input }) => ({ type: 'tool_use', id, name, input })) };
    const second = await client.messages.create({ ...hello, tools, messages: [...hello.messages, assistant, { role: 'user', content: results }] });

    expect(second.content).toEqual([{ type: 'text', text: 'Sunny, and it is noon.', citations: null }]);
    expect(fake.requests[1]?.body).toMatchObject({
      messages: [{}, {}, { role: 'user', content: [{ tool_use_id: uses[1]?.id }, { tool_use_id: uses[0]?.id }] }],
    });
  });

  it('streams text and tool input that the SDK assembles into the final message', async () => {
    const { fake, client } = await start();
    const text = 'Let me look up the weather for you, one moment.';
    fake.script([{ text, toolUses: [{ name: 'get_weather', input: { city: 'Oslo', days: [1, 2, 3], units: 'metric' } }] }]);

    const stream = client.messages.stream({ ...hello, tools: [WEATHER] });
    const chunks: string[] = [];
    const json: string[] = [];
    stream.on('text', (delta) => chunks.push(delta));
    stream.on('inputJson', (partial) => json.push(partial));
    const message = await stream.finalMessage();

    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(text);
    expect(json.filter((piece) => piece !== '').length).toBeGreaterThan(1);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'text', text, citations: null },
      {
        type: 'tool_use',
        id: stringMatching(/^toolu_01/),
        name: 'get_weather',
        input: { city: 'Oslo', days: [1, 2, 3], units: 'metric' },
        caller: { type: 'direct' },
      },
    ]);
    expect(message.usage.output_tokens).toBeGreaterThan(1);
    expect(fake.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('sends the event sequence of the real API, with one ping', async () => {
    const { fake } = await start();
    fake.script([{ text: 'Hi', toolUses: [{ name: 'get_weather', input: { city: 'Oslo' } }] }]);

    const response = await post(fake.url, { 'x-api-key': fake.apiKey, 'anthropic-version': '2026-10-21' }, { ...hello, tools: [WEATHER], stream: true });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = [...(await response.text()).matchAll(/^event: (\w+)\ndata: (.+)$/gm)].map(([, name, data]) => ({
      name,
      data: JSON.parse(data!) as { type: string },
    }));

    expect(events.every(({ name, data }) => name === data.type)).toBe(true);
    const names = events.map(({ name }) => name);
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names.filter((name) => name === 'ping')).toHaveLength(1);
    expect(names.filter((name) => name === 'content_block_start')).toHaveLength(2);
    expect(names.filter((name) => name === 'content_block_stop')).toHaveLength(2);
    expect(names.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(events.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: anyNumber() } });
  });

  it('accepts the key as x-api-key and rejects any other key with the real error shape', async () => {
    const { fake } = await start();
    const version = { 'anthropic-version': '2026-10-21' };

    const ok = await post(fake.url, { ...version, 'x-api-key': fake.apiKey }, hello);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'echo: Hello' }] });

    const wrong: Record<string, string>[] = [
      { 'x-api-key': 'sk-other' },
      { authorization: 'Bearer sk-other' },
      { 'x-api-key': 'sk-other', authorization: `Bearer ${fake.apiKey}` },
      {},
    ];
    for (const headers of wrong) {
      const denied = await post(fake.url, { ...version, ...headers }, hello);
      expect(denied.status).toBe(401);
      expect(await denied.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: anyString() } });
    }
    const unversioned = await post(fake.url, { 'x-api-key': fake.apiKey }, hello);
    expect(unversioned.status).toBe(400);
    expect(await unversioned.json()).toMatchObject({ error: { type: 'invalid_request_error', message: stringContaining('anthropic-version') } });
  });

  it('makes the SDK throw AuthenticationError for a wrong key', async () => {
    const { fake } = await start();
    const client = new Anthropic({ baseURL: fake.url, apiKey: 'sk-wrong', maxRetries: 0 });

    const error = await failure(client.messages.create(hello));

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-wrong');
  });

  describe('rejects what the real API rejects, naming the problem', () => {
    const ask = (id: string) => ({ role: 'assistant', content: [{ type: 'tool_use', id, name: 'get_weather', input: { city: 'Oslo' } }] });
    const answer = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: 'sunny' });
    const image = (media_type: string, data = 'iVBORw0KGgo=') => ({ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type, data } }] });
    const user = (content: unknown) => ({ role: 'user', content });
    const base = { model: MODEL, max_tokens: 256, tools: [WEATHER] };

    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['missing max_tokens', { model: MODEL, messages: [user('Hi')] }, /^max_tokens: Field required$/],
      ['max_tokens of zero', { ...base, max_tokens: 0, messages: [user('Hi')] }, /^max_tokens: .*positive integer/],
      ['missing model', { max_tokens: 256, messages: [user('Hi')] }, /^model: Field required$/],
      ['no messages', { ...base, messages: [] }, /^messages: at least one message is required$/],
      ['first message from the assistant', { ...base, messages: [{ role: 'assistant', content: 'Hi' }, user('Hi')] }, /first message must use the "user" role/],
      ['two user messages in a row', { ...base, messages: [user('Hi'), user('Again')] }, /^messages\.1: roles must alternate .*multiple "user" roles/],
      ['an unknown role', { ...base, messages: [user('Hi'), { role: 'tool', content: 'x' }] }, /^messages\.1\.role: Input should be 'user' or 'assistant'/],
      [
        'tool_result without a matching tool_use',
        { ...base, messages: [user('Hi'), ask('toolu_a'), user([answer('toolu_b')])] },
        /^messages\.2\.content\.0: unexpected `tool_use_id` .*toolu_b/,
      ],
      [
        'tool_use never answered',
        { ...base, messages: [user('Hi'), ask('toolu_a'), user('Never mind')] },
        /^messages\.1: `tool_use` ids were found without `tool_result` blocks .*toolu_a/,
      ],
      [
        'text before tool_result',
        { ...base, messages: [user('Hi'), ask('toolu_a'), user([{ type: 'text', text: 'Here:' }, answer('toolu_a')])] },
        /^messages\.2\.content\.1: tool_result blocks must come first/,
      ],
      ['tool blocks without tools', { model: MODEL, max_tokens: 256, messages: [user('Hi'), ask('toolu_a'), user([answer('toolu_a')])] }, /must define tools/],
      [
        'image media type image/bmp',
        { ...base, messages: [image('image/bmp')] },
        /^messages\.0\.content\.0\.source\.media_type: Input should be 'image\/jpeg'.*"image\/bmp"/,
      ],
      [
        'image data as a data: URL',
        { ...base, messages: [image('image/png', 'data:image/png;base64,iVBORw0KGgo=')] },
        /^messages\.0\.content\.0\.source\.data: .*base64/,
      ],
      ['an audio block', { ...base, messages: [user([{ type: 'audio', data: 'AAAA' }])] }, /^messages\.0\.content\.0\.type: Input tag 'audio'/],
      [
        'an empty text block',
        { ...base, messages: [user([{ type: 'text', text: '' }])] },
        /^messages\.0\.content\.0\.text: text content blocks must be non-empty/,
      ],
      [
        'tool_choice naming an unknown tool',
        { ...base, tool_choice: { type: 'tool', name: 'search' }, messages: [user('Hi')] },
        /^tool_choice\.name: tool 'search' is not one of the provided tools/,
      ],
      [
        'tool_choice of an unknown type',
        { ...base, tool_choice: { type: 'required' }, messages: [user('Hi')] },
        /^tool_choice\.type: Input should be 'auto', 'any', 'tool', 'none'/,
      ],
      ['a tool without input_schema', { ...base, tools: [{ name: 'get_weather' }], messages: [user('Hi')] }, /^tools\.0\.input_schema: Field required$/],
      [
        'a tool name with a dot',
        { ...base, tools: [{ ...WEATHER, name: 'weather.get' }], messages: [user('Hi')] },
        /^tools\.0\.name: String should match pattern/,
      ],
      ['system as an object', { ...base, system: { text: 'Be brief.' }, messages: [user('Hi')] }, /^system: /],
      ['stop_sequences as a string', { ...base, stop_sequences: 'END', messages: [user('Hi')] }, /^stop_sequences: /],
      // The API version the SDK speaks (2026-10-21) has no temperature, top_p or top_k, and metadata holds user_id alone.
      ['temperature', { ...base, temperature: 0.2, messages: [user('Hi')] }, /^temperature: Extra inputs are not permitted/],
      ['top_k', { ...base, top_k: 5, messages: [user('Hi')] }, /^top_k: Extra inputs are not permitted/],
      ['a metadata key other than user_id', { ...base, metadata: { trace: 'x' }, messages: [user('Hi')] }, /^metadata\.trace: Extra inputs/],
      ['a user_id that is not text', { ...base, metadata: { user_id: 7 }, messages: [user('Hi')] }, /^metadata\.user_id: Input should be a valid string/],
    ];

    it.each(cases)('%s', async (_name, body, message) => {
      const { fake, client } = await start();
      fake.script([{ text: 'kept for the next valid request' }]);

      const error = await failure(client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming));

      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).error).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error', message: stringMatching(message) },
      });
      const next = await client.messages.create(hello);
      expect(next.content).toEqual([{ type: 'text', text: 'kept for the next valid request', citations: null }]);
    });

    it('and accepts what it accepts: metadata.user_id, trailing text after tool_result, a prefill, url images', async () => {
      const { client } = await start();
      const valid = [
        { ...hello, metadata: { user_id: 'person-7' } },
        { ...base, messages: [user('Hi'), ask('toolu_a'), user([answer('toolu_a'), { type: 'text', text: 'Go on.' }])] },
        { ...base, messages: [user('Hi'), ask('toolu_a'), user([answer('toolu_a')]), { role: 'assistant', content: 'The weather is' }] },
        {
          ...base,
          tool_choice: { type: 'tool', name: 'get_weather' },
          system: [{ type: 'text', text: 'Be brief.' }],
          stop_sequences: ['END'],
          messages: [user('Hi')],
        },
        {
          ...base,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
                { type: 'text', text: 'What is this?' },
              ],
            },
          ],
        },
      ];
      for (const body of valid) {
        await expect(client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming)).resolves.toMatchObject({ type: 'message' });
      }
    });
  });

  it('echoes the last user text when nothing is scripted', async () => {
    const { client } = await start();
    const message = await client.messages.create({ ...hello, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] }] });
    expect(message.content).toEqual([{ type: 'text', text: 'echo: What is 2+2?', citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('plays scripted errors and stop reasons in order', async () => {
    const { fake, client } = await start();
    fake.script([
      { error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } },
      { stopReason: 'max_tokens', text: 'Once upon a' },
      { text: 'A', stopReason: 'stop_sequence' },
    ]);

    const error = await failure(client.messages.create(hello));
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as OverloadedError).error).toMatchObject({ error: { type: 'overloaded_error', message: 'Overloaded' } });
    await expect(client.messages.create(hello)).resolves.toMatchObject({ stop_reason: 'max_tokens', content: [{ text: 'Once upon a' }] });
    await expect(client.messages.create({ ...hello, stop_sequences: ['END'] })).resolves.toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('refuses a malformed script instead of failing later', async () => {
    const { fake } = await start();
    expect(() => fake.script([{ toolUses: [] }])).toThrow(TypeError);
    expect(() => fake.script([{ text: 'x', stopReason: 'done' } as never])).toThrow(/stopReason/);
  });

  it('lists models in the real page shape', async () => {
    const { client } = await start();
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5']);
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: 'Claude Opus 5.5', created_at: anyString() });
    expect(page).toMatchObject({ has_more: false, first_id: 'claude-opus-5-5', last_id: 'claude-haiku-5-5' });
  });

  it('cuts an open stream when closed', async () => {
    const { fake, client } = await start();
    fake.setLatency(60_000);
    const stream = await client.messages.create({ ...hello, stream: true });
    const drained = failure(
      (async () => {
        const events = stream[Symbol.asyncIterator]();
        while (!(await events.next()).done);
      })(),
    );

    await fake.close();

    expect(await drained).toBeInstanceOf(Error);
  });

  it('runs as a process, scripted and inspected over HTTP', async () => {
    child = await startListening([join(FIXTURES, 'fake-anthropic.mjs')], { FAKE_ANTHROPIC_KEY: 'sk-process' }, '');
    const script = await fetch(`${child.url}/admin/script`, { method: 'POST', body: JSON.stringify([{ text: 'from the process' }]) });
    expect(script.status).toBe(204);
    const client = new Anthropic({ baseURL: child.url, apiKey: 'sk-process', maxRetries: 0 });

    await expect(client.messages.create(hello)).resolves.toMatchObject({ content: [{ text: 'from the process' }] });
    const recorded = (await (await fetch(`${child.url}/admin/requests`)).json()) as { headers: Record<string, string> }[];
    expect(recorded.map((request) => request.headers.authorization)).toEqual(['Bearer sk-process']);
  });
});
