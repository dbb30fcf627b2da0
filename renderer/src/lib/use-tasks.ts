// The task center's list: keyset pages from the host, with every `tasks:changed` folded in by id (see task-list.ts).
import { useEffect, useRef, useState } from 'react';
import type { TaskView } from '../../../shared/domain/tasks.js';
import { call, subscribe } from './steward.js';
import { appendPage, foldHeld, foldTask, holdChange, type TaskFilter } from './task-list.js';
import { toHostError, type Loaded } from './use-load.js';

const PAGE = 100;

export interface TaskList {
  tasks: Loaded<TaskView[]>;
  hasMore: boolean;
  loadMore: () => Promise<void>;
  reload: () => void;
}

export function useTasks(filter: TaskFilter): TaskList {
  const [tasks, setTasks] = useState<Loaded<TaskView[]>>({ state: 'loading' });
  const [hasMore, setHasMore] = useState(false);
  const [epoch, setEpoch] = useState(0);
  /** Where the next page starts, whatever moved since, and whether there is one. */
  const pages = useRef<{ cursor: TaskView | undefined; complete: boolean }>({ cursor: undefined, complete: false });
  /** Bumped on every fresh load, so a page asked for under an old filter is dropped. */
  const generation = useRef(0);
  const { status, serverId } = filter;
  const query = { ...(status ? { status } : {}), ...(serverId ? { serverId } : {}) };

  const took = (page: TaskView[], last: TaskView | undefined) => {
    pages.current = { cursor: page.at(-1) ?? last, complete: page.length < PAGE };
    setHasMore(page.length === PAGE);
  };

  useEffect(() => {
    let live = true;
    generation.current += 1;
    pages.current = { cursor: undefined, complete: false };
    const fold = (rows: TaskView[], task: TaskView) => foldTask(rows, task, { status, serverId }, pages.current);
    // Changes that arrive while the first page loads are newer than it, so they go on top of it.
    let early: TaskView[] | null = [];
    // Later ones are held until the next frame and applied in one render, however many came in between.
    const held = new Map<string, TaskView>();
    let frame: number | undefined;
    const applyHeld = () => {
      frame = undefined;
      if (!live || held.size === 0) return;
      const changes = [...held.values()];
      held.clear();
      setTasks((prev) => (prev.state === 'ready' ? { state: 'ready', data: foldHeld(prev.data, changes, { status, serverId }, pages.current) } : prev));
    };
    const off = subscribe('tasks:changed', (task) => {
      if (early) early.push(task);
      else {
        holdChange(held, task);
        frame ??= requestAnimationFrame(applyHeld);
      }
    });
    setTasks({ state: 'loading' });
    call('tasks:list', { ...query, limit: PAGE }).then(
      (page) => {
        if (!live) return;
        took(page, undefined);
        const rows = (early ?? []).reduce(fold, page);
        early = null;
        setTasks({ state: 'ready', data: rows });
      },
      (error: unknown) => live && setTasks({ state: 'error', error: toHostError(error) }),
    );
    return () => {
      live = false;
      off();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [status, serverId, epoch]);

  const loadMore = async () => {
    const last = pages.current.cursor;
    if (!last) return;
    const current = generation.current;
    const page = await call('tasks:list', { ...query, limit: PAGE, cursor: { updatedAt: last.updatedAt, id: last.id } });
    if (current !== generation.current) return;
    took(page, last);
    setTasks((prev) => (prev.state === 'ready' ? { state: 'ready', data: appendPage(prev.data, page) } : prev));
  };

  return { tasks, hasMore, loadMore, reload: () => setEpoch((e) => e + 1) };
}
