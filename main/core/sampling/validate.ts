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

/** The schema itself, for the check that the hand reader below agrees with it. */
export const SamplingParamsSchema = Params;
type Params = z.infer<typeof Params>;
type Block = z.infer<typeof Block>;

/*
 * The same schema read by hand, for the requests servers send every round: zod's general machinery costs more than the
 * rest of Steward's work on a round. It accepts only what the schema accepts and returns what zod would; anything it is
 * not sure of (an unknown field value, an odd object, any mistake) it leaves to zod, which then also words the refusal.
 */
const ROLES = new Set(['user', 'assistant']);
const CONTEXTS = new Set(['none', 'thisServer', 'allServers']);
const MODES = new Set(['auto', 'required', 'none']);
const PRIORITIES = ['costPriority', 'speedPriority', 'intelligencePriority'] as const;

/**
 * An object as JSON makes it (zod's records and objects accept it too). One with its own `__proto__` member (JSON.parse
 * makes one) is zod's to read: zod copies members into a new object, where that one does not survive as it came.
 */
function isJsonObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && !Object.hasOwn(v, 'constructor') && !Object.hasOwn(v, '__proto__');
}
const absentOr = (v: unknown, is: (v: unknown) => boolean) => v === undefined || is(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isFilled = (v: unknown) => typeof v === 'string' && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrings = (v: unknown) => Array.isArray(v) && v.every(isString);

/** Whether a block has the fields its type needs, each of the right kind. */
function plainBlock(b: Record<string, unknown>): boolean {
  switch (b.type) {
    case 'text':
      return isString(b.text);
    case 'image':
    case 'audio':
      return isString(b.data) && isString(b.mimeType);
    case 'tool_use':
      return isFilled(b.id) && isFilled(b.name) && isJsonObject(b.input);
    case 'tool_result':
      return (
        isFilled(b.toolUseId) &&
        absentOr(b.content, (c) => Array.isArray(c) && c.every(isJsonObject)) &&
        absentOr(b.structuredContent, isJsonObject) &&
        absentOr(b.isError, (v) => typeof v === 'boolean')
      );
    default:
      return false;
  }
}

function plainMessages(v: unknown): Params['messages'] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: Params['messages'] = [];
  for (const m of v) {
    if (!isJsonObject(m) || !ROLES.has(m.role as string) || !absentOr(m._meta, isJsonObject)) return undefined;
    const content: Block[] = [];
    for (const b of Array.isArray(m.content) ? m.content : [m.content]) {
      if (!isJsonObject(b) || !absentOr(b._meta, isJsonObject) || !plainBlock(b)) return undefined;
      // A tool result's content defaults to none, as in the schema.
      content.push((b.type === 'tool_result' && b.content === undefined ? { ...b, content: [] } : b) as Block);
    }
    out.push({ role: m.role as 'user' | 'assistant', content, ...(m._meta === undefined ? {} : { _meta: m._meta as Record<string, unknown> }) });
  }
  return out;
}

const plainPreferences = (v: unknown) =>
  isJsonObject(v) &&
  absentOr(v.hints, (h) => Array.isArray(h) && h.every((x) => isJsonObject(x) && absentOr(x.name, isString))) &&
  PRIORITIES.every((k) => absentOr(v[k], (n) => isNumber(n) && n >= 0 && n <= 1));

const plainTool = (t: unknown) => isJsonObject(t) && isFilled(t.name) && absentOr(t.description, isString) && isJsonObject(t.inputSchema);

/** The parsed request when it is plainly valid; undefined when zod should judge it. */
export function readPlainParams(raw: unknown): Params | undefined {
  if (!isJsonObject(raw)) return undefined;
  const messages = plainMessages(raw.messages);
  if (!messages || !Number.isSafeInteger(raw.maxTokens)) return undefined;
  if (!absentOr(raw.systemPrompt, isString) || !absentOr(raw.stopSequences, isStrings) || !absentOr(raw.temperature, isNumber)) return undefined;
  if (!absentOr(raw.includeContext, (c) => CONTEXTS.has(c as string)) || !absentOr(raw.modelPreferences, plainPreferences)) return undefined;
  if (!absentOr(raw.tools, (t) => Array.isArray(t) && t.every(plainTool))) return undefined;
  if (!absentOr(raw.toolChoice, (c) => isJsonObject(c) && absentOr(c.mode, (m) => MODES.has(m as string)))) return undefined;
  return {
    messages,
    maxTokens: raw.maxTokens as number,
    systemPrompt: raw.systemPrompt as string | undefined,
    stopSequences: raw.stopSequences as string[] | undefined,
    temperature: raw.temperature as number | undefined,
    includeContext: raw.includeContext as Params['includeContext'],
    modelPreferences: raw.modelPreferences as Params['modelPreferences'],
    tools: raw.tools as Params['tools'],
    toolChoice: raw.toolChoice as Params['toolChoice'],
    metadata: raw.metadata,
  };
}

export interface SamplingRequest {
  messages: SamplingMessageView[];
  maxTokens: number;
  systemPrompt: string | null;
  stopSequences: string[];
  tools: { name: string; description?: string; inputSchema: Record<string, unknown> }[];
  toolChoice: 'auto' | 'required' | 'none';
  modelPreferences: Params['modelPreferences'];
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
  let p = readPlainParams(raw);
  if (!p) {
    const parsed = Params.safeParse(raw);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return fail(`Invalid sampling request: ${where}${issue?.message ?? 'it does not match the schema'}.`);
    }
    p = parsed.data;
  }
  if (p.maxTokens < 1 || p.maxTokens > MAX_TOKENS_CAP) return fail(`maxTokens must be between 1 and ${MAX_TOKENS_CAP}; it is ${p.maxTokens}.`);
  if ((p.tools !== undefined || p.toolChoice !== undefined) && !ctx.toolsAllowed) {
    return fail('The request offers tools, but sampling with tools was not declared to this server.');
  }
  const messages: SamplingMessageView[] = p.messages.map((m) => ({ role: m.role, content: m.content.map(toBlock) }));
  // Requests without tool blocks (most) have no tool ordering to check.
  let toolBlocks = false;
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
      toolBlocks ||= block.type === 'tool_use' || block.type === 'tool_result';
    }
  }
  const ordering = toolBlocks ? checkToolOrdering(messages) : undefined;
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

function toBlock(block: Block): SamplingBlock {
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
