// A task's view: when a tool with a view ran as a task, its view opens on the task's page as soon as the result
// arrives, with the task's arguments as the call's input.
import { CallResultSchema, type CallResult } from '../../../../shared/domain/mcp.js';
import { TASK_RESULT_PAGE, type TaskDetail } from '../../../../shared/domain/tasks.js';
import type { ToolView } from '../../../../shared/domain/mcp.js';
import { AppView } from '../../components/apps/AppView.js';
import { useViewTools } from '../../components/apps/use-view-tools.js';
import { Section } from '../../components/Section.js';
import { Pending } from '../../components/States.js';
import { call } from '../../lib/steward.js';
import { useLoad } from '../../lib/use-load.js';

/** A view gets the whole result; past this many characters the result stays in its slices and no view opens. */
const WHOLE_RESULT_LIMIT = 16 * 1024 * 1024;
/** The host's page size, in its own characters (offsets are the host's, never this page's string lengths). */
const SLICE = TASK_RESULT_PAGE;

export function TaskAppView({ task }: { task: TaskDetail }) {
  const tools = useViewTools(task.serverId);
  const tool = task.direction === 'outgoing' ? tools.get(task.label) : undefined;
  if (!tool || task.status !== 'completed' || task.resultBytes === null || task.resultBytes > WHOLE_RESULT_LIMIT) return null;
  return <TaskView task={task} tool={tool} />;
}

function TaskView({ task, tool }: { task: TaskDetail; tool: ToolView }) {
  const [result, reload] = useLoad(() => readResult(task.id), [task.id, task.resultBytes]);
  return (
    <Section id="task-view" title="View" className="task-section" titleClassName="task-section-title">
      <Pending loaded={result} loading="Loading the result for the view…" failed="Steward could not read the result for the view." onRetry={reload} />
      {result.state === 'ready' &&
        (result.data ? (
          <AppView viewKey={`task:${task.id}`} serverId={task.serverId} tool={tool} input={task.arguments ?? {}} result={result.data} />
        ) : (
          <p className="muted">The stored result is not a tool result, so there is nothing for the view to show.</p>
        ))}
    </Section>
  );
}

/** The whole stored result, read slice by slice, as a tool result (the protocol leaves isError out when false). */
async function readResult(taskId: string): Promise<CallResult | null> {
  let text = '';
  for (let offset = 0; ;) {
    const page = await call('tasks:result', { taskId, offset, length: SLICE });
    text += page.text;
    offset = page.offset + SLICE;
    if (offset >= page.total) break;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const checked = CallResultSchema.safeParse(parsed && typeof parsed === 'object' ? { isError: false, ...parsed } : parsed);
  return checked.success ? checked.data : null;
}
