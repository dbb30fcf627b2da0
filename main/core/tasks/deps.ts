// What the task layer needs from the rest of the host.
import type { Audit } from '../audit/index.js';
import { SERVER_LIMITS } from '../limits.js';
import type { HostEvents } from '../events.js';
import type { Clock, Notifier, Unexpected } from '../ports.js';
import { copyOf } from '../text-copy.js';
import type { McpSession } from '../sessions/index.js';
import { taskView, type TaskRow, type TasksRepo } from '../store/index.js';
import type { TaskView } from '../../../shared/domain/tasks.js';
import { pollIntervalOf } from './timing.js';

/** The task records the task layer reads and writes: its one port to the store. */
export type TaskRecords = Pick<
  TasksRepo,
  'insert' | 'get' | 'byRemote' | 'apply' | 'update' | 'result' | 'resultSlice' | 'events' | 'page' | 'unfinished' | 'claim' | 'incoming' | 'pruneIncoming'
>;

export interface TaskDeps {
  records: TaskRecords;
  events: HostEvents;
  audit: Audit;
  clock: Clock;
  notifier?: Notifier | undefined;
  /** The server's session, connecting (lazy start, consent permitting) when needed. */
  session(serverId: string): Promise<McpSession>;
  /** The session only if the server is connected now. */
  live(serverId: string): McpSession | undefined;
  server(serverId: string): { name: string; transport: 'stdio' | 'http' } | undefined;
  /** This Steward process, as task rows record their owner. */
  owner: TaskOwner;
  /** Whether the process that owns a task still runs (same pid, same start token). */
  ownerAlive(owner: TaskOwner): boolean;
  /** Errors in the work nobody waits for: pollers, result fetches, expiry timers. */
  unexpected: Unexpected;
}

export interface TaskOwner {
  pid: number;
  started: string | null;
}

export const iso = (clock: Clock) => new Date(clock.now()).toISOString();

/** A status message as a server reported it, cut to SERVER_LIMITS.taskStatusMessageChars (a report may be megabytes). */
export function statusMessageOf(text: string | undefined): string | null {
  return text === undefined ? null : cutText(text, SERVER_LIMITS.taskStatusMessageChars);
}

/** A server's time stamp, or null for one too long to be one (it goes into every history entry it comes with). */
export function stampOf(text: string | undefined): string | null {
  return text !== undefined && text.length <= MAX_STAMP_CHARS ? text : null;
}

/** A time stamp longer than this is not one (ISO 8601 with a long fraction and an offset is under 40 characters). */
const MAX_STAMP_CHARS = 64;

/**
 * Text cut to `max` characters with an ellipsis, as a string of its own (see copyOf): a plain slice of a 10 MB message
 * would keep all 10 MB alive for as long as the cut is held.
 */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${copyOf(text, max)}…`;
}

/**
 * A row as the task center shows it. Rows written before pollInterval and progress were checked as they came in may hold
 * a fractional or huge interval or an infinite progress, which the view's schema refuses: they are shown as they would be
 * kept now, so one such row cannot fail every list it is in.
 */
export function viewOf(row: TaskRow): TaskView {
  const finite = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);
  return {
    ...taskView(row),
    pollIntervalMs: pollIntervalOf(row.poll_interval_ms),
    progress: finite(row.progress),
    progressTotal: finite(row.progress_total),
  };
}

export type { TaskRow };
