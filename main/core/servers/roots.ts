// Folders shared with a server as its roots: existing folders, by their normalised absolute path, and never one of the
// locations Steward hides from every server (keys, credentials, histories, its own data) nor a folder inside one.
import { posix, win32 } from 'node:path';
import type { Root } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import { hiddenLocationOf, hiddenLocations, type FsView, type Platform } from '../security/index.js';

export interface RootsContext {
  platform: Platform;
  homeDir: string;
  dataDir: string;
  /** The host's environment: where it moves ~/.config (XDG_CONFIG_HOME), the hidden locations there are hidden too. */
  hostEnv: Readonly<Record<string, string | undefined>>;
  fs: Pick<FsView, 'isDirectory' | 'realPath'>;
}

/**
 * The roots as they are kept: each path normalised (no `..`, no trailing separator) and given once. A root only tells
 * a server where to work, and grants nothing; still, naming a hidden location would invite the server to read what the
 * sandbox hides (and what it cannot hide when the sandbox is off), so it is refused as a grant to it is, for the path as
 * given and for where its links lead. The filesystem root and the home folder stay allowed, as they are for write
 * grants: the hidden locations inside them stay hidden.
 */
export function checkRoots(roots: readonly Root[], ctx: RootsContext): Root[] {
  const api = ctx.platform === 'win32' ? win32 : posix;
  // The same list write and read grants are checked against (grants.ts).
  const hidden = hiddenLocations(ctx.platform, ctx.homeDir, ctx.dataDir, ctx.hostEnv);
  const clean: Root[] = [];
  for (const root of roots) {
    if (!api.isAbsolute(root.path)) throw new StewardError('invalid_payload', `"${root.path}" is not an absolute path.`);
    const path = api.resolve(root.path);
    for (const candidate of [path, ctx.fs.realPath(path)]) {
      const h = hiddenLocationOf(candidate, hidden, ctx.platform);
      if (h) {
        throw new StewardError(
          'grant_refused',
          `Steward will not share ${path} with a server: ${candidate === path ? 'it' : `it leads to ${candidate}, which`} ${h.path === candidate ? 'holds' : `is inside ${h.path}, which holds`} ${h.what}, hidden from every server. Choose a folder elsewhere.`,
        );
      }
    }
    if (!ctx.fs.isDirectory(path)) throw new StewardError('invalid_payload', `"${path}" is not an existing folder.`);
    if (!clean.some((r) => r.path === path)) clean.push({ ...root, path });
  }
  return clean;
}
