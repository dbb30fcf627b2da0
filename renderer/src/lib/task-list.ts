// The task center's list decisions, kept pure: where a change lands, and how a page is added.
//
// Rows keep the place they had when they first appeared, so a running task does not jump about while the user
// reaches for it. A task seen for the first time through a change is the newest activity and goes on top — unless it
// sorts into a page not loaded yet (a stored result does not move updatedAt), which "load more" brings in its turn.
import type { TaskStatus, TaskView } from '../../../shared/domain/tasks.js';

export interface TaskFilter {
  status: TaskStatus | '';
  serverId: string;
}

export function matchesFilter({ status, serverId }: TaskFilter, task: TaskView): boolean {
  return (!status || task.status === status) && (!serverId || task.serverId === serverId);
}

/** Where the loaded pages end: the last row of the last page as the host sent it; `complete` once no page is left. */
export interface Loaded {
  cursor: TaskView | undefined;
  complete: boolean;
}

/** Whether a task sorts into the pages already loaded (newest first by updatedAt, then id, as the host pages them). */
export function inLoadedPages(task: TaskView, { cursor, complete }: Loaded): boolean {
  return complete || !cursor || task.updatedAt > cursor.updatedAt || (task.updatedAt === cursor.updatedAt && task.id >= cursor.id);
}

/** One change applied: an older view than the one shown is ignored; a task that left the filter leaves the list. */
export function foldTask(rows: TaskView[], task: TaskView, filter: TaskFilter, loaded: Loaded): TaskView[] {
  const matches = matchesFilter(filter, task);
  const i = rows.findIndex((r) => r.id === task.id);
  const shown = rows[i];
  if (!shown) return matches && inLoadedPages(task, loaded) ? [task, ...rows] : rows;
  if (shown.updatedAt > task.updatedAt) return rows;
  return matches ? rows.with(i, task) : rows.toSpliced(i, 1);
}

/**
 * A change waiting for the next frame. Changes come far faster than a screen redraws (tens a second over thousands of
 * tasks), so they are held by id until then and folded in one go: only the newest view of each task is kept, in the
 * order the tasks first changed, and the held set never grows past the number of tasks that changed.
 */
export function holdChange(held: Map<string, TaskView>, task: TaskView): void {
  const before = held.get(task.id);
  if (!before || before.updatedAt <= task.updatedAt) held.set(task.id, task);
}

/** The held changes folded in, as one change after another would have been. */
export function foldHeld(rows: TaskView[], held: Iterable<TaskView>, filter: TaskFilter, loaded: Loaded): TaskView[] {
  let out = rows;
  for (const task of held) out = foldTask(out, task, filter, loaded);
  return out;
}

/** An older page goes below; a task already shown (it moved up through a change) stays where it is. */
export function appendPage(rows: TaskView[], page: TaskView[]): TaskView[] {
  const known = new Set(rows.map((r) => r.id));
  return [...rows, ...page.filter((t) => !known.has(t.id))];
}
