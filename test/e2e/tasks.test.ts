// The task center end to end: tasks started from a server's Tools tab run in the background while the user moves
// around, the list follows them live, one is cancelled from its page, a toast (and in browser mode a desktop
// notification) says when one ends, results are read slice by slice — the real renderer against the real host and the
// task fixture over stdio.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { dismissWithEscape, openRig, type BrowserRig, type PageElement } from '../helpers/browser.js';
import { addApproved } from '../helpers/host.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

const TASK_SERVER = join(FIXTURES, 'task-server.mjs');
const WAIT = { timeout: 20_000 };

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Pids of live processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return pids;
}

/**
 * Records each desktop notification the page raises and each time it asks for permission (the real calls still go
 * out). A string: the Node tsconfig has no DOM types, and the script runs in the page anyway.
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const shown = [];
  const Recorded = class extends Real {
    constructor(title, options) {
      super(title, options);
      shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
    }
  };
  Recorded.requestPermission = (...args) => {
    window.permissionRequests += 1;
    return Real.requestPermission(...args);
  };
  window.Notification = Recorded;
  window.recordedNotifications = shown;
  window.permissionRequests = 0;
})();`;

async function recordNotifications(r: BrowserRig): Promise<void> {
  await r.page.addInitScript(RECORD_NOTIFICATIONS);
  await r.page.reload();
  await r.page.getByRole('heading', { name: 'No servers yet' }).waitFor();
}

const serverRow = (page: Page, name: string) => page.locator(`tbody[data-server="${name}"]`);
const nav = (page: Page, label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: new RegExp(`^${label}`) });
const taskRow = (page: Page, id: string) => page.locator(`.tasks-table tr[data-task="${id}"]`);
const toast = (page: Page, text: string) =>
  page
    .getByRole('region', { name: /^Notifications/ })
    .getByRole('listitem')
    .filter({ hasText: text });

/** The step a row's progress shows ("7 of 45" → 7), 0 before the first one. */
async function stepOf(row: Locator): Promise<number> {
  const text =
    (await row
      .locator('.task-progress-text')
      .textContent({ timeout: 1000 })
      .catch(() => null)) ?? '';
  return Number(/^(\d+) of/.exec(text)?.[1] ?? 0);
}

async function addJobs(r: BrowserRig, name: string, extra: string[] = []) {
  const marker = `--marker=${randomBytes(8).toString('hex')}`;
  const { view, approve } = await addApproved(r.t.host, name, NODE, [TASK_SERVER, ...extra, marker]);
  await approve();
  await serverRow(r.page, name).locator('[data-status="running"]').waitFor();
  return { id: view.id, marker };
}

