// The task center: every task of every server — tool calls run as tasks and requests servers asked of Steward —
// live while they run, filtered by status and server, paged back in time.
import { ListChecks } from 'lucide-react';
import { useRef, useState } from 'react';
import { TASK_STATUSES, type TaskStatus } from '../../../shared/domain/tasks.js';
import { Field } from '../components/Field.js';
import { NextPage, RefreshButton, ServerFilter } from '../components/ListControls.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { EmptyState, ErrorNote, Loading } from '../components/States.js';
import { TASK_STATUS } from '../lib/task-words.js';
import { useAction } from '../lib/use-action.js';
import { useTasks } from '../lib/use-tasks.js';
import { TaskTable } from './tasks/TaskTable.js';
import './records.css';
import './tasks.css';

export function TasksScreen() {
  const [status, setStatus] = useState<TaskStatus | ''>('');
  const [serverId, setServerId] = useState('');
  const { tasks, hasMore, loadMore, reload } = useTasks({ status, serverId });
  const more = useAction(loadMore);
  const scroller = useRef<HTMLDivElement>(null);
  const filtered = status !== '' || serverId !== '';

  return (
    <>
      <ScreenHeader
        title="Tasks"
        subtitle="Long-running tool calls and the requests servers asked of Steward, live while they run"
        actions={<RefreshButton onClick={reload} />}
      />
      <div className="toolbar filters">
        <Field label="Status">
          <select className="input" value={status} onChange={(e) => setStatus(e.target.value as TaskStatus | '')}>
            <option value="">All statuses</option>
            {TASK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {TASK_STATUS[s].label}
              </option>
            ))}
          </select>
        </Field>
        <ServerFilter value={serverId} onChange={setServerId} />
      </div>
      <div className="screen-body" ref={scroller}>
        {tasks.state === 'loading' && <Loading label="Loading the tasks…" />}
        {tasks.state === 'error' && <ErrorNote title="Steward could not read the tasks." error={tasks.error} onRetry={reload} />}
        {tasks.state === 'ready' && tasks.data.length === 0 && (
          <EmptyState icon={ListChecks} title={filtered ? 'No tasks match these filters' : 'No tasks yet'}>
            A tool that supports tasks can be run as one from its server’s Tools tab: it keeps running in the background, and you are told when it ends.
            Requests a server sends as tasks show up here too.
          </EmptyState>
        )}
        {tasks.state === 'ready' && tasks.data.length > 0 && (
          <>
            <TaskTable tasks={tasks.data} scroller={scroller} />
            <NextPage action={more} more={hasMore} label="Load more" end={<>No older tasks{filtered ? ' match these filters' : ''}.</>} />
          </>
        )}
      </div>
    </>
  );
}
