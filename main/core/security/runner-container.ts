// docker run / podman run: the command read the way the engine's own CLI reads it, and its launch. The container engine
// isolates the server (Steward's sandbox cannot wrap the engine's client, which talks to a daemon). Steward pins the image
// by digest, keeps stdio working, removes the container after it stops, gives it no network unless the user granted some,
// lists every host folder it mounts, and refuses a mount it cannot read.
import type { ContainerOption, RunnerInvocation } from './runners.js';
import type { FsView } from './fs-view.js';
import { hiddenLocationOf, type HiddenLocation } from './hidden-paths.js';
import { expandHome, pathApi, type Platform } from './platform-paths.js';
import { downloadStep, findPin, refOf, refuse, type RunnerContext, type RunnerOutcome } from './runner-common.js';

export interface Mount {
  host: string;
  readOnly: boolean;
}

/** Long options of docker run and podman run that take no value (flag booleans); every other long option takes one. */
const BOOL_OPTIONS = new Set([
  '--detach',
  '--disable-content-trust',
  '--env-host',
  '--help',
  '--http-proxy',
  '--init',
  '--interactive',
  '--no-healthcheck',
  '--no-hostname',
  '--no-hosts',
  '--oom-kill-disable',
  '--passwd',
  '--privileged',
  '--publish-all',
  '--quiet',
  '--read-only',
  '--read-only-tmpfs',
  '--replace',
  '--rm',
  '--rmi',
  '--rootfs',
  '--sig-proxy',
  '--tls-verify',
  '--tty',
  '--unsetenv-all',
  '--use-api-socket',
]);

/** One-letter options of docker run and podman run: those that take no value, and those that do. No other letter is one. */
const SHORT_BOOLS = new Set(['i', 't', 'd', 'P', 'q']);
const SHORT_VALUED = new Set(['a', 'c', 'e', 'h', 'l', 'm', 'p', 'u', 'v', 'w']);

/** Options the engine's client takes before `run` (docker --context x run …), with a value or without. */
const GLOBAL_VALUED = new Set([
  '--config',
  '-c',
  '--context',
  '-H',
  '--host',
  '-l',
  '--log-level',
  '--tlscacert',
  '--tlscert',
  '--tlskey',
  '--connection',
  '--url',
  '--identity',
  '--root',
  '--runroot',
  '--storage-driver',
]);
const GLOBAL_BOOLS = new Set(['-D', '--debug', '--tls', '--tlsverify', '--remote', '-r']);

/** A word that the engine would read as a volume or mount option (-v, -itv/x, --volume=…, --mount …). */
const MOUNT_WORD = /^(-[itdPq]*v|--volume(=|$)|--mount(=|$))/;

export interface ContainerArgs {
  /** Where "run" is in the arguments. */
  runIndex: number;
  options: ContainerOption[];
  /** The words that are options (not their values), which Steward may rewrite. */
  optionWords: ReadonlySet<number>;
  /** Where the image is; args.length when there is none. */
  imageIndex: number;
  /** Why Steward cannot tell what the command mounts; null when it can. */
  problem: string | null;
}

/**
 * The options of a docker/podman `run` (or `container run`), read as the engines' flag parser reads them: "--name=value"
 * or "--name value"; one-letter options clustered (-it), the one that takes a value taking the rest of the word
 * ("-v/x:/y", "-v=/x:/y", "-itv/x:/y") or else the next word. Undefined when the command is not a run.
 */