describe('the task center in the browser', () => {
  it('runs tasks in the background, follows them live, cancels one and says when one ends', async () => {
    rig = await openRig();
    const { page, context, web } = rig;
    await context.grantPermissions(['notifications'], { origin: new URL(web.url).origin });
    await recordNotifications(rig);
    const jobs = await addJobs(rig, 'jobs');

    await page.getByRole('link', { name: 'jobs', exact: true }).click();
    const tools = page.getByRole('list', { name: 'Tools' });
    const runAsTask = page.getByRole('button', { name: 'Run as task' });
    // A tool that only runs as a task offers no plain call.
    await tools.locator('.pick-name', { hasText: /^needs_input$/ }).click();
    await runAsTask.waitFor();
    expect(await page.getByRole('button', { name: 'Call', exact: true }).count()).toBe(0);
    // One whose tasks are forbidden offers no task.
    await tools.locator('.pick-name', { hasText: /^wire_log$/ }).click();
    await page.getByRole('button', { name: 'Call', exact: true }).waitFor();
    expect(await runAsTask.count()).toBe(0);

    await tools.locator('.pick-name', { hasText: /^job$/ }).click();
    const args = page.getByLabel('Arguments (JSON)');
    await args.fill('{"ms": 45000,');
    await runAsTask.click();
    await page
      .getByRole('alert')
      .getByText(/^The arguments are not valid JSON/)
      .waitFor();
    expect(rig.t.host.tasks.list({}, 10)).toEqual([]);

    const started = page.getByRole('list', { name: 'Tasks started here' }).getByRole('listitem');
    await args.fill(JSON.stringify({ ms: 45_000, steps: 45 }));
    await runAsTask.click();
    await expect.poll(() => started.count(), WAIT).toBe(1);
    const longId = (await started.first().getAttribute('data-task'))!;
    await args.fill(JSON.stringify({ ms: 8000, steps: 8 }));
    await runAsTask.click();
    await expect.poll(() => started.count(), WAIT).toBe(2);
    const shortId = (await started.first().getAttribute('data-task'))!;
    expect(shortId).not.toBe(longId);
    // The runner is free again at once: the tasks run in the background.
    expect(await runAsTask.isEnabled()).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);

    // The rest of the app stays usable while they run.
    await nav(page, 'Servers').click();
    await serverRow(page, 'jobs').locator('[data-status="running"]').waitFor();
    await nav(page, 'Audit').click();
    await expect.poll(() => page.locator('.audit-table tr[data-kind="task.started"]').count(), WAIT).toBe(2);
    await nav(page, 'Tasks').click();

    const long = taskRow(page, longId);
    const short = taskRow(page, shortId);
    await long.waitFor();
    await short.waitFor();
    expect(await long.locator('.col-server').textContent()).toBe('jobs');
    expect(await long.getByRole('link').textContent()).toBe('job');
    await long.getByRole('progressbar', { name: 'Progress of job' }).waitFor(WAIT);
    const before = await stepOf(long);
    await expect.poll(() => stepOf(long), WAIT).toBeGreaterThan(before + 1);
    const elapsed = await long.locator('.col-elapsed').textContent();
    await expect.poll(() => long.locator('.col-elapsed').textContent(), WAIT).not.toBe(elapsed);
    expect(await long.locator('.col-ttl').textContent()).toMatch(/^\d+ s$/);
    await rig.shot('task-center');

    // The short one ends: the list says so, a toast links to it, and the desktop is told too.
    await short.locator('[data-status="completed"]').waitFor(WAIT);
    const done = toast(page, 'job finished');
    await done.waitFor(WAIT);
    expect(await done.textContent()).toContain('jobs: done');
    await expect.poll(() => page.evaluate('window.recordedNotifications'), WAIT).toEqual([{ title: 'job finished', body: 'jobs: done', tag: shortId }]);
    await nav(page, 'Tasks').getByLabel('1 running').waitFor();
    expect(await long.locator('[data-status="working"]').count()).toBe(1);

    await done.getByRole('link', { name: 'Open the task' }).click();
    await page.locator('.screen-title [data-status="completed"]').waitFor();
    const result = page.getByRole('region', { name: 'Call result' });
    await result.getByText('job done: 8 steps').waitFor(WAIT);
    expect(JSON.parse((await page.getByLabel('Arguments as JSON').textContent())!)).toEqual({ ms: 8000, steps: 8 });
    const history = page.getByRole('list', { name: 'Status history' }).getByRole('listitem');
    expect(await history.first().getAttribute('data-status')).toBe('working');
    expect(await history.last().getAttribute('data-status')).toBe('completed');
    expect(await history.allTextContents()).toContainEqual(expect.stringContaining('step 3 of 8'));
    expect(await page.getByRole('button', { name: 'Cancel task…' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'jobs', exact: true }).getAttribute('href')).toBe(`#/servers/${jobs.id}`);
    await rig.shot('task-detail');

    // Cancel the long one from its page, after confirming.
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await long.getByRole('link', { name: 'job' }).click();
    await page.locator('.screen-title [data-status="working"]').waitFor();
    await page.getByRole('button', { name: 'Cancel task…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel “job” on “jobs”?' });
    await confirm.getByRole('button', { name: 'Cancel the task' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.locator('.screen-title [data-status="cancelled"]').waitFor();
    await page.getByRole('list', { name: 'Status history' }).locator('li[data-status="cancelled"]').waitFor();
    await toast(page, 'job was cancelled').waitFor(WAIT);
    expect(rig.t.host.tasks.detail(longId).status).toBe('cancelled');
    expect(rig.t.host.tasks.detail(shortId).status).toBe('completed');
    await nav(page, 'Tasks')
      .getByLabel(/running$/)
      .waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate('window.recordedNotifications.length'), WAIT).toBe(2);
    // Permission was given already, so the page never asked for it.
    expect(await page.evaluate('window.permissionRequests')).toBe(0);

    await nav(page, 'Tasks').click();
    await long.locator('[data-status="cancelled"]').waitFor();
    expect(rig.errors).toEqual([]);
    await rig.close();
    rig = undefined;
    await expect.poll(() => processesWith(jobs.marker), WAIT).toEqual([]);
  });

  it('pages a large result, keeps a long list virtual, filters it, and shows a refused cancel', async () => {
    rig = await openRig();
    const { page } = rig;
    await recordNotifications(rig);
    const big = await addJobs(rig, 'big');
    const stubborn = await addJobs(rig, 'stubborn', ['--no-cancel']);
    const host = rig.t.host;

    // Starting a first task from the page asks for permission to notify; without it, only toasts tell.
    await page.getByRole('link', { name: 'big', exact: true }).click();
    await page.getByRole('list', { name: 'Tools' }).locator('.pick-name', { hasText: /^job$/ }).click();
    await page.getByLabel('Arguments (JSON)').fill(JSON.stringify({ ms: 10, steps: 1 }));
    await page.getByRole('button', { name: 'Run as task' }).click();
    await expect.poll(() => page.evaluate('window.permissionRequests'), WAIT).toBe(1);
    await page.getByRole('list', { name: 'Tasks started here' }).locator('li[data-status="completed"]').waitFor(WAIT);
    await toast(page, 'job finished').waitFor(WAIT);
    expect(await page.evaluate('window.recordedNotifications')).toEqual([]);

    const large = await host.tasks.start({ serverId: big.id, tool: 'job', arguments: { ms: 10, steps: 1, pollInterval: 50, pad: 200_000 } });
    await Promise.all(
      Array.from({ length: 120 }, (_, i) => host.tasks.start({ serverId: big.id, tool: 'job', arguments: { ms: 10, steps: 1, pollInterval: 50, n: i } })),
    );
    const running = await host.tasks.start({ serverId: stubborn.id, tool: 'job', arguments: { ms: 40_000, steps: 40 } });
    // Every result stored, so no change is still on its way when the list loads.
    await expect.poll(() => host.tasks.list({ status: 'completed' }, 200).filter((t) => t.resultBytes !== null).length, WAIT).toBe(122);
    expect(host.tasks.detail(large.id).resultBytes).toBeGreaterThan(200_000);

    // 123 tasks: one page of 100 first, and only the rows in view are in the page.
    await nav(page, 'Tasks').click();
    const table = page.locator('.tasks-table');
    await table.waitFor();
    expect(await table.getAttribute('aria-rowcount')).toBe('101');
    const rendered = table.locator('tbody tr[data-task]');
    expect(await rendered.count()).toBeLessThan(60);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('No older tasks.').waitFor();
    expect(await table.getAttribute('aria-rowcount')).toBe('124');
    expect(await rendered.count()).toBeLessThan(60);
    // Scrolled to the end, the last rows are the ones in the page.
    await page.locator('.screen-body').evaluate((el: PageElement) => el.scrollTo(0, el.scrollHeight));
    await table.locator('tbody tr[aria-rowindex="124"]').waitFor();
    expect(await rendered.count()).toBeLessThan(60);

    await page.getByLabel('Status').selectOption('working');
    await expect.poll(() => rendered.evaluateAll((rows: PageElement[]) => rows.map((r) => r.getAttribute('data-task'))), WAIT).toEqual([running.id]);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Server').selectOption({ label: 'stubborn' });
    await expect.poll(() => rendered.evaluateAll((rows: PageElement[]) => rows.map((r) => r.getAttribute('data-task'))), WAIT).toEqual([running.id]);

    // A server without tasks/cancel: the refusal is shown and the task keeps running.
    await taskRow(page, running.id).getByRole('link').click();
    await page.getByRole('button', { name: 'Cancel task…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel “job” on “stubborn”?' });
    await confirm.getByRole('button', { name: 'Cancel the task' }).click();
    await confirm.getByRole('alert').getByText('"stubborn" does not let its tasks be cancelled.').waitFor();
    await confirm.getByRole('button', { name: 'Keep it running' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(host.tasks.detail(running.id).status).toBe('working');

    // A 200 KB result, one 64 KB slice at a time.
    await page.goto(`${rig.web.url}#/tasks/${large.id}`);
    const pages = page.getByRole('navigation', { name: 'Result pages' });
    const range = pages.getByRole('status');
    const total = host.tasks.resultPage(large.id, 0, 1).total;
    await range.getByText(`Characters 1–65,536 of ${total.toLocaleString('en-US')}`).waitFor();
    const slice = page.locator('.result-slice');
    expect(await slice.textContent()).toHaveLength(65_536);
    expect(await slice.textContent()).toContain('"text":"job done: 1 steps...');
    expect(await pages.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    for (let i = 0; i < 3; i++) await pages.getByRole('button', { name: 'Next' }).click();
    await range.getByText(`Characters 196,609–${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`).waitFor();
    expect((await slice.textContent())!.length).toBe(total - 196_608);
    expect(await pages.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await pages.getByRole('button', { name: 'Previous' }).click();
    await range.getByText(`Characters 131,073–196,608 of ${total.toLocaleString('en-US')}`).waitFor();
    expect(await page.evaluate('window.recordedNotifications')).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('gives Escape to the open dialog even when a task ends and its toast appears above it; the toast stays', async () => {
    rig = await openRig();
    const { page } = rig;
    const jobs = await addJobs(rig, 'jobs');

    await page.getByRole('button', { name: 'Add server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByLabel('Name', { exact: true }).fill('typed');
    // The toast is mounted after the dialog, so it is the layer Radix hands each key press to.
    await rig.t.host.tasks.start({ serverId: jobs.id, tool: 'job', arguments: { ms: 10, steps: 1 } });
    // By its class: while a modal is open everything outside it is hidden from the accessibility tree.
    const ended = page.locator('.toast', { hasText: 'job finished' });
    await ended.waitFor(WAIT);
    await rig.shot('tasks-toast-over-dialog');

    await dismissWithEscape(page, dialog);
    expect(await ended.isVisible()).toBe(true);
    // With no dialog open, Escape is the toast's again.
    await page.keyboard.press('Escape');
    await ended.waitFor({ state: 'detached' });
    expect(rig.errors).toEqual([]);
  });
});
