// The download step of a runner preset: run once per pinned package set, in a sandbox of its own (the registry only, writes
// only to the server's package folder), checked against the pin, and remembered with a marker so warm starts skip it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DownloadStep } from '../../../shared/domain/launch.js';
import type { LogLine, ServerError } from '../../../shared/domain/servers.js';
import {
  passEnvironment,
  classifyFailure,
  downloadSandboxRequest,
  RUNTIME_WRITE_PATHS,
  type FailureOutcome,
  type LaunchPlan,
  type Platform,
  type SandboxRunner,
  type WrappedCommand,
} from '../security/index.js';
import { LineSplitter } from './line-splitter.js';
import { TreeSnapshot } from './process-tree.js';

export interface DownloadDeps {
  sandbox: SandboxRunner;
  platform: Platform;
  homeDir: string;
  serverName: string;
  timeoutMs: number;
  log(stream: LogLine['stream'], level: LogLine['level'], text: string): void;
  now(): string;
  /** The download's process is running (pid). */
  started(pid: number): void;
}

export type DownloadResult = { ok: true; skipped: boolean } | { ok: false; error: ServerError };

export interface DownloadRun {
  done: Promise<DownloadResult>;
  /** Stops the download and everything it started. */
  kill(): void;
}

const MARKER = '.steward-download.json';
const TAIL = 30;

function stepKey(step: DownloadStep): string {
  return createHash('sha256')
    .update(JSON.stringify([step.command, step.args, Object.entries(step.env).sort()]))
    .digest('hex');
}

/** What the finished download must hold; a mismatch means it is not the code the user approved. */
function verify(plan: LaunchPlan): string | undefined {
  const runner = plan.spec.runner;
  if (!runner) return undefined;
  for (const pkg of runner.packages) {
    if (pkg.ecosystem !== 'npm') continue;
    const dir = join(runner.cacheDir, 'node_modules', ...pkg.name.split('/'));
    let version: unknown;
    try {
      version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    } catch {
      return `${pkg.name} is missing from the download.`;
    }
    if (version !== pkg.version) return `The download holds ${pkg.name} ${String(version)}, not the pinned ${pkg.version}.`;
    if (pkg.integrity) {
      let recorded: unknown;
      try {
        const lock = JSON.parse(readFileSync(join(runner.cacheDir, 'node_modules', '.package-lock.json'), 'utf8')) as {
          packages?: Record<string, { integrity?: unknown }>;
        };
        recorded = lock.packages?.[`node_modules/${pkg.name}`]?.integrity;
      } catch {
        recorded = undefined;
      }
      if (recorded !== pkg.integrity) return `The downloaded ${pkg.name} does not match the registry's checksum it was pinned with.`;
    }
  }
  if (runner.mode === 'prefetch' && runner.packages.every((p) => p.ecosystem === 'pypi') && !existsSync(plan.spec.command)) {
    return `The installed package has no command ${plan.spec.command.split(/[\\/]/).pop() ?? ''}.`;
  }
  return undefined;
}

function alreadyThere(plan: LaunchPlan, cacheDir: string, step: DownloadStep): boolean {
  try {
    const marker = JSON.parse(readFileSync(join(cacheDir, MARKER), 'utf8')) as { key?: unknown };
    return marker.key === stepKey(step) && verify(plan) === undefined;
  } catch {
    return false;
  }
}

/** Older package folders of this server go once a new one is complete: no stale code is left to run. */
function dropOlder(current: string): void {
  const parent = dirname(current);
  for (const entry of readdirSync(parent)) {
    const path = join(parent, entry);
    if (path !== current) rmSync(path, { recursive: true, force: true });
  }
}

