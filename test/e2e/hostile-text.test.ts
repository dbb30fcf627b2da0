// The hostile corpus the CLI test prints (HTML and script tags, event-handler attributes, terminal escapes, CR, bidi
// overrides, zero-width and tag characters) in the UI, in Chromium over browser mode: a server name, its command line
// on the consent screen, tool names and descriptions, a call result, log lines, a form's message and labels, a task's
// status and the audit. Everywhere it shows as text; nothing becomes markup or runs. On the consent screen, where the user
// judges the command line, bidi, invisible and control characters in it show as visible escapes.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE, HOSTILE_ALL, UNSAFE_OUTPUT } from '../fixtures/hostile-text.mjs';
import { openRig, type BrowserRig } from '../helpers/browser.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Names refuse bidi and invisible characters (see below); markup in a name is fine, and must stay text. */
const NAME = '<img src=x onerror="window.__pwned=9"> evil';
const SCRIPT = HOSTILE[15]!;
const nav = (page: Page, label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: new RegExp(`^${label}`) });

/** Nothing from the corpus became an element or ran. */
async function noMarkup(page: Page, where: string): Promise<void> {
  const injected = await page.evaluate(() => {
    const w = globalThis as unknown as { __pwned?: unknown; document: { querySelectorAll(s: string): { length: number } } };
    return {
      pwned: w.__pwned ?? null,
      images: w.document.querySelectorAll('img[src="x"]').length,
      handlers: w.document.querySelectorAll('[onerror], [onload]').length,
      scripts: w.document.querySelectorAll('body script').length,
    };
  });
  expect(injected, where).toEqual({ pwned: null, images: 0, handlers: 0, scripts: 0 });
}

describe('hostile text in the UI', () => {
  it('shows every piece as text on every screen that shows server-supplied text', { timeout: 180_000 }, async () => {
    rig = await openRig();
    const { page, t } = rig;
    // A name that would reverse the sentence it is shown in never gets that far.
    await expect(
      t.host.dispatch('servers:add', { name: `invoice${HOSTILE[9]}`, config: { transport: 'stdio', command: NODE, args: [], env: {} } }),
    ).resolves.toMatchObject({ ok: false, code: 'invalid_payload' });
    const view = await t.host.servers.add({
      name: NAME,
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'hostile-server.mjs'), SCRIPT, HOSTILE[0]!, HOSTILE[9]!, HOSTILE[11]!], env: {} },
    });

    // Consent: the command line, with its hostile arguments, as text.
    const row = page.locator('tbody[data-server]').first();
    await row.getByRole('button', { name: /^Start/ }).click();
    const consent = page.getByRole('dialog', { name: /^Allow “/ });
    await consent.waitFor();
    const commandLine = (await consent.getByTestId('command-line').textContent()) ?? '';
    expect(commandLine).toContain(SCRIPT);
    // What would reorder the line or hide in it is shown as a visible escape, so the command reads as it runs.
    expect(commandLine).toContain('invoice<U+202E>gpj.exe');
    expect(commandLine).toContain('zero<U+200B>width<U+200D><U+FEFF>join');
    expect(commandLine).toContain('\\x1b]52;c;');
    expect(commandLine).not.toMatch(UNSAFE_OUTPUT);
    expect(await consent.textContent()).toContain(NAME);
    await noMarkup(page, 'consent');
    await consent.getByRole('button', { name: 'Allow and start' }).click();
    await consent.waitFor({ state: 'detached' });
    await row.locator('[data-status="running"]').waitFor();
    expect(await row.textContent()).toContain(NAME);
    await noMarkup(page, 'servers list');

    // Tools, a call result and the log.
    await page.getByRole('link', { name: NAME, exact: true }).click();
    const tools = page.getByRole('list', { name: 'Tools' });
    await tools.locator('.pick-name', { hasText: /^echo$/ }).click();
    expect(await page.locator('.screen').textContent()).toContain(HOSTILE[14]);
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    const result = page.getByRole('region', { name: 'Call result' });
    await result.getByText(SCRIPT, { exact: false }).first().waitFor();
    await noMarkup(page, 'tools and call result');
    await rig.shot('hostile-tools');
    await page.getByRole('tab', { name: 'Log' }).click();
    await page.locator('.log-row', { hasText: 'stderr: <img src=x' }).first().waitFor();
    await page.locator('.log-row', { hasText: SCRIPT }).first().waitFor();
    await noMarkup(page, 'log');
    await rig.shot('hostile-log');

    // A form whose message, labels, hints and choices are hostile.
    const asking = t.host.tools.call({ serverId: view.id, name: 'ask', arguments: {} });
    const form = page.getByRole('dialog', { name: /asks you to fill in a form$/ });
    await form.waitFor();
    const formText = (await form.textContent()) ?? '';
    for (const piece of [HOSTILE[14], HOSTILE[15], HOSTILE[16]]) expect(formText).toContain(piece);
    await noMarkup(page, 'form');
    await rig.shot('hostile-form');
    await form.getByRole('button', { name: 'Decline' }).click();
    await form.waitFor({ state: 'detached' });
    await asking;

    // A task's status message, and the audit.
    await t.host.runTool({ serverId: view.id, name: 'job', arguments: {} });
    await nav(page, 'Tasks').click();
    await page.locator('.tasks-table', { hasText: 'invoice' }).waitFor();
    expect(await page.locator('.tasks-table').textContent()).toContain(SCRIPT);
    await noMarkup(page, 'tasks');
    await nav(page, 'Audit').click();
    await page.locator('.audit-table', { hasText: NAME }).waitFor();
    await noMarkup(page, 'audit');
    expect(HOSTILE_ALL).toContain(SCRIPT);
    expect(rig.errors).toEqual([]);
  });
});
