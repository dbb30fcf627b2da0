// Finds the absolute path of a server's command the way a login shell would, even from a GUI app with a poor PATH.
import type { FsView } from './fs-view.js';
import { expandHome, pathApi, type Platform } from './platform-paths.js';

export interface ResolveContext {
  platform: Platform;
  homeDir: string;
  /** The host's PATH (may be minimal when launched from a desktop environment). */
  pathEnv: string | undefined;
  /** Windows PATHEXT. */
  pathExt?: string | undefined;
  /** Folder a relative command (./server) is resolved against. */
  cwd: string;
}

/** Where node, npx, uvx, bun and friends usually live when PATH does not say so. */
export function usualBinDirs(platform: Platform, homeDir: string, fs: FsView): string[] {
  const api = pathApi(platform);
  const home = (...parts: string[]) => api.join(homeDir, ...parts);
  if (platform === 'win32') {
    return [
      home('AppData', 'Roaming', 'npm'),
      'C:\\Program Files\\nodejs',
      home('.local', 'bin'),
      home('.cargo', 'bin'),
      home('AppData', 'Local', 'Programs', 'Python', 'Launcher'),
    ];
  }
  const nvmRoot = home('.nvm', 'versions', 'node');
  const nvmBins = fs
    .listDir(nvmRoot)
    .filter((v) => /^v\d+/.test(v))
    .sort((a, b) => compareVersionsDesc(a, b))
    .map((v) => api.join(nvmRoot, v, 'bin'));
  return [
    ...(platform === 'darwin' ? ['/opt/homebrew/bin', '/opt/homebrew/sbin'] : []),
    '/usr/local/bin',
    '/usr/bin',
    '/bin',
    home('.local', 'bin'),
    home('.volta', 'bin'),
    ...nvmBins,
    home('.fnm', 'aliases', 'default', 'bin'),
    home('.asdf', 'shims'),
    home('.local', 'share', 'mise', 'shims'),
    home('.bun', 'bin'),
    home('.deno', 'bin'),
    home('.cargo', 'bin'),
    home('.npm-global', 'bin'),
    ...(platform === 'linux' ? ['/snap/bin'] : []),
  ];
}

function compareVersionsDesc(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function searchDirs(ctx: ResolveContext, fs: FsView): string[] {
  const sep = ctx.platform === 'win32' ? ';' : ':';
  const fromPath = (ctx.pathEnv ?? '').split(sep).filter((d) => d.length > 0 && pathApi(ctx.platform).isAbsolute(d));
  const seen = new Set<string>();
  return [...fromPath, ...usualBinDirs(ctx.platform, ctx.homeDir, fs)].filter((d) => {
    if (seen.has(d)) return false;
    seen.add(d);
    return true;
  });
}

/** Where a command would be found with the host's PATH (and the usual folders); undefined when it is not installed. */
export function findCommand(
  command: string,
  ctx: { platform: Platform; hostEnv: Readonly<Record<string, string | undefined>>; homeDir: string; cwd: string },
  fs: FsView,
): string | undefined {
  const { hostEnv } = ctx;
  return resolveCommand(
    command,
    { platform: ctx.platform, homeDir: ctx.homeDir, pathEnv: hostEnv.PATH ?? hostEnv.Path, pathExt: hostEnv.PATHEXT, cwd: ctx.cwd },
    fs,
  );
}

/** The absolute path to run, or undefined when nothing executable matches. Never consults a shell. */
export function resolveCommand(command: string, ctx: ResolveContext, fs: FsView): string | undefined {
  const api = pathApi(ctx.platform);
  const expanded = expandHome(command, ctx.homeDir, ctx.platform);
  const extensions =
    ctx.platform === 'win32'
      ? [
          '',
          ...(ctx.pathExt ?? '.COM;.EXE;.BAT;.CMD')
            .split(';')
            .filter(Boolean)
            .map((e) => e.toLowerCase()),
        ]
      : [''];
  const candidatesFor = (base: string) => extensions.map((ext) => base + ext);

  const hasSeparator = expanded.includes('/') || (ctx.platform === 'win32' && expanded.includes('\\'));
  if (hasSeparator) {
    const absolute = api.isAbsolute(expanded) ? api.normalize(expanded) : api.resolve(ctx.cwd, expanded);
    return candidatesFor(absolute).find((c) => fs.isExecutableFile(c));
  }
  for (const dir of searchDirs(ctx, fs)) {
    const found = candidatesFor(api.join(dir, expanded)).find((c) => fs.isExecutableFile(c));
    if (found) return found;
  }
  return undefined;
}
