// Folders a launch needs before it starts: granted folders are created (or refused with the folder named), and so are the
// server's own temp, cache and package folders. The sandbox can only bind folders that exist.
import { mkdirSync, statSync } from 'node:fs';
import type { LaunchSpec } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';

function ensureFolder(path: string, what: string): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new StewardError('grant_refused', `Steward could not create ${what} ${path} (${code}); create it yourself or grant another folder.`);
  }
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new StewardError('grant_refused', `${what.charAt(0).toUpperCase()}${what.slice(1)} ${path} is not a folder; grant a folder.`);
}

/** Creates every folder the launch writes to; throws grant_refused naming the first one that cannot be made. */
export function prepareFolders(spec: LaunchSpec): void {
  if (spec.sandbox.mode !== 'enforced' && spec.runner === null) return;
  for (const p of spec.sandbox.writePaths) if (spec.sandbox.mode === 'enforced') ensureFolder(p, 'the granted folder');
  for (const p of [...spec.sandbox.ownWritePaths, ...spec.sandbox.ownReadPaths]) ensureFolder(p, "the server's own folder");
  for (const p of spec.runner?.download?.writePaths ?? []) ensureFolder(p, "the server's download folder");
  if (spec.runner?.download) ensureFolder(spec.runner.download.cwd, "the server's download folder");
}
