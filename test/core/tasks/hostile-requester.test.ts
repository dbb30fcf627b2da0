// The task requester against scripted hostile servers, on a fake clock and a real SQLite store.
// Hostile: 512 status notifications of 1 MB each naming tasks that never appear; a 2026-07-28 task that completes with
// a result that is not a tool result; one that asks a new question on every poll; a burst of 1,000 progress
// notifications for one task; progress that arrives while the database refuses writes.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Audit } from '../../../main/core/audit/index.js';
import { HostEvents } from '../../../main/core/events.js';
import type { McpSession } from '../../../main/core/sessions/index.js';
import type { Store } from '../../../main/core/store/index.js';
import { MAX_INPUT_ROUNDS } from '../../../main/core/tasks/modern.js';
import { TaskRequester } from '../../../main/core/tasks/requester.js';
import { SERVER_LIMITS } from '../../../main/core/limits.js';
import type { TaskRow } from '../../../main/core/tasks/deps.js';
import { FakeClock } from '../../helpers/clock.js';
import { stringContaining } from '../../helpers/matchers.js';
import { storesPerTest } from '../store/temp-store.js';

const openStore = storesPerTest();

type Progress = { progress: number; total?: number; message?: string };

interface Rig {
  requester: TaskRequester;
  store: Store;
  clock: FakeClock;
  changed: TaskRow[];
  unexpected: Array<{ where: string; error: unknown }>;
}

const requesters: TaskRequester[] = [];
afterEach(() => {
  for (const r of requesters.splice(0)) r.dispose();
});

function rig(session: Partial<McpSession>, transport: 'stdio' | 'http' = 'http'): Rig {
  const { store } = openStore();
  const clock = new FakeClock();
  const changed: TaskRow[] = [];
  const unexpected: Rig['unexpected'] = [];
  const requester = new TaskRequester(
    {
      records: store.tasks,
      events: new HostEvents(),
      audit: { record: () => undefined, recordSoon: () => undefined } as unknown as Audit,
      clock,
      session: () => Promise.resolve(session as McpSession),
      live: () => session as McpSession,
      server: () => ({ name: 'hostile', transport }),
      owner: { pid: process.pid, started: 'test' },
      ownerAlive: () => true,
      unexpected: (where, error) => unexpected.push({ where, error }),
    },
    (row) => changed.push(row),
  );
  requesters.push(requester);
  return { requester, store, clock, changed, unexpected };
}

const stamp = () => '2026-03-01T09:00:00.000Z';
const legacyTask = (taskId: string) => ({ taskId, status: 'working', createdAt: stamp(), lastUpdatedAt: stamp(), ttl: null, pollInterval: 1000 });

/** A 2025-11-25 server that runs tools as tasks; its progress watcher is handed to the test. */
function legacySession(taskId = 'r1') {
  const watched: { watcher?: ((p: Progress) => void) | undefined } = {};
  const session: Partial<McpSession> = {
    tasksExtension: false,
    serverCapabilities: { tasks: { requests: { tools: { call: {} } } } },
    ended: new AbortController().signal,
    watchProgress: (_token: string, watcher: (p: Progress) => void) => {
      watched.watcher = watcher;
      return () => (watched.watcher = undefined);
    },
    request: ((_what: string, method: string) => Promise.resolve(method === 'tools/call' ? { task: legacyTask(taskId) } : {})) as McpSession['request'],
    poll: (() => Promise.resolve(legacyTask(taskId))) as unknown as McpSession['poll'],
  };
  return { session, watched };
}

/** A 2026-07-28 server whose tasks/get answers are scripted; tasks/update and tasks/cancel are acknowledged and noted. */
function modernSession(get: (n: number) => Record<string, unknown>) {
  const sent: string[] = [];
  let gets = 0;
  const handle = { taskId: 'r1', createdAt: stamp(), lastUpdatedAt: stamp(), ttlMs: null, pollIntervalMs: 250 };
  const session: Partial<McpSession> = {
    tasksExtension: true,
    ended: new AbortController().signal,
    toolHeaders: () => Promise.resolve({}),
    framedRequest: (_what: string, method: string) => {
      sent.push(method);
      if (method === 'tools/call') return Promise.resolve({ resultType: 'task', status: 'working', ...handle });
      if (method === 'tasks/get') return Promise.resolve({ resultType: 'complete', ...handle, ...get(++gets) });
      return Promise.resolve({ resultType: 'complete' });
    },
    ask: () => Promise.resolve({ action: 'accept', content: {} }),
  };
  return { session, sent };
}

/** Moves the fake clock a poll interval at a time, letting the requester's promises run in between, until `done`. */
async function runUntil(clock: FakeClock, done: () => boolean, steps = 200): Promise<void> {
  for (let i = 0; i < steps && !done(); i++) {
    clock.advance(300);
    await new Promise((r) => setImmediate(r));
  }
}