export function readContainerArgs(args: readonly string[]): ContainerArgs | undefined {
  let i = 0;
  let problem: string | null = null;
  for (; i < args.length && (args[i] ?? '').startsWith('-'); i++) {
    const word = args[i] ?? '';
    if (word.startsWith('--') && word.includes('=')) continue;
    if (GLOBAL_VALUED.has(word)) i += 1;
    else if (!GLOBAL_BOOLS.has(word)) {
      problem = `Steward cannot read the option ${word} before "run", so it cannot tell what the container would mount. Remove it.`;
      break;
    }
  }
  const runIndex = args[i] === 'run' ? i : args[i] === 'container' && args[i + 1] === 'run' ? i + 1 : -1;
  if (problem !== null) return args.includes('run') ? { runIndex: -1, options: [], optionWords: new Set(), imageIndex: args.length, problem } : undefined;
  if (runIndex < 0) return undefined;

  const options: ContainerOption[] = [];
  const optionWords = new Set<number>();
  const taken: Array<{ flag: string; value: string }> = [];
  const next = (flag: string): string | null => {
    const value = args[i + 1];
    if (value === undefined) return null;
    i += 1;
    taken.push({ flag, value });
    return value;
  };
  for (i = runIndex + 1; i < args.length; i++) {
    const word = args[i] ?? '';
    if (word === '--') {
      i += 1;
      break;
    }
    if (!word.startsWith('-') || word === '-') break;
    optionWords.add(i);
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      if (eq > 0) options.push({ flag: word.slice(0, eq), value: word.slice(eq + 1) });
      else options.push({ flag: word, value: BOOL_OPTIONS.has(word) ? null : next(word) });
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const letter = word.charAt(j);
      const flag = `-${letter}`;
      if (word.charAt(j + 1) === '=') {
        options.push({ flag, value: word.slice(j + 2) });
        break;
      }
      if (SHORT_BOOLS.has(letter)) {
        options.push({ flag, value: null });
        continue;
      }
      if (!SHORT_VALUED.has(letter)) {
        problem ??= `Steward does not know the option ${flag} (in ${word}), so it cannot tell what the container would mount.`;
        break;
      }
      const rest = word.slice(j + 1);
      options.push({ flag, value: rest !== '' ? rest : next(flag) });
      break;
    }
  }
  // A word read as another option's value that the engine could read as a mount: which one it is cannot be told apart.
  const ambiguous = taken.find((t) => MOUNT_WORD.test(t.value));
  if (ambiguous) problem ??= `Steward reads "${ambiguous.value}" as the value of ${ambiguous.flag}, but it looks like a mount; write ${ambiguous.flag}=VALUE.`;
  return { runIndex, options, optionWords, imageIndex: i, problem };
}

/** The fields of a --mount value, split as the engines split it (CSV: quoted fields, "" for a quote); undefined if malformed. */
function csvFields(value: string): string[] | undefined {
  if (/[\r\n]/.test(value)) return undefined;
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (value.charAt(i) === '"') {
      let field = '';
      for (i += 1; ; i++) {
        if (i >= value.length) return undefined;
        const ch = value.charAt(i);
        if (ch !== '"') field += ch;
        else if (value.charAt(i + 1) === '"') {
          field += '"';
          i += 1;
        } else break;
      }
      i += 1;
      if (i < value.length && value.charAt(i) !== ',') return undefined;
      fields.push(field);
    } else {
      const end = value.indexOf(',', i);
      const field = value.slice(i, end < 0 ? value.length : end);
      if (field.includes('"')) return undefined;
      fields.push(field);
      i = end < 0 ? value.length : end;
    }
    if (i >= value.length) return fields;
    i += 1;
  }
}

/** A host path rather than a named volume: named volumes never hold a slash. */
const isHostPath = (s: string) => /^([/~.]|[A-Za-z]:[\\/])/.test(s) || /[\\/]/.test(s);

/** Mount types that bring in no host folder. */
const NO_HOST_TYPES = new Set(['tmpfs', 'ramfs', 'devpts', 'image', 'npipe', 'cluster', 'artifact']);

