// A task's status history, oldest first: every change of status or status message, with its time.
import { useState } from 'react';
import type { TaskDetail } from '../../../../shared/domain/tasks.js';
import { TaskStatusBadge } from '../../components/StatusBadge.js';
import { formatClock, formatDateTime, plural } from '../../lib/format.js';

/** A chatty task can report thousands of steps; the latest ones are what a person looks for. */
const SHOWN = 100;

export function TaskHistory({ events }: { events: TaskDetail['events'] }) {
  const [all, setAll] = useState(false);
  const hidden = all ? 0 : Math.max(0, events.length - SHOWN);
  return (
    <div className="task-history-frame">
      {hidden > 0 && (
        <button type="button" className="btn-link" onClick={() => setAll(true)}>
          Show {plural(hidden, 'earlier change')}
        </button>
      )}
      <ol className="task-history" aria-label="Status history">
        {events.slice(hidden).map((event, i) => (
          <li key={hidden + i} className="task-event" data-status={event.status}>
            <time className="task-event-time" dateTime={event.at} title={formatDateTime(event.at)}>
              {formatClock(event.at)}
            </time>
            <TaskStatusBadge status={event.status} />
            <span className="task-event-message">{event.message ?? ''}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
