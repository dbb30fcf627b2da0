// `npm start` without an Electron binary, and `steward serve`: one clear line, then browser mode that answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../helpers/host.js';
import { CLI, NODE, ROOT } from '../helpers/paths.js';

let child: ChildProcess | undefined;
let home: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  if (home) rmSync(home, { recursive: true, force: true });
  child = undefined;
  home = undefined;
});

async function runUntilUrl(args: string[], env: Record<string, string>, cwd = ROOT): Promise<{ url: string; stdout: () => string }> {
  home = tempDir('steward-start-');
  child = spawn(NODE, args, {
    cwd,
    env: { ...process.env, STEWARD_HOME: join(home, 'data'), STEWARD_NO_BROWSER: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.resume();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 25);
    child!.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code}: ${out}`));
    });
  });
  return { url, stdout: () => out };
}

async function stop(): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
  child!.kill('SIGTERM');
  return exited;
}

describe('starting Steward', () => {
  it('npm start says Electron is unavailable in one line and serves browser mode instead', async () => {
    const { url, stdout } = await runUntilUrl([join(ROOT, 'scripts', 'start.mjs')], { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' });
    const notices = stdout()
      .split('\n')
      .filter((l) => l.includes('Electron is not available'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/starting Steward in browser mode instead\.$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(await stop()).toBe(0);
  });

  it('steward serve starts browser mode directly and stops cleanly', async () => {
    const { url } = await runUntilUrl([CLI, 'serve', '--no-open'], {});
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url.replace(/token=\S+/, 'token=nope'))).status).toBe(403);
    expect(await stop()).toBe(0);
  });

  // From the root, every sandboxed launch would walk the whole disk looking for files no server may write.
  it.runIf(process.platform === 'linux')('browser mode started from the filesystem root works from the home folder', async () => {
    const user = tempDir('steward-user-');
    onTestFinished(() => rmSync(user, { recursive: true, force: true }));
    const { url } = await runUntilUrl([join(ROOT, 'dist', 'main', 'web', 'serve.js'), '--no-open'], { HOME: user }, '/');
    expect((await fetch(url)).status).toBe(200);
    expect(realpathSync(`/proc/${child!.pid}/cwd`)).toBe(realpathSync(user));
    expect(await stop()).toBe(0);
  });
});
