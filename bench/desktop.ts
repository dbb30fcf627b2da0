// Browser mode figures: time from `steward serve` to the first screen in Chromium, and host memory with ten servers.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { present } from '../shared/errors.js';
import { repeat, single, type Figures, type Outcome } from './repeat.js';
import { inOrder, round, timeOnce, type StopRule } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SERVE = join(HERE, '..', 'main', 'web', 'serve.js');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A started `steward serve` on a data folder, its first screen shown in a page. */
export interface Served {
  ms: number;
  pid: number;
  page: Page;
  close(): Promise<void>;
}

/**
 * Spawns `steward serve` on `home`, opens its link and waits for `ready` (by default the servers screen's heading):
 * the time from spawn to ready. The caller closes what it gets back.
 */
export async function serve(
  browser: Browser,
  home: string,
  ready = (page: Page) => page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor(),
): Promise<Served> {
  const page = await browser.newPage();
  let child: ReturnType<typeof spawn> | undefined;
  const close = async () => {
    await page.close();
    const exited = new Promise((r) => (child && child.exitCode === null ? child.once('exit', r) : r(undefined)));
    child?.kill('SIGTERM');
    await exited;
  };
  try {
    const ms = await timeOnce(async () => {
      const started = spawn(process.execPath, [SERVE, '--no-open'], { env: { ...process.env, STEWARD_HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
      child = started;
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        started.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const link = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)?.[1];
          if (link) resolve(link);
        });
        started.once('exit', () => reject(new Error(`serve exited: ${out}`)));
      });
      await page.goto(url);
      await ready(page);
    });
    return { ms, pid: present(child?.pid, 'the serve process'), page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function firstScreen(browser: Browser): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'steward-first-'));
  try {
    const served = await serve(browser, home);
    await served.close();
    return served.ms;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** The same steps with a bare Node HTTP server and a static page: the floor for "a process starts and a page shows". */
async function staticScreen(browser: Browser): Promise<number> {
  const page = await browser.newPage();
  try {
    return await timeOnce(async () => {
      const server = createServer((_req, res) => res.end('<!doctype html><h1>Servers</h1>'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
      server.close();
    });
  } finally {
    await page.close();
  }
}

export async function firstScreenTimes(rule: StopRule, log: (line: string) => void): Promise<Outcome> {
  const browser = await launch();
  try {
    await firstScreen(browser);
    return await repeat(
      {
        name: 'first screen',
        headline: ['first_screen_ratio'],
        rule,
        rep: async (rep) => {
          const ms = { host: 0, floor: 0 };
          const subject = async () => (ms.host = await firstScreen(browser));
          const baseline = async () => (ms.floor = await staticScreen(browser));
          for (const side of inOrder(rep, subject, baseline)) await side();
          return { first_screen_ratio: ms.host / ms.floor, first_screen_ms: ms.host, first_screen_static_ms: ms.floor };
        },
      },
      log,
    );
  } finally {
    await browser.close();
  }
}

function rssOf(mode: 'host' | 'bare', server: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', join(HERE, 'rss-child.js'), mode, server], { timeout: 120_000 }, (error, stdout) => {
      if (error) {
        reject(new Error(`the memory probe failed: ${error.message}`, { cause: error }));
        return;
      }
      resolve((JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { rss: number }).rss);
    });
  });
}

export async function memory(server: string): Promise<Figures> {
  // Side by side: resident memory does not depend on who else has the CPU, and each side is its own process.
  const [bare, host] = await Promise.all([rssOf('bare', server), rssOf('host', server)]);
  const mb = (b: number) => round(b / (1024 * 1024), 1);
  return single({ host_rss_mb_10: mb(host), bare_rss_mb_10: mb(bare), host_rss_ratio_10: round(host / bare, 2) });
}
