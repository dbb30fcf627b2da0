// Every main screen at the smallest supported window (1024×700), in the light and the dark theme: axe-core finds no
// serious or critical violation, nothing runs past the window's edge or makes the screen scroll sideways, and each
// leaves test-results/<screen>-<theme>.png.
// Real servers over stdio (server-everything, the sampling, task and MCP Apps fixtures) put real content and dialogs on
// screen. Hostile input tried: a server name and a consent request with markup in them (shown as text).
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { dismissWithEscape, openRig, openSamplingRig, type BrowserRig, type PageElement } from '../helpers/browser.js';
import { axeProblems, cutOff, lookAt, scrollsSideways, type ScreenLook } from '../helpers/a11y.js';
import { addServer, appView, callTool, openTool, press, reference, viewFrame, viewReady } from '../helpers/apps.js';
import { addApproved } from '../helpers/host.js';
import { EVERYTHING, FIXTURES, NODE } from '../helpers/paths.js';
import { textRequest } from '../helpers/sampling.js';
import type { FakeAnthropic } from '../fixtures/fake-anthropic.mjs';

let rig: (BrowserRig & { api?: FakeAnthropic }) | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const row = (page: Page, name: string) => page.locator(`tbody[data-server="${name}"]`);

async function approved(r: BrowserRig, name: string, args: string[]): Promise<string> {
  const { view, approve } = await addApproved(r.t.host, name, NODE, args);
  expect((await approve()).status).toBe('running');
  await row(r.page, name).locator('[data-status="running"]').waitFor({ timeout: 30_000 });
  return view.id;
}

/** Problems found, each named by screen and theme. */
function problems(looks: ScreenLook[]): string[] {
  return looks.flatMap((l) => [...l.axe.map((p) => `${l.screen} ${l.theme} axe ${p}`), ...l.cut.map((p) => `${l.screen} ${l.theme} cut off: ${p}`)]);
}

