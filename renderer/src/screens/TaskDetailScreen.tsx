// One task: what was asked, how it went (status history), its result slice by slice, and Cancel while it runs.
import { ChevronLeft, CircleStop, ListChecks } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { TaskDetail, TaskView } from '../../../shared/domain/tasks.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Facts } from '../components/Facts.js';
import { Section } from '../components/Section.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { TaskStatusBadge } from '../components/StatusBadge.js';
import { Notice, RecordPending } from '../components/States.js';
import { formatDateTime, formatDuration, toJson } from '../lib/format.js';
import { href } from '../lib/router.js';
import { call, subscribe } from '../lib/steward.js';
import { directionWords, elapsedMs, eraWords, isTerminal, ttlWords } from '../lib/task-words.js';
import { useLoad } from '../lib/use-load.js';
import { useNow } from '../lib/use-now.js';
import { TaskHistory } from './tasks/TaskHistory.js';
import { TaskProgress } from './tasks/TaskProgress.js';
import { TaskResult } from './tasks/TaskResult.js';
import { TaskAppView } from './tasks/TaskAppView.js';
import './servers.css';
import './tasks.css';

const BACK = (
  <a className="back-link" href={href('tasks')}>
    <ChevronLeft size={14} aria-hidden /> Tasks
  </a>
);

/** How long a new status message waits before the history is read again, so messages that come in a burst cost one read. */
const MESSAGE_RELOAD_MS = 500;

export function TaskDetailScreen({ taskId }: { taskId: string }) {
  const [detail, reload] = useLoad(() => call('tasks:get', { taskId }), [taskId]);
  const [latest, setLatest] = useState<TaskView | null>(null);
  const lastChange = useRef<TaskView | null>(null);
  // Every change updates the view at once; a new status or message also adds to the history, which is read again:
  // at once for a new status, and at most twice a second for a task that reports a message per step.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = subscribe('tasks:changed', (task) => {
      if (task.id !== taskId) return;
      const before = lastChange.current;
      lastChange.current = task;
      setLatest(task);
      if (!before || before.status !== task.status) {
        clearTimeout(timer);
        timer = undefined;
        reload();
      } else if (before.statusMessage !== task.statusMessage && timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          reload();
        }, MESSAGE_RELOAD_MS);
      }
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [taskId, reload]);

  if (detail.state !== 'ready') return <RecordPending loaded={detail} noun="task" icon={ListChecks} back={BACK} onRetry={reload} />;
  // A stored result does not move updatedAt, so a change as recent as the detail may still be news.
  const task: TaskDetail = latest && latest.updatedAt >= detail.data.updatedAt ? { ...detail.data, ...latest } : detail.data;
  return <Task task={task} onCancelled={setLatest} />;
}

function Task({ task, onCancelled }: { task: TaskDetail; onCancelled: (view: TaskView) => void }) {
  const now = useNow(1000);
  const [confirming, setConfirming] = useState(false);
  const running = !isTerminal(task.status);
  const facts: Array<[string, ReactNode]> = [
    ['Server', <a href={href('servers', task.serverId)}>{task.serverName}</a>],
    ['Kind', task.direction === 'incoming' ? `${directionWords(task)} (${task.method})` : directionWords(task)],
    ['Protocol', eraWords(task)],
    ['Started', formatDateTime(task.createdAt)],
    [running ? 'Running for' : 'Took', formatDuration(elapsedMs(task, now))],
    ...(running ? ([['TTL left', ttlWords(task, now)]] as Array<[string, string]>) : []),
    ...(task.direction === 'outgoing' && task.remoteTaskId ? ([['Server’s task id', task.remoteTaskId]] as Array<[string, string]>) : []),
  ];

  return (
    <>
      <ScreenHeader
        before={BACK}
        title={
          <>
            {task.label} <TaskStatusBadge status={task.status} settledBy={task.settledBy} />
          </>
        }
        subtitle={<Facts facts={facts} />}
        actions={
          running && (
            <button type="button" className="btn btn-danger-outline" onClick={() => setConfirming(true)}>
              <CircleStop size={14} aria-hidden /> Cancel task…
            </button>
          )
        }
      />
      <div className="screen-body task-detail">
        <section className="task-section task-now" aria-label="Current status">
          <p className="task-status-message">{task.statusMessage ?? <span className="muted">No status message.</span>}</p>
          {task.progress !== null && <TaskProgress task={task} />}
        </section>
        <Outcome task={task} />
        <Section id="task-arguments" title="Arguments" className="task-section" titleClassName="task-section-title">
          {task.arguments === null ? (
            <p className="muted">None recorded.</p>
          ) : (
            <pre className="code-block" tabIndex={0} aria-label="Arguments as JSON">
              {toJson(task.arguments)}
            </pre>
          )}
        </Section>
        <Section id="task-history" title="Status history" className="task-section" titleClassName="task-section-title">
          <TaskHistory events={task.events} direction={task.direction} dropped={task.eventsDropped} />
        </Section>
        <TaskAppView task={task} />
        <Section id="task-result" title="Result" className="task-section" titleClassName="task-section-title">
          <TaskResult task={task} />
        </Section>
      </div>
      {confirming && (
        <ConfirmDialog
          title={
            <>
              Cancel “{task.label}” on “{task.serverName}”?
            </>
          }
          confirmLabel="Cancel the task"
          dismissLabel="Keep it running"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            onCancelled(await call('tasks:cancel', { taskId: task.id }));
            setConfirming(false);
          }}
        >
          <p>Steward asks “{task.serverName}” to stop this task. Whatever it has not finished is lost, and a cancelled task cannot be resumed.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/**
 * How it ended, in the words and colour of its status: a failure says its error; a task Steward lost track of says why
 * (the server may still send its result); a cancelled task is cancelled, never an error.
 */
function Outcome({ task }: { task: TaskDetail }) {
  if (task.status === 'failed' && task.settledBy === 'steward') {
    return (
      <Notice tone="warning">
        <strong>Steward lost track of this task:</strong> {task.statusMessage ?? task.error}. If the server still sends its result, it is kept and the task
        shows how it really ended.
      </Notice>
    );
  }
  if (task.status === 'failed' && task.error) {
    return (
      <Notice tone="danger">
        <strong>Error:</strong> {task.error}
      </Notice>
    );
  }
  return null;
}
