// planLaunch: a pure decision from a server's config to the exact launch (or a refusal with a reason).
import type { Finding, LaunchSpec, SandboxPlan, SandboxSettings, StdioConfig } from '../../../shared/domain/servers.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { buildChildEnv, CODE_INJECTION_ENV, dirOf, isReservedEnvName } from './child-env.js';
import { consentHash } from './consent-hash.js';
import { findDangers } from './findings.js';
import type { FsView } from './fs-view.js';
import { normalizeAbsolute, type Platform } from './platform-paths.js';
import { resolveCommand } from './resolve-command.js';
import { defaultSecretPaths } from './sandbox-profile.js';
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
  commandLine: string;
  findings: Finding[];
}

export interface Refusal {
  kind: 'refusal';
  code: ErrorCode;
  message: string;
}

export interface LaunchInput {
  config: StdioConfig;
  sandbox: SandboxSettings;
}

function refuse(code: ErrorCode, message: string): Refusal {
  return { kind: 'refusal', code, message };
}

export function planLaunch(input: LaunchInput, policy: LaunchPolicy, hostEnv: Readonly<Record<string, string | undefined>>, fs: FsView): LaunchPlan | Refusal {
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

  const command = resolveCommand(config.command, { platform, homeDir, pathEnv: hostEnv.PATH ?? hostEnv.Path, pathExt: hostEnv.PATHEXT, cwd }, fs);
  if (command === undefined) {
    return refuse('command_not_found', `Steward could not find "${config.command}" on PATH or in the usual install folders. Give its full path or install it.`);
  }

  const sandbox = planSandbox(input.sandbox, policy);
  if (sandbox.kind === 'refusal') return sandbox;

  const env = buildChildEnv({ platform, hostEnv, configEnv: config.env, extraPathDirs: [dirOf(command, platform)] });
  const envNames = Object.keys(config.env).sort();
  const injectionValues = Object.fromEntries(
    envNames.filter((n) => CODE_INJECTION_ENV.includes(n) || n.startsWith('DYLD_')).map((n) => [n, config.env[n] ?? '']),
  );
  const args = [...config.args];
  const hash = consentHash({ command, args, cwd, envNames, injectionValues, sandbox: sandbox.plan });
  return {
    kind: 'plan',
    spec: { command, args, cwd, envNames, sandbox: sandbox.plan, hash },
    env,
    commandLine: quoteCommandLine([command, ...args]),
    findings: findDangers({ command: config.command, args, envNames, sandbox: sandbox.plan, platform, homeDir }),
  };
}

function planSandbox(settings: SandboxSettings, policy: LaunchPolicy): { kind: 'ok'; plan: SandboxPlan } | Refusal {
  const { platform, homeDir } = policy;
  const paths = (list: readonly string[], what: string): string[] | Refusal => {
    const out: string[] = [];
    for (const p of list) {
      const absolute = normalizeAbsolute(p, homeDir, platform);
      if (absolute === undefined) return refuse('config_invalid', `The sandbox ${what} "${p}" is not an absolute path.`);
      if (!out.includes(absolute)) out.push(absolute);
    }
    return out;
  };
  const writePaths = paths(settings.writePaths, 'write folder');
  if (!Array.isArray(writePaths)) return writePaths;
  const extraDeny = paths(settings.denyReadPaths, 'hidden folder');
  if (!Array.isArray(extraDeny)) return extraDeny;
  const allowedDomains = [...new Set(settings.allowedDomains)];

  if (policy.sandbox.kind === 'unsupported') {
    return { kind: 'ok', plan: { mode: 'unsupported', writePaths: [], denyReadPaths: [], allowedDomains: [] } };
  }
  if (!settings.enabled) {
    return { kind: 'ok', plan: { mode: 'off', writePaths: [], denyReadPaths: [], allowedDomains: [] } };
  }
  if (policy.sandbox.kind === 'missing') {
    return refuse(
      'sandbox_unavailable',
      `The sandbox cannot run here: ${policy.sandbox.reason} Install it, or turn the sandbox off for this server as an explicit choice.`,
    );
  }
  // A secret location stays hidden even under a broad write grant; only an explicit grant of it (or inside it) opens it.
  const secrets = defaultSecretPaths(platform, homeDir, policy.dataDir).filter((s) => !writePaths.some((w) => w === s || w.startsWith(`${s}/`)));
  const denyReadPaths = [...new Set([...secrets, ...extraDeny])];
  return { kind: 'ok', plan: { mode: 'enforced', writePaths, denyReadPaths, allowedDomains } };
}
