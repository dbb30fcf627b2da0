// Several Steward processes starting at once all find the same dead owner. Each thing it left is taken over (and
// stopped, ended, withdrawn, logged) by exactly one of them: first the primitives, raced by eight processes released
// together, then four real `steward` commands started at the same moment.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTokenOf } from '../../../main/core/owners/index.js';
import { openStore, type Store } from '../../../main/core/store/index.js';
import { exitOf, query, running, steward, waitFor } from '../../helpers/cli.js';
import { hostOn, tempDir } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { serverRecord } from '../store/temp-store.js';
import { undoAfterEach } from '../../helpers/cleanup.js';

const cleanup = undoAfterEach();

/** A process that ran and is gone: its pid and start token name an owner that is dead for certain. */
async function deadOwner(): Promise<{ pid: number; started: string }> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  const started = startTokenOf(child.pid!)!;
  child.kill('SIGKILL');
  await exitOf(child);
  return { pid: child.pid!, started };
}

/** A long-running process the dead owner "left behind". */
function orphan(): ChildProcess {
  const child = spawn(NODE, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore', detached: true });
  child.unref();
  cleanup(() => {
    try {
      process.kill(child.pid!, 'SIGKILL');
    } catch {
      // already stopped, as it should be
    }
  });
  return child;
}

function seed(store: Store, dead: { pid: number; started: string }, orphans: ChildProcess[]): string {
  store.servers.insert(serverRecord('s1', 'left-behind'));
  for (const [i, child] of orphans.entries()) {
    store.processes.record({
      pid: child.pid!,
      started: startTokenOf(child.pid!)!,
      role: i === 0 ? 'server' : i === 1 ? 'member' : 'helper',
      serverId: i === 2 ? null : 's1',
      command: 'node -e …',
      owner: dead,
      recordedAt: new Date().toISOString(),
    });
  }
  store.owners.put({ ...dead, kind: 'app', address: null, token: null, leaseUntil: Date.now() + 60_000, since: new Date().toISOString() });
  const at = new Date().toISOString();
  store.sampling.putLoop({
    id: 'loop',
    serverId: 's1',
    serverName: 'left-behind',
    toolCall: null,
    startedAt: at,
    updatedAt: at,
    rounds: 3,
    inputTokens: 0,
    outputTokens: 0,
  });
  for (let round = 1; round <= 3; round++) {
    const status = round === 2 ? 'sent' : 'waiting';
    store.sampling.putRound({
      id: `round-${round}`,
      loop_id: 'loop',
      server_id: 's1',
      round,
      received_at: new Date(Date.now() + round).toISOString(),
      status,
      decided_by: round === 2 ? 'user' : null,
      model: null,
      input_tokens: 0,
      output_tokens: 0,
      latency_ms: null,
      stop_reason: null,
      request: '{}',
      reply: null,
      error: null,
      edits: null,
      sent: null,
      reply_returned: null,
      steps: JSON.stringify([
        { at, to: 'received', by: 'server', why: 'The server sent the request.' },
        { at, to: status, by: round === 2 ? 'user' : 'policy', why: 'Seeded.' },
      ]),
      params_report: null,
      owner_pid: dead.pid,
      owner_started: dead.started,
    });
  }
  store.inbox.replaceOwn(dead, [{ id: 'q1', kind: 'sampling', serverId: 's1', item: '{}', createdAt: new Date().toISOString() }]);
  store.tasks.insert(
    {
      id: 'task-1',
      server_id: 's1',
      server_name: 'left-behind',
      transport: 'stdio',
      direction: 'outgoing',
      remote_task_id: 'remote-1',
      method: 'tools/call',
      label: 'job',
      status: 'working',
      status_message: null,
      created_at: at,
      updated_at: at,
      expires_at: null,
      poll_interval_ms: null,
      arguments: '{}',
      error: null,
      owner_pid: dead.pid,
      owner_started: dead.started,
    },
    { source: 'local', kind: 'requested', status: 'working', message: 'Steward asked the server to run "job" as a task.', serverAt: null },
  );
  return 'task-1';
}

function home(): string {
  const dir = tempDir('steward-race-');
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'data');
}

