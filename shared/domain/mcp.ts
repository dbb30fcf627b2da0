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
