// The consent hash: a digest of everything that decides what a launch can do. Any change asks the user again.
import { createHash } from 'node:crypto';
import type { SandboxPlan } from '../../../shared/domain/servers.js';

export interface HashInput {
  command: string;
  args: readonly string[];
  cwd: string;
  envNames: readonly string[];
  /** Values of variables that change which code runs (NODE_OPTIONS and friends). */
  injectionValues: Readonly<Record<string, string>>;
  sandbox: SandboxPlan;
}

export function consentHash(input: HashInput): string {
  const canonical = {
    v: 1,
    command: input.command,
    args: [...input.args],
    cwd: input.cwd,
    env: [...input.envNames].sort(),
    injection: Object.fromEntries(Object.entries(input.injectionValues).sort(([a], [b]) => a.localeCompare(b))),
    sandbox: {
      mode: input.sandbox.mode,
      write: [...input.sandbox.writePaths].sort(),
      denyRead: [...input.sandbox.denyReadPaths].sort(),
      domains: [...input.sandbox.allowedDomains].sort(),
    },
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