describe('recovery raced by several processes', () => {
  it('eight processes released together: every record of the dead owner goes to exactly one of them', async () => {
    const data = home();
    const dead = await deadOwner();
    const store = openStore(join(data, 'steward.db'));
    const taskId = seed(store, dead, [orphan(), orphan(), orphan()]);
    store.close();

    const contenders = Array.from({ length: 8 }, () => {
      const child = spawn(NODE, [join(FIXTURES, 'claim-race.mjs'), join(data, 'steward.db'), String(dead.pid), dead.started, taskId], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      cleanup(() => void child.kill('SIGKILL'));
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => void (out += c));
      return { child, output: () => out };
    });
    await waitFor('every contender ready', () => contenders.every((c) => c.output().startsWith('ready\n')));
    for (const c of contenders) c.child.stdin.write('go\n');
    await Promise.all(contenders.map((c) => exitOf(c.child)));
    const results = contenders.map((c) => JSON.parse(c.output().split('\n')[1]!) as { task: boolean; processes: number[]; rounds: string[]; owner: boolean });

    expect(results.filter((r) => r.task)).toHaveLength(1);
    expect(results.filter((r) => r.owner)).toHaveLength(1);
    const processes = results.flatMap((r) => r.processes);
    expect(processes).toHaveLength(3);
    expect(new Set(processes).size).toBe(3);
    const rounds = results.flatMap((r) => r.rounds).sort();
    expect(rounds).toEqual(['round-1', 'round-2', 'round-3']);
  });

  it('four commands started at once: the orphans stopped and logged once, rounds interrupted, the question withdrawn', async () => {
    const data = home();
    const dead = await deadOwner();
    const orphans = [orphan(), orphan(), orphan()];
    const store = openStore(join(data, 'steward.db'));
    seed(store, dead, orphans);
    store.close();

    const runs = await Promise.all(Array.from({ length: 4 }, () => steward(data, ['servers', 'list', '--json'])));
    expect(runs.map((r) => (r.code === 0 ? 0 : `${r.code} ${r.stdout} ${r.stderr}`))).toEqual([0, 0, 0, 0]);
    for (const child of orphans) await waitFor(`orphan ${child.pid} to stop`, () => !running(child.pid!), 10_000);
    const cleaned = query<{ summary: string }>(data, "SELECT summary FROM audit_events WHERE kind = 'processes.cleaned'");
    expect(cleaned).toHaveLength(1);
    expect(cleaned[0]!.summary).toContain(`Stopped 3 process(es) left running by a Steward that is gone (pid ${dead.pid}, app)`);
    // Exactly one of the four said so on its terminal.
    expect(runs.filter((r) => r.stderr.includes('left running by a Steward that is gone'))).toHaveLength(1);
    expect(query<{ status: string }>(data, 'SELECT status FROM sampling_rounds ORDER BY round').map((r) => r.status)).toEqual([
      'interrupted',
      'interrupted',
      'interrupted',
    ]);
    expect(query(data, 'SELECT id FROM inbox_items')).toEqual([]);
    expect(query(data, 'SELECT pid FROM processes')).toEqual([]);
    expect(query(data, 'SELECT pid FROM owners')).toEqual([]);
    // The stdio task ended with its process, with the reason; whoever took it over did so once.
    expect(query<{ status: string; error: string }>(data, 'SELECT status, error FROM tasks')).toEqual([{ status: 'failed', error: 'host restarted' }]);
    // The history says so once, as Steward's own events (the restart, then why the task is lost), never as the server's.
    expect(query(data, "SELECT source, kind FROM task_events WHERE status = 'failed' ORDER BY id")).toEqual([
      { source: 'local', kind: 'host_restarted' },
      { source: 'local', kind: 'lost' },
    ]);
  });

  it('an owner that dies while another one is being recovered keeps its record, and is recovered in a run of its own', async () => {
    const data = home();
    // The owner that dies during the run: alive when the run looks at its processes, gone before the run ends.
    const later = spawn('sleep', ['60'], { stdio: 'ignore' });
    cleanup(() => void later.kill('SIGKILL'));
    const laterOwner = { pid: later.pid!, started: startTokenOf(later.pid!)! };
    // Dead from the start, spawned after it (a higher pid, so its processes are looked at after `later`'s).
    const dead = await deadOwner();
    const mark = join(data, '..', 'sigterm-seen');
    // The dead owner's orphan ignores SIGTERM, so the run waits out the whole grace on it; it says when it got one.
    const ready = `${mark}.ready`;
    const stubborn = spawn(
      NODE,
      [
        '-e',
        `const fs = require('fs'); process.on('SIGTERM', () => fs.writeFileSync(${JSON.stringify(mark)}, 'x')); fs.writeFileSync(${JSON.stringify(ready)}, 'x'); setInterval(() => {}, 1 << 30)`,
      ],
      {
        stdio: 'ignore',
        detached: true,
      },
    );
    stubborn.unref();
    cleanup(() => {
      if (running(stubborn.pid!)) process.kill(stubborn.pid!, 'SIGKILL');
    });
    const left = orphan();
    // Its handler in place before anything may signal it (a SIGTERM before that would simply end it).
    await waitFor('both orphans running', () => existsSync(ready) && startTokenOf(left.pid!) !== undefined);

    const store = openStore(join(data, 'steward.db'));
    const record = (pid: number, owner: { pid: number; started: string }) =>
      store.processes.record({
        pid,
        started: startTokenOf(pid)!,
        role: 'helper',
        serverId: null,
        command: 'node -e …',
        owner,
        recordedAt: new Date().toISOString(),
      });
    record(left.pid!, laterOwner);
    record(stubborn.pid!, dead);
    for (const owner of [laterOwner, dead]) {
      store.owners.put({ ...owner, kind: 'app', address: null, token: null, leaseUntil: Date.now() + 60_000, since: new Date().toISOString() });
    }
    store.close();

    const started = hostOn(data, cleanup, { stopGraceMs: 3_000, leaseMs: 600 });
    // The run is waiting out the stubborn orphan's grace: `later`'s processes were looked at while it ran. Now it dies.
    await waitFor("the dead owner's orphan told to stop", () => existsSync(mark));
    later.kill('SIGKILL');
    await exitOf(later);
    await started;

    // Tried: before, the run's end removed every owner dead by then, `later` included, though its processes were looked at
    // while it ran: its orphan kept running for ever, and nothing was left to say whose it was.
    await waitFor(`the orphan ${left.pid} of the owner that died meanwhile stopped`, () => !running(left.pid!));
    await waitFor("both owners' records gone", () => query(data, 'SELECT pid FROM owners WHERE pid != ?', process.pid).length === 0);
    expect(running(stubborn.pid!)).toBe(false);
  });
});
