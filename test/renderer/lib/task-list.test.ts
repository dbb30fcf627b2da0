// Where a change lands in the task center's list, and how an older page is added.
import { describe, expect, it } from 'vitest';
import type { TaskView } from '../../../shared/domain/tasks.js';
import { taskViewOf } from '../../helpers/tasks.js';
import { appendPage, foldHeld, foldTask, holdChange, inLoadedPages, type Loaded, type TaskFilter } from '../../../renderer/src/lib/task-list.js';

function task(id: string, updatedAt: string, patch: Partial<TaskView> = {}): TaskView {
  return taskViewOf({ id, updatedAt: `2026-01-01T10:00:${updatedAt}.000Z`, ...patch });
}

const ALL: TaskFilter = { status: '', serverId: '' };
const EVERYTHING_LOADED: Loaded = { cursor: undefined, complete: true };
/** Pages down to task "c" at second 20 are loaded; older ones are not. */
const PARTLY: Loaded = { cursor: task('c', '20'), complete: false };
const ids = (rows: TaskView[]) => rows.map((r) => `${r.id}:${r.status}`);

describe('foldTask', () => {
  const rows = [task('a', '40'), task('b', '30'), task('c', '20')];
  const cases: Array<{ name: string; change: TaskView; filter?: TaskFilter; loaded?: Loaded; expected: string[] }> = [
    { name: 'a new task goes on top', change: task('n', '50'), expected: ['n:working', 'a:working', 'b:working', 'c:working'] },
    { name: 'a known task changes in place', change: task('c', '55', { status: 'completed' }), expected: ['a:working', 'b:working', 'c:completed'] },
    {
      name: 'an older view than the one shown is ignored',
      change: task('a', '35', { status: 'completed' }),
      expected: ['a:working', 'b:working', 'c:working'],
    },
    {
      name: 'a view as recent as the one shown is taken (a stored result)',
      change: task('b', '30', { status: 'completed' }),
      expected: ['a:working', 'b:completed', 'c:working'],
    },
    {
      name: 'a task that leaves the filter leaves the list',
      change: task('b', '45', { status: 'completed' }),
      filter: { status: 'working', serverId: '' },
      expected: ['a:working', 'c:working'],
    },
    {
      name: 'a new task outside the filter stays out',
      change: task('n', '50', { serverId: 's2' }),
      filter: { status: '', serverId: 's1' },
      expected: ['a:working', 'b:working', 'c:working'],
    },
    {
      name: 'a task from a page not loaded yet waits for that page',
      change: task('old', '10'),
      loaded: PARTLY,
      expected: ['a:working', 'b:working', 'c:working'],
    },
    {
      name: 'a task newer than the loaded pages goes on top',
      change: task('n', '21'),
      loaded: PARTLY,
      expected: ['n:working', 'a:working', 'b:working', 'c:working'],
    },
  ];
  for (const { name, change, filter = ALL, loaded = EVERYTHING_LOADED, expected } of cases) {
    it(name, () => {
      expect(ids(foldTask(rows, change, filter, loaded))).toEqual(expected);
    });
  }
});

describe('inLoadedPages', () => {
  const cases: Array<{ name: string; t: TaskView; loaded: Loaded; expected: boolean }> = [
    { name: 'nothing loaded yet', t: task('x', '01'), loaded: { cursor: undefined, complete: false }, expected: true },
    { name: 'every page loaded', t: task('x', '01'), loaded: { cursor: task('c', '20'), complete: true }, expected: true },
    { name: 'newer than the cursor', t: task('x', '21'), loaded: PARTLY, expected: true },
    { name: 'older than the cursor', t: task('x', '19'), loaded: PARTLY, expected: false },
    { name: 'same time, larger id: before the cursor', t: task('d', '20'), loaded: PARTLY, expected: true },
    { name: 'same time, smaller id: after the cursor', t: task('b', '20'), loaded: PARTLY, expected: false },
  ];
  for (const { name, t, loaded, expected } of cases) {
    it(name, () => {
      expect(inLoadedPages(t, loaded)).toBe(expected);
    });
  }
});

describe('appendPage', () => {
  it('adds an older page below and keeps a task that moved up where it is', () => {
    const rows = [task('moved', '50'), task('a', '40')];
    const page = [task('b', '30'), task('moved', '25'), task('c', '20')];
    expect(appendPage(rows, page).map((r) => r.id)).toEqual(['moved', 'a', 'b', 'c']);
    expect(appendPage(rows, page)[0]!.updatedAt).toBe(rows[0]!.updatedAt);
  });
});

describe('changes held for the next frame', () => {
  it('keeps only the newest view of each task, in the order the tasks first changed', () => {
    const held = new Map<string, TaskView>();
    for (const t of [task('a', '41'), task('b', '42'), task('a', '43', { status: 'completed' }), task('b', '40', { status: 'failed' })]) holdChange(held, t);
    // "b" at second 40 is older than the "b" already held and arrived late: it does not replace it.
    expect(ids([...held.values()])).toEqual(['a:completed', 'b:working']);
  });

  it('folds a frame of changes as the changes one by one would have', () => {
    const rows = [task('a', '30'), task('b', '25'), task('c', '20')];
    const changes = [task('b', '35', { status: 'completed' }), task('new', '36'), task('a', '37', { status: 'cancelled' }), task('old', '10')];
    const oneByOne = changes.reduce((r, t) => foldTask(r, t, ALL, PARTLY), rows);
    const held = new Map<string, TaskView>();
    for (const t of changes) holdChange(held, t);
    expect(ids(foldHeld(rows, held.values(), ALL, PARTLY))).toEqual(ids(oneByOne));
    expect(ids(oneByOne)).toEqual(['new:working', 'a:cancelled', 'b:completed', 'c:working']);
  });

  it('holds one entry per task however many changes come before the frame', () => {
    const held = new Map<string, TaskView>();
    for (let i = 0; i < 500; i++) holdChange(held, task(`t${i % 7}`, String(10 + (i % 50)).padStart(2, '0')));
    expect(held.size).toBe(7);
  });
});
