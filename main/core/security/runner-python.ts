// Python runners (uvx, uv tool run, uv run, pipx run): the tool is installed once into the server's own folder and its
// command then runs from there with no network; a local project (uv run) runs sandboxed with a cache of its own.
import { pathApi } from './platform-paths.js';
import {
  downloadStep,
  findPin,
  hostOf,
  ownCacheEnv,
  packagesSlug,
  refOf,
  refuse,
  type PinRequest,
  type RunnerContext,
  type RunnerOutcome,
  ownCacheLaunch,
} from './runner-common.js';
import type { RunnerInvocation, RunnerPackage } from './runners.js';

export const PYPI_INDEX = 'https://pypi.org/simple';
const PYPI_DOMAINS = ['pypi.org', 'files.pythonhosted.org'];

function indexOf(inv: RunnerInvocation, env: Readonly<Record<string, string>>): string | null {
  return inv.registry ?? env.UV_DEFAULT_INDEX ?? env.UV_INDEX_URL ?? env.PIP_INDEX_URL ?? null;
}

const specOf = (pkg: RunnerPackage, version: string) => `${pkg.name}==${version}`;

export function planPython(inv: RunnerInvocation, ctx: RunnerContext): RunnerOutcome {
  const api = pathApi(ctx.platform);
  const index = indexOf(inv, ctx.configEnv);
  const indexHost = index === null ? null : hostOf(index);
  if (index !== null && !indexHost) return refuse('config_invalid', `The package index "${index}" is not a valid URL.`);
  const domains = indexHost ? [indexHost] : PYPI_DOMAINS;
  const installer = inv.tool === 'pipx run' ? ctx.runnerPath : inv.tool === 'uv run' ? undefined : ctx.find('uv');
  const prefetch =
    installer !== undefined && inv.program !== null && inv.packages.length > 0 && inv.unfetchable.length === 0 && inv.blocksPrefetch.length === 0;

  const requests: PinRequest[] = [];
  for (const pkg of inv.packages) {
    if (pkg.exact === null && !findPin(ctx.pins, 'pypi', pkg)) {
      requests.push({ ecosystem: 'pypi', name: pkg.name, requested: pkg.requested, registry: index ?? PYPI_INDEX, tool: null });
    }
  }
  if (requests.length > 0) return { kind: 'needs_pins', requests };
  const refs = inv.packages.map((pkg) => refOf('pypi', pkg, findPin(ctx.pins, 'pypi', pkg)));
  // Every package has a version here: the exact one in the command, or the pin asked for above.
  const versions = refs.map((r) => r.version ?? '');
  const specs = inv.packages.map((p, i) => specOf(p, versions[i] ?? ''));

  const [main = '', ...extra] = specs;
  if (prefetch && inv.program !== null) {
    const pkgDir = api.join(ctx.serverDir, 'packages', packagesSlug(inv.packages.map((p, i) => `pypi:${p.name}==${versions[i]}`)));
    const dlCache = api.join(ctx.serverDir, 'download-cache');
    const bin = api.join(pkgDir, 'bin');
    const step =
      inv.tool === 'pipx run'
        ? downloadStep(
            installer,
            ['install', '--force', main, ...(index ? ['--index-url', index] : [])],
            { PIPX_HOME: api.join(pkgDir, 'pipx'), PIPX_BIN_DIR: bin, PIPX_MAN_DIR: api.join(pkgDir, 'man'), PIP_CACHE_DIR: api.join(dlCache, 'pip') },
            pkgDir,
            [...domains, ...ctx.userDomains],
            [pkgDir, dlCache],
            ctx.sandboxOn,
          )
        : downloadStep(
            installer,
            ['tool', 'install', main, ...extra.flatMap((s) => ['--with', s]), ...(index ? ['--default-index', index] : [])],
            {
              UV_TOOL_DIR: api.join(pkgDir, 'tools'),
              UV_TOOL_BIN_DIR: bin,
              UV_PYTHON_INSTALL_DIR: api.join(pkgDir, 'python'),
              UV_CACHE_DIR: api.join(dlCache, 'uv'),
              UV_LINK_MODE: 'copy',
              UV_NO_PROGRESS: '1',
            },
            pkgDir,
            [...domains, ...ctx.userDomains],
            [pkgDir, dlCache],
            ctx.sandboxOn,
          );
    const list = inv.packages.map((p, i) => `${p.name} ${versions[i]}`).join(', ');
    return {
      kind: 'runner',
      runner: {
        tool: inv.tool,
        mode: 'prefetch',
        packages: refs,
        cacheDir: pkgDir,
        download: step,
        notes: [
          `Steward installs ${list} once with ${inv.tool === 'pipx run' ? 'pipx' : 'uv'}, into a folder that belongs to this server alone; the install may reach only ${domains.join(', ')} and write only there.`,
          `The server then runs its "${inv.program}" command from that folder: no network unless you grant it, and it cannot change the installed code.`,
        ],
      },
      command: api.join(bin, inv.program),
      args: [...inv.serverArgs],
      env: {},
      extraPathDirs: [],
      ownWritePaths: [],
      ownReadPaths: [pkgDir],
      domains: [],
      containerMounts: [],
    };
  }

  const cache = api.join(ctx.serverDir, 'cache');
  const env = ownCacheEnv(cache, (...p) => api.join(...p));
  if (inv.tool === 'uv run') env.UV_PROJECT_ENVIRONMENT = api.join(cache, 'venv');
  const why =
    inv.tool === 'uv run'
      ? 'it runs a local project, whose own lock file decides the versions'
      : installer === undefined
        ? 'uv was not found next to uvx'
        : inv.unfetchable.length > 0
          ? `${inv.unfetchable.join(', ')} is not a registry package`
          : `${inv.blocksPrefetch.join(', ')} changes how it runs`;
  return ownCacheLaunch(ctx, {
    tool: inv.tool,
    packages: refs,
    cache,
    env,
    domains,
    note: `${inv.tool} runs inside the sandbox (${why}), with a cache and environment of its own that no other server or program shares, and may reach only ${domains.join(', ')}.`,
  });
}
