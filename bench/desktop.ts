// Browser mode figures: time from `steward serve` to the first screen in Chromium, and host memory with ten servers.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { round, timeOnce } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SERVE = join(HERE, '..', 'main', 'web', 'serve.js');

function launch(): Promise<Browser> {
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

/** Spawn `steward serve`, open its link, wait until the servers screen shows. */
async function firstScreen(browser: Browser): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'steward-first-'));
  const page = await browser.newPage();
  let child: ReturnType<typeof spawn> | undefined;
  try {
    return await timeOnce(async () => {
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
      await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    });
  } finally {
    await page.close();
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r) ?? r(undefined));
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

export async function firstScreenTimes(rounds: number): Promise<Record<string, number>> {
  const browser = await launch();
  try {
    await firstScreen(browser);
    const host: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < rounds; i++) {
      host.push(await firstScreen(browser));
      floor.push(await staticScreen(browser));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    return {
      first_screen_ms: round(median(host), 1),
      first_screen_static_ms: round(median(floor), 1),
      first_screen_ratio: round(median(host) / median(floor), 2),
    };
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

export async function memory(server: string): Promise<Record<string, number>> {
  const bare = await rssOf('bare', server);
  const host = await rssOf('host', server);
  const mb = (b: number) => round(b / (1024 * 1024), 1);
  return { host_rss_mb_10: mb(host), bare_rss_mb_10: mb(bare), host_rss_ratio_10: round(host / bare, 2) };
}
