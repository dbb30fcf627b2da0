// The tasks/get answer as Steward reads it: the same verdict and value as the SDK's GetTaskResultSchema, for plain Tasks
// (taken by hand) and for everything else (left to the schema).
import { GetTaskResultSchema } from '@modelcontextprotocol/core';
import { describe, expect, it } from 'vitest';
import { plainTask, TaskResult } from '../../../main/core/tasks/task-result.js';

const task = { taskId: 't1', status: 'working', ttl: 60_000, createdAt: '2026-01-01T00:00:00.000Z', lastUpdatedAt: '2026-01-01T00:00:01.000Z' };

const cases: Array<[string, unknown, boolean]> = [
  ['the required members', task, true],
  ['with pollInterval and statusMessage', { ...task, pollInterval: 1000, statusMessage: 'step 1 of 3' }, true],
  ['an unlimited ttl', { ...task, ttl: null }, true],
  ['every status', { ...task, status: 'input_required' }, true],
  ['a status the spec does not have', { ...task, status: 'sleeping' }, false],
  ['no taskId', { ...task, taskId: undefined }, false],
  ['a numeric taskId', { ...task, taskId: 7 }, false],
  ['a ttl as text', { ...task, ttl: '60000' }, false],
  ['no ttl', (({ ttl: _ttl, ...rest }) => rest)(task), false],
  ['no lastUpdatedAt', (({ lastUpdatedAt: _at, ...rest }) => rest)(task), false],
  ['a pollInterval as text', { ...task, pollInterval: '1000' }, false],
  ['a null statusMessage', { ...task, statusMessage: null }, false],
  ['a member of its own', { ...task, extra: { deep: true } }, true],
  ['a _meta', { ...task, _meta: { 'io.modelcontextprotocol/related-task': { taskId: 't1' } } }, true],
  ['a _meta that is not an object', { ...task, _meta: 5 }, false],
  ['an own __proto__', JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(task).slice(1)}`) as unknown, true],
  ['an array', [task], false],
  ['null', null, false],
];

describe('the tasks/get answer', () => {
  it.each(cases)('%s: the same verdict and value as the SDK schema', async (_name, value, valid) => {
    const expected = GetTaskResultSchema.safeParse(value);
    expect(expected.success).toBe(valid);
    const got = await TaskResult['~standard'].validate(value);
    if (expected.success) expect(got).toEqual({ value: expected.data });
    else expect(got.issues?.length).toBeGreaterThan(0);
  });

  it('takes by hand only a Task with nothing but the spec’s members', () => {
    expect(cases.filter(([, value]) => plainTask(value)).map(([name]) => name)).toEqual([
      'the required members',
      'with pollInterval and statusMessage',
      'an unlimited ttl',
      'every status',
    ]);
  });
});
