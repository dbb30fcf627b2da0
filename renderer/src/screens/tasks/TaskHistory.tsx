// A task's history, oldest first: each status the server reported (its message and its own time), and what happened on
// Steward's side, typed as such (asked for it, a cancel requested, the connection lost or back, lost track, a late result).
import { useState } from 'react';
import { TASK_HISTORY, type TaskDetail, type TaskEvent } from '../../../../shared/domain/tasks.js';
import { TaskStatusBadge } from '../../components/StatusBadge.js';
import { formatClock, formatDateTime, plural } from '../../lib/format.js';
import { LOCAL_EVENT_WORDS } from '../../lib/task-words.js';

/** A chatty task can report thousands of steps; the latest ones are what a person looks for. */
const SHOWN = 100;

export function TaskHistory({ events, direction, dropped }: { events: TaskDetail['events']; direction: TaskDetail['direction']; dropped: number }) {
  const [all, setAll] = useState(false);
  const hidden = all ? 0 : Math.max(0, events.length - SHOWN);
  return (
    <div className="task-history-frame">
      {dropped > 0 && (
        <p className="muted task-history-dropped">
          {plural(dropped, 'entry', 'entries')} after the first {TASK_HISTORY.kept} {dropped === 1 ? 'was' : 'were'} not kept: a task keeps at most{' '}
          {TASK_HISTORY.entries} entries of its history.
        </p>
      )}
      {hidden > 0 && (
        <button type="button" className="btn-link" onClick={() => setAll(true)}>
          Show {plural(hidden, 'earlier change')}
        </button>
      )}
      <ol className="task-history" aria-label="Status history">
        {events.slice(hidden).map((event, i) => (
          <li key={hidden + i} className="task-event" data-status={event.status} data-source={event.source} data-kind={event.kind}>
            <time className="task-event-time" dateTime={event.at} title={formatDateTime(event.at)}>
              {formatClock(event.at)}
            </time>
            <span className="task-event-source">{sourceWords(event, direction)}</span>
            <TaskStatusBadge status={event.status} />
            <span className="task-event-message">
              {event.source === 'local' && event.kind !== 'status' && <strong className="task-event-kind">{LOCAL_EVENT_WORDS[event.kind]}. </strong>}
              {event.message ?? ''}
              {event.serverAt && <span className="muted task-event-server-at"> (server’s time {formatClock(event.serverAt)})</span>}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Who an entry comes from: the server's report, or Steward (which, for a task a server asked of it, sets the status itself). */
function sourceWords(event: TaskEvent, direction: TaskDetail['direction']): string {
  if (event.source === 'server') return 'server';
  return direction === 'incoming' && event.kind === 'status' ? 'Steward' : 'Steward (local)';
}
