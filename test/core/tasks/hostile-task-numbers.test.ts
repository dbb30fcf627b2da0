// Tasks of servers that send numbers and questions a host must not take as they come, through a real host over stdio.
// Hostile: pollInterval 1e20 on two tasks at once (slots past 2^53 in the poll wheel), pollInterval 300.5 (the task
// center's view takes whole numbers only), a row an older Steward wrote with such numbers and an infinite progress,
// progress 1e999 and total 1e999 (Infinity once parsed), a 2026-07-28 task that asks 21 forms at once (one over the cap),
// and a user who cancels a 2026-07-28 task while its question waits in the inbox.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { McpSession } from '../../../main/core/sessions/index.js';
import type { TaskDetail, TaskView } from '../../../shared/domain/tasks.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { nextInboxItem } from '../../helpers/inbox.js';
import { stringContaining } from '../../helpers/matchers.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { taskWhen } from '../../helpers/tasks.js';

/** The longest pollInterval taken from a server. */
const TEN_MINUTES_MS = 10 * 60_000;

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function withServer(fixture: 'task-server.mjs' | 'tasks-ext-server.mjs') {
  t = await makeHost();
  const { view, approve } = await addApproved(t.host, 'hostile', NODE, [join(FIXTURES, fixture)]);
  await approve();
  return { host: t.host, serverId: view.id };
}

describe('numbers a server reports for its tasks', () => {
  it('polls tasks that ask for pollInterval 1e20 no less often than every ten minutes, and the host goes on', async () => {
    const { host, serverId } = await withServer('task-server.mjs');
    // Status notifications bring the end (and the result fetch) long before any poll would.
    const job = { ms: 1500, steps: 1, pollInterval: 1e20, statusEvery: true, progress: false };
    const first = await host.tasks.start({ serverId, tool: 'job', arguments: job });
    expect(first.pollIntervalMs).toBe(TEN_MINUTES_MS);
    const second = await host.tasks.start({ serverId, tool: 'job', arguments: job });
    expect(second.pollIntervalMs).toBe(TEN_MINUTES_MS);
    for (const { id } of [first, second]) expect(await host.tasks.requester.settle(id)).toMatchObject({ status: 'completed', result_outcome: 'ok' });
    const listed = await host.dispatch('tasks:list', {});
    expect(listed.ok && (listed.data as TaskView[]).map((v) => v.pollIntervalMs)).toEqual([TEN_MINUTES_MS, TEN_MINUTES_MS]);
  });

  it('keeps a fractional pollInterval as whole milliseconds: the task center still lists and shows the task', async () => {
    const { host, serverId } = await withServer('task-server.mjs');
    const task = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 600, steps: 2, pollInterval: 300.5, progress: false } });
    await host.tasks.requester.settle(task.id);
    const listed = await host.dispatch('tasks:list', {});
    expect(listed).toMatchObject({ ok: true, data: [{ id: task.id, status: 'completed', pollIntervalMs: 301 }] });
    expect(await host.dispatch('tasks:get', { taskId: task.id })).toMatchObject({ ok: true, data: { id: task.id, pollIntervalMs: 301 } });
  });

  it('lists a row an older Steward wrote with a fractional interval and an infinite progress', async () => {
    t = await makeHost();
    const { host } = t;
    const at = '2026-01-01T10:00:00.000Z';
    host.store.tasks.insert(
      {
        id: 'old-row',
        server_id: 'gone',
        server_name: 'jobs',
        transport: 'http',
        direction: 'outgoing',
        remote_task_id: 'r1',
        method: 'tools/call',
        label: 'job',
        status: 'completed',
        status_message: null,
        created_at: at,
        updated_at: at,
        expires_at: null,
        poll_interval_ms: null,
        arguments: null,
        error: null,
        owner_pid: null,
        owner_started: null,
      },
      { source: 'server', kind: 'status', status: 'completed', message: null, serverAt: null },
    );
    const db = new Database(join(t.dir, 'data', 'steward.db'));
    db.prepare('UPDATE tasks SET poll_interval_ms = ?, progress = ?, progress_total = ? WHERE id = ?').run(1500.5, Infinity, -Infinity, 'old-row');
    db.close();
    const listed = await host.dispatch('tasks:list', {});
    expect(listed).toMatchObject({ ok: true, data: [{ id: 'old-row', pollIntervalMs: 1501, progress: null, progressTotal: null }] });
    const detail = await host.dispatch('tasks:get', { taskId: 'old-row' });
    expect(detail.ok && (detail.data as TaskDetail).pollIntervalMs).toBe(1501);
  });

  it('passes on only progress that is a finite number', async () => {
    let server: Transport | undefined;
    const transport: Transport = {
      start: () => Promise.resolve(),
      close: () => Promise.resolve(),
      send: (message: JSONRPCMessage) => {
        if ('method' in message && 'id' in message && message.method === 'initialize') {
          const { protocolVersion } = message.params as { protocolVersion: string };
          const result = { protocolVersion, capabilities: {}, serverInfo: { name: 'scripted', version: '1' } };
          queueMicrotask(() => transport.onmessage?.({ jsonrpc: '2.0', id: message.id, result }));
        }
        return Promise.resolve();
      },
    };
    const session = await McpSession.connect({
      identity: { name: 'steward-test', version: '0' },
      hooks: { log: () => undefined, listChanged: () => undefined, roots: () => [], closed: () => undefined },
      connectTimeoutMs: 10_000,
      reconnectOnSessionLoss: false,
      capabilities: { sampling: null, elicitation: null, taskRequests: [], apps: false },
      transport: () => (server = transport),
    });
    const seen: unknown[] = [];
    session.watchProgress('task-1', (p) => seen.push(p));
    // JSON text such as 1e999 parses to these.
    for (const params of [{ progress: Infinity, total: 10 }, { progress: Number.NaN }, { progress: 3, total: Infinity, message: 'three' }]) {
      server?.onmessage?.({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'task-1', ...params } });
    }
    expect(seen).toEqual([{ progress: 3, message: 'three' }]);
    await session.close();
  });
});

describe('questions of a 2026-07-28 task', () => {
  it('withdraws every question of a round from the inbox when one of them is refused over the cap', async () => {
    const { host, serverId } = await withServer('tasks-ext-server.mjs');
    const task = await host.tasks.start({ serverId, tool: 'survey', arguments: { n: 21 } });
    const row = await host.tasks.requester.settle(task.id);
    expect(row).toMatchObject({ status: 'failed', error: stringContaining('already has 20') });
    expect(host.inbox.list()).toEqual([]);
  });

  it('withdraws the question of a task the user cancels', async () => {
    const { host, serverId } = await withServer('tasks-ext-server.mjs');
    const task = await host.tasks.start({ serverId, tool: 'ask', arguments: { what: 'the shed' } });
    await nextInboxItem(host, 'elicitation');
    await host.tasks.cancel(task.id);
    expect(host.inbox.list()).toEqual([]);
    expect(await taskWhen(host, task.id, (v) => v.status === 'cancelled')).toMatchObject({ settledBy: 'server' });
  });
});
