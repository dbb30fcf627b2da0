// Browser tests of MCP App views: the reference servers from node_modules, the way to a tool's view in the workbench,
// the frames a view lives in, and the server's log where the host writes what views did.
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { BrowserRig } from './browser.js';
import { addApproved } from './host.js';
import { NODE, ROOT } from './paths.js';

export const reference = (name: string) => join(ROOT, 'node_modules', '@modelcontextprotocol', `server-${name}`, 'dist', 'index.js');

/** Adds a server run with Node and approves it; resolves once its row says it runs. */
export async function addServer(r: BrowserRig, name: string, args: string[]): Promise<string> {
  const { view, approve } = await addApproved(r.t.host, name, NODE, args);
  await approve();
  await r.page.locator(`tbody[data-server="${name}"]`).locator('[data-status="running"]').waitFor({ timeout: 30_000 });
  return view.id;
}

/** The server's Tools tab with `tool` picked. */
export async function openTool(page: Page, server: string, tool: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: /^Servers/ })
    .click();
  await page.getByRole('link', { name: server, exact: true }).click();
  await page.getByRole('tab', { name: 'Tools' }).click();
  await page
    .getByRole('list', { name: 'Tools' })
    .locator('.pick-name', { hasText: new RegExp(`^${tool}$`) })
    .click();
}

/** Calls the picked tool with these arguments from the workbench. */
export async function callTool(page: Page, args: Record<string, unknown> = {}): Promise<void> {
  await page.getByLabel('Arguments (JSON)').fill(JSON.stringify(args));
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

/** The view of a tool (by the tool's name) on screen. */
export const appView = (page: Page | Locator, tool: string): Locator => page.locator(`section.app-view[data-tool="${tool}"]`);

/** Waits until the view has said it is initialized. */
export async function viewReady(view: Locator): Promise<void> {
  await view.and(view.page().locator('[data-view-phase="ready"]')).waitFor({ timeout: 45_000 });
}

/** The view's own document: the frame inside the proxy frame. */
/**
 * Presses a button inside a view: the click event reaches the view's own handler wherever the button is. The host
 * resizes a view's frame as the view reports its size, so a mouse click at coordinates measured a moment earlier can
 * land on the neighbouring button; what these tests check is what the host does with the view's request.
 */
export async function press(button: Locator): Promise<void> {
  await button.dispatchEvent('click');
}

export function viewFrame(view: Locator): FrameLocator {
  return view.locator('iframe.app-view-frame').contentFrame().locator('iframe').contentFrame();
}

/** The server's log, oldest first, once a line matches (polled with a deadline). */
export async function logLine(r: BrowserRig, serverId: string, pattern: RegExp, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = r.t.host.servers
      .logsPage(serverId, 5000)
      .reverse()
      .map((l) => `${l.level} ${l.text}`);
    if (lines.some((l) => pattern.test(l))) return lines;
    if (Date.now() > deadline) throw new Error(`the server log never showed ${String(pattern)}; it has:\n${lines.slice(-30).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
