// validateSamplingRequest and checkToolOrdering as pure decisions: which sampling/createMessage requests reach the user, and why the others are refused.
import { describe, expect, it } from 'vitest';
import type { SamplingMessageView } from '../../../shared/domain/sampling.js';
import {
  checkToolOrdering,
  MAX_TOKENS_CAP,
  readPlainParams,
  SamplingParamsSchema,
  validateSamplingRequest,
  type SamplingRequest,
} from '../../../main/core/sampling/validate.js';
import { stringContaining } from '../../helpers/matchers.js';

const text = (t: string) => ({ type: 'text', text: t });
const png = { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' };
const use = (id: string, name = 'lookup', input: Record<string, unknown> = { q: id }) => ({ type: 'tool_use', id, name, input });
const result = (toolUseId: string, content: unknown[] = [text(`result of ${toolUseId}`)]) => ({ type: 'tool_result', toolUseId, content });
const user = (...content: unknown[]) => ({ role: 'user', content });
const assistant = (...content: unknown[]) => ({ role: 'assistant', content });
const req = (messages: unknown[], extra: Record<string, unknown> = {}) => ({ messages, maxTokens: 1000, ...extra });
const weatherTool = { name: 'weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } };

// Built once: ten megabytes of prompt, well past the 4 MB limit.
const TEN_MB = 'x'.repeat(10 * 1024 * 1024);

interface Row {
  name: string;
  raw: unknown;
  /** Whether sampling.tools was declared; true unless a row says otherwise. */
  toolsAllowed?: boolean;
  /** A part of the refusal message; absent means the request is valid. */
  error?: string;
}

const rows: Row[] = [
  // Valid requests.
  { name: 'content as a single block', raw: { messages: [{ role: 'user', content: text('hi') }], maxTokens: 100 } },
  { name: 'content as an array of blocks', raw: req([user(text('hi'), text('there'))]) },
  { name: 'an image/png image', raw: req([user(text('what is this?'), png)]) },
  {
    name: 'every supported image type',
    raw: req([user(...['image/jpeg', 'image/png', 'image/gif', 'image/webp'].map((mimeType) => ({ type: 'image', data: 'AAAA', mimeType })))]),
  },
  { name: 'a tool round answered', raw: req([user(text('weather in Oslo?')), assistant(use('a')), user(result('a'))], { tools: [weatherTool] }) },
  {
    name: 'parallel tool uses, all answered (in any order)',
    raw: req([user(text('compare')), assistant(text('Looking up both.'), use('a'), use('b'), use('c')), user(result('c'), result('a'), result('b'))], {
      tools: [weatherTool],
    }),
  },
  {
    name: 'a multi-round loop ending with results',
    raw: req(
      [
        user(text('plan a trip')),
        assistant(use('a')),
        user(result('a')),
        assistant(text('one more'), use('b')),
        user(result('b')),
        assistant(use('c'), use('d')),
        user(result('c'), result('d')),
      ],
      { tools: [weatherTool] },
    ),
  },
  {
    name: 'a finished loop followed by a new user question',
    raw: req([user(text('q1')), assistant(use('a')), user(result('a')), assistant(text('answer')), user(text('q2'))]),
  },
  {
    name: 'a tool result that is an error with structured content',
    raw: req([
      user(text('go')),
      assistant(use('a')),
      user({ type: 'tool_result', toolUseId: 'a', content: [], structuredContent: { code: 404 }, isError: true }),
    ]),
  },
  { name: 'a single-block tool result', raw: req([user(text('go')), { role: 'assistant', content: use('a') }, { role: 'user', content: result('a') }]) },
  { name: 'tools offered when declared', raw: req([user(text('hi'))], { tools: [weatherTool], toolChoice: { mode: 'required' } }) },
  { name: 'maxTokens 1 (lowest allowed)', raw: { messages: [user(text('hi'))], maxTokens: 1 } },
  { name: `maxTokens ${MAX_TOKENS_CAP} (highest allowed)`, raw: { messages: [user(text('hi'))], maxTokens: MAX_TOKENS_CAP } },
  {
    name: 'unused optional fields (temperature, metadata, includeContext)',
    raw: req([user(text('hi'))], { temperature: 0.7, metadata: { trace: 'x' }, includeContext: 'thisServer' }),
  },

  // Tool ordering (spec §2.4).
  {
    name: 'a user message mixing a tool result with text',
    raw: req([user(text('go')), assistant(use('a')), user(result('a'), text('and also this'))]),
    error: 'messages.2: a user message with tool results must contain only tool results',
  },
  {
    name: 'a user message mixing a tool result with an image',
    raw: req([user(text('go')), assistant(use('a')), user(png, result('a'))]),
    error: 'must contain only tool results',
  },
  {
    name: 'an unanswered tool_use among parallel uses',
    raw: req([user(text('go')), assistant(use('a'), use('b')), user(result('a'))]),
    error: 'messages.2: tool result missing for "b"',
  },
  {
    name: 'a tool_use answered by plain text',
    raw: req([user(text('go')), assistant(use('a')), user(text('never mind'))]),
    error: 'tool result missing for "a"',
  },
  {
    name: 'a tool_use followed by another assistant message',
    raw: req([user(text('go')), assistant(use('a')), assistant(text('hmm'))]),
    error: 'messages.2: tool result missing for "a"',
  },
  {
    name: 'a tool_result answering no earlier tool_use',
    raw: req([user(text('go')), assistant(use('a')), user(result('a'), result('ghost'))]),
    error: 'tool result "ghost" answers no tool_use',
  },
  { name: 'a tool_result in the first message', raw: req([user(result('a'))]), error: 'messages.0: tool result "a" answers no tool_use' },
  {
    name: 'a tool_result answering a tool_use from an older round',
    raw: req([user(text('go')), assistant(use('a')), user(result('a')), assistant(text('done')), user(result('a'))]),
    error: 'messages.4: tool result "a" answers no tool_use',
  },
  { name: 'tool_use in a user message', raw: req([user(use('a'))]), error: 'messages.0: tool_use belongs in an assistant message' },
  {
    name: 'tool_result in an assistant message',
    raw: req([user(text('go')), assistant(use('a')), assistant(result('a'))]),
    error: 'messages.2: tool_result belongs in a user message',
  },
  {
    name: 'a request ending with an assistant tool_use (results missing)',
    raw: req([user(text('go')), assistant(use('a'), use('b'))]),
    error: 'tool use "a", "b" has no tool result',
  },

  // Tools without the capability.
  {
    name: 'tools when sampling.tools was not declared',
    raw: req([user(text('hi'))], { tools: [weatherTool] }),
    toolsAllowed: false,
    error: 'sampling with tools was not declared',
  },
  {
    name: 'toolChoice alone when sampling.tools was not declared',
    raw: req([user(text('hi'))], { toolChoice: { mode: 'none' } }),
    toolsAllowed: false,
    error: 'sampling with tools was not declared',
  },
  {
    name: 'an empty tools list when sampling.tools was not declared',
    raw: req([user(text('hi'))], { tools: [] }),
    toolsAllowed: false,
    error: 'sampling with tools was not declared',
  },

  // Content types.
  {
    name: 'a video block in an array',
    raw: req([user(text('see'), { type: 'video', data: 'AAAA', mimeType: 'video/mp4' })]),
    error: 'content of type "video" is not something a sampling message can carry',
  },
  {
    name: 'a resource block in an array',
    raw: req([user({ type: 'resource', resource: { uri: 'file:///a.txt', text: 'a' } })]),
    error: 'content of type "resource" is not something a sampling message can carry',
  },
  {
    name: 'a video block as the single content',
    raw: req([{ role: 'user', content: { type: 'video', data: 'AAAA' } }]),
    error: 'content of type "video" is not something a sampling message can carry',
  },
  {
    name: 'a resource_link block as the single content',
    raw: req([{ role: 'user', content: { type: 'resource_link', uri: 'file:///a' } }]),
    error: 'content of type "resource_link"',
  },
  { name: 'a block without a type', raw: req([user({ text: 'untyped' })]), error: 'content of type "undefined"' },
  { name: 'a text block without its text', raw: req([user({ type: 'text' })]), error: 'messages.0.content.0.text' },
  { name: 'audio', raw: req([user({ type: 'audio', data: 'AAAA', mimeType: 'audio/wav' })]), error: 'messages.0: audio content is not supported' },
  {
    name: 'an image/bmp image',
    raw: req([user(text('look'), { type: 'image', data: 'Qk0=', mimeType: 'image/bmp' })]),
    error: 'images of type image/bmp are not supported (use image/jpeg, image/png, image/gif, image/webp)',
  },

  // maxTokens and size.
  { name: 'maxTokens 0', raw: { messages: [user(text('hi'))], maxTokens: 0 }, error: 'maxTokens must be between 1 and 128000; it is 0' },
  { name: 'maxTokens negative', raw: { messages: [user(text('hi'))], maxTokens: -5 }, error: 'maxTokens must be between 1 and 128000; it is -5' },
  { name: 'maxTokens 1.5', raw: { messages: [user(text('hi'))], maxTokens: 1.5 }, error: 'maxTokens must be a whole number' },
  { name: 'maxTokens 10_000_000', raw: { messages: [user(text('hi'))], maxTokens: 10_000_000 }, error: 'it is 10000000' },
  { name: 'maxTokens one over the cap', raw: { messages: [user(text('hi'))], maxTokens: MAX_TOKENS_CAP + 1 }, error: `it is ${MAX_TOKENS_CAP + 1}` },
  { name: 'maxTokens missing', raw: { messages: [user(text('hi'))] }, error: 'maxTokens: Invalid input: expected number' },
  {
    name: 'maxTokens as a string',
    raw: { messages: [user(text('hi'))], maxTokens: '100' },
    error: 'maxTokens: Invalid input: expected number, received string',
  },
  { name: 'a 10 MB prompt', raw: req([user(text(TEN_MB))]), error: 'The request is 10.0 MB; Steward accepts sampling requests up to 4 MB.' },

  // Shape.
  { name: 'messages empty', raw: { messages: [], maxTokens: 100 }, error: 'messages: messages is empty' },
  { name: 'messages missing', raw: { maxTokens: 100 }, error: 'messages: Invalid input: expected array' },
  { name: "role 'system'", raw: req([{ role: 'system', content: text('be brief') }]), error: 'messages.0.role: Invalid option' },
  { name: 'params that are not an object', raw: null, error: 'Invalid sampling request: Invalid input: expected object, received null' },
  { name: 'a priority above 1', raw: req([user(text('hi'))], { modelPreferences: { costPriority: 2 } }), error: 'modelPreferences.costPriority' },
  { name: 'an unknown toolChoice mode', raw: req([user(text('hi'))], { toolChoice: { mode: 'any' } }), error: 'toolChoice.mode' },
  { name: 'a tool without an input schema', raw: req([user(text('hi'))], { tools: [{ name: 'weather' }] }), error: 'tools.0.inputSchema' },
  { name: 'a tool_use with an empty id', raw: req([user(text('go')), assistant(use('')), user(result('x'))]), error: 'messages.1.content.0.id' },
];

describe('validateSamplingRequest: which requests are accepted', () => {
  it('has a broad table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(25);
    expect(rows.filter((r) => r.error === undefined).length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows)('$name', ({ raw, toolsAllowed, error }) => {
    const outcome = validateSamplingRequest(raw, { toolsAllowed: toolsAllowed ?? true });
    if (error === undefined) {
      expect(outcome.ok ? 'ok' : outcome.message).toBe('ok');
    } else {
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.message).toContain(error);
    }
  });
});

function accepted(raw: unknown, toolsAllowed = true): SamplingRequest {
  const outcome = validateSamplingRequest(raw, { toolsAllowed });
  if (!outcome.ok) throw new Error(`expected the request to be accepted: ${outcome.message}`);
  return outcome.request;
}

describe('validateSamplingRequest: the accepted request', () => {
  it('passes systemPrompt, stopSequences and modelPreferences through', () => {
    const modelPreferences = { hints: [{ name: 'sonnet' }, { name: 'gpt-4o' }], costPriority: 0.2, speedPriority: 0.5, intelligencePriority: 0.9 };
    const request = accepted(req([user(text('hi'))], { systemPrompt: 'You are terse.', stopSequences: ['\n\nHuman:', 'END'], modelPreferences }));
    expect(request.systemPrompt).toBe('You are terse.');
    expect(request.stopSequences).toEqual(['\n\nHuman:', 'END']);
    expect(request.modelPreferences).toEqual(modelPreferences);
    expect(request.maxTokens).toBe(1000);
  });

  it('fills the defaults: no system prompt, no stop sequences, no tools, toolChoice auto', () => {
    const request = accepted(req([user(text('hi'))]));
    expect(request).toMatchObject({ systemPrompt: null, stopSequences: [], tools: [], toolChoice: 'auto' });
    expect(request.modelPreferences).toBeUndefined();
  });

  it.each([
    { toolChoice: undefined, expected: 'auto' },
    { toolChoice: {}, expected: 'auto' },
    { toolChoice: { mode: 'auto' }, expected: 'auto' },
    { toolChoice: { mode: 'required' }, expected: 'required' },
    { toolChoice: { mode: 'none' }, expected: 'none' },
  ])('toolChoice $toolChoice becomes $expected', ({ toolChoice, expected }) => {
    const raw = req([user(text('hi'))], { tools: [weatherTool], ...(toolChoice === undefined ? {} : { toolChoice }) });
    expect(accepted(raw).toolChoice).toBe(expected);
  });

  it('reads a single block and a one-block array the same way', () => {
    const single = accepted({
      messages: [
        { role: 'user', content: text('hi') },
        { role: 'assistant', content: text('hello') },
      ],
      maxTokens: 10,
    });
    const array = accepted({ messages: [user(text('hi')), assistant(text('hello'))], maxTokens: 10 });
    expect(single.messages).toEqual(array.messages);
    expect(single.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
    ]);
  });

  it('keeps tool blocks whole and drops fields the model cannot use', () => {
    const request = accepted(
      req([
        user({ ...text('go'), _meta: { note: 1 } }),
        assistant({ ...use('a', 'weather', { city: 'Oslo' }), _meta: { cache: true } }),
        user({ type: 'tool_result', toolUseId: 'a', content: [text('12°C')], structuredContent: { celsius: 12 }, isError: false }),
      ]),
    );
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'weather', input: { city: 'Oslo' } }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', toolUseId: 'a', content: [{ type: 'text', text: '12°C' }], structuredContent: { celsius: 12 }, isError: false }],
      },
    ]);
  });

  it('gives a tool result without content an empty content list', () => {
    const request = accepted(req([user(text('go')), assistant(use('a')), user({ type: 'tool_result', toolUseId: 'a' })]));
    expect(request.messages[2]!.content).toEqual([{ type: 'tool_result', toolUseId: 'a', content: [] }]);
  });

  it('keeps only name, description and inputSchema of each tool', () => {
    const request = accepted(
      req([user(text('hi'))], {
        tools: [
          { ...weatherTool, title: 'Weather', annotations: { readOnlyHint: true }, outputSchema: { type: 'object' } },
          { name: 'clock', inputSchema: { type: 'object' } },
        ],
      }),
    );
    expect(request.tools).toEqual([
      { name: 'weather', description: 'Weather for a city', inputSchema: weatherTool.inputSchema },
      { name: 'clock', inputSchema: { type: 'object' } },
    ]);
  });

  it('records the size of the raw request in bytes', () => {
    const raw = req([user(text('héllo'))]);
    expect(accepted(raw).bytes).toBe(Buffer.byteLength(JSON.stringify(raw)));
  });
});

