// How a task's status reads: one word and one tone per status, from one table, so a row, a page, the history and a
// toast never disagree; cancelled is not an error; a failure Steward concluded reads as lost.
import { describe, expect, it } from 'vitest';
import { TASK_STATUSES } from '../../../shared/domain/tasks.js';
import { endedWords, eraWords, statusLabel, TASK_STATUS, ttlWords } from '../../../renderer/src/lib/task-words.js';
import { taskViewOf } from '../../helpers/tasks.js';

describe('task words', () => {
  it('gives each status its own word, and cancelled a calm tone, not the error one', () => {
    expect(new Set(TASK_STATUSES.map((s) => TASK_STATUS[s].label)).size).toBe(TASK_STATUSES.length);
    expect(TASK_STATUS.cancelled.tone).toBe('idle');
    expect(TASK_STATUS.failed.tone).toBe('danger');
    expect(TASK_STATUS.completed.tone).toBe('ok');
  });

  it.each([
    [{ status: 'failed' as const, settledBy: 'steward' as const }, 'lost', 'Steward lost track of job'],
    [{ status: 'failed' as const, settledBy: 'server' as const }, 'failed', 'job failed'],
    [{ status: 'cancelled' as const, settledBy: 'server' as const }, 'cancelled', 'job was cancelled'],
    [{ status: 'completed' as const, settledBy: 'server' as const }, 'completed', 'job finished'],
  ])('%o reads as "%s"', (task, label, ended) => {
    expect(statusLabel(task)).toBe(label);
    expect(endedWords({ ...view(), ...task })).toBe(ended);
  });

  it('says a task is past its ttl, not expired: the server may still answer for it', () => {
    expect(ttlWords({ ...view(), expiresAt: '2026-01-01T10:00:00.000Z' }, Date.parse('2026-01-01T10:00:05.000Z'))).toBe('past');
  });

  it('says which protocol era a task ran under', () => {
    expect(eraWords({ era: 'modern' })).toBe('MCP 2026-07-28 (tasks extension)');
    expect(eraWords({ era: 'legacy' })).toBe('MCP 2025-11-25 (core tasks)');
  });
});

function view() {
  return taskViewOf({ serverId: 's', createdAt: '2026-01-01T09:59:00.000Z', updatedAt: '2026-01-01T09:59:00.000Z' });
}
