// The MCP sampling <-> Anthropic Messages mapping: what the model is sent, and what the server gets back.
import type { ContentBlock, Message, StopReason, Usage } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import type { SamplingBlock, SamplingMessageView } from '../../../shared/domain/sampling.js';
import { StewardError } from '../../../shared/errors.js';
import { estimateTokens, fromMessage, toMessagesParams, type MappedRequest } from '../../../main/core/models/anthropic-mapping.js';
import { NO_PARAMETERS, sortParameters } from '../../../main/core/models/parameters.js';

const text = (t: string): SamplingBlock => ({ type: 'text', text: t });
const user = (...content: SamplingBlock[]): SamplingMessageView => ({ role: 'user', content });
const assistant = (...content: SamplingBlock[]): SamplingMessageView => ({ role: 'assistant', content });
const WEATHER = {
  name: 'weather',
  description: 'Weather for a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function mapped(over: Partial<MappedRequest> = {}): MappedRequest {
  return {
    model: 'claude-sonnet-5-5',
    systemPrompt: null,
    messages: [user(text('hi'))],
    tools: [],
    toolChoice: 'auto',
    maxTokens: 256,
    stopSequences: [],
    parameters: NO_PARAMETERS,
    ...over,
  };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('toMessagesParams: request fields', () => {
  it('sends only model, max_tokens and messages for a bare request', () => {
    expect(toMessagesParams(mapped())).toEqual({
      model: 'claude-sonnet-5-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
  });

  it('maps systemPrompt to system, maxTokens to max_tokens, stopSequences to stop_sequences', () => {
    const params = toMessagesParams(mapped({ systemPrompt: 'You are terse.', maxTokens: 4096, stopSequences: ['END', '\n\nHuman:'] }));
    expect(params).toMatchObject({ system: 'You are terse.', max_tokens: 4096, stop_sequences: ['END', '\n\nHuman:'] });
  });

  it('passes metadata.user_id through, and nothing the Messages API has no field for', () => {
    const sorted = sortParameters({ temperature: 0.7, metadata: { user_id: 'u-1', trace: 'x' }, includeContext: 'allServers' });
    const params = toMessagesParams(mapped({ parameters: sorted.parameters })) as unknown as Record<string, unknown>;
    expect(Object.keys(params).sort()).toEqual(['max_tokens', 'messages', 'metadata', 'model']);
    expect(params.metadata).toEqual({ user_id: 'u-1' });
  });

  it('maps tools to name, description and input_schema', () => {
    const params = toMessagesParams(
      mapped({
        tools: [WEATHER, { name: 'clock', inputSchema: { properties: {} } }, { name: 'odd', inputSchema: { type: 'object', additionalProperties: false } }],
      }),
    );
    expect(params.tools).toEqual([
      { name: 'weather', description: 'Weather for a city', input_schema: WEATHER.inputSchema },
      { name: 'clock', input_schema: { type: 'object', properties: {} } },
      { name: 'odd', input_schema: { type: 'object', additionalProperties: false } },
    ]);
  });

  it.each([
    { mode: 'auto', expected: { type: 'auto' } },
    { mode: 'required', expected: { type: 'any' } },
    { mode: 'none', expected: { type: 'none' } },
  ] as const)('maps toolChoice $mode to $expected.type', ({ mode, expected }) => {
    expect(toMessagesParams(mapped({ tools: [WEATHER], toolChoice: mode })).tool_choice).toEqual(expected);
  });

  it('sends neither tools nor tool_choice without tools', () => {
    const params = toMessagesParams(mapped({ toolChoice: 'required' }));
    expect('tools' in params).toBe(false);
    expect('tool_choice' in params).toBe(false);
  });
});

describe('toMessagesParams: content blocks', () => {
  it('sends an image as a base64 source with its media type', () => {
    const params = toMessagesParams(mapped({ messages: [user(text('what is this?'), { type: 'image', mimeType: 'image/webp', data: 'UklGRg==' })] }));
    expect(params.messages[0]!.content).toEqual([
      { type: 'text', text: 'what is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'UklGRg==' } },
    ]);
  });

  it('sends tool_use with its input, and tool_result with tool_use_id and its text and image content', () => {
    const params = toMessagesParams(
      mapped({
        tools: [WEATHER],
        messages: [
          user(text('weather in Oslo?')),
          assistant(text('Looking.'), { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo', units: { temp: 'C' } } }),
          user({
            type: 'tool_result',
            toolUseId: 'toolu_1',
            content: [
              { type: 'text', text: '12°C' },
              { type: 'image', mimeType: 'image/png', data: 'iVBO' },
            ],
          }),
        ],
      }),
    );
    expect(params.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather in Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Looking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo', units: { temp: 'C' } } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: [
              { type: 'text', text: '12°C' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
            ],
          },
        ],
      },
    ]);
  });

  function resultParam(block: Extract<SamplingBlock, { type: 'tool_result' }>): Record<string, unknown> {
    const params = toMessagesParams(mapped({ messages: [assistant({ type: 'tool_use', id: block.toolUseId, name: 'f', input: {} }), user(block)] }));
    const content = params.messages[1]!.content;
    if (!Array.isArray(content)) throw new Error('expected a block list');
    return content[0] as unknown as Record<string, unknown>;
  }

  it('sends resource, resource link and audio blocks inside a tool result as their JSON text', () => {
    const resource = { type: 'resource', resource: { uri: 'file:///notes.md', mimeType: 'text/markdown', text: '# Notes' } };
    const link = { type: 'resource_link', uri: 'file:///big.csv', name: 'big.csv' };
    const audio = { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' };
    const param = resultParam({ type: 'tool_result', toolUseId: 't1', content: [resource, link, audio] });
    const content = param.content as Array<{ type: string; text: string }>;
    expect(content.map((c) => c.type)).toEqual(['text', 'text', 'text']);
    expect(content.map((c): unknown => JSON.parse(c.text))).toEqual([resource, link, audio]);
  });

  it('uses structuredContent as text when the result has no content', () => {
    const param = resultParam({ type: 'tool_result', toolUseId: 't1', content: [], structuredContent: { celsius: 12, city: 'Oslo' } });
    expect(param.content).toEqual([{ type: 'text', text: JSON.stringify({ celsius: 12, city: 'Oslo' }) }]);
  });

  it('does not repeat structuredContent when the result has content', () => {
    const param = resultParam({ type: 'tool_result', toolUseId: 't1', content: [{ type: 'text', text: '12°C' }], structuredContent: { celsius: 12 } });
    expect(param.content).toEqual([{ type: 'text', text: '12°C' }]);
  });

  it('marks an error result with is_error, and only then', () => {
    expect(resultParam({ type: 'tool_result', toolUseId: 't1', content: [{ type: 'text', text: 'no such city' }], isError: true })).toEqual({
      type: 'tool_result',
      tool_use_id: 't1',
      content: [{ type: 'text', text: 'no such city' }],
      is_error: true,
    });
    expect('is_error' in resultParam({ type: 'tool_result', toolUseId: 't1', content: [], isError: false })).toBe(false);
  });

  it('merges consecutive messages of one role so roles alternate, keeping block order', () => {
    const input = [user(text('a')), user(text('b'), text('c')), assistant(text('d')), assistant(text('e')), user(text('f'))];
    const snapshot = structuredClone(input);
    const params = toMessagesParams(mapped({ messages: input }));
    expect(params.messages).toEqual([
      { role: 'user', content: [text('a'), text('b'), text('c')] },
      { role: 'assistant', content: [text('d'), text('e')] },
      { role: 'user', content: [text('f')] },
    ]);
    expect(input).toEqual(snapshot);
  });

  it('merges a user message after tool results into the results message', () => {
    const params = toMessagesParams(
      mapped({
        messages: [
          assistant({ type: 'tool_use', id: 't1', name: 'f', input: {} }),
          user({ type: 'tool_result', toolUseId: 't1', content: [] }),
          user(text('and now?')),
        ],
      }),
    );
    expect(params.messages.map((m) => m.role)).toEqual(['assistant', 'user']);
    expect(params.messages[1]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 't1', content: [] },
      { type: 'text', text: 'and now?' },
    ]);
  });

  it.each([
    { where: 'a message', messages: [user(text('listen'), { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' })] },
    { where: 'an assistant message', messages: [user(text('hi')), assistant({ type: 'audio', mimeType: 'audio/mpeg', data: 'SUQz' })] },
  ])('refuses audio in $where with not_supported', ({ messages }) => {
    const error = thrown(() => toMessagesParams(mapped({ messages })));
    expect(error).toBeInstanceOf(StewardError);
    expect((error as StewardError).code).toBe('not_supported');
    expect((error as StewardError).message).toMatch(/Audio/);
  });
});

const USAGE: Usage = {
  input_tokens: 321,
  output_tokens: 45,
  cache_creation: null,
  cache_creation_input_tokens: null,
  cache_read_input_tokens: null,
  inference_geo: null,
  output_tokens_details: null,
  server_tool_use: null,
  service_tier: null,
  speed: null,
};

type Reply = Pick<Message, 'content' | 'model' | 'stop_reason' | 'usage'>;
const reply = (content: ContentBlock[], stop_reason: StopReason | null = 'end_turn'): Reply => ({
  content,
  model: 'claude-sonnet-5-5-20270101',
  stop_reason,
  usage: USAGE,
});
const textBlock = (t: string): ContentBlock => ({ type: 'text', text: t, citations: null });
const toolUse = (id: string, input: unknown): ContentBlock => ({ type: 'tool_use', id, name: 'weather', input, caller: { type: 'direct' } });
const thinking: ContentBlock = { type: 'thinking', thinking: 'Let me think.', signature: 'sig' };
const redacted: ContentBlock = { type: 'redacted_thinking', data: 'opaque' };
const serverTool: ContentBlock = { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' }, caller: { type: 'direct' } };

describe('fromMessage', () => {
  it('maps text and tool_use blocks, keeping the input and dropping the caller', () => {
    const out = fromMessage(
      reply([textBlock('Checking both.'), toolUse('toolu_1', { city: 'Oslo' }), toolUse('toolu_2', { city: 'Bergen' })], 'tool_use'),
      true,
    );
    expect(out).toEqual({
      model: 'claude-sonnet-5-5-20270101',
      content: [
        { type: 'text', text: 'Checking both.' },
        { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } },
        { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Bergen' } },
      ],
      stopReason: 'toolUse',
      inputTokens: 321,
      outputTokens: 45,
    });
  });

  it('drops thinking and server-tool blocks', () => {
    const out = fromMessage(reply([thinking, redacted, serverTool, textBlock('Answer.'), toolUse('toolu_1', {})], 'tool_use'), true);
    expect(out.content).toEqual([text('Answer.'), { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} }]);
  });

  it('collapses the content to one text block when the request had no tools', () => {
    expect(fromMessage(reply([thinking, textBlock('Hello, '), textBlock('world.')]), false).content).toEqual([text('Hello, world.')]);
    expect(fromMessage(reply([textBlock('Only this.')]), false).content).toEqual([text('Only this.')]);
  });

  it('always returns at least one block', () => {
    expect(fromMessage(reply([thinking], 'max_tokens'), true).content).toEqual([text('')]);
    expect(fromMessage(reply([], 'end_turn'), false).content).toEqual([text('')]);
  });

  it.each([
    { stop: 'end_turn', expected: 'endTurn' },
    { stop: 'stop_sequence', expected: 'stopSequence' },
    { stop: 'max_tokens', expected: 'maxTokens' },
    { stop: 'tool_use', expected: 'toolUse' },
    { stop: 'refusal', expected: 'refusal' },
    { stop: 'pause_turn', expected: 'pause_turn' },
    { stop: 'model_context_window_exceeded', expected: 'model_context_window_exceeded' },
    { stop: null, expected: null },
  ] as Array<{ stop: StopReason | null; expected: string | null }>)('stop reason $stop becomes $expected', ({ stop, expected }) => {
    expect(fromMessage(reply([textBlock('x')], stop), false).stopReason).toBe(expected);
  });

  it('reports the usage tokens and the model that answered', () => {
    const out = fromMessage({ ...reply([textBlock('x')]), usage: { ...USAGE, input_tokens: 7, output_tokens: 1234 }, model: 'claude-haiku-5-5' }, false);
    expect(out).toMatchObject({ model: 'claude-haiku-5-5', inputTokens: 7, outputTokens: 1234 });
  });
});

describe('estimateTokens', () => {
  const base = { systemPrompt: null, messages: [user(text('hi'))], tools: [] };

  it('is about one token per four characters of the request', () => {
    const estimate = estimateTokens({ ...base, messages: [user(text('x'.repeat(40_000)))] });
    expect(estimate).toBeGreaterThanOrEqual(10_000);
    expect(estimate).toBeLessThan(10_050);
  });

  it('counts the system prompt, every message and the tools', () => {
    const small = estimateTokens(base);
    expect(small).toBeGreaterThanOrEqual(1);
    expect(estimateTokens({ ...base, systemPrompt: 'y'.repeat(4000) }) - small).toBeGreaterThanOrEqual(999);
    expect(estimateTokens({ ...base, messages: [...base.messages, assistant(text('z'.repeat(4000)))] }) - small).toBeGreaterThanOrEqual(999);
    expect(estimateTokens({ ...base, tools: [{ ...WEATHER, description: 'w'.repeat(4000) }] }) - small).toBeGreaterThanOrEqual(999);
  });
});

describe('sortParameters: every sampling parameter passed on or reported', () => {
  const rows: Array<{ name: string; input: Parameters<typeof sortParameters>[0]; userId: string | null; reported: string[] }> = [
    { name: 'nothing extra', input: {}, userId: null, reported: [] },
    { name: 'temperature, which the API has no field for', input: { temperature: 0.2 }, userId: null, reported: ['temperature'] },
    { name: 'includeContext none asks for nothing', input: { includeContext: 'none' }, userId: null, reported: [] },
    { name: 'includeContext thisServer', input: { includeContext: 'thisServer' }, userId: null, reported: ['includeContext'] },
    { name: 'includeContext allServers', input: { includeContext: 'allServers' }, userId: null, reported: ['includeContext'] },
    { name: 'metadata.user_id', input: { metadata: { user_id: 'person-7' } }, userId: 'person-7', reported: [] },
    { name: 'metadata.user_id that is not text', input: { metadata: { user_id: 42 } }, userId: null, reported: ['metadata.user_id'] },
    { name: 'metadata.user_id too long', input: { metadata: { user_id: 'x'.repeat(257) } }, userId: null, reported: ['metadata.user_id'] },
    { name: 'metadata.user_id empty', input: { metadata: { user_id: '' } }, userId: null, reported: ['metadata.user_id'] },
    {
      name: 'other metadata keys',
      input: { metadata: { user_id: 'p', top_k: 5, trace: { deep: true } } },
      userId: 'p',
      reported: ['metadata.top_k', 'metadata.trace'],
    },
    { name: 'metadata that is a list (hostile)', input: { metadata: ['user_id', 'p'] }, userId: null, reported: ['metadata'] },
    { name: 'metadata that is null', input: { metadata: null }, userId: null, reported: ['metadata'] },
    { name: 'metadata that is text', input: { metadata: 'user_id=p' }, userId: null, reported: ['metadata'] },
  ];
  it.each(rows)('$name', ({ input, userId, reported }) => {
    const sorted = sortParameters(input);
    expect(sorted.parameters.userId).toBe(userId);
    expect(sorted.report.map((r) => r.name)).toEqual(reported);
    for (const note of sorted.report) expect(note.note).toMatch(/\.$/);
  });
});
