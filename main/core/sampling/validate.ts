// Validates a sampling/createMessage request as the 2025-11-25 spec demands, before the user or a model sees it.
import { z } from 'zod';
import type { SamplingBlock, SamplingMessageView } from '../../../shared/domain/sampling.js';

export const SUPPORTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
export const MAX_TOKENS_CAP = 128_000;

const Meta = z.record(z.string(), z.unknown()).optional();
const Text = z.object({ type: z.literal('text'), text: z.string(), _meta: Meta }).loose();
const Image = z.object({ type: z.literal('image'), data: z.string(), mimeType: z.string(), _meta: Meta }).loose();
const Audio = z.object({ type: z.literal('audio'), data: z.string(), mimeType: z.string(), _meta: Meta }).loose();
const ToolUse = z
  .object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.record(z.string(), z.unknown()), _meta: Meta })
  .loose();
const ToolResult = z
  .object({
    type: z.literal('tool_result'),
    toolUseId: z.string().min(1),
    content: z.array(z.record(z.string(), z.unknown())).default([]),
    structuredContent: z.record(z.string(), z.unknown()).optional(),
    isError: z.boolean().optional(),
    _meta: Meta,
  })
  .loose();
const KNOWN = new Set(['text', 'image', 'audio', 'tool_use', 'tool_result']);
const Block = z
  .unknown()
  .superRefine((value, ctx) => {
    const type = value && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !KNOWN.has(type)) {
      ctx.addIssue({ code: 'custom', message: `content of type "${String(type)}" is not something a sampling message can carry` });
    }
  })
  .pipe(z.discriminatedUnion('type', [Text, Image, Audio, ToolUse, ToolResult]));

const Params = z.object({
  messages: z
    .array(
      z.object({
        role: z.enum(['user', 'assistant']),
        // One block or a list of them; normalised first so an error names the block that is wrong.
        content: z.preprocess((v): unknown[] => (Array.isArray(v) ? v : [v]), z.array(Block)),
        _meta: Meta,
      }),
    )
    .min(1, 'messages is empty'),
  maxTokens: z.number().int('maxTokens must be a whole number'),
  systemPrompt: z.string().optional(),
  stopSequences: z.array(z.string()).optional(),
  temperature: z.number().optional(),
  includeContext: z.enum(['none', 'thisServer', 'allServers']).optional(),
  modelPreferences: z
    .object({
      hints: z.array(z.object({ name: z.string().optional() }).loose()).optional(),
      costPriority: z.number().min(0).max(1).optional(),
      speedPriority: z.number().min(0).max(1).optional(),
      intelligencePriority: z.number().min(0).max(1).optional(),
    })
    .loose()
    .optional(),
  tools: z.array(z.object({ name: z.string().min(1), description: z.string().optional(), inputSchema: z.record(z.string(), z.unknown()) }).loose()).optional(),
  toolChoice: z
    .object({ mode: z.enum(['auto', 'required', 'none']).optional() })
    .loose()
    .optional(),
  metadata: z.unknown().optional(),
});

export interface SamplingRequest {
  messages: SamplingMessageView[];
  maxTokens: number;
  systemPrompt: string | null;
  stopSequences: string[];
  tools: { name: string; description?: string; inputSchema: Record<string, unknown> }[];
  toolChoice: 'auto' | 'required' | 'none';
  modelPreferences: z.infer<typeof Params>['modelPreferences'];
  temperature: number | undefined;
  includeContext: 'none' | 'thisServer' | 'allServers' | undefined;
  /** Provider-specific, as the server sent it (sorted for the model by the models module). */
  metadata: unknown;
  /** The request exactly as the server sent it, as JSON text: what the record keeps. */
  json: string;
  /** Its size in bytes. */
  bytes: number;
}

export interface ValidationContext {
  /** Whether `sampling.tools` was declared to this server (and its protocol version has it). */
  toolsAllowed: boolean;
}

export type Validation = { ok: true; request: SamplingRequest } | { ok: false; message: string };

const fail = (message: string): Validation => ({ ok: false, message });

