// steward tasks: the task center on the command line — list, show, result, cancel.
import { parseArgs } from 'node:util';
import { TASK_RESULT_PAGE, TASK_STATUSES, type TaskStatus } from '../../shared/domain/tasks.js';
import { terminalSafe } from '../core/node/index.js';
import { Cli, EXIT, UsageError } from './context.js';
import { taskDetailText, tasksTable } from './format.js';

export async function tasks(cli: Cli, args: string[]): Promise<number> {
  const [verb = 'list', ...rest] = args;
  switch (verb) {
    case 'list': {
      const { values } = parseArgs({
        args: rest,
        options: { status: { type: 'string' }, server: { type: 'string' }, limit: { type: 'string', default: '50' } },
      });
      if (values.status && !TASK_STATUSES.includes(values.status as TaskStatus)) throw new UsageError(`--status must be one of ${TASK_STATUSES.join(', ')}.`);
      const list = await cli.call('tasks:list', {
        limit: Math.min(200, Math.max(1, Number(values.limit) || 50)),
        ...(values.status ? { status: values.status as TaskStatus } : {}),
        ...(values.server ? { serverId: cli.serverId(values.server) } : {}),
      });
      cli.result(list, () => tasksTable(list, Date.now()));
      return EXIT.ok;
    }
    case 'show': {
      const taskId = taskIdOf(rest);
      const detail = await cli.call('tasks:get', { taskId });
      cli.result(detail, () => taskDetailText(detail));
      return EXIT.ok;
    }
    case 'result': {
      // Written out page by page: a result of tens of megabytes is never held whole.
      const taskId = taskIdOf(rest);
      let offset = 0;
      for (;;) {
        const page = await cli.call('tasks:result', { taskId, offset, length: TASK_RESULT_PAGE });
        cli.raw(page.text);
        // Offsets are the host's own characters (code points, as the database counts), never this page's string length:
        // the next page starts a page on, as the task center reads a result.
        offset = page.offset + TASK_RESULT_PAGE;
        if (page.text.length === 0 || offset >= page.total) break;
      }
      cli.raw('\n');
      return EXIT.ok;
    }
    case 'cancel': {
      const view = await cli.call('tasks:cancel', { taskId: taskIdOf(rest) });
      cli.result(view, () => `${terminalSafe(view.label)} on ${terminalSafe(view.serverName)}: ${view.status}`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`Unknown tasks command "${verb}". Use list, show, result or cancel.`);
  }
}

function taskIdOf(args: string[]): string {
  const [id] = args;
  if (!id) throw new UsageError('Missing the task id (see steward tasks list).');
  return id;
}
