// The task center in Chromium with 10,000 tasks loaded while 50 of them change status each second (written by another
// process, as a second Steward following them would), against the same screen with nothing changing: frame intervals
// while the list scrolls, and the page's JS heap before and after.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { startTokenOf } from '../main/core/owners/index.js';
import { openStore, type Store } from '../main/core/store/index.js';
import { present } from '../shared/errors.js';
import { launch, serve } from './desktop.js';
import { summarize, type Figures } from './repeat.js';
import { inOrder, percentile } from './stats.js';

const TASKS = 10_000;
const LIVE = 200;
const CHANGES_PER_SECOND = 50;
const SERVER = { id: randomUUID(), name: 'task-fixture' };

function fill(store: Store): string[] {
  const owner = { pid: process.pid, started: startTokenOf(process.pid) ?? '' };
  const base = Date.now() - TASKS * 1000;
  const live: string[] = [];
  store.transaction(() => {
    for (let i = 0; i < TASKS; i++) {
      const id = randomUUID();
      const working = i >= TASKS - LIVE;
      if (working) live.push(id);
      const at = new Date(base + i * 1000).toISOString();
      store.tasks.insert(
        {
          id,
          server_id: SERVER.id,
          server_name: SERVER.name,
          transport: 'stdio',
          direction: 'outgoing',
          remote_task_id: randomUUID(),
          method: 'tools/call',
          label: `job-${i % 37}`,
          status: working ? 'working' : 'completed',
          status_message: working ? 'step 1 of 9' : 'done',
          created_at: at,
          updated_at: at,
          expires_at: null,
          poll_interval_ms: 1000,
          arguments: JSON.stringify({ path: `/home/ada/site-${i % 97}`, depth: 3 }),
          error: null,
          owner_pid: owner.pid,
          owner_started: owner.started,
        },
        { source: 'local', kind: 'requested', status: 'working', message: 'Starting…', serverAt: null },
      );
    }
  });
  return live;
}

/**
 * Resolves once the list says no older tasks are left, clicking "Load more" whenever it is enabled meanwhile; rejects
 * after two minutes. One evaluation in the page (the page's CSP allows no string evaluation of its own, so no polling
 * from outside with a string), where a round trip to the browser per click would be most of the section's time.
 */
const LOAD_ALL = `new Promise((resolve, reject) => {
  const deadline = Date.now() + 120000;
  const step = () => {
    const footer = document.querySelector('.table-footer');
    if (footer && footer.textContent.includes('No older tasks')) return resolve(true);
    if (Date.now() > deadline) return reject(new Error('the task center did not load all its pages in two minutes'));
    const more = [...document.querySelectorAll('.table-footer button')].find((b) => b.textContent === 'Load more' && !b.disabled);
    if (more) more.click();
    setTimeout(step, 20);
  };
  step();
})`;

/** One frame of a 60 Hz display. */
const FRAME_MS = 1000 / 60;

/** Frames that came a frame or more late (an interval past one and a half frames), in percent of all. */
function latePct(intervals: readonly number[]): number {
  return intervals.length === 0 ? 0 : (100 * intervals.filter((i) => i > 1.5 * FRAME_MS).length) / intervals.length;
}

/** Records the interval between animation frames while the task list scrolls, until stopped. */
const MEASURE = `(() => {
  const scroller = document.querySelector('.screen-body');
  const out = [];
  let last = performance.now();
  let on = true;
  const frame = (t) => {
    out.push(t - last);
    last = t;
    if (scroller) scroller.scrollTop = (scroller.scrollTop + 37) % Math.max(1, scroller.scrollHeight - scroller.clientHeight);
    if (on) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  window.stopFrames = () => { on = false; return out.slice(1); };
})()`;

/** The page's main-thread time so far (ms): script, and every task (script, style, layout, paint), from the browser. */
async function busyMs(cdp: CDPSession): Promise<{ script: number; task: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const of = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
  return { script: of('ScriptDuration'), task: of('TaskDuration') };
}

/**
 * Frame intervals while the list scrolls for `seconds`, and the page's main-thread time per second meanwhile: work
 * done, which a machine busy with other things slows but does not add to, where frame intervals stretch with any load.
 */