export function validateSamplingRequest(raw: unknown, ctx: ValidationContext): Validation {
  const json = JSON.stringify(raw ?? null);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_REQUEST_BYTES) {
    return fail(`The request is ${(bytes / 1048576).toFixed(1)} MB; Steward accepts sampling requests up to ${MAX_REQUEST_BYTES / 1048576} MB.`);
  }
  const parsed = Params.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return fail(`Invalid sampling request: ${where}${issue?.message ?? 'it does not match the schema'}.`);
  }
  const p = parsed.data;
  if (p.maxTokens < 1 || p.maxTokens > MAX_TOKENS_CAP) return fail(`maxTokens must be between 1 and ${MAX_TOKENS_CAP}; it is ${p.maxTokens}.`);
  if ((p.tools !== undefined || p.toolChoice !== undefined) && !ctx.toolsAllowed) {
    return fail('The request offers tools, but sampling with tools was not declared to this server.');
  }
  const messages: SamplingMessageView[] = p.messages.map((m) => ({ role: m.role, content: m.content.map(toBlock) }));
  for (const [i, m] of messages.entries()) {
    for (const block of m.content) {
      if (block.type === 'audio') return fail(`messages.${i}: audio content is not supported by the model provider.`);
      if (block.type === 'image' && !(SUPPORTED_IMAGE_TYPES as readonly string[]).includes(block.mimeType)) {
        return fail(`messages.${i}: images of type ${block.mimeType} are not supported (use ${SUPPORTED_IMAGE_TYPES.join(', ')}).`);
      }
      if (block.type === 'tool_result') {
        const image = block.content.find((c) => c.type === 'image' && !(SUPPORTED_IMAGE_TYPES as readonly string[]).includes(String(c.mimeType)));
        if (image)
          return fail(
            `messages.${i}: a tool result carries an image of type ${String(image.mimeType)}, which is not supported (use ${SUPPORTED_IMAGE_TYPES.join(', ')}).`,
          );
      }
      if (block.type === 'tool_use' && m.role !== 'assistant') return fail(`messages.${i}: tool_use belongs in an assistant message.`);
      if (block.type === 'tool_result' && m.role !== 'user') return fail(`messages.${i}: tool_result belongs in a user message.`);
    }
  }
  const ordering = checkToolOrdering(messages);
  if (ordering) return fail(ordering);
  return {
    ok: true,
    request: {
      messages,
      maxTokens: p.maxTokens,
      systemPrompt: p.systemPrompt ?? null,
      stopSequences: p.stopSequences ?? [],
      tools: (p.tools ?? []).map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: t.inputSchema })),
      toolChoice: p.toolChoice?.mode ?? 'auto',
      modelPreferences: p.modelPreferences,
      temperature: p.temperature,
      includeContext: p.includeContext,
      metadata: p.metadata,
      json,
      bytes,
    },
  };
}

/** The spec's ordering rules for tool loops; the first broken one, or undefined. */
export function checkToolOrdering(messages: readonly SamplingMessageView[]): string | undefined {
  for (const [i, m] of messages.entries()) {
    const results = m.content.filter((b) => b.type === 'tool_result');
    if (results.length > 0 && results.length !== m.content.length) {
      return `messages.${i}: a user message with tool results must contain only tool results.`;
    }
    if (results.length > 0) {
      const previous = messages[i - 1];
      const asked = new Set(previous?.role === 'assistant' ? previous.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : [])) : []);
      for (const r of results) {
        if (!asked.has(r.toolUseId)) return `messages.${i}: tool result "${r.toolUseId}" answers no tool_use in the message before it.`;
      }
    }
    const uses = m.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
    if (uses.length > 0) {
      const next = messages[i + 1];
      if (!next) return `messages.${i}: tool use ${uses.map((u) => `"${u}"`).join(', ')} has no tool result: the request must end with the results.`;
      const answered = new Set(next.content.flatMap((b) => (b.type === 'tool_result' ? [b.toolUseId] : [])));
      const missing = uses.filter((u) => !answered.has(u));
      if (next.role !== 'user' || missing.length > 0)
        return `messages.${i + 1}: tool result missing for ${missing.map((u) => `"${u}"`).join(', ') || 'the tool uses before it'}.`;
    }
  }
  return undefined;
}

function toBlock(block: z.infer<typeof Block>): SamplingBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image', mimeType: block.mimeType, data: block.data };
    case 'audio':
      return { type: 'audio', mimeType: block.mimeType, data: block.data };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    case 'tool_result':
      return {
        type: 'tool_result',
        toolUseId: block.toolUseId,
        content: block.content,
        ...(block.structuredContent ? { structuredContent: block.structuredContent } : {}),
        ...(block.isError !== undefined ? { isError: block.isError } : {}),
      };
  }
}
