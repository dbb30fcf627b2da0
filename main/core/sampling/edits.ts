// Applies the user's edits (system prompt, last user message, max tokens) to a sampling request before it is sent.
import type { SamplingEdits } from '../../../shared/domain/sampling.js';
import type { SamplingRequest } from './validate.js';

export function applyEdits(request: SamplingRequest, edits: SamplingEdits | undefined): SamplingRequest {
  if (!edits) return request;
  const next: SamplingRequest = { ...request, messages: [...request.messages] };
  if (edits.systemPrompt !== undefined) next.systemPrompt = edits.systemPrompt === '' ? null : edits.systemPrompt;
  if (edits.maxTokens !== undefined) next.maxTokens = edits.maxTokens;
  if (edits.lastUserText !== undefined) {
    const index = next.messages.findLastIndex((m) => m.role === 'user');
    const last = next.messages[index];
    if (!last) throw new Error('The request has no user message to edit.');
    if (last.content.some((b) => b.type === 'tool_result')) throw new Error('The last user message carries tool results, which cannot be edited.');
    // The edited text replaces all of the message's text (shown to the user as one text); images are kept after it.
    const images = last.content.filter((b) => b.type !== 'text');
    next.messages[index] = { role: 'user', content: [{ type: 'text', text: edits.lastUserText }, ...images] };
  }
  return next;
}
