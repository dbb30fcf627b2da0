// The task machine as a pure function: every state it can be in, crossed with every event it can meet, checked against
// the 2025-11-25 lifecycle (working <-> input_required, either -> a final status, never out of one) and Steward's own
// rules (a final status the server settled never changes; one Steward settled gives way only to the server's final word;
// every history entry is the server's report or a typed local event). Then the paths a user would notice, as a table.
import { describe, expect, it } from 'vitest';
import { TASK_STATUSES, type TaskStatus } from '../../../shared/domain/tasks.js';
import {
  isTerminal,
  specAllows,
  taskTransition,
  type ResultOutcome,
  type ServerTask,
  type TaskMachineEvent,
  type TaskState,
} from '../../../main/core/tasks/task-machine.js';

const report = (status: TaskStatus, statusMessage: string | null = `now ${status}`, extra: Partial<ServerTask> = {}): ServerTask => ({
  status,
  statusMessage,
  lastUpdatedAt: '2026-02-01T10:00:05.000Z',
  pollIntervalMs: 1000,
  expiresAt: '2026-02-01T10:10:00.000Z',
  ...extra,
});

const OUTCOMES: ResultOutcome[] = ['ok', 'is_error', 'rpc_error'];

/** Every event, with each value that changes what it means. */
const EVENTS: TaskMachineEvent[] = [
  ...(['create', 'poll', 'notification', 'cancel'] as const).flatMap((via) =>
    TASK_STATUSES.flatMap((status) => [
      { type: 'reported' as const, via, task: report(status) },
      { type: 'reported' as const, via, task: report(status, 'same message') },
    ]),
  ),
  { type: 'refused', message: 'no such tool', byServer: true },
  { type: 'refused', message: 'could not reach it', byServer: false },
  ...OUTCOMES.map((outcome): TaskMachineEvent => ({ type: 'result', outcome, payload: `{"${outcome}":1}`, message: outcome === 'ok' ? null : 'it broke' })),
  { type: 'unknown', afterTtl: false },
  { type: 'unknown', afterTtl: true },
  { type: 'process_ended' },
  { type: 'connection_lost' },
  { type: 'cancel_requested' },
  { type: 'host_restarted', canFollow: true },
  { type: 'host_restarted', canFollow: false },
  { type: 'answered', payload: '{"result":{}}' },
  { type: 'errored', payload: '{"error":{}}', message: 'denied' },
  { type: 'cancelled', by: 'server', payload: '{"error":{}}' },
  { type: 'cancelled', by: 'user', payload: '{"error":{}}' },
  { type: 'expired', payload: '{"error":{}}' },
];

/**
 * Every state a task can be in: a final status always says who settled it, a running one never does; a task a server
 * asked of Steward gets its result as it ends, and has no connection of its own to lose or cancel to request.
 */
function states(): TaskState[] {
  const out: TaskState[] = [];
  for (const direction of ['outgoing', 'incoming'] as const)
    for (const status of TASK_STATUSES)
      for (const settledBy of isTerminal(status) ? (['server', 'steward'] as const) : [null])
        for (const resultOutcome of [null, ...OUTCOMES])
          for (const cancelRequested of [false, true])
            for (const disconnected of [false, true]) {
              if (direction === 'incoming' && (cancelRequested || disconnected || (resultOutcome !== null && !isTerminal(status)))) continue;
              out.push({
                direction,
                status,
                statusMessage: 'same message',
                pollIntervalMs: 500,
                expiresAt: null,
                settledBy,
                resultOutcome,
                cancelRequested,
                disconnected,
                error: null,
                serverAt: null,
              });
            }
  return out;
}

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
};

