#!/usr/bin/env node
// Folder Indexer: an MCP server whose one real tool, index_folder, is a long-running task (MCP 2025-11-25 tasks) that reads
// every file in a shared folder and reports sizes, line and word counts, duplicates and common words.
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { InMemoryTaskMessageQueue } from '@modelcontextprotocol/sdk/experimental/tasks';
import { RELATED_TASK_META_KEY, RootsListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { Folders, OutsideFolders } from '../folder-guide/folders.js';
import { indexFolder, type IndexProgress, type Pace } from './indexer.js';
import { count, formatBytes, formatReport, summarize, type IndexSummary } from './report.js';
import { WatchedTaskStore } from './task-store.js';

/** A thorough index of a big folder takes many minutes; the result then stays available this long. */
const MIN_TTL_MS = 60 * 60_000;
const MAX_TTL_MS = 24 * 60 * 60_000;
const POLL_INTERVAL_MS = 1000;
/** Status and progress updates are sent at most this often (quick pace finishes files far faster). */
const REPORT_EVERY_MS = 150;

const folders = new Folders();
const fromArgs = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const taskStore = new WatchedTaskStore();

const server = new McpServer(
  { name: 'folder-indexer', version: '1.0.0', title: 'Folder Indexer' },
  {
    capabilities: { logging: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
    instructions:
      'index_folder reads every file of a shared folder as a background task (minutes on big folders). index_status shows the last finished report.',
    taskStore,
    taskMessageQueue: new InMemoryTaskMessageQueue(),
  },
);

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const failure = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }], isError: true });

/** Settles when the latest roots/list answer is in; tools wait for it so a first call sees the shared folders. */
let rootsReady: Promise<void> = Promise.resolve();
let lastReport: { summary: IndexSummary; text: string } | undefined;
const running = new Map<string, { folder: string; progress: IndexProgress }>();

server.experimental.tasks.registerToolTask(
  'index_folder',
  {
    title: 'Index a shared folder',
    description:
      'Reads every file under a shared folder (skipping .git, node_modules and build output) and reports file count, sizes, ' +
      'line and word counts, duplicate files, the largest files and the most common words. Runs as a background task: ' +
      'the thorough pace (default) takes about 0.2 s per file, so a few hundred files take minutes.',
    inputSchema: {
      path: z.string().optional().describe('Folder to index, relative to the first shared folder or absolute. Defaults to the first shared folder.'),
      pace: z.enum(['thorough', 'quick']).default('thorough').describe('thorough is gentle on the machine; quick reads as fast as it can.'),
    },
    execution: { taskSupport: 'required' },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    createTask: async ({ path, pace }, extra) => {
      await rootsReady;
      const requested = extra.taskRequestedTtl;
      const ttl = Math.min(Math.max(typeof requested === 'number' ? requested : 0, MIN_TTL_MS), MAX_TTL_MS);
      const task = await extra.taskStore.createTask({ ttl, pollInterval: POLL_INTERVAL_MS });
      const progressToken = extra._meta?.progressToken;
      // Starts once the CreateTaskResult is on its way, so no status about the task reaches the client before the task does.
      setImmediate(() => void runIndex(task.taskId, path ?? '.', pace, progressToken, extra.taskStore));
      return { task };
    },
    getTask: async (_args, extra) => extra.taskStore.getTask(extra.taskId),
    getTaskResult: async (_args, extra) => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  },
);

type TaskUpdates = Pick<WatchedTaskStore, 'updateTaskStatus' | 'storeTaskResult'>;

/** `store` is the request's view of the task store: it refuses changes to a terminal task and sends notifications/tasks/status. */
async function runIndex(taskId: string, path: string, pace: Pace, progressToken: string | number | undefined, store: TaskUpdates): Promise<void> {
  const signal = taskStore.signalFor(taskId);
  let shown = path;
  let lastSent = 0;
  const report = async (progress: IndexProgress, force: boolean) => {
    running.set(taskId, { folder: shown, progress });
    if (!force && Date.now() - lastSent < REPORT_EVERY_MS) return;
    lastSent = Date.now();
    const message = progress.current
      ? `Indexed ${progress.done} of ${count(progress.total, 'file')} — ${progress.current}`
      : `Found ${count(progress.total, 'file')}; indexing`;
    await store.updateTaskStatus(taskId, 'working', message);
    if (progressToken !== undefined) {
      // Sent directly with the related-task key: the SDK would hold a notification given `relatedTask` until tasks/result.
      await server.server.notification({
        method: 'notifications/progress',
        params: { progressToken, progress: progress.done, total: progress.total, message, _meta: { [RELATED_TASK_META_KEY]: { taskId } } },
      });
    }
  };
  // The store sets no message with a result, so the final one goes in just before it.
  const finish = async (status: 'completed' | 'failed', result: CallToolResult, message: string) => {
    await store.updateTaskStatus(taskId, 'working', message);
    await store.storeTaskResult(taskId, status, result);
  };
  try {
    await store.updateTaskStatus(taskId, 'working', 'Finding files');
    const start = await folders.inside(path);
    shown = start;
    const run = await indexFolder(folders, start, {
      pace,
      signal,
      onProgress: (progress) => report(progress, progress.done === 0 || progress.done === progress.total),
    });
    const summary = summarize({ ...run, folder: shown }, pace);
    const body = formatReport(summary, new Date());
    lastReport = { summary, text: body };
    await finish(
      'completed',
      { ...text(body), structuredContent: summary },
      `Done: ${count(summary.files, 'file')}, ${formatBytes(summary.bytes)}, ${count(summary.duplicates.length, 'duplicate group')}`,
    );
  } catch (error) {
    // Cancelled: the task stays 'cancelled' and has no result.
    if (signal.aborted) return;
    const message = error instanceof OutsideFolders ? error.message : `Indexing failed: ${(error as Error).message}`;
    await finish('failed', failure(message), message).catch((e: unknown) => console.error(`folder-indexer: ${e instanceof Error ? e.message : String(e)}`));
  } finally {
    running.delete(taskId);
    taskStore.release(taskId);
  }
}

server.registerTool(
  'index_status',
  {
    title: 'Last index report',
    description: 'The report of the last index that finished, and any index still running.',
    inputSchema: {},
    annotations: { readOnlyHint: true },
  },
  () => {
    const now = [...running.values()].map((r) => `Running: ${r.folder} — ${r.progress.done} of ${r.progress.total} files`);
    if (!lastReport) return text([...now, 'No index has finished yet. Run index_folder first.'].join('\n'));
    return { ...text([...now, ...(now.length > 0 ? [''] : []), lastReport.text].join('\n')), structuredContent: lastReport.summary };
  },
);

async function refreshRoots(): Promise<void> {
  const fromClient: string[] = [];
  if (server.server.getClientCapabilities()?.roots) {
    try {
      const { roots } = await server.server.listRoots();
      for (const root of roots) if (root.uri.startsWith('file://')) fromClient.push(fileURLToPath(root.uri));
    } catch (error) {
      console.error(`folder-indexer: could not list roots: ${(error as Error).message}`);
    }
  }
  await folders.set([...fromClient, ...fromArgs]);
  console.error(`folder-indexer: sharing ${folders.list().length} folder(s)`);
}

server.server.oninitialized = () => {
  rootsReady = refreshRoots();
};
server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
  rootsReady = refreshRoots();
});

await folders.set(fromArgs);
await server.connect(new StdioServerTransport());
// Once the client has gone there is nobody to report to; without this the store's ttl timers would keep the process alive.
process.stdin.once('end', () => process.exit(0));
