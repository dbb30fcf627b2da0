// An MCP App view in real Chromium through browser mode that sends a request of 9 MB, more than the page's socket takes
// in one frame. The view alone gets an error (invalid params) saying why, the refusal is in the server's log, the page
// keeps its connection to Steward, and the view's next request goes through.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, type BrowserRig } from '../helpers/browser.js';
import { addServer, appView, callTool, logLine, openTool, viewFrame, viewReady } from '../helpers/apps.js';
import { FIXTURES } from '../helpers/paths.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a view that sends a request too large to pass on', () => {
  it('gets invalid params for it alone, and the page and the view go on working', async () => {
    rig = await openRig();
    const r = rig;
    const serverId = await addServer(r, 'oversized', [join(FIXTURES, 'oversized-view-server.mjs')]);
    await openTool(r.page, 'oversized', 'oversized');
    await callTool(r.page);
    const view = appView(r.page, 'oversized');
    await viewReady(view);
    const results = async () => JSON.parse((await viewFrame(view).locator('#results').textContent({ timeout: 5000 })) ?? '{}') as Record<string, unknown>;
    await expect.poll(async () => (await results()).done, { timeout: 60_000, interval: 250 }).toBe(true);
    const { oversized, after } = await results();
    expect(oversized).toMatch(/^refused -32602: The request is 9 MB, more than the 6 MB Steward passes on in one; it was not sent\.$/);
    expect(after).toBe('ok');
    await logLine(r, serverId, /refused tools\/call: The request is 9 MB/);
    // The page never lost its socket: no reconnect notice, and a call made now is answered.
    expect(await r.page.getByText(/connection to Steward was lost/).count()).toBe(0);
    await r.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Audit/ })
      .click();
    await r.page.getByRole('heading', { name: 'Audit' }).waitFor();
  }, 180_000);
});
