// MCP sampling <-> the Anthropic Messages API, both ways, as pure functions.
import type { ContentBlockParam, Message, MessageCreateParamsBase, MessageParam, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import type { SamplingBlock, SamplingMessageView, SamplingReply } from '../../../shared/domain/sampling.js';
import { StewardError } from '../../../shared/errors.js';
import type { SamplingParameters } from './parameters.js';

export interface MappedRequest {
  model: string;
  systemPrompt: string | null;
  messages: SamplingMessageView[];
  tools: { name: string; description?: string; inputSchema: Record<string, unknown> }[];
  toolChoice: 'auto' | 'required' | 'none';
  maxTokens: number;
  stopSequences: string[];
  /** Sorted by sortParameters: only values the Messages API accepts. */
  parameters: SamplingParameters;
}

type ImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

function toolResultContent(block: Extract<SamplingBlock, { type: 'tool_result' }>): ContentBlockParam[] {
  const out: ContentBlockParam[] = [];
  for (const c of block.content) {
    if (c.type === 'text' && typeof c.text === 'string') out.push({ type: 'text', text: c.text });
    else if (c.type === 'image' && typeof c.data === 'string')
      out.push({ type: 'image', source: { type: 'base64', media_type: c.mimeType as ImageType, data: c.data } });
    // Resources, links and audio reach the model as their JSON text: it can read them, nothing is lost.
    else out.push({ type: 'text', text: JSON.stringify(c) });
  }
  if (out.length === 0 && block.structuredContent) out.push({ type: 'text', text: JSON.stringify(block.structuredContent) });
  return out;
}

function toParam(block: SamplingBlock): ContentBlockParam {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image', source: { type: 'base64', media_type: block.mimeType as ImageType, data: block.data } };
    case 'audio':
      throw new StewardError('not_supported', 'Audio content cannot be sent to the model.');
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.toolUseId,
        content: toolResultContent(block) as never,
        ...(block.isError ? { is_error: true } : {}),
      };
  }
}

/** MCP allows two user messages in a row; the Messages API wants roles to alternate, so they are joined. */
function alternate(messages: readonly SamplingMessageView[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const m of messages) {
    const content = m.content.map(toParam);
    const last = out.at(-1);
    if (last && last.role === m.role) (last.content as ContentBlockParam[]).push(...content);
    else out.push({ role: m.role, content });
  }
  return out;
}

const CHOICE: Record<MappedRequest['toolChoice'], ToolChoice> = { auto: { type: 'auto' }, required: { type: 'any' }, none: { type: 'none' } };

export function toMessagesParams(request: MappedRequest): MessageCreateParamsBase {
  const params: MessageCreateParamsBase = {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: alternate(request.messages),
  };
  if (request.systemPrompt) params.system = request.systemPrompt;
  if (request.stopSequences.length > 0) params.stop_sequences = request.stopSequences;
  if (request.parameters.userId !== null) params.metadata = { user_id: request.parameters.userId };
  if (request.tools.length > 0) {
    params.tools = request.tools.map((t) => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      input_schema: { type: 'object', ...t.inputSchema } as never,
    }));
    params.tool_choice = CHOICE[request.toolChoice];
  }
  return params;
}

const STOP: Record<string, string> = { end_turn: 'endTurn', stop_sequence: 'stopSequence', max_tokens: 'maxTokens', tool_use: 'toolUse' };

/**
 * The model's message as MCP content; without tools in the request it is one text block, as older servers expect.
 * Usage is read as optional: a compatible endpoint at a custom base URL may leave it out.
 */
export function fromMessage(message: Pick<Message, 'content' | 'model' | 'stop_reason'> & Partial<Pick<Message, 'usage'>>, hadTools: boolean): SamplingReply {
  const content: SamplingBlock[] = [];
  for (const block of message.content) {
    if (block.type === 'text') content.push({ type: 'text', text: block.text });
    else if (block.type === 'tool_use')
      content.push({ type: 'tool_use', id: block.id, name: block.name, input: (block.input ?? {}) as Record<string, unknown> });
  }
  const collapsed: SamplingBlock[] = hadTools ? content : [{ type: 'text', text: content.map((b) => (b.type === 'text' ? b.text : '')).join('') }];
  return {
    model: message.model,
    content: collapsed.length > 0 ? collapsed : [{ type: 'text', text: '' }],
    stopReason: message.stop_reason ? (STOP[message.stop_reason] ?? message.stop_reason) : null,
    inputTokens: message.usage?.input_tokens ?? 0,
    outputTokens: message.usage?.output_tokens ?? 0,
  };
}

/** Rough token count for estimates before the call: about four characters a token. */
export function estimateTokens(request: Pick<MappedRequest, 'systemPrompt' | 'messages' | 'tools'>): number {
  const text = JSON.stringify([request.systemPrompt, request.messages, request.tools]);
  return Math.max(1, Math.ceil(text.length / 4));
}
