// Tasks as the task center shows them: long-running tool calls Steward asked for, and requests servers asked of it.
import { z } from 'zod';

export const TASK_STATUSES = ['working', 'input_required', 'completed', 'failed', 'cancelled'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

export const TaskViewSchema = z.object({
  id: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  /** outgoing: Steward asked the server (a tool call); incoming: the server asked Steward (sampling, elicitation). */
  direction: z.enum(['outgoing', 'incoming']),
  method: z.string(),
  /** The tool name, or what the server asked for. */
  label: z.string(),
  status: TaskStatusSchema,
  statusMessage: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When the receiver may forget the task (createdAt + ttl); null when unlimited. */
  expiresAt: z.string().nullable(),
  pollIntervalMs: z.number().int().nullable(),
  progress: z.number().nullable(),
  progressTotal: z.number().nullable(),
  resultBytes: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type TaskView = z.infer<typeof TaskViewSchema>;

export const TaskEventSchema = z.object({ at: z.string(), status: TaskStatusSchema, message: z.string().nullable() });

export const TaskDetailSchema = TaskViewSchema.extend({
  remoteTaskId: z.string().nullable(),
  arguments: z.record(z.string(), z.unknown()).nullable(),
  events: z.array(TaskEventSchema),
});
export type TaskDetail = z.infer<typeof TaskDetailSchema>;

export const TaskResultPageSchema = z.object({
  /** A slice of the result's JSON text. */
  text: z.string(),
  offset: z.number().int(),
  total: z.number().int(),
});
export type TaskResultPage = z.infer<typeof TaskResultPageSchema>;
