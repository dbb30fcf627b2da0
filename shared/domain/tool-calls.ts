// A server's call history: each tool call made through Steward, with its arguments, outcome and duration.
import { z } from 'zod';
import { CallResultSchema } from './mcp.js';

export const ToolCallRecordSchema = z.object({
  id: z.number().int(),
  serverId: z.string(),
  tool: z.string(),
  /** As sent; null when they were larger than the history keeps. */
  arguments: z.record(z.string(), z.unknown()).nullable(),
  /** As returned; null when the call failed, or when the result was larger than the history keeps (`resultBytes` says how large). */
  result: CallResultSchema.nullable(),
  resultBytes: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Whether it ran as a task (the server kept it going in the background while Steward waited). */
  asTask: z.boolean(),
  at: z.string(),
  durationMs: z.number(),
});
export type ToolCallRecord = z.infer<typeof ToolCallRecordSchema>;
export type NewToolCall = Omit<ToolCallRecord, 'id'>;

/** Calls kept per server; older ones make way. */
export const CALLS_KEPT_PER_SERVER = 200;
/** Arguments or a result larger than this (as JSON) are not kept in the history, only their size. */
export const CALL_PART_MAX_BYTES = 256 * 1024;
