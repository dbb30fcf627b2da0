// What every runner preset shares: the planning context, pin requests, the launch a preset produces, and small helpers.
import { createHash } from 'node:crypto';
import type { DownloadStep, Ecosystem, PackagePin, PackageRef, RunnerPlan } from '../../../shared/domain/launch.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { Platform } from './platform-paths.js';
import type { RunnerPackage } from './runners.js';
import { quoteCommandLine } from './shell-quote.js';

export interface RunnerContext {
  platform: Platform;
  /** The folder that belongs to this server alone: <data>/servers/<id>. */
  serverDir: string;
  /** The resolved runner (the absolute path of npx, uvx, docker…). */
  runnerPath: string;
  configEnv: Readonly<Record<string, string>>;
  pins: readonly PackagePin[];
  /** Whether the user keeps the sandbox on for this server. */
  sandboxOn: boolean;
  /** Domains the user granted; a download may reach them too. */
  userDomains: readonly string[];
  /** Finds a tool (npm, node, uv): next to the runner first, then where a shell would. */
  find(name: string): string | undefined;
}

export interface PinRequest {
  ecosystem: Ecosystem;
  name: string;
  requested: string;
  registry: string;
  /** The program that can answer (npm for `npm view`, docker for a pull); null to ask the registry over HTTPS. */
  tool: string | null;
}

export interface RunnerLaunch {
  kind: 'runner';
  runner: RunnerPlan;
  command: string;
  args: string[];
  /** Variables Steward sets for the server (its caches); they are part of the consent hash. */
  env: Record<string, string>;
  extraPathDirs: string[];
  ownWritePaths: string[];
  ownReadPaths: string[];
  /** Domains the running server needs (own-cache mode: the registry). */
  domains: string[];
  /** Host folders a container mounts (the engine, not Steward's sandbox, enforces them). */
  containerMounts: Array<{ host: string; readOnly: boolean }>;
}

export type RunnerOutcome = RunnerLaunch | { kind: 'needs_pins'; requests: PinRequest[] } | { kind: 'refusal'; code: ErrorCode; message: string };

/**
 * The launch when the runner must fetch inside the server's sandbox: the runner itself, with a cache of the server's own
 * as its only writable place and the registry domains as its only network; `note` says why and what it may reach.
 */
export function ownCacheLaunch(
  ctx: RunnerContext,
  run: { tool: RunnerPlan['tool']; packages: PackageRef[]; cache: string; env: Record<string, string>; domains: string[]; note: string },
): RunnerLaunch {
  return {
    kind: 'runner',
    runner: { tool: run.tool, mode: 'own-cache', packages: run.packages, cacheDir: run.cache, download: null, notes: [run.note] },
    command: ctx.runnerPath,
    args: [],
    env: run.env,
    extraPathDirs: [],
    ownWritePaths: [run.cache],
    ownReadPaths: [],
    domains: run.domains,
    containerMounts: [],
  };
}

export const NPM_REGISTRY = 'https://registry.npmjs.org/';

export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

export function refuse(code: ErrorCode, message: string): { kind: 'refusal'; code: ErrorCode; message: string } {
  return { kind: 'refusal', code, message };
}

/** A short, stable folder name for a set of exact packages: a new version gets a new folder, so old code is never mixed in. */
export function packagesSlug(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

export function findPin(pins: readonly PackagePin[], ecosystem: Ecosystem, pkg: RunnerPackage): PackagePin | undefined {
  return pins.find((p) => p.ecosystem === ecosystem && p.name === pkg.name && p.requested === pkg.requested && (pkg.exact === null || p.version === pkg.exact));
}

export function refOf(ecosystem: Ecosystem, pkg: RunnerPackage, pin: PackagePin | undefined): PackageRef {
  return {
    ecosystem,
    name: pkg.name,
    requested: pkg.requested,
    version: pkg.exact ?? pin?.version ?? null,
    integrity: pin?.integrity ?? null,
    pinnedBy: pkg.exact !== null ? 'config' : pin ? 'steward' : null,
  };
}

/** The variables that keep every runner's caches inside the server's own folder. */
export function ownCacheEnv(cache: string, join: (...p: string[]) => string): Record<string, string> {
  return {
    npm_config_cache: join(cache, 'npm'),
    npm_config_logs_dir: join(cache, 'npm', '_logs'),
    npm_config_update_notifier: 'false',
    npm_config_store_dir: join(cache, 'pnpm-store'),
    BUN_INSTALL_CACHE_DIR: join(cache, 'bun'),
    YARN_CACHE_FOLDER: join(cache, 'yarn'),
    YARN_GLOBAL_FOLDER: join(cache, 'yarn-global'),
    UV_CACHE_DIR: join(cache, 'uv'),
    UV_TOOL_DIR: join(cache, 'uv-tools'),
    UV_PYTHON_INSTALL_DIR: join(cache, 'python'),
    UV_LINK_MODE: 'copy',
    PIPX_HOME: join(cache, 'pipx'),
    PIPX_BIN_DIR: join(cache, 'pipx', 'bin'),
    PIP_CACHE_DIR: join(cache, 'pip'),
    XDG_CACHE_HOME: join(cache, 'xdg-cache'),
    XDG_DATA_HOME: join(cache, 'xdg-data'),
    XDG_STATE_HOME: join(cache, 'xdg-state'),
  };
}

export function downloadStep(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  allowedDomains: string[],
  writePaths: string[],
  sandboxed: boolean,
): DownloadStep {
  const envWords = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return {
    command,
    args,
    env,
    commandLine: quoteCommandLine([...envWords, command, ...args]),
    cwd,
    allowedDomains: [...new Set(allowedDomains)],
    writePaths,
    sandboxed,
  };
}