describe('checkToolOrdering on already-parsed messages', () => {
  const t = (s: string) => ({ type: 'text' as const, text: s });
  const u = (id: string) => ({ type: 'tool_use' as const, id, name: 'lookup', input: {} });
  const r = (id: string) => ({ type: 'tool_result' as const, toolUseId: id, content: [] });
  const rows: Array<{ name: string; messages: SamplingMessageView[]; error?: string }> = [
    { name: 'no messages', messages: [] },
    {
      name: 'text only',
      messages: [
        { role: 'user', content: [t('a')] },
        { role: 'assistant', content: [t('b')] },
      ],
    },
    {
      name: 'a round answered',
      messages: [
        { role: 'user', content: [t('a')] },
        { role: 'assistant', content: [u('1')] },
        { role: 'user', content: [r('1')] },
      ],
    },
    {
      name: 'results mixed with text',
      messages: [
        { role: 'assistant', content: [u('1')] },
        { role: 'user', content: [r('1'), t('x')] },
      ],
      error: 'messages.1: a user message with tool results must contain only tool results.',
    },
    {
      name: 'a result for an unknown id',
      messages: [
        { role: 'assistant', content: [u('1')] },
        { role: 'user', content: [r('1'), r('2')] },
      ],
      error: 'messages.1: tool result "2" answers no tool_use in the message before it.',
    },
    {
      name: 'a use left unanswered',
      messages: [
        { role: 'assistant', content: [u('1'), u('2')] },
        { role: 'user', content: [r('2')] },
      ],
      error: 'messages.1: tool result missing for "1".',
    },
    {
      name: 'results in an assistant message',
      messages: [
        { role: 'assistant', content: [u('1')] },
        { role: 'assistant', content: [r('1')] },
      ],
      error: 'messages.1: tool result missing for the tool uses before it.',
    },
    {
      name: 'a use at the very end',
      messages: [
        { role: 'user', content: [t('a')] },
        { role: 'assistant', content: [u('1')] },
      ],
      error: 'messages.1: tool use "1" has no tool result: the request must end with the results.',
    },
  ];
  it.each(rows)('$name', ({ messages, error }) => {
    expect(checkToolOrdering(messages)).toBe(error);
  });
});

