// applyEdits: what the user's edits change in a sampling request before it is sent, and what they may not touch.
import { describe, expect, it } from 'vitest';
import type { SamplingEdits, SamplingMessageView } from '../../../shared/domain/sampling.js';
import { applyEdits } from '../../../main/core/sampling/edits.js';
import type { SamplingRequest } from '../../../main/core/sampling/validate.js';

const png = { type: 'image' as const, mimeType: 'image/png', data: 'iVBORw0KGgo=' };

function request(messages: SamplingMessageView[], over: Partial<SamplingRequest> = {}): SamplingRequest {
  return {
    messages,
    maxTokens: 800,
    systemPrompt: 'You are terse.',
    stopSequences: ['END'],
    tools: [],
    toolChoice: 'auto',
    modelPreferences: undefined,
    temperature: undefined,
    includeContext: undefined,
    metadata: undefined,
    json: '{}',
    bytes: 321,
    ...over,
  };
}

const chat = (): SamplingMessageView[] => [
  { role: 'user', content: [{ type: 'text', text: 'first question' }] },
  { role: 'assistant', content: [{ type: 'text', text: 'first answer' }] },
  { role: 'user', content: [{ type: 'text', text: 'what is in ' }, png, { type: 'text', text: 'this picture?' }] },
];

describe('applyEdits', () => {
  it.each<{ name: string; edits: SamplingEdits; systemPrompt: string | null; maxTokens: number }>([
    { name: 'system prompt replaced', edits: { systemPrompt: 'Answer in French.' }, systemPrompt: 'Answer in French.', maxTokens: 800 },
    { name: 'system prompt cleared with an empty string', edits: { systemPrompt: '' }, systemPrompt: null, maxTokens: 800 },
    { name: 'system prompt cleared with null', edits: { systemPrompt: null }, systemPrompt: null, maxTokens: 800 },
    { name: 'maxTokens lowered', edits: { maxTokens: 42 }, systemPrompt: 'You are terse.', maxTokens: 42 },
    { name: 'both at once', edits: { systemPrompt: 'Be kind.', maxTokens: 2000 }, systemPrompt: 'Be kind.', maxTokens: 2000 },
    { name: 'an empty edit changes nothing', edits: {}, systemPrompt: 'You are terse.', maxTokens: 800 },
  ])('$name', ({ edits, systemPrompt, maxTokens }) => {
    const original = request(chat());
    const edited = applyEdits(original, edits);
    expect(edited.systemPrompt).toBe(systemPrompt);
    expect(edited.maxTokens).toBe(maxTokens);
    expect(edited.messages).toEqual(chat());
    expect({ stop: edited.stopSequences, tools: edited.tools, choice: edited.toolChoice, bytes: edited.bytes }).toEqual({
      stop: ['END'],
      tools: [],
      choice: 'auto',
      bytes: 321,
    });
  });

  it('returns the same object when there are no edits', () => {
    const original = request(chat());
    expect(applyEdits(original, undefined)).toBe(original);
  });

  it('replaces the text of the last user message and keeps its image', () => {
    const edited = applyEdits(request(chat()), { lastUserText: 'Describe the picture in one line.' });
    expect(edited.messages).toEqual([...chat().slice(0, 2), { role: 'user', content: [{ type: 'text', text: 'Describe the picture in one line.' }, png] }]);
  });

  it('edits the last user message even when an assistant message follows it', () => {
    const messages: SamplingMessageView[] = [...chat(), { role: 'assistant', content: [{ type: 'text', text: 'It shows' }] }];
    const edited = applyEdits(request(messages), { lastUserText: 'new question' });
    expect(edited.messages[2]).toEqual({ role: 'user', content: [{ type: 'text', text: 'new question' }, png] });
    expect(edited.messages[0]).toEqual(messages[0]);
    expect(edited.messages[3]).toEqual(messages[3]);
  });

  it('leaves the request it was given untouched', () => {
    const original = request(chat());
    const snapshot = structuredClone(original);
    applyEdits(original, { systemPrompt: '', maxTokens: 5, lastUserText: 'changed' });
    expect(original).toEqual(snapshot);
  });

  it('refuses to edit a last user message that carries tool results', () => {
    const messages: SamplingMessageView[] = [
      { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'weather', input: { city: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 'a', content: [{ type: 'text', text: '12°C' }] }] },
    ];
    expect(() => applyEdits(request(messages), { lastUserText: 'ignore the tool' })).toThrow(/tool results, which cannot be edited/);
  });

  it('still applies the other edits when the last user message holds tool results', () => {
    const messages: SamplingMessageView[] = [
      { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'weather', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 'a', content: [] }] },
    ];
    const edited = applyEdits(request(messages), { systemPrompt: 'Short answers.', maxTokens: 100 });
    expect(edited).toMatchObject({ systemPrompt: 'Short answers.', maxTokens: 100, messages });
  });
});