function mountOption(value: string): Mount | undefined | { problem: string } {
  const fields = csvFields(value);
  const cannot = { problem: `Steward cannot read the mount "${value}", so it cannot tell what it brings in. Write it as type=bind,source=PATH,target=PATH.` };
  if (!fields) return cannot;
  let type = 'volume';
  let source: string | undefined;
  let readOnly = false;
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const val = eq < 0 ? null : field.slice(eq + 1).trim();
    if (key === 'type' && val !== null) type = val.toLowerCase();
    else if (key === 'source' || key === 'src') source = val ?? '';
    else if (key === 'readonly' || key === 'ro') readOnly = val === null || ['true', '1'].includes(val.toLowerCase());
  }
  if (type === 'bind') return source ? { host: source, readOnly } : undefined;
  if (type === 'volume') return source && isHostPath(source) ? { host: source, readOnly } : undefined;
  if (NO_HOST_TYPES.has(type)) return undefined;
  return { problem: `Steward cannot check a mount of type "${type}" (${value}); it refuses what it cannot check.` };
}

function volumeOption(value: string): Mount | undefined {
  // Windows drive letters (C:\x:/y) keep their colon.
  const drive = /^[A-Za-z]:[\\/]/.test(value) ? value.slice(0, 2) : '';
  const [first = '', ...more] = value.slice(drive.length).split(':');
  // A single part is a fresh volume at that path inside the container.
  if (more.length === 0) return undefined;
  const host = drive + first;
  const flags = (more[1] ?? '').split(',');
  return isHostPath(host) ? { host, readOnly: flags.includes('ro') || flags.includes('readonly') } : undefined;
}

/** Host folders a container's -v/--volume/--mount options bring in (named volumes are not), and the mounts it cannot read. */
export function readMounts(options: readonly ContainerOption[]): { mounts: Mount[]; problems: string[] } {
  const mounts: Mount[] = [];
  const problems: string[] = [];
  for (const { flag, value } of options) {
    if (flag !== '-v' && flag !== '--volume' && flag !== '--mount') continue;
    if (value === null) {
      problems.push(`${flag} has no value.`);
      continue;
    }
    const mount = flag === '--mount' ? mountOption(value) : volumeOption(value);
    if (mount && 'problem' in mount) problems.push(mount.problem);
    else if (mount) mounts.push(mount);
  }
  return { mounts, problems };
}

export function containerMounts(options: readonly ContainerOption[]): Mount[] {
  return readMounts(options).mounts;
}

/** Each place a host path may lead: as written, and through every symlink along it (a missing end resolves its folder). */
function placesOf(host: string, cwd: string, homeDir: string, platform: Platform, realPath: FsView['realPath']): string[] {
  const api = pathApi(platform);
  const expanded = expandHome(host, homeDir, platform);
  const absolute = api.normalize(api.isAbsolute(expanded) ? expanded : api.resolve(cwd, expanded));
  const out = [absolute];
  const rest: string[] = [];
  for (let dir = absolute; ; dir = api.dirname(dir)) {
    const real = realPath(dir);
    if (real !== dir) out.push(api.join(real, ...rest));
    if (api.dirname(dir) === dir) return out;
    rest.unshift(api.basename(dir));
  }
}

/**
 * What planLaunch cannot see without the disk: where each folder a container mounts really leads. A relative path is
 * taken from the launch's working folder (the engines do so) and symlinks are followed, both in the mount and in the
 * hidden locations. Returns why the launch is refused, or undefined. `args` are the configured docker/podman arguments.
 */
export function refusedMount(
  args: readonly string[],
  at: { cwd: string; homeDir: string; platform: Platform; hidden: readonly HiddenLocation[]; realPath: FsView['realPath'] },
): string | undefined {
  const read = readContainerArgs(args);
  if (!read) return undefined;
  if (read.problem !== null) return read.problem;
  const { mounts, problems } = readMounts(read.options);
  if (problems[0] !== undefined) return problems[0];
  const hidden = [...at.hidden, ...at.hidden.map((h) => ({ ...h, path: at.realPath(h.path) }))];
  for (const m of mounts) {
    for (const place of placesOf(m.host, at.cwd, at.homeDir, at.platform, at.realPath)) {
      const h = hiddenLocationOf(place, hidden, at.platform);
      if (h) return `Steward will not mount ${m.host} into the container: it leads to ${place}, which holds ${h.what}, hidden from every server.`;
    }
  }
  return undefined;
}

