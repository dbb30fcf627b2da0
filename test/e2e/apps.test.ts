// MCP App views of the reference servers from the registry, run over stdio from node_modules, in real Chromium through
// browser mode: each view rendered in the workbench and driven, its CSP as sent and as shown, links opened only after a
// click, messages and context kept, app-only tools reachable from views, full screen on request, state kept across tab
// switches, and the theme followed — with screenshots, light and dark, under test-results/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, type BrowserRig } from '../helpers/browser.js';
import { addServer, appView, callTool, logLine, openTool, press, reference, viewFrame, viewReady } from '../helpers/apps.js';
import { writeSamplePdf } from '../helpers/pdf.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The proxy page's response, to read the CSP header the browser enforced. */
function proxyResponse(page: Page): Promise<Response> {
  return page.waitForResponse((r) => /\.localhost:\d+\/proxy\/[\w-]+$/.test(r.url()), { timeout: 45_000 });
}

/** The policy the host built and recorded when it opened the view. */
function recordedCsp(r: BrowserRig, tool: string): string {
  const opened = r.t.host.audit.list({ kind: 'app.opened', limit: 50 }).find((e) => e.data.tool === tool);
  return String(opened?.data.csp);
}

describe('reference servers’ views in the workbench', () => {
  it('basic-vanillajs: renders, calls its server, sends a message, opens a link after a click, keeps its state across tabs and follows the theme', async () => {
    rig = await openRig();
    const { page } = rig;
    const id = await addServer(rig, 'vanilla', [reference('basic-vanillajs'), '--stdio']);
    await openTool(page, 'vanilla', 'get-time');
    const response = proxyResponse(page);
    await callTool(page);
    const view = appView(page, 'get-time');
    await viewReady(view);
    // The CSP the browser got is exactly the one built, and the one shown.
    const header = (await response).headers()['content-security-policy'];
    expect(header).toBe(recordedCsp(rig, 'get-time'));
    expect(header).toContain("connect-src 'none'");
    await view.getByText('Sandbox and content security policy').click();
    expect((await view.getByLabel('Content-Security-Policy in force').textContent())?.replace(/\n/g, ' ')).toBe(header);

    const inner = viewFrame(view);
    await inner.getByText(/^\d{4}-\d{2}-\d{2}T/).waitFor();
    await press(inner.getByRole('button', { name: 'Get Server Time' }));
    await logLine(rig, id, /\[view of get-time\] tools\/call get-time: ok/);

    await inner.locator('#message-text').fill('Hello from the view');
    await press(inner.getByRole('button', { name: 'Send Message' }));
    await view.getByRole('region', { name: 'Messages from the view' }).getByText('Hello from the view').waitFor();
    expect(rig.t.host.audit.list({ kind: 'app.message', limit: 5 })[0]?.data.text).toBe('Hello from the view');

    await press(inner.getByRole('button', { name: 'Open Link' }));
    const dialog = page.getByRole('dialog', { name: /asks to open a page/ });
    await dialog.getByLabel('Address the view asks to open').getByText('modelcontextprotocol.io').waitFor();
    expect(rig.t.opened).toEqual([]);
    await dialog.getByRole('button', { name: 'Open in browser' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(rig.t.opened).toEqual(['https://modelcontextprotocol.io/']);

    // A tab switch and back: the same frame, with what was typed in it.
    await inner.locator('#log-text').fill('typed before the tab switch');
    await page.getByRole('tab', { name: 'Log' }).click();
    await page.getByRole('tab', { name: 'Tools' }).click();
    await viewReady(appView(page, 'get-time'));
    expect(await viewFrame(appView(page, 'get-time')).locator('#log-text').inputValue()).toBe('typed before the tab switch');
    await rig.shot('apps-vanilla-light');

    await page.emulateMedia({ colorScheme: 'dark' });
    await logLine(rig, id, /info \[view of get-time\] opened/);
    await expect.poll(() => inner.locator('html').evaluate((el: { style: { colorScheme: string } }) => el.style.colorScheme), { timeout: 20_000 }).toBe('dark');
    await rig.shot('apps-vanilla-dark');
  });

  it('basic-react: renders and calls its server', async () => {
    rig = await openRig();
    const { page } = rig;
    const id = await addServer(rig, 'react', [reference('basic-react'), '--stdio']);
    await openTool(page, 'react', 'get-time');
    await callTool(page);
    const view = appView(page, 'get-time');
    await viewReady(view);
    const inner = viewFrame(view);
    await press(inner.getByRole('button', { name: 'Get Server Time' }));
    await logLine(rig, id, /\[view of get-time\] tools\/call get-time: ok/);
    // size-changed is applied: the frame took the height the view asked for.
    await expect.poll(() => view.locator('iframe.app-view-frame').evaluate((el: { style: { height: string } }) => el.style.height)).not.toBe('160px');
    await rig.shot('apps-react-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await rig.shot('apps-react-dark');
  });

  it('system-monitor: its view polls an app-only tool through the host', async () => {
    rig = await openRig();
    const { page } = rig;
    const id = await addServer(rig, 'monitor', [reference('system-monitor'), '--stdio']);
    await openTool(page, 'monitor', 'get-system-info');
    await callTool(page);
    const view = appView(page, 'get-system-info');
    await viewReady(view);
    // It starts polling by itself once it has the result; if it has not, the user starts it.
    const toggle = viewFrame(view).locator('#poll-toggle-btn');
    await expect.poll(() => toggle.textContent()).toMatch(/^(Start|Stop)$/);
    if ((await toggle.textContent()) === 'Start') await toggle.click();
    await logLine(rig, id, /\[view of get-system-info\] tools\/call poll-system-stats: ok/);
    await rig.shot('apps-system-monitor-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    const polls = () => rig?.t.host.servers.logsPage(id, 2000).filter((l) => l.text.includes('tools/call poll-system-stats: ok')).length ?? 0;
    const before = polls();
    await expect.poll(polls, { timeout: 20_000 }).toBeGreaterThan(before);
    await rig.shot('apps-system-monitor-dark');
  });

  it('server-debug: every host API it exercises — context, logs, messages, display modes, size, app-only tools, links, teardown', async () => {
    rig = await openRig();
    const { page } = rig;
    const debugLog = join(rig.t.dir, 'debug-server.log');
    const id = await addServer(rig, 'debug', [reference('debug'), '--stdio', `--log-file=${debugLog}`]);
    await openTool(page, 'debug', 'debug-tool');
    await callTool(page, { contentType: 'text' });
    const view = appView(page, 'debug-tool');
    await viewReady(view);
    const inner = viewFrame(view);
    const hostInfo = inner.locator('#host-info-content');
    await expect.poll(() => hostInfo.innerText()).toMatch(/Platform\s+desktop/);
    for (const field of [
      /Theme\s+light/,
      /Display Mode\s+inline/,
      /TimeZone\s+\S+/,
      /Locale\s+\S+/,
      /Host\s+Steward v\d/,
      /Width\s+\d+px/,
      /Height\s+max 720px/,
    ]) {
      expect(await hostInfo.innerText()).toMatch(field);
    }
    for (const capability of ['openLinks', 'serverTools', 'logging', 'message', 'updateModelContext']) expect(await hostInfo.innerText()).toContain(capability);

    await press(inner.locator('#update-context-text-btn'));
    await view.getByRole('region', { name: 'Context for the model' }).getByText('Current app state info').waitFor();
    await press(inner.locator('#send-message-text-btn'));
    await view.getByRole('region', { name: 'Messages from the view' }).getByText('Hello from debug app!').waitFor();
    await press(inner.locator('#log-warning-btn'));
    await logLine(rig, id, /warning \[view of debug-tool\] says: .*Debug log data/);
    await press(inner.locator('#call-debug-refresh-btn'));
    await logLine(rig, id, /tools\/call debug-refresh: ok/);

    // Full screen on request, answered with the mode in effect; a mode Steward does not offer leaves it as it is.
    await press(inner.locator('#display-fullscreen-btn'));
    await page.locator('section.app-view[data-display-mode="fullscreen"]').waitFor();
    await expect.poll(() => hostInfo.innerText()).toMatch(/Display Mode\s+fullscreen/);
    await rig.shot('apps-debug-fullscreen');
    await press(inner.locator('#display-pip-btn'));
    await logLine(rig, id, /ui\/request-display-mode: \{"mode":"pip"\}/);
    expect(await view.getAttribute('data-display-mode')).toBe('fullscreen');
    await page.getByRole('button', { name: 'Exit full screen' }).click();
    await page.locator('section.app-view[data-display-mode="inline"]').waitFor();
    await expect.poll(() => hostInfo.innerText()).toMatch(/Display Mode\s+inline/);

    // size-changed is applied to the frame.
    await inner.locator('#auto-resize-toggle').uncheck();
    await press(inner.locator('#resize-400x300-btn'));
    await expect.poll(() => view.locator('iframe.app-view-frame').evaluate((el: { style: { height: string } }) => el.style.height)).toBe('300px');
    await inner.locator('#auto-resize-toggle').check();

    // A link the user declines is not opened, and the view is told.
    await press(inner.locator('#open-link-btn'));
    const dialog = page.getByRole('dialog', { name: /asks to open a page/ });
    await dialog.getByRole('button', { name: 'Don’t open' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(rig.t.opened).toEqual([]);
    await rig.shot('apps-debug-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => hostInfo.innerText()).toMatch(/Theme\s+dark/);
    await rig.shot('apps-debug-dark');

    // A second call replaces the view: the first is torn down first, and says so to its server.
    await callTool(page, { contentType: 'text' });
    await expect.poll(() => (readFileSync(debugLog, 'utf8').match(/onteardown/g) ?? []).length, { timeout: 20_000 }).toBe(1);
    await viewReady(appView(page, 'debug-tool'));
  });

  it('server-pdf: shows a local PDF, its declared CSP in force', async () => {
    rig = await openRig();
    const { page } = rig;
    const pdf = writeSamplePdf(join(rig.t.dir, 'sample.pdf'), 'Steward sample page');
    await addServer(rig, 'pdf', [reference('pdf'), '--stdio', pdf]);
    await openTool(page, 'pdf', 'display_pdf');
    const response = proxyResponse(page);
    await callTool(page, { url: pdf });
    const view = appView(page, 'display_pdf');
    await viewReady(view);
    const header = (await response).headers()['content-security-policy'];
    expect(header).toBe(recordedCsp(rig, 'display_pdf'));
    expect(header).toContain('connect-src https://unpkg.com');
    expect(await view.locator('iframe.app-view-frame').getAttribute('allow')).toBe('clipboard-write');
    // pdf.js runs (its worker from a blob: URL) and lays the one page out on a canvas.
    await viewFrame(view).getByText('of 1').waitFor({ timeout: 45_000 });
    await viewFrame(view).locator('canvas').first().waitFor();
    await rig.shot('apps-pdf-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await rig.shot('apps-pdf-dark');
  });
});
