// Task rows written through Steward's store against the same logical work on bare better-sqlite3: one insert and four
// status or message changes per task, each change in its own transaction with its history entry, on real files.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { present } from '../shared/errors.js';
import type { TaskStatus } from '../shared/domain/tasks.js';
import { openStore, type Db, type Store } from '../main/core/store/index.js';
import { openRaw, schemaOf } from './raw-sqlite.js';
import { summarize, type Figures } from './repeat.js';

/** Transactions per task: created, accepted by the server, two steps, completed. */
const CHANGES = 5;
const BASE = Date.parse('2026-03-01T09:00:00.000Z');
const SERVER = { id: randomUUID(), name: 'task-fixture' };
const ARGS = JSON.stringify({ ms: 1500, steps: 2, pollInterval: 1000 });

/** The time of change `k` of task `n`: both sides format the same timestamps. */
const at = (n: number, k: number) => new Date(BASE + n * 1000 + k * 100).toISOString();
const expiry = (n: number) => new Date(BASE + n * 1000 + 60_000).toISOString();

const reported = (status: TaskStatus, message: string) => ({ source: 'server' as const, kind: 'status' as const, status, message, serverAt: null });

function viaSteward(store: Store): (n: number) => void {
  const tasks = store.tasks;
  return (n) => {
    const id = randomUUID();
    tasks.insert(
      {
        id,
        server_id: SERVER.id,
        server_name: SERVER.name,
        transport: 'stdio',
        direction: 'outgoing',
        remote_task_id: null,
        method: 'tools/call',
        label: 'job',
        status: 'working',
        status_message: 'Starting…',
        created_at: at(n, 0),
        updated_at: at(n, 0),
        expires_at: null,
        poll_interval_ms: null,
        arguments: ARGS,
        error: null,
        owner_pid: process.pid,
        owner_started: '4242',
      },
      { source: 'local', kind: 'requested', status: 'working', message: 'Starting…', serverAt: null },
    );
    tasks.apply(id, at(n, 1), { remoteTaskId: randomUUID(), status: 'working', statusMessage: 'queued', pollIntervalMs: 1000, expiresAt: expiry(n) }, [
      reported('working', 'queued'),
    ]);
    tasks.apply(id, at(n, 2), { statusMessage: 'step 1 of 2', progress: 1, progressTotal: 2 }, [reported('working', 'step 1 of 2')]);
    tasks.apply(id, at(n, 3), { statusMessage: 'step 2 of 2', progress: 2 }, [reported('working', 'step 2 of 2')]);
    tasks.apply(id, at(n, 4), { status: 'completed', statusMessage: 'done', settledBy: 'server' }, [reported('completed', 'done')]);
  };
}

/** What a hand-written layer that knows each change would run: one UPDATE of the changed columns and one history row. */
function viaRaw(db: Db): (n: number) => void {
  const insert = db.prepare(
    `INSERT INTO tasks (id, server_id, server_name, transport, direction, remote_task_id, method, label, status, status_message,
       created_at, updated_at, expires_at, poll_interval_ms, arguments, error, owner_pid, owner_started)
     VALUES (?, ?, ?, 'stdio', 'outgoing', NULL, 'tools/call', 'job', 'working', ?, ?, ?, NULL, NULL, ?, NULL, ?, ?)`,
  );
  const event = db.prepare("INSERT INTO task_events (task_id, at, status, message, source, kind, server_at) VALUES (?, ?, ?, ?, 'server', 'status', NULL)");
  const accepted = db.prepare(
    'UPDATE tasks SET updated_at = ?, remote_task_id = ?, status = ?, status_message = ?, poll_interval_ms = ?, expires_at = ? WHERE id = ?',
  );
  const step = db.prepare('UPDATE tasks SET updated_at = ?, status_message = ?, progress = ?, progress_total = COALESCE(?, progress_total) WHERE id = ?');
  const done = db.prepare("UPDATE tasks SET updated_at = ?, status = ?, status_message = ?, settled_by = 'server' WHERE id = ?");
  const created = db.transaction((id: string, when: string) => {
    insert.run(id, SERVER.id, SERVER.name, 'Starting…', when, when, ARGS, process.pid, '4242');
    event.run(id, when, 'working', 'Starting…');
  });
  const acceptedTx = db.transaction((id: string, when: string, n: number) => {
    accepted.run(when, randomUUID(), 'working', 'queued', 1000, expiry(n), id);
    event.run(id, when, 'working', 'queued');
  });
  const stepTx = db.transaction((id: string, when: string, message: string, progress: number, total: number | null) => {
    step.run(when, message, progress, total, id);
    event.run(id, when, 'working', message);
  });
  const doneTx = db.transaction((id: string, when: string) => {
    done.run(when, 'completed', 'done', id);
    event.run(id, when, 'completed', 'done');
  });
  return (n) => {
    const id = randomUUID();
    created(id, at(n, 0));
    acceptedTx(id, at(n, 1), n);
    stepTx(id, at(n, 2), 'step 1 of 2', 1, 2);
    stepTx(id, at(n, 3), 'step 2 of 2', 2, null);
    doneTx(id, at(n, 4));
  };
}

/** Changes per second over `count` tasks, numbered from `first`. */
function opsPerSecond(write: (n: number) => void, first: number, count: number): number {
  const start = process.hrtime.bigint();
  for (let n = first; n < first + count; n++) write(n);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (count * CHANGES) / seconds;
}

export function taskWrites(tasksPerBatch: number, batches: number): Figures {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-writes-'));
  const store = openStore(join(dir, 'steward.db'));
  const raw = openRaw(join(dir, 'raw.db'));
  try {
    for (const sql of schemaOf(store.db, ['tasks', 'task_events'])) raw.exec(sql);
    const steward = viaSteward(store);
    const bare = viaRaw(raw);
    // Discarded batches on each side warm the JIT, the statement caches and the files.
    let next = 0;
    for (; next < 3 * tasksPerBatch; next += tasksPerBatch) {
      opsPerSecond(steward, next, tasksPerBatch);
      opsPerSecond(bare, next, tasksPerBatch);
    }
    const s: number[] = [];
    const r: number[] = [];
    // Small batches, alternating which side goes first: WAL checkpoints (each an fsync) and machine drift fall on both alike.
    for (let i = 0; i < batches; i++, next += tasksPerBatch) {
      const pair = [() => s.push(opsPerSecond(steward, next, tasksPerBatch)), () => r.push(opsPerSecond(bare, next, tasksPerBatch))];
      for (const measure of i % 2 === 0 ? pair : pair.reverse()) measure();
    }
    // Each batch is compared with its neighbour on the other side, which ran under the same load a moment apart.
    const ratios = s.map((ops, i) => ops / present(r[i], 'the paired batch'));
    return {
      ...summarize({ task_write_steward_ops_s: s, task_write_raw_ops_s: r }, 0),
      ...summarize({ task_write_vs_raw: ratios }),
    };
  } finally {
    store.close();
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
