// The consent hash: a digest of everything that decides what code runs and what it may do. Any change asks the user again.
import { createHash } from 'node:crypto';
import type { LaunchSpec } from '../../../shared/domain/servers.js';

export type HashInput = Omit<LaunchSpec, 'hash' | 'flaggedEnv'>;

const sorted = (list: readonly string[]) => [...list].sort();

export function consentHash(input: HashInput): string {
  const sb = input.sandbox;
  const canonical = {
    v: 2,
    command: input.command,
    realCommand: input.realCommand,
    args: [...input.args],
    cwd: input.cwd,
    env: sorted(input.envNames).map((name) => [name, input.envDigests[name] ?? '']),
    sandbox: {
      mode: sb.mode,
      write: sorted(sb.writePaths),
      read: sorted(sb.readPaths),
      ownWrite: sorted(sb.ownWritePaths),
      ownRead: sorted(sb.ownReadPaths),
      runtimeWrite: sorted(sb.runtimeWritePaths),
      temp: sb.tempDir,
      denyRead: sorted(sb.denyReadPaths),
      domains: sorted(sb.allowedDomains),
    },
    runner: input.runner && {
      tool: input.runner.tool,
      mode: input.runner.mode,
      packages: input.runner.packages.map((p) => [p.ecosystem, p.name, p.requested, p.version, p.integrity]),
      cacheDir: input.runner.cacheDir,
      download: input.runner.download && {
        command: input.runner.download.command,
        args: input.runner.download.args,
        env: Object.entries(input.runner.download.env).sort(([a], [b]) => (a < b ? -1 : 1)),
        cwd: input.runner.download.cwd,
        domains: sorted(input.runner.download.allowedDomains),
        write: sorted(input.runner.download.writePaths),
        sandboxed: input.runner.download.sandboxed,
      },
    },
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