describe('the task machine, every state against every event', () => {
  const all = states();
  const cases = all.flatMap((state) => EVENTS.map((event) => ({ state, event })));

  it('covers the whole space', () => {
    // Outgoing: 2 running statuses x 4 results x cancel x connection, 3 final x 2 settlers x 4 x 2 x 2; incoming: 2 + 3 x 2 x 4.
    expect(all.length).toBe(154);
    expect(EVENTS.length).toBe(57);
  });

  it('moves a status only where the spec allows, or where Steward gives up on a running task, or where the server corrects Steward', () => {
    for (const { state, event } of cases) {
      const { state: next } = taskTransition(deepFreeze(state), event);
      if (next.status === state.status) continue;
      const why = `${state.direction} ${state.status}/${String(state.settledBy)} + ${JSON.stringify(event)} -> ${next.status}`;
      if (state.settledBy === 'steward') {
        // Steward's "lost" gives way only to a final status: the server's word, or what its late result stands for.
        expect(isTerminal(next.status), why).toBe(true);
        expect(next.settledBy, why).toBe('server');
      } else {
        expect(specAllows(state.status, next.status), why).toBe(true);
      }
    }
  });

  it('never changes a final status the server settled, whatever arrives', () => {
    for (const { state, event } of cases) {
      if (state.settledBy !== 'server') continue;
      const { state: next, effects } = taskTransition(deepFreeze(state), event);
      expect(next.status).toBe(state.status);
      expect(next.settledBy).toBe('server');
      expect(effects.some((e) => e.type === 'history')).toBe(false);
    }
  });

  it('says who settled every final status, and nobody for a running one', () => {
    for (const { state, event } of cases) {
      const { state: next } = taskTransition(deepFreeze(state), event);
      expect(next.settledBy === null, `${JSON.stringify(event)} -> ${next.status}`).toBe(!isTerminal(next.status));
    }
  });

  it('writes only history that is the server’s report or a typed local event, and none for a change nobody saw', () => {
    for (const { state, event } of cases) {
      const { state: next, effects } = taskTransition(deepFreeze(state), event);
      const history = effects.flatMap((e) => (e.type === 'history' ? [e] : []));
      for (const entry of history) {
        if (entry.source === 'server') {
          // A server entry comes only from something the server sent (a report, or its error to the call), and is what it said.
          expect(event.type === 'reported' || (event.type === 'refused' && event.byServer)).toBe(true);
          expect(entry.kind).toBe('status');
          if (event.type === 'reported') {
            expect(next.status).toBe(event.task.status);
            expect(entry.message).toBe(event.task.statusMessage);
            expect(entry.serverAt).toBe(event.task.lastUpdatedAt);
          }
        } else {
          expect(entry.serverAt).toBeNull();
          // Only an incoming task's own statuses (Steward is the receiver) are local entries of kind "status".
          if (entry.kind === 'status') expect(state.direction).toBe('incoming');
        }
      }
      if (next.status !== state.status || next.statusMessage !== state.statusMessage) expect(history.length, JSON.stringify(event)).toBeGreaterThan(0);
    }
  });

  it('ends a task (waiters resume, the user is told) only as it becomes final, and keeps following only a running task or a missing result', () => {
    for (const { state, event } of cases) {
      const { state: next, effects } = taskTransition(deepFreeze(state), event);
      const ended = effects.filter((e) => e.type === 'ended');
      expect(ended.length).toBeLessThanOrEqual(1);
      if (ended.length === 1) expect(isTerminal(next.status)).toBe(true);
      if (ended[0]?.type === 'ended' && ended[0].corrected) expect(state.settledBy).toBe('steward');
      if (effects.some((e) => e.type === 'fetch_result')) {
        expect(next.direction).toBe('outgoing');
        expect(next.status === 'input_required' || (isTerminal(next.status) && next.resultOutcome === null)).toBe(true);
      }
    }
  });

  it('stores a result once and never replaces it', () => {
    for (const { state, event } of cases) {
      const { state: next, effects } = taskTransition(deepFreeze(state), event);
      const stored = effects.filter((e) => e.type === 'store_result');
      if (state.resultOutcome !== null) {
        expect(stored).toEqual([]);
        expect(next.resultOutcome).toBe(state.resultOutcome);
      }
      if (stored.length > 0) expect(next.resultOutcome).not.toBeNull();
    }
  });

  it('keeps the two directions apart: a server’s reports never touch a task it asked of Steward, and Steward’s answers never a task it asked of a server', () => {
    for (const { state, event } of cases) {
      const { state: next } = taskTransition(deepFreeze(state), event);
      const outgoingOnly = ['reported', 'result', 'unknown', 'connection_lost'].includes(event.type);
      const incomingOnly = ['answered', 'errored', 'cancelled', 'expired'].includes(event.type);
      if ((state.direction === 'incoming' && outgoingOnly) || (state.direction === 'outgoing' && incomingOnly)) expect(next).toBe(state);
    }
  });

  it('is pure: the same input gives the same output, and the input is never changed', () => {
    for (const { state, event } of cases.filter((_, i) => i % 7 === 0)) {
      const frozen = deepFreeze(structuredClone(state));
      expect(taskTransition(frozen, event)).toEqual(taskTransition(structuredClone(state), event));
    }
  });
});

