// What the task layer needs from the rest of the host.
import type { Audit } from '../audit/index.js';
import { SERVER_LIMITS } from '../limits.js';
import type { HostEvents } from '../events.js';
import type { Clock, Notifier, Unexpected } from '../ports.js';
import type { McpSession } from '../sessions/index.js';
import type { TaskRow, TasksRepo } from '../store/index.js';

/** The task records the task layer reads and writes: its one port to the store. */
export type TaskRecords = Pick<
  TasksRepo,
  'insert' | 'get' | 'byRemote' | 'apply' | 'update' | 'result' | 'resultSlice' | 'events' | 'page' | 'unfinished' | 'claim' | 'incoming'
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
  if (text === undefined) return null;
  const max = SERVER_LIMITS.taskStatusMessageChars;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export type { TaskRow };
