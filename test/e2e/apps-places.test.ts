// Where a view appears besides a plain call: while a call still runs (its input first, then its result or its
// cancellation), inline in an agent loop's transcript, and on a task's page once the task's result arrives. The fixture
// server's card view reports every notification it gets (and any that came before it said it was initialized), so
// each test reads what the view itself was told.
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, openSamplingRig, type BrowserRig } from '../helpers/browser.js';
import { addServer, appView, callTool, openTool, viewFrame, viewReady } from '../helpers/apps.js';
import { FIXTURES } from '../helpers/paths.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Results = Record<string, unknown>;

/** What the card view has been told so far, once `key` is among it. */
async function toldOnce(view: Locator, key: string): Promise<Results> {
  let results: Results = {};
  await expect
    .poll(
      async () => {
        results = JSON.parse((await viewFrame(view).locator('#results').textContent({ timeout: 5000 })) ?? '{}') as Results;
        return key in results;
      },
      { timeout: 45_000 },
    )
    .toBe(true);
  return results;
}

const fixtureArgs = [join(FIXTURES, 'apps-server.mjs')];

describe('where views appear', () => {
  it('a running call’s view gets its input at once, and a cancellation instead of a result', async () => {
    rig = await openRig();
    const { page } = rig;
    await addServer(rig, 'fixture', fixtureArgs);
    await openTool(page, 'fixture', 'slow-card');
    // Long enough that only Cancel ends it.
    await callTool(page, { title: 'Pending', ms: 120_000 });
    const view = appView(page, 'slow-card');
    await viewReady(view);
    const before = await toldOnce(view, 'toolInput');
    expect(before.toolInput).toEqual({ title: 'Pending', ms: 120_000 });
    // Nothing reached the view before it said it was initialized.
    expect(before.early).toEqual([]);
    expect(before.toolResult).toBeUndefined();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const after = await toldOnce(view, 'toolCancelled');
    expect(after.toolResult).toBeUndefined();
    await page.getByText('Cancelled.', { exact: true }).waitFor();
    await rig.shot('apps-call-cancelled');
  }, 180_000);

  it('inline in an agent loop’s transcript, with the call’s input and result, light and dark', async () => {
    const r = await openSamplingRig();
    rig = r;
    const { page } = r;
    const id = await addServer(r, 'fixture', fixtureArgs);
    r.t.host.sampling.setPolicy(id, 'fixture', { mode: 'allow', allowTools: true });
    // Reconnected, so the server sees that sampling with tools is declared.
    await r.t.host.servers.restart(id);
    r.api.script([{ toolUses: [{ name: 'show-card', input: { title: 'Weather' } }] }, { text: 'Here is your card.' }]);
    const answer = await r.t.host.tools.call({ serverId: id, name: 'agent', arguments: {} });
    expect(answer.content[0]?.text).toBe('Here is your card.');

    await page.getByRole('link', { name: /Loops/ }).first().click();
    await page.locator('.loops-table').getByRole('link', { name: 'agent' }).click();
    const rounds = page.getByRole('list', { name: 'Rounds' });
    await expect.poll(() => rounds.locator('.round').count()).toBe(2);
    const view = appView(rounds, 'show-card');
    await viewReady(view);
    expect(await view.count()).toBe(1);
    const results = await toldOnce(view, 'toolResult');
    expect(results.toolInput).toEqual({ title: 'Weather' });
    expect(results.early).toEqual([]);
    expect(results.toolResult).toMatchObject({ structuredContent: { title: 'Weather' }, content: [{ type: 'text', text: 'card: Weather' }] });
    expect(results.theme).toBe('light');
    await view.scrollIntoViewIfNeeded();
    await r.shot('apps-loop-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect((await toldOnce(view, 'contextChanged')).contextChanged).toMatchObject({ theme: 'dark' });
    await r.shot('apps-loop-dark');
  }, 180_000);

  it('on a task’s page, as soon as the task’s result arrives', async () => {
    rig = await openRig();
    const { page } = rig;
    const id = await addServer(rig, 'fixture', fixtureArgs);
    await openTool(page, 'fixture', 'slow-card');
    await page.getByLabel('Arguments (JSON)').fill(JSON.stringify({ title: 'Later', ms: 4000 }));
    await page.getByRole('button', { name: 'Run as task' }).click();
    await page.getByRole('link', { name: 'Open the task' }).click();
    const [task] = rig.t.host.tasks.list({}, 10);
    expect(task?.serverId).toBe(id);
    const view = appView(page, 'slow-card');
    // No view before the result: whenever one is on the page, the task has completed (read in that order).
    const early = await view.count();
    if (early > 0) expect(rig.t.host.tasks.detail(task?.id ?? '').status).toBe('completed');
    await viewReady(view);
    expect(rig.t.host.tasks.detail(task?.id ?? '').status).toBe('completed');
    const results = await toldOnce(view, 'toolResult');
    expect(results.toolInput).toEqual({ title: 'Later', ms: 4000 });
    expect(results.toolResult).toMatchObject({ structuredContent: { title: 'Later' } });
    await rig.shot('apps-task-view');
  }, 180_000);
});
