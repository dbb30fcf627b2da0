// A task's life as one pure transition function, (state, event) -> (next state, effects), for both directions. The
// requester and the receiver only apply the effects: the row, its history, the audit and the UI all follow from them.
import { TERMINAL_STATUSES, type TaskEventKind, type TaskStatus } from '../../../shared/domain/tasks.js';

/** What a stored result says about how the work ended: a result, a result with isError, or a JSON-RPC error. */
export type ResultOutcome = 'ok' | 'is_error' | 'rpc_error';

/** The Task fields a server reports (tasks/get, a status notification, the reply to tasks/cancel or to the creating call). */
export interface ServerTask {
  status: TaskStatus;
  statusMessage: string | null;
  lastUpdatedAt: string | null;
  /** Absent in the report: the interval stays as it was. */
  pollIntervalMs: number | null;
  /** createdAt + ttl: when the server may forget the task; null when the ttl is unlimited. */
  expiresAt: string | null;
}

export interface TaskState {
  direction: 'outgoing' | 'incoming';
  status: TaskStatus;
  statusMessage: string | null;
  pollIntervalMs: number | null;
  expiresAt: string | null;
  /**
   * Who put a final status there: the server's own word, or Steward, when the server could no longer answer for the
   * task. A status the server settled never changes; one Steward settled gives way to the server's word if it comes.
   */
  settledBy: 'server' | 'steward' | null;
  /** A result is stored, and what it says. */
  resultOutcome: ResultOutcome | null;
  cancelRequested: boolean;
  /** The connection to the server is down (HTTP): the task waits, its status unknown but unchanged. */
  disconnected: boolean;
  /** Why Steward settled it, or the error the server's result carried. */
  error: string | null;
  /** The server's lastUpdatedAt in the last report taken: a report older than that is stale and changes nothing. */
  serverAt: string | null;
}

export type TaskMachineEvent =
  // A task Steward asked a server for (outgoing).
  | { type: 'reported'; via: 'create' | 'poll' | 'notification' | 'cancel'; task: ServerTask }
  | { type: 'refused'; message: string; byServer: boolean }
  | { type: 'result'; outcome: ResultOutcome; payload: string; message: string | null }
  | { type: 'unknown'; afterTtl: boolean }
  | { type: 'process_ended' }
  | { type: 'connection_lost' }
  | { type: 'cancel_requested' }
  | { type: 'host_restarted'; canFollow: boolean }
  // A task a server asked Steward for (incoming): Steward is the receiver, and these statuses are its own.
  | { type: 'answered'; payload: string }
  | { type: 'errored'; payload: string; message: string }
  | { type: 'cancelled'; by: 'server' | 'user'; payload: string }
  | { type: 'expired'; payload: string };

export type TaskEffect =
  /** One entry of the status history; its status is the task's status once the transition applied. */
  | { type: 'history'; source: 'server' | 'local'; kind: TaskEventKind; message: string | null; serverAt: string | null }
  | { type: 'store_result'; payload: string }
  /** Open tasks/result: the server's questions come on it (input_required), and the final result. */
  | { type: 'fetch_result' }
  /** Nothing more to learn from the server: no more polls. */
  | { type: 'stop_following' }
  /** The task reached a final status (again, when the server's word corrects Steward's): waiters resume, the user is told. */
  | { type: 'ended'; corrected: boolean }
  /** Incoming: the requesting server hears the new status (notifications/tasks/status). */
  | { type: 'notify_server' }
  | { type: 'audit'; kind: 'task.cancelled'; actor: 'user' };

export interface Transition {
  state: TaskState;
  effects: TaskEffect[];
}

export const isTerminal = (status: TaskStatus): boolean => TERMINAL_STATUSES.includes(status);

/** The spec's lifecycle (2025-11-25, Task Status Lifecycle): working <-> input_required, either -> a terminal status, never out of one. */
export function specAllows(from: TaskStatus, to: TaskStatus): boolean {
  return !isTerminal(from) || from === to;
}

const unchanged = (state: TaskState): Transition => ({ state, effects: [] });

const local = (kind: TaskEventKind, message: string | null): TaskEffect => ({ type: 'history', source: 'local', kind, message, serverAt: null });

/** The status a tool call's result stands for, where the spec defines it: isError and JSON-RPC errors are failures. */
const statusOfResult = (outcome: ResultOutcome): TaskStatus => (outcome === 'ok' ? 'completed' : 'failed');

