// Browser tests: Debian's Chromium driven by playwright-core against browser mode on a temp data dir.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { startWebServer, type WebServer } from '../../main/web/server.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic.mjs';
import { makeHost, tempDir, type TestHost } from './host.js';
import type { HostOptions } from '../../main/core/host.js';
import { DIST, ROOT } from './paths.js';

export const SCREENSHOTS = join(ROOT, 'test-results', 'screens');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * An element as a page function sees it. The Node tsconfig has no DOM types, so Playwright's element parameters
 * resolve to nothing; this names the members the tests use.
 */
export interface PageElement {
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  readonly ownerDocument: { readonly activeElement: unknown; readonly defaultView: PageWindow | null };
  scrollTo: (x: number, y: number) => void;
  getAttribute: (name: string) => string | null;
  contains: (other: unknown) => boolean;
  dispatchEvent: (event: unknown) => boolean;
}

/** The page's own window, for the constructors and styles a test needs from it. */
export interface PageWindow {
  DataTransfer: new () => { setData: (format: string, data: string) => void };
  ClipboardEvent: new (type: string, init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean }) => unknown;
  getComputedStyle: (element: PageElement) => { overflowY: string; color: string; boxShadow: string };
}

export interface BrowserRig {
  t: TestHost;
  web: WebServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * One Chromium per test file, launched when the first rig opens and closed after the file's last test: starting the
 * browser is most of a rig's cost, while each rig's own context (fresh cookies, storage and pages) keeps tests apart.
 */
let fileBrowser: Promise<Browser> | undefined;
afterAll(async () => {
  const browser = await fileBrowser?.catch(() => undefined);
  fileBrowser = undefined;
  await browser?.close();
});

async function sharedBrowser(): Promise<Browser> {
  const browser = await fileBrowser?.catch(() => undefined);
  if (browser?.isConnected()) return browser;
  fileBrowser = launchChromium();
  return fileBrowser;
}

export async function openRig(overrides: Partial<HostOptions> = {}): Promise<BrowserRig> {
  const t = await makeHost(overrides);
  const web = await startWebServer({ host: t.host, staticDir: join(DIST, 'renderer') });
  const browser = await sharedBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(web.url);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    web,
    browser,
    context,
    page,
    errors,
    shot: async (name) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
    },
    close: async () => {
      await context.close();
      await web.close();
      await t.close();
    },
  };
}

/** A browser rig whose host answers sampling from the fake Messages API (with its key unless `key: false`). */
export async function openSamplingRig(options: { key?: boolean } & Partial<HostOptions> = {}): Promise<BrowserRig & { api: FakeAnthropic }> {
  const { key = true, ...overrides } = options;
  const api = await startFakeAnthropic();
  const rig = await openRig(overrides).catch(async (error: unknown) => {
    await api.close();
    throw error;
  });
  await rig.t.host.models.set({ baseUrl: api.url });
  if (key) await rig.t.host.models.setKey(api.apiKey);
  return {
    ...rig,
    api,
    close: async () => {
      await rig.close();
      await api.close();
    },
  };
}

/**
 * Closes a dialog with Escape the way a person would: once it has taken focus (its key handlers are in place by
 * then, so the key is never pressed into a dialog that cannot hear it yet), and waits for it to go.
 */
export async function dismissWithEscape(page: Page, dialog: Locator): Promise<void> {
  await dialog.waitFor();
  await dialog.evaluate(
    (el: PageElement) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (el.contains(el.ownerDocument.activeElement)) resolve();
          else if (Date.now() - started > 10_000) reject(new Error('the dialog never took focus'));
          else setTimeout(check, 16);
        };
        check();
      }),
  );
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
}

export function cleanDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export { tempDir };
