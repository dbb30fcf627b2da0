// From a consented launch to what the OS sandbox is told, for the server itself and for its download step.
import type { LaunchSpec } from '../../../shared/domain/servers.js';
import { isAtOrUnder, runtimeConvenienceWrites } from './hidden-paths.js';
import type { Platform } from './platform-paths.js';
import type { SandboxRequest } from './sandbox-runner.js';

function denyWrites(granted: readonly string[], platform: Platform, homeDir: string): string[] {
  return runtimeConvenienceWrites(platform, homeDir).filter((p) => !granted.some((g) => isAtOrUnder(p, g, platform)));
}

/** `env` is the server's whole environment (the plan's), set inside the sandbox. */
export function serverSandboxRequest(spec: LaunchSpec, platform: Platform, homeDir: string, env: Readonly<Record<string, string>>): SandboxRequest {
  const sb = spec.sandbox;
  const writes = [...sb.writePaths, ...sb.ownWritePaths];
  return {
    argv: [spec.command, ...spec.args],
    env,
    cwd: spec.cwd,
    tempDir: sb.tempDir,
    denyRead: sb.denyReadPaths,
    allowRead: [...sb.ownReadPaths, ...sb.ownWritePaths],
    allowWrite: writes,
    denyWrite: denyWrites(writes, platform, homeDir),
    allowedDomains: sb.allowedDomains,
  };
}

/** The download step: the registry (and the user's domains) only, writes only to the package folder and its cache. */
export function downloadSandboxRequest(
  spec: LaunchSpec,
  platform: Platform,
  homeDir: string,
  env: Readonly<Record<string, string>>,
): SandboxRequest | undefined {
  const step = spec.runner?.download;
  if (!step) return undefined;
  const writes = [...step.writePaths, ...(spec.sandbox.tempDir ? [spec.sandbox.tempDir] : [])];
  return {
    argv: [step.command, ...step.args],
    env,
    cwd: step.cwd,
    tempDir: spec.sandbox.tempDir,
    denyRead: spec.sandbox.denyReadPaths,
    allowRead: writes,
    allowWrite: writes,
    denyWrite: denyWrites(writes, platform, homeDir),
    allowedDomains: step.allowedDomains,
  };
}

/** Every path a run may write, for telling a real denial from a write it was allowed. */
export function writablePaths(request: SandboxRequest, runtimeWrites: readonly string[]): string[] {
  return [...request.allowWrite, ...runtimeWrites];
}