export function taskTransition(state: TaskState, event: TaskMachineEvent): Transition {
  switch (event.type) {
    case 'reported':
      return reported(state, event.task);
    case 'refused': {
      if (isTerminal(state.status)) return unchanged(state);
      const next: TaskState = {
        ...state,
        status: 'failed',
        statusMessage: event.message,
        settledBy: event.byServer ? 'server' : 'steward',
        error: event.message,
      };
      const entry: TaskEffect = event.byServer
        ? { type: 'history', source: 'server', kind: 'status', message: event.message, serverAt: null }
        : local('lost', event.message);
      return { state: next, effects: [entry, { type: 'stop_following' }, { type: 'ended', corrected: false }] };
    }
    case 'result':
      return result(state, event);
    case 'unknown':
      return unknown(state, event.afterTtl);
    case 'process_ended': {
      if (state.settledBy === 'steward') return unchanged(state);
      if (state.settledBy === 'server') return resultNeverComes(state);
      return lost(state, 'The server process ended while the task was running.', SERVER_EXITED);
    }
    case 'connection_lost':
      if (isTerminal(state.status) || state.disconnected || state.direction === 'incoming') return unchanged(state);
      return { state: { ...state, disconnected: true }, effects: [local('connection_lost', 'The connection to the server was lost; Steward keeps trying.')] };
    case 'cancel_requested':
      if (isTerminal(state.status) || state.cancelRequested) return unchanged(state);
      return {
        state: { ...state, cancelRequested: true },
        effects: [local('cancel_requested', 'You asked the server to cancel the task.'), { type: 'audit', kind: 'task.cancelled', actor: 'user' }],
      };
    case 'host_restarted': {
      if (isTerminal(state.status)) return unchanged(state);
      const note = local('host_restarted', 'Steward restarted while the task was running.');
      if (event.canFollow) return { state: { ...state, disconnected: false }, effects: [note] };
      const why =
        state.direction === 'incoming'
          ? 'Steward stopped before it finished; the server’s connection ended with it.'
          : 'Steward stopped while the task was running; a local server’s tasks end with its process.';
      const settled = lost(state, why, HOST_RESTARTED);
      return { state: settled.state, effects: [note, ...settled.effects] };
    }
    case 'answered':
      return receiverEnds(state, 'completed', 'Answered.', null, event.payload);
    case 'errored':
      return receiverEnds(state, 'failed', event.message, event.message, event.payload);
    case 'cancelled':
      return receiverEnds(state, 'cancelled', event.by === 'server' ? 'Cancelled by the server.' : 'Cancelled by you.', null, event.payload);
    case 'expired':
      return receiverEnds(state, 'failed', 'Expired before it was answered.', 'expired', event.payload);
  }
}

/**
 * A report older than the last one taken: a poll's answer read by the server before a status notification it sent next,
 * and handled after it (the answer's continuation runs after the messages that came with it). Taking it would move the
 * status and message back and invent a history entry.
 */
function stale(state: TaskState, task: ServerTask): boolean {
  const seen = Date.parse(state.serverAt ?? '');
  const at = Date.parse(task.lastUpdatedAt ?? '');
  return Number.isFinite(seen) && Number.isFinite(at) && at < seen;
}

/** A report that says what the state already says of a running, connected task: the poll of a quiet task. */
function quiet(state: TaskState, task: ServerTask): boolean {
  return (
    state.status === 'working' &&
    state.settledBy === null &&
    !state.disconnected &&
    task.status === state.status &&
    task.statusMessage === state.statusMessage &&
    task.expiresAt === state.expiresAt &&
    (task.pollIntervalMs ?? state.pollIntervalMs) === state.pollIntervalMs &&
    (task.lastUpdatedAt ?? state.serverAt) === state.serverAt
  );
}

function reported(state: TaskState, task: ServerTask): Transition {
  // Most reports are quiet polls; they leave the very state they found, and nothing else is built for them.
  if (state.direction === 'incoming' || state.settledBy === 'server' || quiet(state, task) || stale(state, task)) return unchanged(state);
  const timing = {
    pollIntervalMs: task.pollIntervalMs ?? state.pollIntervalMs,
    expiresAt: task.expiresAt,
    serverAt: task.lastUpdatedAt ?? state.serverAt,
  };
  const entry: TaskEffect = { type: 'history', source: 'server', kind: 'status', message: task.statusMessage, serverAt: task.lastUpdatedAt };
  if (state.settledBy === 'steward') {
    // Marked lost, yet the server answers: only its final word is taken (a final status never moves back to a running one).
    if (!isTerminal(task.status)) return unchanged(state);
    const next: TaskState = { ...state, ...timing, status: task.status, statusMessage: task.statusMessage, settledBy: 'server', disconnected: false };
    const effects: TaskEffect[] = [local('late_result', 'The server reported how the task ended after Steward had marked it lost.'), entry];
    if (next.resultOutcome === null && next.status !== 'cancelled') effects.push({ type: 'fetch_result' });
    effects.push({ type: 'ended', corrected: true });
    return { state: next, effects };
  }
  const effects: TaskEffect[] = [];
  if (state.disconnected) effects.push(local('reconnected', 'The server answers again.'));
  const next: TaskState = { ...state, ...timing, status: task.status, statusMessage: task.statusMessage, disconnected: false };
  if (task.status !== state.status || task.statusMessage !== state.statusMessage) effects.push(entry);
  if (isTerminal(next.status)) {
    next.settledBy = 'server';
    if (next.status === 'failed' && next.error === null) next.error = task.statusMessage;
    if (next.resultOutcome !== null || next.status === 'cancelled') effects.push({ type: 'stop_following' }, { type: 'ended', corrected: false });
    // The spec's result retrieval: once the task is final, tasks/result holds what the call returned.
    else effects.push({ type: 'fetch_result' });
  } else if (next.status === 'input_required') {
    // The spec: a requestor that meets input_required SHOULD call tasks/result at once; the server's questions come on it.
    effects.push({ type: 'fetch_result' });
  }
  return { state: next, effects };
}

