// Browser mode at scale: 50 servers configured and 10 of them running against one server configured and running, from
// `steward serve` to the first screen listing every server, and the host's RSS once the running ones are up.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createHost } from '../main/core/host.js';
import { FileSecretStore } from '../main/core/node/index.js';
import { createOsSandbox } from '../main/core/security/index.js';
import { launch, serve } from './desktop.js';
import { repeat, type Outcome } from './repeat.js';
import { inOrder, type StopRule } from './stats.js';

/** A data folder with `configured` servers, the first `running` of them approved and meant to run. */
async function prepare(server: string, configured: number, running: number): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'steward-scale-'));
  const host = await createHost({
    dataDir: { path: home },
    secrets: FileSecretStore.inDataDir(home),
    browser: { open: () => Promise.resolve() },
    // The sandbox `steward serve` will use, so the approval recorded here is for the launch it will make.
    sandbox: createOsSandbox(),
    stopGraceMs: 200,
  });
  try {
    for (let i = 0; i < configured; i++) {
      const view = await host.servers.add({
        name: `everything-${i}`,
        config: { transport: 'stdio', command: process.execPath, args: [server, 'stdio'], env: {} },
      });
      if (i >= running) continue;
      const request = await host.servers.consentRequest(view.id);
      const now = new Date().toISOString();
      host.store.consents.record({ serverId: view.id, specHash: request.spec.hash, spec: '{}', decision: 'approved', decidedBy: 'bench', decidedAt: now });
      host.store.servers.setDesiredState(view.id, 'running', now);
    }
  } finally {
    await host.dispose();
  }
  return home;
}

/**
 * How long the host runs on once its servers are up before its RSS is read, the same on both sides. It was 1,500 ms;
 * at 750 ms the section takes about 8 s less, which keeps the whole bench under five minutes on a slow run (one took
 * 306 s, this section 94 s of it).
 */
const SETTLE_MS = 750;

/** Resident memory of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no RSS for process ${pid}`);
  return Number(kb) * 1024;
}

const count = (page: Page, selector: string) => page.locator(selector).count();

/** Polls the page until `selector` matches `n` elements, or fails after `ms`. */
async function until(page: Page, selector: string, n: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await count(page, selector)) < n) {
    if (Date.now() > deadline) throw new Error(`only ${await count(page, selector)} of ${n} "${selector}" after ${ms} ms`);
    await page.waitForTimeout(50);
  }
}

export async function scaleFigures(rule: StopRule, server: string, log: (line: string) => void): Promise<Outcome> {
  const many = await prepare(server, 50, 10);
  const one = await prepare(server, 1, 1);
  const browser = await launch();
  /** Time to the screen listing all `configured` servers, then RSS once `running` of them run and the host settles. */
  const side = async (home: string, configured: number, running: number) => {
    const served = await serve(browser, home, async (page) => {
      await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
      await until(page, 'tbody[data-server]', configured, 60_000);
    });
    const began = Date.now();
    let rss = 0;
    try {
      await until(served.page, '[data-status="running"]', running, 120_000);
      await served.page.waitForTimeout(SETTLE_MS);
      rss = rssOf(served.pid);
    } finally {
      const up = Date.now() - began;
      await served.close();
      log(`  ${configured} configured: first screen ${Math.round(served.ms)} ms, ${running} running ${up} ms later, stopped in ${Date.now() - began - up} ms`);
    }
    return { ms: served.ms, rss };
  };
  try {
    await side(one, 1, 1);
    return await repeat(
      {
        name: '50 servers against 1',
        headline: ['scale50_first_screen_ratio', 'scale50_rss_ratio'],
        rule,
        rep: async (rep) => {
          const m = { many: { ms: 0, rss: 0 }, one: { ms: 0, rss: 0 } };
          const subject = async () => (m.many = await side(many, 50, 10));
          const baseline = async () => (m.one = await side(one, 1, 1));
          for (const run of inOrder(rep, subject, baseline)) await run();
          return {
            scale50_first_screen_ratio: m.many.ms / m.one.ms,
            scale50_first_screen_ms: m.many.ms,
            scale1_first_screen_ms: m.one.ms,
            scale50_rss_ratio: m.many.rss / m.one.rss,
            scale50_rss_mb: m.many.rss / 1048576,
            scale1_rss_mb: m.one.rss / 1048576,
          };
        },
      },
      log,
    );
  } finally {
    await browser.close();
    rmSync(many, { recursive: true, force: true });
    rmSync(one, { recursive: true, force: true });
  }
}
