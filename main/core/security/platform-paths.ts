// Path helpers that must behave like the target platform, not the machine running the tests.
import path from 'node:path';

export type Platform = 'linux' | 'darwin' | 'win32';

export function pathApi(platform: Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** `~` and `~/x` become the home folder; other paths are returned as they are. */
export function expandHome(p: string, homeDir: string, platform: Platform): string {
  if (p === '~') return homeDir;
  if (p.startsWith('~/') || (platform === 'win32' && p.startsWith('~\\'))) return pathApi(platform).join(homeDir, p.slice(2));
  return p;
}

export function normalizeAbsolute(p: string, homeDir: string, platform: Platform): string | undefined {
  const api = pathApi(platform);
  const expanded = expandHome(p.trim(), homeDir, platform);
  if (!api.isAbsolute(expanded)) return undefined;
  const normalized = api.normalize(expanded);
  return normalized.length > 1 ? normalized.replace(/[\\/]+$/, '') : normalized;
}
