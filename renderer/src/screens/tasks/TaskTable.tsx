// The task center's rows, virtualised: however many tasks are loaded, only the rows in view are in the page.
// Spacer rows above and below stand in for the rest, so the table keeps its columns and the scroll bar its length.
// While the list scrolls only rows entering the view render: a row is memoised on its task (a change replaces just
// that task's object) and the item keys stay the same function until the list itself changes.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { TaskView } from '../../../../shared/domain/tasks.js';
import { TaskStatusBadge } from '../../components/StatusBadge.js';
import { formatDateTime, formatDuration, formatMoment } from '../../lib/format.js';
import { href } from '../../lib/router.js';
import { elapsedMs, progressWords, ttlWords } from '../../lib/task-words.js';
import { useNow } from '../../lib/use-now.js';
import { TaskProgress } from './TaskProgress.js';

const COLUMNS = 7;
/** A row's height before it is measured: one line, and a second under the message for a task that reports progress. */
const ROW_PX = 34;
const PROGRESS_ROW_PX = 55;

export function TaskTable({ tasks, scroller }: { tasks: TaskView[]; scroller: RefObject<HTMLDivElement | null> }) {
  const body = useRef<HTMLTableSectionElement>(null);
  // Where the rows start inside the scrolling element (below its padding and the table head).
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const rows = body.current;
    const frame = scroller.current;
    if (rows && frame) setMargin(rows.getBoundingClientRect().top - frame.getBoundingClientRect().top + frame.scrollTop);
  }, [scroller]);
  // A new key function makes the virtualiser lay out every row again (10,000 of them in a long list): only a new list does.
  const getItemKey = useCallback((index: number) => tasks[index]?.id ?? index, [tasks]);
  const getScrollElement = useCallback(() => scroller.current, [scroller]);
  // Close to the measured height, so rows measured while the list scrolls move what is below them as little as possible.
  const estimateSize = useCallback((index: number) => ((tasks[index]?.progress ?? null) !== null ? PROGRESS_ROW_PX : ROW_PX), [tasks]);
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement,
    estimateSize,
    overscan: 12,
    scrollMargin: margin,
    getItemKey,
  });
  const now = useNow(1000);
  const items = virtualizer.getVirtualItems();
  const [first] = items;
  const last = items.at(-1);
  const above = first ? first.start - margin : 0;
  const below = last ? virtualizer.getTotalSize() - (last.end - margin) : 0;

  return (
    <table className="table tasks-table" aria-rowcount={tasks.length + 1}>
      <thead>
        <tr aria-rowindex={1}>
          <th className="col-task">Task</th>
          <th className="col-server">Server</th>
          <th className="col-status">Status</th>
          <th className="col-now">Progress</th>
          <th className="col-started">Started</th>
          <th className="col-elapsed num">Elapsed</th>
          <th className="col-ttl num">TTL left</th>
        </tr>
      </thead>
      <tbody ref={body}>
        {above > 0 && <Spacer height={above} />}
        {items.map((item) => {
          const task = tasks[item.index];
          if (!task) return null;
          return <TaskRow key={item.key} task={task} index={item.index} now={now} measure={virtualizer.measureElement} />;
        })}
        {below > 0 && <Spacer height={below} />}
      </tbody>
    </table>
  );
}

const TaskRow = memo(function TaskRow({
  task,
  index,
  now,
  measure,
}: {
  task: TaskView;
  index: number;
  now: number;
  measure: (node: HTMLTableRowElement | null) => void;
}) {
  return (
    <tr ref={measure} data-index={index} aria-rowindex={index + 2} data-task={task.id} data-status={task.status}>
      <TaskCells task={task} now={now} />
    </tr>
  );
});

function Spacer({ height }: { height: number }) {
  return (
    <tr className="tasks-spacer" aria-hidden style={{ height }}>
      <td colSpan={COLUMNS} />
    </tr>
  );
}

function TaskCells({ task, now }: { task: TaskView; now: number }) {
  return (
    <>
      <td className="col-task">
        <a className="task-link" href={href('tasks', task.id)}>
          {task.label}
        </a>
        {task.direction === 'incoming' && <span className="task-direction">asked of Steward</span>}
      </td>
      <td className="col-server">{task.serverName}</td>
      <td className="col-status">
        <TaskStatusBadge status={task.status} settledBy={task.settledBy} />
      </td>
      <td className="col-now">
        {task.statusMessage !== null && (
          <span className="task-message" title={task.statusMessage}>
            {task.statusMessage}
          </span>
        )}
        {progressWords(task) !== null ? <TaskProgress task={task} /> : task.statusMessage === null && <span className="muted">—</span>}
      </td>
      <td className="col-started">
        <time dateTime={task.createdAt} title={formatDateTime(task.createdAt)}>
          {formatMoment(task.createdAt, now)}
        </time>
      </td>
      <td className="col-elapsed num">{formatDuration(elapsedMs(task, now))}</td>
      <td className="col-ttl num" title={task.expiresAt ? `The server forgets the task at ${formatDateTime(task.expiresAt)}` : undefined}>
        {ttlWords(task, now)}
      </td>
    </>
  );
}