function result(state: TaskState, event: Extract<TaskMachineEvent, { type: 'result' }>): Transition {
  if (state.direction === 'incoming' || state.resultOutcome !== null) return unchanged(state);
  const store: TaskEffect = { type: 'store_result', payload: event.payload };
  const withResult: TaskState = { ...state, resultOutcome: event.outcome, error: event.outcome === 'ok' ? state.error : (event.message ?? state.error) };
  if (state.settledBy === 'server') {
    // A cancelled task ended when the server said so; any other final status waited for its result to end.
    const settled: TaskState = state.status === 'cancelled' ? { ...withResult, error: state.error } : withResult;
    const effects: TaskEffect[] = [store, { type: 'stop_following' }];
    if (state.status !== 'cancelled') effects.push({ type: 'ended', corrected: false });
    return { state: settled, effects };
  }
  if (state.settledBy === 'steward') {
    // A result after Steward gave up on the task: it is kept, and the status becomes the one the result stands for.
    const status = statusOfResult(event.outcome);
    return {
      state: { ...withResult, status, statusMessage: state.statusMessage, settledBy: 'server' },
      effects: [
        store,
        local('late_result', `The task’s result arrived after Steward had marked it lost; it ${status === 'completed' ? 'completed' : 'failed'}.`),
        { type: 'ended', corrected: true },
      ],
    };
  }
  // tasks/result answers only once the task is final, but its status is the server's to report: the next poll reads it.
  return { state: withResult, effects: [store] };
}

function unknown(state: TaskState, afterTtl: boolean): Transition {
  if (state.direction === 'incoming' || state.settledBy === 'steward') return unchanged(state);
  if (state.settledBy === 'server') return resultNeverComes(state);
  if (state.resultOutcome !== null) {
    // The server returned the result, then forgot the task before it reported the final status: the result says it.
    const status = statusOfResult(state.resultOutcome);
    return {
      state: { ...state, status, settledBy: 'server', disconnected: false },
      effects: [
        local('status_from_result', 'The server no longer knows the task; its final status follows from the result it returned.'),
        { type: 'stop_following' },
        { type: 'ended', corrected: false },
      ],
    };
  }
  return afterTtl
    ? lost(state, 'The server dropped the task after its time to live ran out.', 'expired')
    : lost(state, 'The server no longer knows this task.', 'unknown task');
}

/** Its final status is the server's, and the result it was waiting for can no longer come: it ends without one. */
function resultNeverComes(state: TaskState): Transition {
  if (state.resultOutcome !== null || state.status === 'cancelled') return unchanged(state);
  return { state, effects: [{ type: 'stop_following' }, { type: 'ended', corrected: false }] };
}

/** Why a task was lost with the process that ran it (a stdio server's, or Steward's own): nothing can report on it again. */
const SERVER_EXITED = 'server exited';
const HOST_RESTARTED = 'host restarted';

/**
 * Whether a server's report may still apply to a task on record: one not ended yet, or one Steward gave up on while the
 * server might still answer for it (a late result). A task the server ended, or one that ended with the process that
 * ran it, takes none: a report naming its id is about a newer task the server gave the same id.
 */
export function takesReports(task: { status: TaskStatus; settled_by: 'server' | 'steward' | null; error: string | null }): boolean {
  if (!isTerminal(task.status)) return true;
  return task.settled_by === 'steward' && task.error !== SERVER_EXITED && task.error !== HOST_RESTARTED;
}

/** Steward can no longer follow the task: failed, with the reason on record, until the server's own word says otherwise. */
function lost(state: TaskState, why: string, error: string): Transition {
  return {
    state: { ...state, status: 'failed', statusMessage: why, settledBy: 'steward', disconnected: false, error },
    effects: [local('lost', why), { type: 'stop_following' }, { type: 'ended', corrected: false }],
  };
}

function receiverEnds(state: TaskState, status: TaskStatus, message: string, error: string | null, payload: string): Transition {
  if (state.direction === 'outgoing' || isTerminal(state.status)) return unchanged(state);
  return {
    state: { ...state, status, statusMessage: message, settledBy: 'steward', error, resultOutcome: status === 'completed' ? 'ok' : 'rpc_error' },
    effects: [
      { type: 'store_result', payload },
      { type: 'history', source: 'local', kind: 'status', message, serverAt: null },
      { type: 'notify_server' },
      { type: 'ended', corrected: false },
    ],
  };
}
