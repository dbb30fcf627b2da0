// Writes a task's transitions: the state the machine returns becomes the row, its history entries and its result go in
// the same transaction, and the UI hears of the change. Nothing else writes a task's status.
import type { TaskPatch } from '../store/index.js';
import { iso, type TaskDeps, type TaskRow } from './deps.js';
import { isTerminal, taskTransition, type TaskEffect, type TaskMachineEvent, type TaskState } from './task-machine.js';

export function stateOf(row: TaskRow, disconnected = false): TaskState {
  return {
    direction: row.direction,
    status: row.status,
    statusMessage: row.status_message,
    pollIntervalMs: row.poll_interval_ms,
    expiresAt: row.expires_at,
    settledBy: row.settled_by ?? (isTerminal(row.status) ? 'server' : null),
    resultOutcome: row.result_outcome,
    cancelRequested: row.cancel_requested === 1,
    disconnected,
    error: row.error,
    // Known again from the server's next report; until then no report is taken for stale.
    serverAt: null,
  };
}

/** The columns that differ between two states. */
export function patchOf(before: TaskState, after: TaskState): TaskPatch {
  const patch: TaskPatch = {};
  if (after.status !== before.status) patch.status = after.status;
  if (after.statusMessage !== before.statusMessage) patch.statusMessage = after.statusMessage;
  if (after.pollIntervalMs !== before.pollIntervalMs) patch.pollIntervalMs = after.pollIntervalMs;
  if (after.expiresAt !== before.expiresAt) patch.expiresAt = after.expiresAt;
  if (after.settledBy !== before.settledBy) patch.settledBy = after.settledBy;
  if (after.resultOutcome !== before.resultOutcome) patch.resultOutcome = after.resultOutcome;
  if (after.cancelRequested !== before.cancelRequested) patch.cancelRequested = after.cancelRequested;
  if (after.error !== before.error) patch.error = after.error;
  return patch;
}

export interface Stepped {
  state: TaskState;
  effects: TaskEffect[];
  /** The row as written, or undefined when the transition changed nothing on record. */
  row: TaskRow | undefined;
}

export class TaskRecord {
  constructor(
    private readonly deps: TaskDeps,
    private readonly changed: (row: TaskRow) => void,
  ) {}

  /** One event of a task's life: the transition, written (row, history, result) in one transaction, then announced. */
  step(id: string, state: TaskState, event: TaskMachineEvent): Stepped {
    const { state: next, effects } = taskTransition(state, event);
    if (next === state && effects.length === 0) return { state, effects, row: undefined };
    const patch = patchOf(state, next);
    const entries = effects.flatMap((e) =>
      e.type === 'history' ? [{ source: e.source, kind: e.kind, status: next.status, message: e.message, serverAt: e.serverAt }] : [],
    );
    const result = effects.find((e) => e.type === 'store_result')?.payload;
    // A poll that brings nothing new writes nothing and tells no one: 200 quiet tasks must not be 200 writes a second.
    if (Object.keys(patch).length === 0 && entries.length === 0 && result === undefined) return { state: next, effects, row: undefined };
    const row = this.deps.records.apply(id, iso(this.deps.clock), patch, entries, result);
    if (row) this.changed(row);
    return { state: next, effects, row };
  }
}
