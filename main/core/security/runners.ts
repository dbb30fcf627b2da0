// Reading a package runner's command line (npx, npm exec, pnpm dlx, yarn dlx, bunx, uvx, uv run, pipx run, docker/podman
// run): which runner, which packages at which requested versions, which program, and the arguments meant for the server.
import type { Ecosystem, RunnerTool } from '../../../shared/domain/launch.js';
import { readContainerArgs } from './runner-container.js';

export interface RunnerPackage {
  /** npm "@scope/name", PyPI "name[extras]" without the version, an image "registry/repo". */
  name: string;
  /** The version as written: "", "latest", "^1", "1.2.3", "==0.6.2", ">=1". */
  requested: string;
  /** The exact version when the command names one; null otherwise. */
  exact: string | null;
  /** The words that named it in the command, so a pinned version can be written back in place. */
  argIndex: number;
  /** How it was written: npm name@version, PyPI name==version, an image name:tag. */
  form: 'npm' | 'pypi' | 'oci';
  /** Named as an option's value (npx -p, uvx --from) rather than as the positional word. */
  asOption: boolean;
}

export interface RunnerInvocation {
  tool: RunnerTool;
  ecosystem: Ecosystem;
  /** Registry packages, the one that provides the program first. Empty for a local project (uv run). */
  packages: RunnerPackage[];
  /** The program to run when the command names it apart from the package (npx -p pkg CMD, uvx --from pkg CMD). */
  program: string | null;
  /** Arguments after the package or program: the server's own. */
  serverArgs: string[];
  /** A registry or index URL given on the command line. */
  registry: string | null;
  /** Specs Steward cannot fetch from a registry itself (git URLs, local paths, tarballs). */
  unfetchable: string[];
  /** Runner options that change how the code runs (npx -c, bunx --bun, uv --python): they rule out a prefetch. */
  blocksPrefetch: string[];
  /** uv run: the project folder (--directory/--project), when given. */
  project: string | null;
  /** docker/podman run: the parsed options, image and command. */
  container: ContainerInvocation | null;
}

export interface ContainerOption {
  flag: string;
  value: string | null;
}

export interface ContainerInvocation {
  /** Each option on its own: clusters split (-itv/x becomes -i, -t, -v /x), values attached or not. */
  options: ContainerOption[];
  /** The option words (not their values) among the arguments. */
  optionWords: ReadonlySet<number>;
  /** Where "run" is in the arguments. */
  runIndex: number;
  image: string;
  imageIndex: number;
  command: string[];
  /** Why Steward cannot tell what the container would mount (the launch is refused); null when it can. */
  problem: string | null;
}

const base = (cmd: string) => (cmd.split(/[\\/]/).pop() ?? cmd).toLowerCase().replace(/\.(cmd|exe|ps1)$/, '');

/** npm "name@spec", "@scope/name@spec"; undefined for anything that is not a registry package. */
export function parseNpmSpec(spec: string): { name: string; requested: string; exact: string | null } | undefined {
  if (/^(\.|\/|~|[A-Za-z]:\\|file:|git[+:]|https?:|github:|gitlab:|bitbucket:|gist:)/.test(spec) || spec.includes('://')) return undefined;
  const m = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(?:@(.*))?$/i.exec(spec);
  if (!m) return undefined;
  const [, name = '', requested = ''] = m;
  if (/[\s]/.test(requested) || requested.includes('/')) return undefined;
  return { name, requested, exact: /^\d+\.\d+\.\d+(?:-[\w.-]+)?(?:\+[\w.-]+)?$/.test(requested) ? requested : null };
}

/** PyPI "name", "name==1.2", "name@1.2", "name[extra]>=1"; undefined for URLs, paths and git specs. */
export function parsePypiSpec(spec: string): { name: string; requested: string; exact: string | null } | undefined {
  if (/^(\.|\/|~|[A-Za-z]:\\|git\+|https?:|file:)/.test(spec) || spec.includes('://')) return undefined;
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9._,\s-]*\])?)\s*(.*)$/.exec(spec);
  if (!m) return undefined;
  const [, name = '', tail = ''] = m;
  const rest = tail.trim();
  if (rest === '') return { name, requested: '', exact: null };
  const exact = /^(?:==|@)\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)$/.exec(rest)?.[1];
  if (exact) return { name, requested: rest, exact };
  if (/^(===|==|!=|~=|>=|<=|>|<)/.test(rest)) return { name, requested: rest, exact: null };
  return undefined;
}

