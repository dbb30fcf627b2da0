// planLaunch: a pure decision from a server's config to the exact launch (or a refusal with a reason, or the package
// versions it still needs pinned). Runner presets, the sandbox, the child's environment and the consent hash meet here.
import type { PackagePin, RunnerPlan } from '../../../shared/domain/launch.js';
import type { Finding, LaunchSpec, SandboxPlan, SandboxSettings, StdioConfig } from '../../../shared/domain/servers.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { buildChildEnv, dirOf, isReservedEnvName } from './child-env.js';
import { consentHash } from './consent-hash.js';
import { envDigest, flaggedEnv } from './env-policy.js';
import { findDangers } from './findings.js';
import type { FsView } from './fs-view.js';
import { checkGrants, type CheckedGrants } from './grants.js';
import { hiddenLocationOf, hiddenLocations, RUNTIME_WRITE_PATHS, type HiddenLocation } from './hidden-paths.js';
import { expandHome, normalizeAbsolute, pathApi, type Platform } from './platform-paths.js';
import { missingRuntimeHint } from './runtime-hints.js';
import type { PinRequest, RunnerLaunch } from './runner-common.js';
import { planRunner } from './runner-plan.js';
import { resolveCommand } from './resolve-command.js';
import { parseRunner } from './runners.js';
import { quoteCommandLine } from './shell-quote.js';

export type SandboxSupport = { kind: 'available' } | { kind: 'missing'; reason: string } | { kind: 'unsupported' };

export interface LaunchPolicy {
  platform: Platform;
  homeDir: string;
  dataDir: string;
  sandbox: SandboxSupport;
}

export interface LaunchPlan {
  kind: 'plan';
  spec: LaunchSpec;
  /** Full environment for the child, values included. Never shown, never stored. */
  env: Record<string, string>;
  /** Environment for the download step: the safe basics and the runner's folders, none of the server's own values. */
  downloadEnv: Record<string, string>;
  commandLine: string;
  findings: Finding[];
  hidden: HiddenLocation[];
  /** The command as configured (before resolving), for the install hint when its runtime is missing. */
  configCommand: string;
}

export interface Refusal {
  kind: 'refusal';
  code: ErrorCode;
  message: string;
}

export interface PinsNeeded {
  kind: 'needs_pins';
  requests: PinRequest[];
}

export interface LaunchInput {
  config: StdioConfig;
  sandbox: SandboxSettings;
  /** The server's id: names its own folder under the data folder and salts its env digests. */
  serverId: string;
  /** Package versions pinned at first install. */
  pins?: readonly PackagePin[];
  /** Folders of Steward's own that this server alone may read (an installed bundle's files). */
  ownReadPaths?: readonly string[];
}

function refuse(code: ErrorCode, message: string): Refusal {
  return { kind: 'refusal', code, message };
}

/** The folder under the data folder that belongs to one server: its temp folder, caches and downloaded packages. */
export function serverDirOf(dataDir: string, serverId: string, platform: Platform): string {
  return pathApi(platform).join(dataDir, 'servers', serverId);
}

