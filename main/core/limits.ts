// Everything one server can fill, capped per server, in one place: a flood is refused at the same bounds everywhere, at
// once, with a reason, and the host's memory and the UI's updates stay bounded whatever a server sends.
import { TASK_HISTORY } from '../../shared/domain/tasks.js';

export const SERVER_LIMITS = {
  /** Questions for the user one server may have waiting at once, by kind. */
  questions: {
    /** Forms (form-mode elicitation). */
    form: 20,
    /** Pages to open (URL-mode elicitation), including those waiting for the server to say they are done. */
    url: 10,
    /** Sampling requests waiting for approval. */
    sampling: 5,
    /** Questions that belong to a task (a task's input_required follow-ups, task-augmented requests). */
    taskInput: 20,
  },
  /** Requests from the server (sampling, elicitation, tasks/*) being handled at once. */
  inFlightRequests: 64,
  /**
   * Requests the server sends as tasks (each a stored task and an audit entry): a burst, then per second. Ended ones are
   * dropped past their ttl, and past the newest `kept`; a request's params are kept up to `argumentBytes` (a larger one
   * as a note of its size).
   */
  tasksReceived: { burst: 30, perSecond: 1, kept: 100, argumentBytes: 64 * 1024 },
  /** Notifications a server may send in a burst, then per second; beyond that they are dropped, with a note. */
  notificationBurst: 500,
  notificationsPerSecond: 200,
  /** Log lines waiting to be written for one server; past it the oldest unwritten ones are dropped, with a note. */
  logLines: 2000,
  /** Characters kept of one log line. */
  logLineChars: 16 * 1024,
  /** Progress updates per tool call passed on to the UI per second (the latest always arrives). */
  progressPerSecond: 10,
  /**
   * One task's history: past `entries`, each new entry drops the oldest after the first `kept` (the store's trigger,
   * migration 10, which holds the same numbers), and the task counts what was dropped.
   */
  taskHistory: TASK_HISTORY,
  /** Characters kept of a task's status message as a server reports it. */
  taskStatusMessageChars: 4096,
  /** Bytes in one JSON-RPC message from a server, over stdio or HTTP. Configurable: see messageBytesFrom. */
  messageBytes: 10 * 1024 * 1024,
} as const;

export type QuestionKind = keyof typeof SERVER_LIMITS.questions;

/** JSON-RPC error code for a request refused because a cap was reached (a server error in JSON-RPC's reserved range). */
export const LIMIT_REACHED_CODE = -32000;

/** The message size limit: the host option, else STEWARD_MAX_MESSAGE_BYTES, else the default. At least 64 KB. */
export function messageBytesFrom(option: number | undefined, env: Readonly<Record<string, string | undefined>>): number {
  const fromEnv = Number(env.STEWARD_MAX_MESSAGE_BYTES);
  const chosen = option ?? (Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : SERVER_LIMITS.messageBytes);
  return Math.max(64 * 1024, chosen);
}

/** "10 MB" for a byte count, for messages. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

/**
 * Builds the error for a refusal without capturing a stack. A server can provoke refusals by the thousand, no one reads
 * their stacks (they go back as a JSON-RPC error), and capturing one is most of what a refusal would cost.
 */
export function refusalError<T extends Error>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
