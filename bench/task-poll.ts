// Host CPU and memory while it follows 200 long tasks at the server's 1 s poll interval, against the same host idle with
// no tasks; and how evenly the server sees the polls (the host polls from one timer wheel, spread over the interval).
import { fileURLToPath } from 'node:url';
import { present } from '../shared/errors.js';
import { withHost, unsandboxed } from './core.js';
import { single, summarize, type Figures } from './repeat.js';
import { median, round } from './stats.js';

const TASK_SERVER = fileURLToPath(new URL('../../test/fixtures/task-server.mjs', import.meta.url));
const TASKS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU time of this process (every thread: the host, SQLite, libuv) over `ms`, as a percent of one core. */
async function cpuOver(ms: number): Promise<number> {
  const wall = process.hrtime.bigint();
  const before = process.cpuUsage();
  await sleep(ms);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / (Number(process.hrtime.bigint() - wall) / 1e6)) * 100;
}

/** One-second windows of each phase: the figures are their medians, with the spread across them. */
const BUSY_WINDOWS = 10;
/** The idle host barely moves from one second to the next (0.34–0.40 % in ten windows): five are plenty. */
const IDLE_WINDOWS = 5;
/**
 * How long the host follows the tasks before the busy windows. In a fresh process V8 is still optimizing the poll path
 * (transport, session, SDK, zod, the wheel) for the first ~20 s of 182 polls a second: CPU above idle measured 5–6 %
 * in the first two-second windows and 2.3–3.4 % after that. The figure is what following 200 tasks costs a host that
 * has been running, not its warm-up, as the tool-call and sampling sections also warm up before they measure.
 */
const SETTLE_MS = 20_000;

async function cpuWindows(count: number, seconds: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await cpuOver((seconds * 1000) / count));
  return out;
}

export async function pollCpu(seconds: number): Promise<Figures> {
  return withHost(unsandboxed, async (host) => {
    const view = await host.servers.add({ name: 'task-fixture', config: { transport: 'stdio', command: process.execPath, args: [TASK_SERVER], env: {} } });
    const request = await host.servers.consentRequest(view.id);
    await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    await host.servers.ensureRunning(view.id);
    await sleep(1000);
    const idle = await cpuWindows(IDLE_WINDOWS, IDLE_WINDOWS);
    const idleRss = process.memoryUsage().rss;

    // Each job outlasts the window (the fixture caps a task's life at 60 s); one step, so nothing but the polls changes.
    const job = { ms: 50_000, steps: 1, pollInterval: 1000, progress: false };
    const started = await Promise.all(Array.from({ length: TASKS }, () => host.tasks.start({ serverId: view.id, tool: 'job', arguments: job, ttlMs: 60_000 })));
    // The polls spread out over two intervals as they will in use, and the poll path is optimized by then.
    await sleep(SETTLE_MS);
    const gets = async () => {
      const log = await host.tools.call({ serverId: view.id, name: 'wire_log', arguments: {} });
      return (JSON.parse(String(present(log.content[0], 'the wire log').text)) as Array<{ at: number; method: string }>)
        .filter((w) => w.method === 'tasks/get')
        .map((w) => w.at);
    };
    const before = (await gets()).length;
    let changes = 0;
    const off = host.events.on('tasks:changed', () => changes++);
    const busy = await cpuWindows(BUSY_WINDOWS, seconds);
    const busyRss = process.memoryUsage().rss;
    off();
    const seen = (await gets()).slice(before);
    const polls = seen.length;
    // The most polls the server saw in any 100 ms, against the even share (a tenth of a second's worth).
    const windows = new Map<number, number>();
    for (const at of seen) windows.set(Math.floor(at / 100), (windows.get(Math.floor(at / 100)) ?? 0) + 1);
    const evenShare = polls / (seconds * 10);
    const stillWorking = host.tasks.list({ status: 'working', serverId: view.id }, TASKS + 1).length;
    if (stillWorking !== TASKS) throw new Error(`only ${stillWorking} of ${TASKS} tasks were still working at the end of the window`);
    await Promise.all(started.map((task) => host.tasks.cancel(task.id)));
    const idleCpu = median(idle);
    return {
      ...summarize(
        {
          poll200_cpu_pct: busy,
          poll200_idle_cpu_pct: idle,
          // What following 200 tasks costs: each busy window's CPU less the idle host's (median), in percent of one core.
          poll200_cpu_above_idle_pct: busy.map((b) => b - idleCpu),
        },
        2,
      ),
      ...single({
        poll200_rss_mb: round(busyRss / 1048576, 1),
        poll200_idle_rss_mb: round(idleRss / 1048576, 1),
        poll200_rss_ratio: round(busyRss / idleRss, 2),
        poll200_burst_ratio: round(Math.max(...windows.values()) / Math.max(evenShare, 1), 2),
        // The rate the server saw: one tasks/get per task per second is the pace it asked for.
        poll200_polls_per_s: round(polls / seconds, 1),
        // Polls that bring nothing new write nothing and tell no one, so this stays near zero.
        poll200_changes_per_s: round(changes / seconds, 1),
      }),
    };
  });
}
