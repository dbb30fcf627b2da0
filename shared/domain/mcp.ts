// What a connected server offers (tools, prompts, resources) and what a tool call returns, as plain data.
import { z } from 'zod';
import { ToolUiSchema } from './apps.js';

const JsonObject = z.record(z.string(), z.unknown());

export const ToolViewSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: JsonObject,
  outputSchema: JsonObject.optional(),
  annotations: JsonObject.optional(),
  taskSupport: z.enum(['forbidden', 'optional', 'required']).optional(),
  /** Its MCP App view and visibility, when `_meta` declares them. */
  ui: ToolUiSchema.optional(),
});
export type ToolView = z.infer<typeof ToolViewSchema>;

export const PromptViewSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  arguments: z.array(z.object({ name: z.string(), description: z.string().optional(), required: z.boolean().optional() })).default([]),
});
export type PromptView = z.infer<typeof PromptViewSchema>;

export const ResourceViewSchema = z.object({
  uri: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export type ResourceView = z.infer<typeof ResourceViewSchema>;

export const CallResultSchema = z.object({
  content: z.array(JsonObject),
  structuredContent: JsonObject.optional(),
  isError: z.boolean(),
  /** Metadata for the client (a view reads it; the model never sees it). */
  _meta: JsonObject.optional(),
});
export type CallResult = z.infer<typeof CallResultSchema>;

export const ProgressSchema = z.object({
  callId: z.string(),
  serverId: z.string(),
  progress: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

/** One page of a server's list: `nextCursor` is the server's opaque cursor for the next page, absent on the last. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() });
}

export const ResourceTemplateViewSchema = z.object({
  uriTemplate: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export type ResourceTemplateView = z.infer<typeof ResourceTemplateViewSchema>;

/** What `resources/read` returned for one URI: text, or base64 bytes (`blob`). */
export const ResourceContentSchema = z.object({
  uri: z.string(),
  mimeType: z.string().optional(),
  text: z.string().optional(),
  blob: z.string().optional(),
});
export type ResourceContent = z.infer<typeof ResourceContentSchema>;

export const PromptMessageSchema = z.object({ role: z.enum(['user', 'assistant']), content: JsonObject });
export const PromptResultSchema = z.object({ description: z.string().optional(), messages: z.array(PromptMessageSchema) });
export type PromptResult = z.infer<typeof PromptResultSchema>;

/** What an argument completion is for: a prompt's argument, or a resource template's parameter. */
export const CompletionRefSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ref/prompt'), name: z.string().min(1).max(512) }),
  z.object({ type: z.literal('ref/resource'), uri: z.string().min(1).max(8192) }),
]);
export type CompletionRef = z.infer<typeof CompletionRefSchema>;
export const CompletionSchema = z.object({ values: z.array(z.string()), total: z.number().optional(), hasMore: z.boolean().optional() });
export type Completion = z.infer<typeof CompletionSchema>;
