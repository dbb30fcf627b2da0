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
  /** legacy: a 2025-11-25 core task; modern: a task of the 2026-07-28 tasks extension (io.modelcontextprotocol/tasks). */
  era: z.enum(['legacy', 'modern']),
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
  /** The message of the last progress notification (separate from the status message the server reports). */
  progressMessage: z.string().nullable(),
  /**
   * Who settled a final status: the server's own report, or Steward, when the server could no longer answer for the
   * task (its process ended, it forgot the id). null while the task runs.
   */
  settledBy: z.enum(['server', 'steward']).nullable(),
  resultBytes: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type TaskView = z.infer<typeof TaskViewSchema>;

/**
 * What a history entry records. server: a status the server reported (tasks/get, a status notification, the reply to
 * tasks/cancel or to the call that created it). local: something that happened on Steward's side, never a status the
 * server gave: Steward asked for the task, the user asked to cancel it, the connection was lost or came back, Steward
 * restarted, Steward could no longer follow it (lost), its result or final status came after it was marked lost, or the
 * server forgot it after returning its result (the final status then follows from that result).
 */
export const TASK_EVENT_KINDS = [
  'status',
  'requested',
  'cancel_requested',
  'connection_lost',
  'reconnected',
  'host_restarted',
  'lost',
  'late_result',
  'status_from_result',
] as const;
export const TaskEventKindSchema = z.enum(TASK_EVENT_KINDS);
export type TaskEventKind = z.infer<typeof TaskEventKindSchema>;

export const TaskEventSchema = z.object({
  /** When Steward recorded it. */
  at: z.string(),
  source: z.enum(['server', 'local']),
  kind: TaskEventKindSchema,
  /** The task's status once this entry applied. */
  status: TaskStatusSchema,
  message: z.string().nullable(),
  /** The server's own lastUpdatedAt, for entries it reported. */
  serverAt: z.string().nullable(),
});
export type TaskEvent = z.infer<typeof TaskEventSchema>;

/**
 * How many characters (code points, as the database counts them) one page of a task's result holds at most. Every
 * reader pages by it: a page longer than this is cut to it, so a reader that asked for more and moved on by what it
 * asked for skipped text.
 */
export const TASK_RESULT_PAGE = 64 * 1024;

/** What the store keeps of one task's history: past `entries`, each new entry drops the oldest after the first `kept`. */
export const TASK_HISTORY = { entries: 500, kept: 10 } as const;

export const TaskDetailSchema = TaskViewSchema.extend({
  remoteTaskId: z.string().nullable(),
  arguments: z.record(z.string(), z.unknown()).nullable(),
  events: z.array(TaskEventSchema),
  /** Entries dropped from the middle of a long history (a task keeps its first ten and its latest ones). */
  eventsDropped: z.number().int().nonnegative(),
});
export type TaskDetail = z.infer<typeof TaskDetailSchema>;

export const TaskResultPageSchema = z.object({
  /** A slice of the result's JSON text. */
  text: z.string(),
  offset: z.number().int(),
  total: z.number().int(),
});
export type TaskResultPage = z.infer<typeof TaskResultPageSchema>;