async function frames(page: Page, cdp: CDPSession, seconds: number): Promise<{ intervals: number[]; scriptMsPerS: number; taskMsPerS: number }> {
  await page.evaluate(MEASURE);
  const before = await busyMs(cdp);
  const wall = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const after = await busyMs(cdp);
  const perS = (ms: number) => ms / ((Date.now() - wall) / 1000);
  return {
    intervals: await page.evaluate('window.stopFrames()'),
    scriptMsPerS: perS(after.script - before.script),
    taskMsPerS: perS(after.task - before.task),
  };
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN) / 1048576;
  } finally {
    await cdp.detach();
  }
}

export async function taskCenterFrames(seconds: number, windows = 6): Promise<Figures> {
  const home = mkdtempSync(join(tmpdir(), 'steward-taskcenter-'));
  const store = openStore(join(home, 'steward.db'));
  const browser = await launch();
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    const live = fill(store);
    const served = await serve(browser, home);
    const { page } = served;
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.evaluate("location.hash = '#/tasks'");
      await page.locator('.tasks-table tr[data-task]').first().waitFor({ timeout: 60_000 });
      // Every page of the list loaded, as a user who scrolled to the oldest task would have it: "Load more" clicked from
      // inside the page as soon as it can be (a round trip to the browser per click would be most of the section's time).
      await page.evaluate(LOAD_ALL);
      const heapBefore = await heapMb(page);
      let n = 0;
      const change = () => {
        const id = present(live[n % LIVE], 'a live task');
        const step = 1 + (n++ % 9);
        const status = step % 4 === 0 ? 'input_required' : 'working';
        store.tasks.apply(id, new Date().toISOString(), { status, statusMessage: `step ${step} of 9`, progress: step, progressTotal: 9 }, [
          { source: 'server', kind: 'status', status, message: `step ${step} of 9`, serverAt: null },
        ]);
      };
      const samples: Record<string, number[]> = {
        taskcenter_frame_p99_ms: [],
        taskcenter_idle_frame_p99_ms: [],
        taskcenter_frame_p50_ms: [],
        taskcenter_late_frames_pct: [],
        taskcenter_idle_late_frames_pct: [],
        taskcenter_main_ms_per_s: [],
        taskcenter_idle_main_ms_per_s: [],
        taskcenter_script_ms_per_s: [],
        taskcenter_idle_script_ms_per_s: [],
      };
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const window = seconds / windows;
      for (let w = 0; w < windows / 2; w++) {
        const busy = async () => {
          // Paced by the clock, not by the timer's count: a busy event loop fires late, and the changes due meanwhile still go.
          const from = Date.now();
          const first = n;
          timer = setInterval(() => {
            while (n - first < Math.floor(((Date.now() - from) * CHANGES_PER_SECOND) / 1000)) change();
          }, 1000 / CHANGES_PER_SECOND);
          const f = await frames(page, cdp, window);
          clearInterval(timer);
          samples.taskcenter_frame_p99_ms?.push(percentile(f.intervals, 99));
          samples.taskcenter_frame_p50_ms?.push(percentile(f.intervals, 50));
          samples.taskcenter_late_frames_pct?.push(latePct(f.intervals));
          samples.taskcenter_main_ms_per_s?.push(f.taskMsPerS);
          samples.taskcenter_script_ms_per_s?.push(f.scriptMsPerS);
        };
        const idle = async () => {
          const f = await frames(page, cdp, window);
          samples.taskcenter_idle_frame_p99_ms?.push(percentile(f.intervals, 99));
          samples.taskcenter_idle_late_frames_pct?.push(latePct(f.intervals));
          samples.taskcenter_idle_main_ms_per_s?.push(f.taskMsPerS);
          samples.taskcenter_idle_script_ms_per_s?.push(f.scriptMsPerS);
        };
        for (const side of inOrder(w, busy, idle)) await side();
      }
      await cdp.detach();
      const heapAfter = await heapMb(page);
      const rows = await page.locator('.tasks-table tr[data-task]').count();
      return {
        ...summarize(samples, 1),
        ...summarize(
          { taskcenter_heap_mb: [heapAfter], taskcenter_heap_growth_mb: [heapAfter - heapBefore], taskcenter_rows_rendered: [rows], taskcenter_changes: [n] },
          1,
        ),
      };
    } finally {
      await served.close();
    }
  } finally {
    if (timer) clearInterval(timer);
    await browser.close();
    store.close();
    rmSync(home, { recursive: true, force: true });
  }
}
