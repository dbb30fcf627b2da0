// Which tasks are still running, for the sidebar's count, and who to tell when one of them ends.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TaskStatus, TaskView } from '../../../shared/domain/tasks.js';
import { call, subscribe } from './steward.js';
import { isTerminal } from './task-words.js';

const PAGE = 200;

async function listAll(status: TaskStatus): Promise<TaskView[]> {
  const all: TaskView[] = [];
  for (;;) {
    const last = all.at(-1);
    const page = await call('tasks:list', { status, limit: PAGE, ...(last ? { cursor: { updatedAt: last.updatedAt, id: last.id } } : {}) });
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

export interface TaskActivity {
  /** Tasks working or waiting for input. */
  active: number;
  /** Called once for each task seen running that then completes, fails or is cancelled. */
  onFinished: (listener: (task: TaskView) => void) => () => void;
}

/** Reads the running tasks again whenever `epoch` changes (after a lost connection, events may be missing). */
export function useTaskActivity(epoch: number): TaskActivity {
  const running = useRef(new Set<string>());
  const listeners = useRef(new Set<(task: TaskView) => void>());
  const [active, setActive] = useState(0);

  useEffect(() => {
    let live = true;
    // Changes that arrive while the running tasks are read come after what the read returns, so they go on top of it.
    let early: TaskView[] | null = [];
    const apply = (task: TaskView) => {
      if (!isTerminal(task.status)) running.current.add(task.id);
      else if (running.current.delete(task.id)) for (const listener of listeners.current) listener(task);
    };
    const catchUp = () => {
      for (const task of early ?? []) apply(task);
      early = null;
      setActive(running.current.size);
    };
    const off = subscribe('tasks:changed', (task) => {
      if (early) early.push(task);
      else {
        apply(task);
        setActive(running.current.size);
      }
    });
    Promise.all([listAll('working'), listAll('input_required')]).then(
      (lists) => {
        if (!live) return;
        running.current = new Set(lists.flat().map((t) => t.id));
        catchUp();
      },
      // Without the list, the count follows the changes alone.
      () => live && catchUp(),
    );
    return () => {
      live = false;
      off();
    };
  }, [epoch]);

  const onFinished = useCallback((listener: (task: TaskView) => void) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  return useMemo(() => ({ active, onFinished }), [active, onFinished]);
}