/** An image reference: "name", "name:tag", "registry:5000/ns/name:tag", "name@sha256:…". */
export function parseImageRef(ref: string): { name: string; requested: string; exact: string | null } | undefined {
  const m = /^([a-z0-9][a-z0-9._\-/:]*?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/i.exec(ref);
  const [, name = '', tag, digest] = m ?? [];
  if (!m || name.endsWith('/')) return undefined;
  return { name, requested: tag ?? 'latest', exact: digest ?? null };
}

interface OptionRules {
  /** Options that take a value (as the next word, or after "="). */
  valued: ReadonlySet<string>;
  /** Options that name a package to install (npx -p). */
  packageFlags: ReadonlySet<string>;
  registryFlags: ReadonlySet<string>;
  /** Options after which Steward does not prefetch: they change what runs. */
  blocking: ReadonlySet<string>;
}

interface Scan {
  options: Array<{ flag: string; value: string | null; index: number }>;
  /** Index of the first positional word (the package or program), or -1. */
  first: number;
}

/** Reads runner options up to the first positional word; "--" ends them. */
function scanOptions(args: readonly string[], start: number, rules: OptionRules): Scan {
  const options: Scan['options'] = [];
  for (let i = start; i < args.length; i++) {
    const word = args[i] ?? '';
    if (word === '--') return { options, first: i + 1 < args.length ? i + 1 : -1 };
    if (!word.startsWith('-') || word === '-') return { options, first: i };
    const eq = word.indexOf('=');
    const flag = eq > 0 ? word.slice(0, eq) : word;
    if (eq > 0) options.push({ flag, value: word.slice(eq + 1), index: i });
    else if (rules.valued.has(flag) && i + 1 < args.length) {
      options.push({ flag, value: args[i + 1] ?? '', index: i + 1 });
      i += 1;
    } else options.push({ flag, value: null, index: i });
  }
  return { options, first: -1 };
}

const NPM_RULES: OptionRules = {
  valued: new Set(['-p', '--package', '--registry', '--cache', '--userconfig', '--loglevel', '-c', '--call', '--node-options', '--workspace', '-w']),
  packageFlags: new Set(['-p', '--package']),
  registryFlags: new Set(['--registry']),
  blocking: new Set(['-c', '--call', '--node-options', '--workspace', '-w', '--workspaces', '--bun', '--ignore-existing']),
};

const UV_RULES: OptionRules = {
  valued: new Set([
    '--from',
    '--with',
    '-w',
    '--with-editable',
    '--with-requirements',
    '--python',
    '-p',
    '--index',
    '--index-url',
    '-i',
    '--extra-index-url',
    '--default-index',
    '--directory',
    '--project',
    '--config-file',
    '--cache-dir',
    '--refresh-package',
    '--reinstall-package',
    '--upgrade-package',
    '-P',
    '--constraints',
    '-c',
    '--overrides',
    '--env-file',
    '--python-platform',
    '--index-strategy',
    '--keyring-provider',
    '--resolution',
    '--prerelease',
    '--exclude-newer',
    '--link-mode',
    '--color',
    '--group',
    '--extra',
    '--package',
    '--script',
  ]),
  packageFlags: new Set(['--with', '-w']),
  registryFlags: new Set(['--index-url', '-i', '--default-index', '--index']),
  blocking: new Set([
    '--with-editable',
    '--with-requirements',
    '--python',
    '-p',
    '--env-file',
    '--constraints',
    '-c',
    '--overrides',
    '--config-file',
    '--script',
  ]),
};

const PIPX_RULES: OptionRules = {
  valued: new Set(['--spec', '--python', '--pip-args', '--index-url', '-i', '--backend']),
  packageFlags: new Set(),
  registryFlags: new Set(['--index-url', '-i']),
  blocking: new Set(['--python', '--pip-args', '--path']),
};

function npmPackagesFrom(scan: Scan, args: readonly string[]): { packages: RunnerPackage[]; unfetchable: string[] } {
  const packages: RunnerPackage[] = [];
  const unfetchable: string[] = [];
  for (const o of scan.options) {
    if (!NPM_RULES.packageFlags.has(o.flag) || o.value === null) continue;
    const spec = parseNpmSpec(o.value);
    if (spec) packages.push({ ...spec, argIndex: o.index, form: 'npm', asOption: true });
    else unfetchable.push(o.value);
  }
  if (packages.length === 0 && unfetchable.length === 0 && scan.first >= 0) {
    const word = args[scan.first] ?? '';
    const spec = parseNpmSpec(word);
    if (spec) packages.push({ ...spec, argIndex: scan.first, form: 'npm', asOption: false });
    else unfetchable.push(word);
  }
  return { packages, unfetchable };
}

function blocking(scan: Scan, rules: OptionRules): string[] {
  return scan.options.filter((o) => rules.blocking.has(o.flag)).map((o) => (o.value === null ? o.flag : `${o.flag} ${o.value}`));
}

function registryOf(scan: Scan, rules: OptionRules): string | null {
  return scan.options.find((o) => rules.registryFlags.has(o.flag) && o.value !== null)?.value ?? null;
}

/** npx-style runners: options, then the package (or -p packages and a program), then the server's arguments. */
function npmStyle(tool: RunnerTool, args: readonly string[], start: number): RunnerInvocation | undefined {
  const scan = scanOptions(args, start, NPM_RULES);
  // "npx -c 'cmd'" names no package; it is still npx, run with a cache of its own.
  const call = scan.options.some((o) => o.flag === '-c' || o.flag === '--call');
  if (scan.first < 0 && !call) return undefined;
  const { packages, unfetchable } = npmPackagesFrom(scan, args);
  const named = scan.options.some((o) => NPM_RULES.packageFlags.has(o.flag));
  return {
    tool,
    ecosystem: 'npm',
    packages,
    program: named ? (args[scan.first] ?? null) : null,
    serverArgs: scan.first >= 0 ? args.slice(scan.first + 1) : [],
    registry: registryOf(scan, NPM_RULES),
    unfetchable,
    blocksPrefetch: blocking(scan, NPM_RULES),
    project: null,
    container: null,
  };
}

/** Adds a PyPI spec to the packages, or to what cannot be fetched from a registry. */
function takePypi(word: string, index: number, asOption: boolean, packages: RunnerPackage[], unfetchable: string[]): RunnerPackage | undefined {
  const spec = parsePypiSpec(word);
  if (!spec) {
    unfetchable.push(word);
    return undefined;
  }
  const pkg: RunnerPackage = { ...spec, argIndex: index, form: 'pypi', asOption };
  packages.push(pkg);
  return pkg;
}

/** uvx / uv tool run: options (--from, --with), then the program (optionally program@version), then its arguments. */
function uvxStyle(tool: RunnerTool, args: readonly string[], start: number): RunnerInvocation | undefined {
  const scan = scanOptions(args, start, UV_RULES);
  if (scan.first < 0) return undefined;
  const packages: RunnerPackage[] = [];
  const unfetchable: string[] = [];
  const from = scan.options.find((o) => o.flag === '--from' && o.value !== null);
  const word = args[scan.first] ?? '';
  let program: string | null = null;
  if (from) {
    takePypi(from.value ?? '', from.index, true, packages, unfetchable);
    program = word;
  } else {
    program = takePypi(word, scan.first, false, packages, unfetchable)?.name.replace(/\[.*$/, '') ?? null;
  }
  for (const o of scan.options) {
    if (UV_RULES.packageFlags.has(o.flag) && o.value !== null) takePypi(o.value, o.index, true, packages, unfetchable);
  }
  return {
    tool,
    ecosystem: 'pypi',
    packages,
    program,
    serverArgs: args.slice(scan.first + 1),
    registry: registryOf(scan, UV_RULES),
    unfetchable,
    blocksPrefetch: blocking(scan, UV_RULES),
    project: null,
    container: null,
  };
}

/** uv run: a local project or script; only --with packages come from the registry. */
function uvRun(args: readonly string[], start: number): RunnerInvocation {
  const scan = scanOptions(args, start, UV_RULES);
  const packages: RunnerPackage[] = [];
  const unfetchable: string[] = [];
  for (const o of scan.options) {
    if (UV_RULES.packageFlags.has(o.flag) && o.value !== null) takePypi(o.value, o.index, true, packages, unfetchable);
  }
  const project = scan.options.find((o) => (o.flag === '--directory' || o.flag === '--project') && o.value !== null)?.value ?? null;
  return {
    tool: 'uv run',
    ecosystem: 'pypi',
    packages,
    program: args[scan.first] ?? null,
    serverArgs: scan.first >= 0 ? args.slice(scan.first + 1) : [],
    registry: registryOf(scan, UV_RULES),
    unfetchable,
    blocksPrefetch: ['uv run (a local project)'],
    project,
    container: null,
  };
}

function pipxRun(args: readonly string[], start: number): RunnerInvocation | undefined {
  const scan = scanOptions(args, start, PIPX_RULES);
  if (scan.first < 0) return undefined;
  const spec = scan.options.find((o) => o.flag === '--spec' && o.value !== null);
  const word = args[scan.first] ?? '';
  const packages: RunnerPackage[] = [];
  const unfetchable: string[] = [];
  const pkg = spec ? takePypi(spec.value ?? '', spec.index, true, packages, unfetchable) : takePypi(word, scan.first, false, packages, unfetchable);
  return {
    tool: 'pipx run',
    ecosystem: 'pypi',
    packages,
    program: spec ? word : (pkg?.name.replace(/\[.*$/, '') ?? null),
    serverArgs: args.slice(scan.first + 1),
    registry: registryOf(scan, PIPX_RULES),
    unfetchable,
    blocksPrefetch: blocking(scan, PIPX_RULES),
    project: null,
    container: null,
  };
}

function containerRun(tool: RunnerTool, args: readonly string[]): RunnerInvocation | undefined {
  const read = readContainerArgs(args);
  if (!read) return undefined;
  const { options, optionWords, runIndex, imageIndex: i, problem } = read;
  const image = args[i];
  if (problem !== null) {
    const container = { options, optionWords, runIndex, image: image ?? '', imageIndex: i, command: [], problem };
    return {
      tool,
      ecosystem: 'oci',
      packages: [],
      program: null,
      serverArgs: [],
      registry: null,
      unfetchable: [],
      blocksPrefetch: [],
      project: null,
      container,
    };
  }
  if (image === undefined) return undefined;
  const ref = parseImageRef(image);
  return {
    tool,
    ecosystem: 'oci',
    packages: ref ? [{ ...ref, argIndex: i, form: 'oci', asOption: false }] : [],
    program: null,
    serverArgs: args.slice(i + 1),
    registry: null,
    unfetchable: ref ? [] : [image],
    blocksPrefetch: [],
    project: null,
    container: { options, optionWords, runIndex, image, imageIndex: i, command: args.slice(i + 1), problem: null },
  };
}

/** Recognises a package runner; undefined for any other command. `command` may be a bare name or a full path. */
export function parseRunner(command: string, args: readonly string[]): RunnerInvocation | undefined {
  const cmd = base(command);
  const sub = args[0];
  switch (cmd) {
    case 'npx':
      return npmStyle('npx', args, 0);
    case 'bunx':
      return npmStyle('bunx', args, 0);
    case 'npm':
      return sub === 'exec' || sub === 'x' ? npmStyle('npm exec', args, 1) : undefined;
    case 'pnpm':
      return sub === 'dlx' ? npmStyle('pnpm dlx', args, 1) : undefined;
    case 'yarn':
      return sub === 'dlx' ? npmStyle('yarn dlx', args, 1) : undefined;
    case 'bun':
      return sub === 'x' ? npmStyle('bunx', args, 1) : undefined;
    case 'uvx':
      return uvxStyle('uvx', args, 0);
    case 'uv':
      if (sub === 'run') return uvRun(args, 1);
      if (sub === 'tool' && (args[1] === 'run' || args[1] === 'uvx')) return uvxStyle('uv tool run', args, 2);
      return undefined;
    case 'pipx':
      return sub === 'run' ? pipxRun(args, 1) : undefined;
    case 'docker':
      return containerRun('docker run', args);
    case 'podman':
      return containerRun('podman run', args);
    default:
      return undefined;
  }
}