describe('images inside tool results', () => {
  it('are held to the same types as any other image', () => {
    const request = (mimeType: string) => ({
      messages: [
        { role: 'user', content: { type: 'text', text: 'q' } },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'shot', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', toolUseId: 'a', content: [{ type: 'image', mimeType, data: 'AAAA' }] }] },
      ],
      tools: [{ name: 'shot', inputSchema: { type: 'object' } }],
      maxTokens: 100,
    });
    expect(validateSamplingRequest(request('image/png'), { toolsAllowed: true }).ok).toBe(true);
    const bad = validateSamplingRequest(request('image/bmp'), { toolsAllowed: true });
    expect(bad).toMatchObject({ ok: false, message: stringContaining('image/bmp') });
  });
});

describe('the hand reader of plain requests agrees with the schema', () => {
  class TextBlock {
    type = 'text';
    text = 'from a class';
  }
  const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, text('no prototype'));
  // Hostile and odd inputs besides the table's: each is left to the schema or read exactly as the schema reads it.
  const extras: unknown[] = [
    req([user(new TextBlock())]),
    req([user(nullProto)]),
    req([user({ ...text('x'), constructor: 'not a function' })]),
    req([user(text('x'))], { maxTokens: Number.NaN }),
    req([user(text('x'))], { maxTokens: 2 ** 60 }),
    req([user(text('x'))], { temperature: Number.POSITIVE_INFINITY }),
    req([user(text('x'))], { modelPreferences: { costPriority: 1.0000001 } }),
    req([user(text('x'))], { modelPreferences: { hints: [{ name: 7 }] } }),
    req([user(text('x'))], { modelPreferences: { hints: 'sonnet' } }),
    req([user(text('x'))], { tools: [{ name: 'a', inputSchema: [] }] }),
    req([user(text('x'))], { tools: [{ name: 'a', description: null, inputSchema: {} }] }),
    req([user(text('x'))], { stopSequences: ['ok', 3] }),
    req([user(text('x'))], { systemPrompt: { text: 'nested' } }),
    req([user(text('x'))], { includeContext: 'everything' }),
    req([user(text('x'))], { toolChoice: 'auto' }),
    req([user(text('x'))], { unknownField: { deep: [1, 2] }, metadata: ['anything'] }),
    req([{ role: 'user', content: 'just a string' }]),
    req([{ role: 'user' }]),
    req([{ role: 'user', content: [text('x')], _meta: null }]),
    req([{ role: 'user', content: [text('x')], _meta: { a: 1 }, extra: true }]),
    req([user({ ...text('x'), _meta: [] })]),
    req([user(text('go')), assistant(use('a')), user({ type: 'tool_result', toolUseId: 'a', content: 'text' })]),
    req([user(text('go')), assistant(use('a')), user({ type: 'tool_result', toolUseId: 'a', content: [null] })]),
    req([user(text('go')), assistant(use('a')), user({ type: 'tool_result', toolUseId: 'a', isError: 'yes' })]),
    req([user(text('go')), assistant({ type: 'tool_use', id: 'a', name: 'n', input: 'q' }), user(result('a'))]),
    { messages: { 0: user(text('x')) }, maxTokens: 10 },
    [req([user(text('x'))])],
    'a string',
  ];
  // As a server's JSON arrives: `__proto__` is then an own member, at any depth.
  const parsed = (json: string): unknown => JSON.parse(json);
  const hostile: unknown[] = [
    parsed('{"messages":[{"role":"user","content":{"type":"text","text":"x"}}],"maxTokens":10,"__proto__":{"maxTokens":5}}'),
    parsed('{"messages":[{"role":"user","content":{"type":"text","text":"x","__proto__":{"text":1}}}],"maxTokens":10}'),
    parsed('{"messages":[{"role":"user","__proto__":{"role":"assistant"},"content":[{"type":"text","text":"x"}]}],"maxTokens":10}'),
    parsed(
      '{"messages":[{"role":"user","content":{"type":"text","text":"go"}},{"role":"assistant","content":{"type":"tool_use","id":"a","name":"n","input":{"__proto__":{"x":1},"q":2}}},{"role":"user","content":{"type":"tool_result","toolUseId":"a","content":[{"type":"text","text":"r","__proto__":{}}]}}],"maxTokens":10}',
    ),
    parsed('{"messages":[{"role":"user","content":{"type":"text","text":"x","_meta":{"__proto__":{"a":1}}}}],"maxTokens":10}'),
    parsed('{"messages":[{"role":"user","content":{"type":"text","text":"x"}}],"maxTokens":10,"modelPreferences":{"__proto__":{"costPriority":5}}}'),
    parsed('{"messages":[{"role":"user","content":{"type":"text","text":"x"}}],"maxTokens":10,"tools":[{"name":"t","inputSchema":{"__proto__":{}}}]}'),
    req([user(text('x'))], { maxTokens: Number.MAX_SAFE_INTEGER + 2 }),
    req([user(text('x'))], { maxTokens: -0 }),
    req([user(text('x'))], { maxTokens: '10' }),
    req([user(text('x'))], { temperature: 1e308 * 10 }),
    req([user(text('x'))], { temperature: -1e308 }),
    req([user(text('x'.repeat(100_000)))]),
    req([user(...Array.from({ length: 500 }, (_, i) => text(String(i))))]),
    req([user({ type: 'image', data: 'AAAA', mimeType: 'image/png', extra: [1] })]),
    req([user({ type: 'audio', data: 'AAAA', mimeType: 'audio/wav' })]),
    req([user({ type: 'image', data: 7, mimeType: 'image/png' })]),
    req([user({ type: 'audio', data: 'AAAA' })]),
    req([user({ type: 'resource', uri: 'file:///x' })]),
    req([user({ text: 'no type' })]),
    req([
      user(text('go')),
      assistant(use('a')),
      user(
        result('a', [
          { type: 'image', data: 'A', mimeType: 'image/png' },
          { type: 'audio', data: 'A', mimeType: 'audio/wav' },
        ]),
      ),
    ]),
    req([user(text('go')), assistant(use('a')), user(result('a', [{ type: 'tool_result', toolUseId: 'b', content: [text('deep')] }]))]),
    req([user(text('go')), assistant(use('a')), user(result('a', [[text('nested list')]]))]),
    req([user(text('go')), assistant(use('a')), user({ type: 'tool_result', toolUseId: 'a', structuredContent: [] })]),
    req([user(text('go')), assistant(use('a')), user({ type: 'tool_result', toolUseId: '', content: [] })]),
    req([user(text('go')), assistant({ type: 'tool_use', id: 'a', name: '', input: {} }), user(result('a'))]),
    req([user(text('go')), assistant({ type: 'tool_use', id: 'a', name: 'n' }), user(result('a'))]),
    req([{ role: 'system', content: [text('x')] }]),
    req([]),
    { maxTokens: 10 },
    null,
    undefined,
  ];
  const inputs = [...rows.map((r) => r.raw), ...extras, ...hostile];

  it.each(inputs.map((raw, i) => ({ raw, i })))('input $i', ({ raw }) => {
    const plain = readPlainParams(raw);
    const schema = SamplingParamsSchema.safeParse(raw);
    if (plain !== undefined) {
      expect(schema.success).toBe(true);
      expect(plain).toEqual(schema.data);
    }
  });

  it('reads every valid request of the table itself, so a round does not pay for the schema', () => {
    const valid = rows.filter((r) => r.error === undefined || !SamplingParamsSchema.safeParse(r.raw).error);
    expect(valid.length).toBeGreaterThan(20);
    for (const row of valid) expect(readPlainParams(row.raw), row.name).toBeDefined();
  });

  it('leaves what the schema refuses to the schema, which words the refusal', () => {
    const refused = inputs.filter((raw) => !SamplingParamsSchema.safeParse(raw).success);
    expect(refused.length).toBeGreaterThan(25);
    for (const raw of refused) expect(readPlainParams(raw)).toBeUndefined();
  });
});