/** An option word without -t/--tty: a TTY would mangle the JSON messages on stdio. Null when nothing is left. */
function withoutTty(word: string): string | null {
  if (word.startsWith('--')) return word === '--tty' || word.startsWith('--tty=') ? null : word;
  let kept = '';
  for (let j = 1; j < word.length; j++) {
    const letter = word.charAt(j);
    if (word.charAt(j + 1) === '=' || !SHORT_BOOLS.has(letter)) {
      if (letter !== 't') kept += word.slice(j);
      break;
    }
    if (letter !== 't') kept += letter;
  }
  return kept === '' ? null : `-${kept}`;
}

const NETWORK_FLAGS = new Set(['--network', '--net']);

export function planContainer(inv: RunnerInvocation, configArgs: readonly string[], ctx: RunnerContext): RunnerOutcome {
  const c = inv.container;
  if (c?.problem) return refuse('grant_refused', c.problem);
  const pkg = inv.packages[0];
  if (!c || !pkg) return refuse('config_invalid', `"${c?.image ?? ''}" is not an image name Steward can read.`);
  const { mounts, problems } = readMounts(c.options);
  if (problems[0] !== undefined) return refuse('grant_refused', problems[0]);
  if (c.options.some((o) => o.flag === '-d' || o.flag === '--detach')) {
    return refuse('config_invalid', 'A detached container (-d) cannot talk over stdio; remove -d from the command.');
  }
  const pin = findPin(ctx.pins, 'oci', pkg);
  if (pkg.exact === null && !pin) {
    // Pinning runs before consent: it asks the image's registry, never the engine the config names (a pull would run it).
    return { kind: 'needs_pins', requests: [{ ecosystem: 'oci', name: pkg.name, requested: pkg.requested, registry: '', tool: null }] };
  }
  const ref = refOf('oci', pkg, pin);
  const pinned = `${pkg.name}:${pkg.requested}@${ref.version ?? ''}`;

  const head = configArgs.slice(0, c.imageIndex);
  const runAt = c.runIndex;
  const added: string[] = [];
  const notes: string[] = [
    `It runs in a ${inv.tool === 'podman run' ? 'Podman' : 'Docker'} container: the container engine isolates it, since Steward's sandbox cannot wrap the engine's client. The image is pinned by its digest.`,
  ];
  let options = head.slice(runAt + 1).flatMap((w, k) => (c.optionWords.has(runAt + 1 + k) ? (withoutTty(w) ?? []) : [w]));
  if (!c.options.some((o) => o.flag === '-i' || o.flag === '--interactive')) added.push('-i');
  if (!c.options.some((o) => o.flag === '--rm')) added.push('--rm');
  const hasNetwork = c.options.some((o) => NETWORK_FLAGS.has(o.flag));
  if (ctx.sandboxOn && !hasNetwork && ctx.userDomains.length === 0) added.push('--network', 'none');
  if (!ctx.sandboxOn) options = head.slice(runAt + 1);
  if (ctx.sandboxOn && added.length > 0)
    notes.push(`Steward adds ${added.join(' ')}${added.includes('none') ? ': no network unless you grant a domain' : ''}.`);
  if (ctx.userDomains.length > 0 && !hasNetwork) {
    notes.push('A container engine cannot limit a container to some domains: with any domain granted, the container can reach every address.');
  }
  for (const m of mounts) notes.push(`The container ${m.readOnly ? 'can read' : 'can read and write'} ${m.host} (mounted from this computer).`);

  return {
    kind: 'runner',
    runner: {
      tool: inv.tool,
      mode: 'container',
      packages: [ref],
      cacheDir: ctx.serverDir,
      download: downloadStep(ctx.runnerPath, ['pull', pinned], {}, ctx.serverDir, [], [], false),
      notes,
    },
    command: ctx.runnerPath,
    args: [...head.slice(0, runAt + 1), ...(ctx.sandboxOn ? added : []), ...options, pinned, ...c.command],
    env: {},
    extraPathDirs: [],
    ownWritePaths: [],
    ownReadPaths: [],
    domains: [],
    containerMounts: mounts,
  };
}
