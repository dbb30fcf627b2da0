// Runner presets: how Steward launches a package runner so that it works sandboxed and stays safe. Preferred: fetch the
// package once, in a sandbox of its own, into a folder that belongs to this server alone, then run it with no network and
// the code read-only. Otherwise the runner runs sandboxed with a cache of its own and the registry's domains only.
import type { PackagePin, PackageRef } from '../../../shared/domain/launch.js';
import { pathApi } from './platform-paths.js';
import {
  downloadStep,
  findPin,
  hostOf,
  NPM_REGISTRY,
  ownCacheEnv,
  packagesSlug,
  refOf,
  refuse,
  type PinRequest,
  type RunnerContext,
  type RunnerOutcome,
  ownCacheLaunch,
} from './runner-common.js';
import { planContainer } from './runner-container.js';
import { planPython } from './runner-python.js';
import type { RunnerInvocation } from './runners.js';

function npmRegistry(inv: RunnerInvocation, env: Readonly<Record<string, string>>): string {
  const fromEnv = Object.entries(env).find(([k]) => k.toLowerCase() === 'npm_config_registry')?.[1];
  const url = inv.registry ?? fromEnv ?? NPM_REGISTRY;
  return url.endsWith('/') ? url : `${url}/`;
}

/** Which command of an npm package runs: the one named, the only one, or the one named like the package. */
function pickBin(inv: RunnerInvocation, pins: PackagePin[]): { pkg: string; file: string } | { error: string } {
  const wanted = inv.program;
  if (wanted !== null) {
    for (const pin of pins) {
      const file = pin.bin?.[wanted];
      if (file !== undefined) return { pkg: pin.name, file };
    }
    return { error: `None of the packages (${pins.map((p) => p.name).join(', ')}) offers a command named "${wanted}".` };
  }
  const main = pins[0];
  if (!main) return { error: 'The command names no package.' };
  const bins = Object.entries(main.bin ?? {});
  const [only] = bins;
  if (!only) return { error: `${main.name} ${main.version} offers no command to run.` };
  if (bins.length === 1) return { pkg: main.name, file: only[1] };
  const own = main.name.replace(/^@[^/]+\//, '');
  const named = bins.find(([name]) => name === own);
  if (named) return { pkg: main.name, file: named[1] };
  return { error: `${main.name} offers several commands (${bins.map(([n]) => n).join(', ')}); name one: npx -p ${main.name} COMMAND.` };
}

function planNpm(inv: RunnerInvocation, ctx: RunnerContext): RunnerOutcome {
  const api = pathApi(ctx.platform);
  const registry = npmRegistry(inv, ctx.configEnv);
  const registryHost = hostOf(registry);
  if (!registryHost) return refuse('config_invalid', `The npm registry "${registry}" is not a valid URL.`);
  const npm = ctx.find('npm');
  const node = ctx.find('node');
  const prefetch = npm !== undefined && node !== undefined && inv.unfetchable.length === 0 && inv.blocksPrefetch.length === 0 && inv.packages.length > 0;

  const requests: PinRequest[] = [];
  const pins: PackagePin[] = [];
  for (const pkg of inv.packages) {
    const pin = findPin(ctx.pins, 'npm', pkg);
    // A prefetch needs each package's commands, so even an exact version is looked up once. Pinning runs before consent,
    // so it names no tool: never the npm beside the configured runner, which the config chose.
    if (pin) pins.push(pin);
    else if (prefetch || pkg.exact === null) requests.push({ ecosystem: 'npm', name: pkg.name, requested: pkg.requested, registry, tool: null });
  }
  if (requests.length > 0) return { kind: 'needs_pins', requests };
  const refs = inv.packages.map((pkg) => refOf('npm', pkg, findPin(ctx.pins, 'npm', pkg)));

  if (prefetch) {
    const bin = pickBin(inv, pins);
    if ('error' in bin) return refuse('config_invalid', bin.error);
    const slug = packagesSlug(pins.map((p) => `npm:${p.name}@${p.version}`));
    const pkgDir = api.join(ctx.serverDir, 'packages', slug);
    const dlCache = api.join(ctx.serverDir, 'download-cache');
    const pkgRoot = api.join(pkgDir, 'node_modules', ...bin.pkg.split('/'));
    const file = api.join(pkgRoot, bin.file);
    // A package's command must be a file inside the package: a bin entry climbing out of it is refused.
    if (!file.startsWith(`${pkgRoot}${api.sep}`)) return refuse('config_invalid', `${bin.pkg} names a command outside its own package (${bin.file}).`);
    const args = [
      'install',
      '--prefix',
      pkgDir,
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--omit=dev',
      '--cache',
      dlCache,
      '--logs-dir',
      api.join(dlCache, '_logs'),
      '--userconfig',
      api.join(ctx.serverDir, 'npmrc'),
      '--registry',
      registry,
      '--fetch-retries',
      '1',
      ...pins.map((p) => `${p.name}@${p.version}`),
    ];
    const list = pins.map((p) => `${p.name} ${p.version}`).join(', ');
    return {
      kind: 'runner',
      runner: {
        tool: inv.tool,
        mode: 'prefetch',
        packages: refs,
        cacheDir: pkgDir,
        download: downloadStep(
          npm,
          args,
          { npm_config_update_notifier: 'false' },
          pkgDir,
          [registryHost, ...ctx.userDomains],
          [pkgDir, dlCache],
          ctx.sandboxOn,
        ),
        notes: [
          `Steward downloads ${list} once with npm, into a folder that belongs to this server alone; the download may reach only ${registryHost} and write only there.`,
          `The server then runs with Node.js (${node}) instead of ${inv.tool}: no network unless you grant it, and it cannot change the downloaded code.`,
        ],
      },
      command: node,
      args: [file, ...inv.serverArgs],
      env: {},
      extraPathDirs: [api.dirname(node)],
      ownWritePaths: [],
      ownReadPaths: [pkgDir],
      domains: [],
      containerMounts: [],
    };
  }

  const cache = api.join(ctx.serverDir, 'cache');
  const why =
    npm === undefined || node === undefined
      ? 'npm was not found next to it'
      : inv.unfetchable.length > 0
        ? `${inv.unfetchable.join(', ')} is not a registry package`
        : inv.blocksPrefetch.length > 0
          ? `${inv.blocksPrefetch.join(', ')} changes how it runs`
          : 'it names no package';
  return ownCacheLaunch(ctx, {
    tool: inv.tool,
    packages: refs,
    cache,
    env: ownCacheEnv(cache, (...p) => api.join(...p)),
    domains: [registryHost],
    note: `${inv.tool} runs inside the sandbox (${why}), with a cache folder of its own that no other server or program shares, and may reach only ${registryHost}.`,
  });
}

/** The launch for a recognised runner; `args` empty in the result means "the configured arguments, pins written in". */
export function planRunner(inv: RunnerInvocation, configArgs: readonly string[], ctx: RunnerContext): RunnerOutcome {
  const outcome = inv.ecosystem === 'npm' ? planNpm(inv, ctx) : inv.ecosystem === 'pypi' ? planPython(inv, ctx) : planContainer(inv, configArgs, ctx);
  if (outcome.kind !== 'runner' || outcome.runner.mode !== 'own-cache') return outcome;
  return { ...outcome, args: withPins(configArgs, inv, outcome.runner.packages) };
}

/** The configured arguments with each package's pinned version written where the package was named. */
export function withPins(configArgs: readonly string[], inv: RunnerInvocation, refs: readonly PackageRef[]): string[] {
  const args = [...configArgs];
  inv.packages.forEach((pkg, i) => {
    const ref = refs[i];
    if (!ref?.version || pkg.exact !== null) return;
    const word = configArgs[pkg.argIndex];
    if (word === undefined) return;
    // uvx takes program@version as its positional word and name==version after --from/--with.
    const spec = pkg.form === 'pypi' && pkg.asOption ? `${pkg.name}==${ref.version}` : `${pkg.name}@${ref.version}`;
    // "--package=x" keeps its flag; a bare word is replaced.
    const eq = word.startsWith('-') ? word.indexOf('=') : -1;
    args[pkg.argIndex] = eq > 0 ? `${word.slice(0, eq + 1)}${spec}` : spec;
  });
  return args;
}