export function startDownload(plan: LaunchPlan, deps: DownloadDeps): DownloadRun {
  const runner = plan.spec.runner;
  const step = runner?.download;
  if (!runner || !step || (runner.mode === 'prefetch' && alreadyThere(plan, runner.cacheDir, step))) {
    return { done: Promise.resolve({ ok: true, skipped: true }), kill: () => undefined };
  }
  let child: ChildProcess | undefined;
  let snapshot: TreeSnapshot | undefined;
  // Set from kill(), read after the process is gone.
  const state = { killed: false };
  const done = (async (): Promise<DownloadResult> => {
    const sandboxed = step.sandboxed && plan.spec.sandbox.mode === 'enforced';
    const request = downloadSandboxRequest(plan.spec, deps.platform, deps.homeDir, plan.downloadEnv);
    let wrapped: WrappedCommand | undefined;
    if (sandboxed && request) wrapped = await deps.sandbox.wrap(request);
    const file = wrapped?.file ?? step.command;
    const args = wrapped?.args ?? step.args;
    deps.log('host', 'info', `Downloading: ${step.commandLine}${sandboxed ? ` (sandboxed; network only to ${step.allowedDomains.join(', ')})` : ''}`);
    const tail: string[] = [];
    const keep = (line: string) => {
      tail.push(line);
      if (tail.length > TAIL) tail.shift();
    };
    const outcome = await new Promise<FailureOutcome>((resolve) => {
      try {
        child = spawn(file, args, {
          cwd: step.cwd,
          env: wrapped?.env ?? { ...plan.downloadEnv, SHLVL: '1' },
          stdio: wrapped ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
          shell: false,
          windowsHide: true,
          detached: process.platform !== 'win32',
        });
      } catch (error) {
        resolve({ kind: 'spawn_error', code: (error as NodeJS.ErrnoException).code ?? 'EFAIL' });
        return;
      }
      const c = child;
      if (wrapped) passEnvironment(c, wrapped.environment);
      const err = new LineSplitter((line) => {
        keep(line);
        deps.log('stderr', 'info', line);
      });
      const out = new LineSplitter((line) => deps.log('stderr', 'info', line));
      c.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
      c.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
      c.once('spawn', () => {
        if (c.pid !== undefined) {
          snapshot = new TreeSnapshot(c.pid);
          deps.started(c.pid);
        }
        if (state.killed) snapshot?.signal('SIGKILL');
      });
      const timer = setTimeout(() => {
        snapshot?.refresh();
        snapshot?.signal('SIGKILL');
        resolve({ kind: 'timeout', seconds: Math.round(deps.timeoutMs / 1000) });
      }, deps.timeoutMs);
      timer.unref();
      c.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ kind: 'spawn_error', code: e.code ?? 'EFAIL' });
      });
      c.once('close', (code, signal) => {
        clearTimeout(timer);
        err.flush();
        out.flush();
        resolve({ kind: 'exit', code, signal });
      });
    });
    // Denials reach the runtime's store a moment after the process that caused them exits.
    await new Promise((r) => setTimeout(r, 100));
    const violations = wrapped?.violations() ?? [];
    wrapped?.release();
    if (state.killed) return { ok: false, error: { code: 'cancelled', message: 'The download was stopped.', stderrTail: tail, at: deps.now() } };
    if (outcome.kind === 'exit' && outcome.code === 0) {
      const wrong = verify(plan);
      if (wrong) return { ok: false, error: failed(deps, 'download_failed', wrong, tail) };
      writeFileSync(join(runner.cacheDir, MARKER), JSON.stringify({ key: stepKey(step), packages: runner.packages, at: deps.now() }));
      if (runner.mode === 'prefetch') dropOlder(runner.cacheDir);
      deps.log('host', 'info', 'Download complete.');
      return { ok: true, skipped: false };
    }
    const failure = classifyFailure({
      serverName: deps.serverName,
      phase: 'download',
      outcome,
      stderr: tail,
      violations,
      writable: [...(request?.allowWrite ?? []), ...RUNTIME_WRITE_PATHS],
      hidden: plan.hidden,
      readOnlyOwn: [],
      command: step.command,
      platform: deps.platform,
    });
    deps.log('host', 'error', `Download failed: ${failure.summary}`);
    return { ok: false, error: { code: 'download_failed', message: failure.summary, stderrTail: tail, failure, at: deps.now() } };
  })();
  return {
    done,
    kill: () => {
      state.killed = true;
      snapshot?.refresh();
      snapshot?.signal('SIGKILL');
    },
  };
}

function failed(deps: DownloadDeps, code: string, message: string, tail: string[]): ServerError {
  return {
    code,
    message,
    stderrTail: tail,
    at: deps.now(),
    failure: {
      class: 'download_failed',
      phase: 'download',
      summary: `Download failed: ${message}`,
      evidence: message,
      fix: { kind: 'retry', label: 'Download again', value: null, command: `steward servers start "${deps.serverName}"`, hint: null },
      retryable: true,
    },
  };
}
