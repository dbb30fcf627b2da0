// A view lives no longer than its server as the user allowed it, in real Chromium through browser mode: the server
// removed while its view runs (on screen or kept off screen), or changed to launch something else, and the page takes
// the view's frame down and says why, instead of keeping a frame whose origin and grants the host has dropped.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, type BrowserRig } from '../helpers/browser.js';
import { addServer, appView, callTool, openTool, viewReady } from '../helpers/apps.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const fixtureArgs = [join(FIXTURES, 'apps-server.mjs')];

describe('a view’s lifetime', () => {
  it('a removed server’s view is taken down, frame and all', async () => {
    rig = await openRig();
    const { page } = rig;
    const id = await addServer(rig, 'fixture', fixtureArgs);
    await openTool(page, 'fixture', 'show-card');
    await callTool(page, { title: 'Weather' });
    await viewReady(appView(page, 'show-card'));
    expect(await page.locator('iframe.app-view-frame').count()).toBe(1);

    await rig.t.host.servers.remove(id);
    // Wherever the page goes once the server is gone, no frame of the view is left in it (not even off screen).
    await expect.poll(() => page.locator('iframe.app-view-frame').count()).toBe(0);
  });

  it('a view whose server now launches something else closes, and says why', async () => {
    rig = await openRig();
    const { page } = rig;
    const id = await addServer(rig, 'fixture', fixtureArgs);
    await openTool(page, 'fixture', 'show-card');
    await callTool(page, { title: 'Weather' });
    const view = appView(page, 'show-card');
    await viewReady(view);

    const outcome = await rig.t.host.servers.edit(id, {
      config: { transport: 'stdio', command: NODE, args: [...fixtureArgs, '--declared=http://127.0.0.1:7002'], env: {} },
    });
    expect(outcome.launch).toBe('consent');
    await view.and(page.locator('[data-view-phase="closed"]')).waitFor({ timeout: 30_000 });
    await view.getByRole('status').getByText('Its server’s launch or address changed, so Steward closed the view.').waitFor();
    expect(await view.locator('iframe.app-view-frame').count()).toBe(0);
  });
});
