// A view's theme is Steward's own, not the system's: it starts as Steward's, and changes live (host-context-changed)
// when the user picks another theme in Settings or another window does, while the system's preference says otherwise.
// Checked with the fixture's view (which writes down what it was told) and with a reference server's view built on the
// ext-apps SDK (which applies the theme to its own document).
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, type BrowserRig } from '../helpers/browser.js';
import { addServer, appView, callTool, openTool, reference, viewFrame, viewReady } from '../helpers/apps.js';
import { FIXTURES } from '../helpers/paths.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** What the fixture's card view was told: the theme at the handshake, and the last host-context-changed. */
async function told(view: Locator): Promise<{ theme?: string; contextChanged?: { theme?: string } }> {
  const text = await viewFrame(view).locator('#results').textContent({ timeout: 5000 });
  return JSON.parse(text ?? '{}') as { theme?: string; contextChanged?: { theme?: string } };
}

const lastTheme = async (view: Locator) => {
  const results = await told(view);
  return results.contextChanged?.theme ?? results.theme;
};

describe('a view follows Steward’s theme', () => {
  it('starts with Steward’s theme and changes with it, whatever the system prefers', async () => {
    rig = await openRig();
    const { page } = rig;
    expect((await rig.t.host.dispatch('appearance:set', { theme: 'dark' })).ok).toBe(true);
    await addServer(rig, 'fixture', [join(FIXTURES, 'apps-server.mjs')]);
    await openTool(page, 'fixture', 'show-card');
    await callTool(page, { title: 'Theme' });
    const view = appView(page, 'show-card');
    await viewReady(view);
    // The system prefers light; Steward is dark, and so is the view from its first context.
    await expect.poll(async () => (await told(view)).theme, { timeout: 45_000 }).toBe('dark');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');

    // The system turns dark and Steward is set to Light in this window's Settings: the view is told light, live.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('link', { name: /^Settings/ }).click();
    await page.getByRole('radio', { name: /^Light/ }).check();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.goBack();
    await viewReady(appView(page, 'show-card'));
    await expect.poll(() => lastTheme(appView(page, 'show-card')), { timeout: 45_000 }).toBe('light');
    expect(
      await appView(page, 'show-card')
        .locator('iframe.app-view-frame')
        .evaluate((el: { style: { colorScheme: string } }) => el.style.colorScheme),
    ).toBe('light');

    // Another window (here: a call straight to the host) sets System: the view follows the system's dark.
    expect((await rig.t.host.dispatch('appearance:set', { theme: 'system' })).ok).toBe(true);
    await expect.poll(() => lastTheme(appView(page, 'show-card')), { timeout: 45_000 }).toBe('dark');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await rig.shot('apps-theme-dark');
    expect(rig.errors).toEqual([]);
  }, 180_000);

  it('a reference view (basic-vanillajs) applies Steward’s theme to its own document, and the next one when it changes', async () => {
    rig = await openRig();
    const { page } = rig;
    expect((await rig.t.host.dispatch('appearance:set', { theme: 'dark' })).ok).toBe(true);
    await addServer(rig, 'vanilla', [reference('basic-vanillajs'), '--stdio']);
    await openTool(page, 'vanilla', 'get-time');
    await callTool(page);
    const view = appView(page, 'get-time');
    await viewReady(view);
    const scheme = () =>
      viewFrame(view)
        .locator('html')
        .evaluate((el: { style: { colorScheme: string } }) => el.style.colorScheme);
    await expect.poll(scheme, { timeout: 45_000 }).toBe('dark');
    await rig.shot('apps-theme-vanilla-dark');
    expect((await rig.t.host.dispatch('appearance:set', { theme: 'light' })).ok).toBe(true);
    await expect.poll(scheme, { timeout: 45_000 }).toBe('light');
    await rig.shot('apps-theme-vanilla-light');
    expect(rig.errors).toEqual([]);
  }, 180_000);
});