export function planLaunch(
  input: LaunchInput,
  policy: LaunchPolicy,
  hostEnv: Readonly<Record<string, string | undefined>>,
  fs: FsView,
): LaunchPlan | Refusal | PinsNeeded {
  const { config } = input;
  const { platform, homeDir } = policy;

  const reserved = Object.keys(config.env).filter(isReservedEnvName);
  if (reserved.length > 0) {
    return refuse('config_invalid', `The server may not set Steward's own variables (${reserved.join(', ')}).`);
  }

  let cwd = homeDir;
  if (config.cwd !== undefined && config.cwd.trim() !== '') {
    const absolute = normalizeAbsolute(config.cwd, homeDir, platform);
    if (absolute === undefined) return refuse('cwd_invalid', `The working folder "${config.cwd}" is not an absolute path.`);
    cwd = absolute;
  }
  if (!fs.isDirectory(cwd)) return refuse('cwd_invalid', `The working folder "${cwd}" does not exist or is not a folder.`);

  const resolveCtx = { platform, homeDir, pathEnv: hostEnv.PATH ?? hostEnv.Path, pathExt: hostEnv.PATHEXT, cwd };
  const resolved = resolveCommand(config.command, resolveCtx, fs);
  if (resolved === undefined) {
    const hint = missingRuntimeHint(config.command);
    return hint
      ? refuse('runtime_missing', `${hint.what} is not installed here: Steward could not find "${config.command}". ${hint.install}`)
      : refuse('command_not_found', `Steward could not find "${config.command}" on PATH or in the usual install folders. Give its full path or install it.`);
  }

  const hidden = hiddenLocations(platform, homeDir, policy.dataDir, hostEnv);
  const grants = checkGrants(input.sandbox, hidden, homeDir, platform);
  if (grants.kind === 'refusal') return grants;

  const serverDir = serverDirOf(policy.dataDir, input.serverId, platform);
  const sandboxOn = input.sandbox.enabled && policy.sandbox.kind !== 'unsupported';
  const invocation = parseRunner(resolved, config.args);
  let launch: RunnerLaunch | undefined;
  if (invocation) {
    const outcome = planRunner(invocation, config.args, {
      platform,
      serverDir,
      runnerPath: resolved,
      configEnv: config.env,
      pins: input.pins ?? [],
      sandboxOn,
      userDomains: grants.allowedDomains,
      // A runner's tools (npm beside npx, uv beside uvx) are looked for next to it first.
      find: (name) =>
        resolveCommand(name, { ...resolveCtx, pathEnv: [dirOf(resolved, platform), resolveCtx.pathEnv ?? ''].join(platform === 'win32' ? ';' : ':') }, fs),
    });
    if (outcome.kind !== 'runner') return outcome;
    launch = outcome;
    for (const { host } of launch.containerMounts) {
      const h = hiddenLocationOf(normalizeAbsolute(expandHome(host, homeDir, platform), homeDir, platform) ?? host, hidden, platform);
      if (h) return refuse('grant_refused', `Steward will not mount ${host} into the container: it holds ${h.what}, hidden from every server.`);
    }
  }

  const sandbox = planSandbox(input.sandbox.enabled, grants, policy, hidden, serverDir, launch, input.ownReadPaths ?? []);
  if (sandbox.kind === 'refusal') return sandbox;

  const command = launch?.command ?? resolved;
  const args = launch?.args ?? [...config.args];
  const childEnvIn = { ...config.env, ...launch?.env };
  const env = buildChildEnv({ platform, hostEnv, configEnv: childEnvIn, extraPathDirs: [...(launch?.extraPathDirs ?? []), dirOf(command, platform)] });
  const downloadEnv = buildChildEnv({ platform, hostEnv, configEnv: launch?.runner.download?.env ?? {}, extraPathDirs: launch?.extraPathDirs ?? [] });
  const envNames = Object.keys(childEnvIn).sort();
  const envDigests = Object.fromEntries(envNames.map((n) => [n, envDigest(input.serverId, n, childEnvIn[n] ?? '')]));
  const flagged = flaggedEnv(config.env);
  const runner: RunnerPlan | null = launch?.runner ?? null;
  // The interpreter a prefetched package runs on is a file of its own: its real path is part of what runs.
  const realCommand = launch?.runner.mode === 'prefetch' ? command : fs.realPath(command);
  const body = { command, realCommand, args, cwd, envNames, envDigests, sandbox: sandbox.plan, runner };
  const spec: LaunchSpec = { ...body, flaggedEnv: flagged, hash: consentHash(body) };
  return {
    kind: 'plan',
    spec,
    env,
    downloadEnv,
    commandLine: quoteCommandLine([command, ...args]),
    findings: findDangers({
      command: config.command,
      args: config.args,
      flaggedEnv: flagged,
      sandbox: sandbox.plan,
      platform,
      homeDir,
      hidden,
      runner,
      invocation,
    }),
    hidden,
    configCommand: config.command,
  };
}

const EMPTY = {
  writePaths: [],
  readPaths: [],
  ownWritePaths: [],
  ownReadPaths: [],
  runtimeWritePaths: [],
  tempDir: null,
  denyReadPaths: [],
  allowedDomains: [],
};

function planSandbox(
  enabled: boolean,
  grants: CheckedGrants,
  policy: LaunchPolicy,
  hidden: readonly HiddenLocation[],
  serverDir: string,
  launch: RunnerLaunch | undefined,
  extraReads: readonly string[],
): { kind: 'ok'; plan: SandboxPlan } | Refusal {
  if (policy.sandbox.kind === 'unsupported') return { kind: 'ok', plan: { mode: 'unsupported', ...EMPTY } };
  if (launch?.runner.mode === 'container') {
    const writes = launch.containerMounts.filter((m) => !m.readOnly).map((m) => normalizeAbsolute(m.host, policy.homeDir, policy.platform) ?? m.host);
    return { kind: 'ok', plan: { mode: 'container', ...EMPTY, writePaths: writes, allowedDomains: grants.allowedDomains } };
  }
  if (!enabled) return { kind: 'ok', plan: { mode: 'off', ...EMPTY } };
  if (policy.sandbox.kind === 'missing') {
    return refuse(
      'sandbox_unavailable',
      `The sandbox cannot run here: ${policy.sandbox.reason} Install it, or turn the sandbox off for this server as an explicit choice.`,
    );
  }
  const tempDir = pathApi(policy.platform).join(serverDir, 'tmp');
  // A hidden location stays hidden even under a broad write grant; only a read grant of exactly it shows it.
  const denyReadPaths = [...new Set([...hidden.filter((h) => !grants.readPaths.includes(h.path)).map((h) => h.path), ...grants.denyReadPaths])];
  return {
    kind: 'ok',
    plan: {
      mode: 'enforced',
      writePaths: grants.writePaths,
      readPaths: grants.readPaths,
      ownWritePaths: [tempDir, ...(launch?.ownWritePaths ?? [])],
      ownReadPaths: [...(launch?.ownReadPaths ?? []), ...extraReads],
      runtimeWritePaths: [...RUNTIME_WRITE_PATHS],
      tempDir,
      denyReadPaths,
      allowedDomains: [...new Set([...grants.allowedDomains, ...(launch?.domains ?? [])])],
    },
  };
}
