// The workbench's own data: what a server offers, the JSON-RPC messages on its wire, and its tool call history.
import { z } from 'zod';

export const LogLevelSchema = z.enum(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);
export type LogLevel = z.infer<typeof LogLevelSchema>;

/** What the server declared at the handshake. */
export const ServerFeaturesSchema = z.object({
  tools: z.boolean(),
  prompts: z.boolean(),
  resources: z.boolean(),
  subscribe: z.boolean(),
  completions: z.boolean(),
  logging: z.boolean(),
  listChanged: z.object({ tools: z.boolean(), prompts: z.boolean(), resources: z.boolean() }),
});
export type ServerFeatures = z.infer<typeof ServerFeaturesSchema>;

/**
 * One JSON-RPC message as it crossed the wire. `kind` is read off its shape; `method` is the request's own, and for a
 * response the method of the request it answers (its pair); `ms` is, for a response, the time since that request.
 */
export const WireMessageSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  direction: z.enum(['out', 'in']),
  kind: z.enum(['request', 'response', 'error', 'notification']),
  method: z.string().optional(),
  id: z.union([z.string(), z.number()]).optional(),
  ms: z.number().optional(),
  /** The message as JSON, cut to a bounded length (`cut` says by how many characters). */
  text: z.string(),
  cut: z.number().int().optional(),
});
export type WireMessage = z.infer<typeof WireMessageSchema>;

/** One tool call the user made from the workbench, kept per server. */
export const CallRecordSchema = z.object({
  id: z.number().int(),
  serverId: z.string(),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  /** The result as returned, or null when the call failed before one came back. */
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  asTask: z.boolean(),
  ms: z.number(),
  at: z.string(),
});
export type CallRecord = z.infer<typeof CallRecordSchema>;