const running: TaskState = {
  direction: 'outgoing',
  status: 'working',
  statusMessage: 'queued',
  pollIntervalMs: 1000,
  expiresAt: '2026-02-01T10:01:00.000Z',
  settledBy: null,
  resultOutcome: null,
  cancelRequested: false,
  disconnected: false,
  error: null,
  serverAt: '2026-02-01T10:00:05.000Z',
};

function run(start: TaskState, events: TaskMachineEvent[]) {
  let state = start;
  const log: string[] = [];
  for (const event of events) {
    const next = taskTransition(state, event);
    state = next.state;
    for (const e of next.effects) log.push(e.type === 'history' ? `${e.source}:${e.kind}:${state.status}` : e.type);
  }
  return { state, log };
}

describe('the paths a user sees', () => {
  it('a quiet poll writes nothing and leaves the very state it found; a new message is one server entry', () => {
    const quiet = taskTransition(running, { type: 'reported', via: 'poll', task: report('working', 'queued', { expiresAt: running.expiresAt }) });
    expect(quiet).toEqual({ state: running, effects: [] });
    expect(quiet.state).toBe(running);
    expect(run(running, [{ type: 'reported', via: 'poll', task: report('working', 'step 1', { expiresAt: running.expiresAt }) }]).log).toEqual([
      'server:status:working',
    ]);
  });

  it('a report older than the last one taken (a poll answer handled after the notification the server sent next) changes nothing', () => {
    const notified = run(running, [
      { type: 'reported', via: 'notification', task: report('working', 'step 2', { lastUpdatedAt: '2026-02-01T10:00:07.000Z' }) },
    ]);
    const late = taskTransition(notified.state, {
      type: 'reported',
      via: 'poll',
      task: report('working', 'step 1', { lastUpdatedAt: '2026-02-01T10:00:06.000Z' }),
    });
    expect(late.state).toBe(notified.state);
    expect(late.effects).toEqual([]);
    // A newer report, or one at the same time, or one without a time, is taken.
    for (const lastUpdatedAt of ['2026-02-01T10:00:08.000Z', '2026-02-01T10:00:07.000Z', null]) {
      const next = taskTransition(notified.state, { type: 'reported', via: 'poll', task: report('working', 'step 3', { lastUpdatedAt }) });
      expect(next.state.statusMessage, String(lastUpdatedAt)).toBe('step 3');
    }
  });

  it('a final status notification is the final status, never an extra "working" entry; the result follows', () => {
    const { state, log } = run(running, [
      { type: 'reported', via: 'notification', task: report('completed', 'done') },
      { type: 'result', outcome: 'ok', payload: '{}', message: null },
    ]);
    expect(state).toMatchObject({ status: 'completed', settledBy: 'server', resultOutcome: 'ok' });
    expect(log).toEqual(['server:status:completed', 'fetch_result', 'store_result', 'stop_following', 'ended']);
  });

  it('input_required opens tasks/result at once; the result alone does not make the task completed', () => {
    const { state, log } = run(running, [
      { type: 'reported', via: 'poll', task: report('input_required', 'waiting for you') },
      { type: 'result', outcome: 'ok', payload: '{}', message: null },
    ]);
    expect(state).toMatchObject({ status: 'input_required', settledBy: null, resultOutcome: 'ok' });
    expect(log).toEqual(['server:status:input_required', 'fetch_result', 'store_result']);
    // The next report says how it ended; the task ends then.
    expect(run(state, [{ type: 'reported', via: 'poll', task: report('completed', 'done') }]).log).toEqual([
      'server:status:completed',
      'stop_following',
      'ended',
    ]);
  });

  it('ttl is the server’s promise: passing it changes nothing while the server still answers', () => {
    const past = { ...running, status: 'input_required' as const, expiresAt: '2020-01-01T00:00:00.000Z' };
    const { state } = run(past, [{ type: 'reported', via: 'poll', task: report('working', 'answered', { expiresAt: past.expiresAt }) }]);
    expect(state).toMatchObject({ status: 'working', settledBy: null });
  });

  it('a task the server forgot is lost (failed, with the reason), and its late result is kept with its true status and a note', () => {
    const lost = run(running, [{ type: 'unknown', afterTtl: true }]);
    expect(lost.state).toMatchObject({ status: 'failed', settledBy: 'steward', error: 'expired' });
    expect(lost.log).toEqual(['local:lost:failed', 'stop_following', 'ended']);
    const late = run(lost.state, [{ type: 'result', outcome: 'ok', payload: '{"content":[]}', message: null }]);
    expect(late.state).toMatchObject({ status: 'completed', settledBy: 'server', resultOutcome: 'ok' });
    expect(late.log).toEqual(['store_result', 'local:late_result:completed', 'ended']);
    // A running status from a task marked lost is not taken: a final status never moves back.
    expect(run(lost.state, [{ type: 'reported', via: 'poll', task: report('working') }]).state).toBe(lost.state);
  });

  it('cancel: the request is a local entry, the server’s cancelled is its own, and cancelled is no error', () => {
    const { state, log } = run(running, [
      { type: 'cancel_requested' },
      { type: 'reported', via: 'cancel', task: report('cancelled', 'cancelled by the client') },
      { type: 'result', outcome: 'rpc_error', payload: '{"error":{}}', message: 'Task was cancelled' },
    ]);
    expect(state).toMatchObject({ status: 'cancelled', settledBy: 'server', cancelRequested: true, error: null });
    expect(log).toEqual(['local:cancel_requested:working', 'audit', 'server:status:cancelled', 'stop_following', 'ended', 'store_result', 'stop_following']);
  });

  it('a lost connection is noted once, the task keeps its status, and the next answer notes the return', () => {
    const { state, log } = run(running, [
      { type: 'connection_lost' },
      { type: 'connection_lost' },
      { type: 'reported', via: 'poll', task: report('working', 'queued') },
    ]);
    expect(state).toMatchObject({ status: 'working', disconnected: false });
    expect(log).toEqual(['local:connection_lost:working', 'local:reconnected:working']);
  });

  it('a local server’s process ending fails its running task with the reason; a server that refused the call failed it itself', () => {
    expect(run(running, [{ type: 'process_ended' }]).state).toMatchObject({ status: 'failed', settledBy: 'steward', error: 'server exited' });
    expect(run(running, [{ type: 'refused', message: 'Unknown tool', byServer: true }]).log).toEqual(['server:status:failed', 'stop_following', 'ended']);
  });

  it('an incoming task: Steward’s own statuses, told to the server', () => {
    const incoming = { ...running, direction: 'incoming' as const };
    expect(run(incoming, [{ type: 'answered', payload: '{}' }]).log).toEqual(['store_result', 'local:status:completed', 'notify_server', 'ended']);
    expect(run(incoming, [{ type: 'cancelled', by: 'user', payload: '{}' }]).state).toMatchObject({ status: 'cancelled', statusMessage: 'Cancelled by you.' });
  });
});