describe('the task requester against a hostile server', () => {
  it('keeps only what it reads of status notifications for tasks it does not know: 512 of 1 MB each hold a few MB', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { session } = legacySession('never-63');
    const { requester, store } = rig(session, 'stdio');
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let t = 0; t < 64; t++) {
      for (let i = 0; i < 8; i++) {
        // A flat string of its own, as a parsed message is (padEnd would make a rope sharing its filler).
        const text = Buffer.alloc(1_000_000, 'x');
        text.write(`${t}-${i} `);
        const statusMessage = text.toString('latin1');
        requester.statusNotified('s1', { ...legacyTask(`never-${t}`), statusMessage });
      }
    }
    // An id of a megabyte names no task: it is not held at all.
    requester.statusNotified('s1', { ...legacyTask('i'.repeat(1_000_000)), statusMessage: 'x' });
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20 * 1024 * 1024);
    // What was held is taken once its task is on record, the message cut as any status message is.
    const view = await requester.start({ serverId: 's1', tool: 'job', arguments: {} });
    const row = store.tasks.get(view.id);
    expect(row?.status_message).toHaveLength(SERVER_LIMITS.taskStatusMessageChars + 1);
    expect(row?.status_message?.startsWith('63-7 xxx')).toBe(true);
  });

  it('ends a 2026-07-28 task that completes with a malformed result: failed with the reason, polled no more', async () => {
    const { session, sent } = modernSession(() => ({ status: 'completed', result: { content: 'not an array' } }));
    const { requester, clock, unexpected } = rig(session);
    const view = await requester.start({ serverId: 's1', tool: 'job', arguments: {} });
    let settled: TaskRow | undefined;
    void requester.settle(view.id).then((row) => (settled = row));
    await runUntil(clock, () => settled !== undefined);
    expect(settled).toMatchObject({ result_outcome: 'rpc_error', error: stringContaining('malformed tool result') });
    expect(unexpected).toEqual([]);
    const polls = sent.filter((m) => m === 'tasks/get').length;
    await runUntil(clock, () => false, 20);
    expect(sent.filter((m) => m === 'tasks/get')).toHaveLength(polls);
  });

  it(`cancels and fails a 2026-07-28 task that asks new questions after ${MAX_INPUT_ROUNDS} rounds`, async () => {
    const { session, sent } = modernSession((n) => ({
      status: 'input_required',
      inputRequests: {
        [`q${n}`]: { method: 'elicitation/create', params: { mode: 'form', message: `question ${n}`, requestedSchema: { type: 'object', properties: {} } } },
      },
    }));
    const { requester, clock } = rig(session);
    const view = await requester.start({ serverId: 's1', tool: 'job', arguments: {} });
    let settled: TaskRow | undefined;
    void requester.settle(view.id).then((row) => (settled = row));
    await runUntil(clock, () => settled !== undefined);
    expect(settled).toMatchObject({ status: 'failed', error: stringContaining(`after ${MAX_INPUT_ROUNDS} rounds`) });
    expect(sent.filter((m) => m === 'tasks/update')).toHaveLength(MAX_INPUT_ROUNDS);
    expect(sent.filter((m) => m === 'tasks/cancel')).toHaveLength(1);
  });

  it('paces a burst of 1,000 progress notifications for a task as a tool call’s are, and keeps the last', async () => {
    const { session, watched } = legacySession();
    const { requester, store, changed } = rig(session, 'stdio');
    const view = await requester.start({ serverId: 's1', tool: 'job', arguments: {} });
    const before = changed.length;
    for (let i = 1; i <= 1000; i++) watched.watcher?.({ progress: i, total: 1000, message: `step ${i} ${'m'.repeat(10_000)}` });
    expect(changed.length - before).toBeLessThanOrEqual(11);
    requester.dispose();
    const row = store.tasks.get(view.id);
    expect(row).toMatchObject({ progress: 1000, progress_total: 1000 });
    expect(row?.progress_message).toHaveLength(SERVER_LIMITS.taskStatusMessageChars + 1);
  });

  it('reports progress it cannot record instead of throwing into the transport that read it', async () => {
    const { session, watched } = legacySession();
    const { requester, store, unexpected } = rig(session, 'stdio');
    const view = await requester.start({ serverId: 's1', tool: 'job', arguments: {} });
    const locked = new Error('database is locked');
    vi.spyOn(store.tasks, 'update').mockImplementation(() => {
      throw locked;
    });
    expect(() => watched.watcher?.({ progress: 1 })).not.toThrow();
    expect(unexpected).toEqual([{ where: `recording the progress of task ${view.id}`, error: locked }]);
  });
});