describe('look and feel at 1024 × 700', () => {
  it('every main screen and dialog, light and dark', async () => {
    const r = await openSamplingRig();
    rig = r;
    const { page, t } = r;
    await page.setViewportSize({ width: 1024, height: 700 });
    const looks: ScreenLook[] = [];
    const look = async (screen: string, ready: Locator) => {
      await ready.first().waitFor({ timeout: 30_000 });
      looks.push(...(await lookAt(t.host, page, screen)));
    };
    const go = (hash: string) => page.goto(`${r.web.url}#/${hash}`);

    // The checks see what they must: faint text and an element past the window's edge, put there for the purpose.
    await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { createElement: (t: string) => Probe; body: { append: (e: Probe) => void } } }).document;
      interface Probe {
        id: string;
        textContent: string;
        style: Record<string, string>;
      }
      const faint = d.createElement('p');
      faint.id = 'probe';
      faint.textContent = 'Barely readable';
      Object.assign(faint.style, { position: 'fixed', top: '0', left: '900px', width: '400px', color: '#777', background: '#888' });
      d.body.append(faint);
    });
    expect((await axeProblems(page)).join('\n')).toMatch(/^color-contrast: #probe/m);
    expect((await cutOff(page)).join('\n')).toMatch(/^p\. at 900\.\.1300/m);
    await page.locator('#probe').evaluate((el: { remove: () => void }) => el.remove());
    // And a screen wider than the window, which its scrolling area holds (so nothing reads as cut off) but which would
    // need scrolling sideways: the task table at 1024 px did, its message column squeezed to nothing.
    await page.evaluate(() => {
      interface Box {
        id: string;
        style: Record<string, string>;
        append: (e: Box) => void;
      }
      const d = (globalThis as unknown as { document: { createElement: (t: string) => Box; querySelector: (s: string) => Box | null } }).document;
      const wide = d.createElement('div');
      wide.id = 'wide';
      // Through the style object: the page's content security policy refuses style attributes in markup.
      Object.assign(wide.style, { width: '1400px', height: '4px' });
      d.querySelector('.screen-body')?.append(wide);
    });
    expect((await scrollsSideways(page)).join('\n')).toMatch(/^div\.screen-body is \d+ px wide in \d+/m);
    await page.locator('#wide').evaluate((el: { remove: () => void }) => el.remove());

    const everything = await approved(r, 'everything', [EVERYTHING, 'stdio']);
    const sampler = await approved(r, 'sampler', [join(FIXTURES, 'sampling-server.mjs')]);
    const jobs = await approved(r, 'jobs', [join(FIXTURES, 'task-server.mjs')]);
    await approved(r, 'fixture', [join(FIXTURES, 'apps-server.mjs')]);
    // One waiting for consent, with markup in its name and arguments.
    const waits = await t.host.servers.add({ name: 'waits <b>here</b>', config: { transport: 'stdio', command: NODE, args: ['<img src=x>'], env: {} } });
    await t.host.servers.start(waits.id).catch(() => undefined);
    // A remote server, for its Sign-in tab (nothing listens there).
    const remote = await t.host.servers.add({ name: 'remote', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });

    await go('servers');
    await look('servers', row(page, 'everything'));
    await page.getByRole('button', { name: 'Add server' }).first().click();
    await look('add-server', page.getByRole('dialog'));
    // Escape once the dialog holds focus: a press before that reaches the page, not the dialog.
    await dismissWithEscape(page, page.getByRole('dialog'));

    for (const [tab, ready] of [
      ['tools', () => page.getByRole('list', { name: 'Tools' })],
      ['prompts', () => page.getByRole('tabpanel')],
      ['resources', () => page.getByRole('list', { name: 'Resources' })],
      ['log', () => page.getByRole('tabpanel')],
      ['wire', () => page.getByRole('tabpanel')],
      ['settings', () => page.getByRole('tabpanel')],
    ] as const) {
      await go(`servers/${everything}/${tab}`);
      await look(`server-${tab}`, ready());
    }
    await go(`servers/${remote.id}/sign-in`);
    await look('server-sign-in', page.getByRole('tabpanel'));

    // The keyboard alone: Tab reaches a list, the arrows move along it with a visible focus, Enter picks.
    await go(`servers/${everything}/prompts`);
    const prompts = page.getByRole('list', { name: 'Prompts' }).locator('.pick-item');
    await prompts.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = prompts.nth(2);
    expect(await third.evaluate((el: PageElement) => el.ownerDocument.activeElement === el)).toBe(true);
    expect(await third.evaluate((el: PageElement) => el.ownerDocument.defaultView?.getComputedStyle(el).boxShadow)).not.toBe('none');
    await page.keyboard.press('End');
    expect(await prompts.last().evaluate((el: PageElement) => el.ownerDocument.activeElement === el)).toBe(true);
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    expect(await prompts.first().getAttribute('aria-current')).toBe('true');

    const task = await t.host.tasks.start({ serverId: jobs, tool: 'job', arguments: { ms: 1000, steps: 2 } });
    await go('tasks');
    await look('tasks', page.locator(`[data-task="${task.id}"]`).or(page.getByRole('row').nth(1)));
    await go(`tasks/${task.id}`);
    await look('task-detail', page.getByText('Completed').or(page.getByText('Working')));

    await go('inbox');
    const consentRow = page.locator('.inbox-item[data-kind="consent"]');
    await look('inbox', consentRow);
    await consentRow.getByRole('button', { name: /^Open/ }).click();
    await look('consent', page.getByRole('dialog'));
    await dismissWithEscape(page, page.getByRole('dialog'));

    // The elicitation form, answered with Cancel after the look.
    const elicited = t.host.runTool({ serverId: everything, name: 'trigger-elicitation-request', arguments: {} });
    elicited.catch(() => undefined);
    const form = page.getByRole('dialog', { name: '“everything” asks you to fill in a form' });
    await look('elicitation', form);
    await form.getByRole('button', { name: 'Cancel', exact: true }).click();
    await elicited;

    // Sampling: asked, then reviewed.
    t.host.sampling.setPolicy(sampler, 'sampler', { mode: 'ask' });
    const asked = t.host.tools.call({ serverId: sampler, name: 'sample', arguments: { params: textRequest('May I?') } });
    asked.catch(() => undefined);
    const samplingDialog = page.getByRole('dialog', { name: '“sampler” asks to use your model' });
    await look('sampling', samplingDialog);
    await samplingDialog.getByRole('button', { name: /^Deny/ }).click();
    await asked;
    t.host.sampling.setPolicy(sampler, 'sampler', { mode: 'allow', reviewReplies: true });
    r.api.script([{ text: 'A reviewed answer.' }]);
    const reviewed = t.host.tools.call({ serverId: sampler, name: 'sample', arguments: { params: textRequest('Check this.') } });
    reviewed.catch(() => undefined);
    const review = page.getByRole('dialog', { name: 'Send this reply to “sampler”?' });
    await look('sampling-review', review.getByText('A reviewed answer.'));
    await review.getByRole('button', { name: 'Send to server' }).click();
    await reviewed;

    await go('loops');
    await look('loops', page.locator('.loops-table'));
    await page.locator('.loops-table').getByRole('link').first().click();
    await look('loop-detail', page.getByRole('list', { name: 'Rounds' }));
    await go('audit');
    await look('audit', page.getByRole('table').or(page.locator('.screen-body')));
    await go('settings');
    await look('settings', page.getByRole('radio', { name: /^System/ }));

    await openTool(page, 'fixture', 'show-card');
    await callTool(page, { title: 'Looks' });
    await viewReady(appView(page, 'show-card'));
    await appView(page, 'show-card').scrollIntoViewIfNeeded();
    await look('apps-view', appView(page, 'show-card'));

    expect(problems(looks)).toEqual([]);
    expect(looks).toHaveLength(2 * 21);
    expect(r.errors).toEqual([]);
  }, 600_000);

  it('Escape on a view’s request to open a page closes the dialog without answering; the view’s bar offers it again', async () => {
    rig = await openRig();
    const { page } = rig;
    await addServer(rig, 'vanilla', [reference('basic-vanillajs'), '--stdio']);
    await openTool(page, 'vanilla', 'get-time');
    await callTool(page);
    const view = appView(page, 'get-time');
    await viewReady(view);
    await press(viewFrame(view).getByRole('button', { name: 'Open Link' }));
    const dialog = page.getByRole('dialog', { name: /asks to open a page/ });
    await dismissWithEscape(page, dialog);
    const again = view.getByRole('button', { name: 'Page waiting to open' });
    await again.waitFor();
    expect(rig.t.opened).toEqual([]);
    // Still the same request, unanswered: its dialog comes back with its address, and only a button answers it.
    await again.click();
    await dialog.getByLabel('Address the view asks to open').getByText('modelcontextprotocol.io').waitFor();
    expect(rig.errors).toEqual([]);
    await dialog.getByRole('button', { name: 'Don’t open' }).click();
    await dialog.waitFor({ state: 'detached' });
    await again.waitFor({ state: 'detached' });
    expect(rig.t.opened).toEqual([]);
    // The view hears the answer now, and says so in its own console.
    await expect.poll(() => rig?.errors).toEqual(['The user did not open the page.']);
  }, 180_000);
});
