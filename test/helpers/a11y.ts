// The look-and-feel check of one screen as it is on the page: axe-core's serious and critical violations, anything that
// runs past the window's edge or makes the screen scroll sideways, and a screenshot per theme under test-results/<screen>-<theme>.png.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Host } from '../../main/core/host.js';
import { ROOT } from './paths.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const LOOK_RESULTS = join(ROOT, 'test-results');

export type Theme = 'light' | 'dark';
export const THEMES: readonly Theme[] = ['light', 'dark'];

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

/** Serious and critical axe-core violations on the page as it is, each as "rule: target (why)". */
export async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated rather than added as a script tag: the app's content security policy refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<unknown> } }).axe;
    // Views of MCP Apps are the servers' own documents, behind a sandbox on another origin: not Steward's to judge.
    const context = { exclude: [['iframe.app-view-frame']] };
    return axe.run(context, { resultTypes: ['violations'] });
  });
  return (result as AxeResult).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.map(String).join(' ')} (${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)})`));
}

/**
 * Elements that reach past the window's edges without a box of their own inside the window to hold them: what a person
 * would see cut off. Elements inside a box that scrolls (or is meant to clip, like a one-line ellipsis) are reachable
 * and pass; the page itself does not count as such a box.
 */
export async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    interface El {
      tagName: string;
      className: unknown;
      parentElement: El | null;
      getBoundingClientRect: () => { left: number; right: number; top: number; bottom: number; width: number; height: number };
      closest: (selector: string) => El | null;
    }
    const g = globalThis as unknown as {
      innerWidth: number;
      innerHeight: number;
      document: { querySelectorAll: (s: string) => El[] };
      getComputedStyle: (el: El) => { overflowX: string; overflowY: string; visibility: string; display: string; position: string };
    };
    const held = (el: El): boolean => {
      // The page itself clips (body hides its overflow): reaching past the window there is being cut off.
      for (let p = el.parentElement; p && p.tagName !== 'BODY'; p = p.parentElement) {
        const style = g.getComputedStyle(p);
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
          const r = p.getBoundingClientRect();
          if (r.right <= g.innerWidth + 1 && r.bottom <= g.innerHeight + 1) return true;
        }
      }
      return false;
    };
    const found: string[] = [];
    for (const el of g.document.querySelectorAll('body *')) {
      if (el.closest('.visually-hidden, .app-view-dock, [aria-hidden="true"]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const style = g.getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      if (r.right > g.innerWidth + 1 || r.left < -1 || r.bottom > g.innerHeight + 1) {
        if (!held(el)) found.push(`${el.tagName.toLowerCase()}.${String(el.className)} at ${Math.round(r.left)}..${Math.round(r.right)}`);
      }
    }
    return found.slice(0, 20);
  });
}

/**
 * The screen's own scrolling areas that scroll sideways: content wider than the window there (a table whose fixed
 * columns add up past it, a form field too wide) is held by the box, so `cutOff` passes it, yet part of the screen is
 * out of sight until the user scrolls right. Boxes meant to scroll sideways (code, logs, wire messages) are inside these
 * and are not counted.
 */
export async function scrollsSideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    interface El {
      tagName: string;
      className: unknown;
      scrollWidth: number;
      clientWidth: number;
    }
    const d = (globalThis as unknown as { document: { querySelectorAll: (s: string) => El[] } }).document;
    return [...d.querySelectorAll('html, body, .app, .main, .screen, .screen-body')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className)} is ${el.scrollWidth} px wide in ${el.clientWidth}`);
  });
}

/** Shows Steward in `theme` (set through the contract, as another window would) and waits for the page to follow. */
export async function showTheme(host: Host, page: Page, theme: Theme): Promise<void> {
  const set = await host.dispatch('appearance:set', { theme });
  if (!set.ok) throw new Error(`appearance:set failed: ${set.message}`);
  await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
}

export interface ScreenLook {
  screen: string;
  theme: Theme;
  axe: string[];
  cut: string[];
}

/** Checks the screen on the page in both themes, leaving test-results/<screen>-light.png and -dark.png. */
export async function lookAt(host: Host, page: Page, screen: string): Promise<ScreenLook[]> {
  mkdirSync(LOOK_RESULTS, { recursive: true });
  const looks: ScreenLook[] = [];
  for (const theme of THEMES) {
    await showTheme(host, page, theme);
    await page.screenshot({ path: join(LOOK_RESULTS, `${screen}-${theme}.png`) });
    looks.push({ screen, theme, axe: await axeProblems(page), cut: [...(await cutOff(page)), ...(await scrollsSideways(page))] });
  }
  return looks;
}
