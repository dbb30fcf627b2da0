// The OS sandbox (bubblewrap on Linux, Seatbelt on macOS) through @anthropic-ai/sandbox-runtime, behind a small port.
// Each launch is wrapped with its own filesystem and network lists, and the denials the runtime records for it are kept.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Writable } from 'node:stream';
import { StewardError } from '../../../shared/errors.js';
import { isReservedEnvName } from './child-env.js';
import { nodeFsView } from './fs-view.js';
import type { SandboxSupport } from './plan-launch.js';
import { quoteWord } from './shell-quote.js';

/** One sandboxed run: what it may read, write and reach. Paths are absolute. */
export interface SandboxRequest {
  argv: readonly string[];
  /**
   * The command's whole environment. It is set inside the sandbox, as the last step before the command starts: the
   * wrapper (a shell, bubblewrap or sandbox-exec, and the runtime's helpers) never runs with any of it.
   */
  env: Readonly<Record<string, string>>;
  cwd: string;
  /** The temp folder the command gets as TMPDIR (the runtime's own default is shared by every sandbox). */
  tempDir: string | null;
  denyRead: readonly string[];
  /** Folders inside a hidden location that this run may read again (its own cache and temp folder). */
  allowRead: readonly string[];
  allowWrite: readonly string[];
  /** Folders the runtime would make writable by default and this run may not write. */
  denyWrite: readonly string[];
  allowedDomains: readonly string[];
}

export interface WrappedCommand {
  file: string;
  args: string[];
  /** The environment to start `file` with: fixed by Steward, nothing of the request's own (see `wrapperEnv`). */
  env: Record<string, string>;
  /** The request's environment, for the spawned wrapper's ENV_FD: spawn with a pipe there and call `passEnvironment`. */
  environment: Buffer;
  /** The denials the sandbox recorded for this run so far, oldest first (capped). */
  violations(): string[];
  /** Drops the run's network grants and stops collecting its denials; call once the process has exited. */
  release(): void;
}

export interface SandboxRunner {
  support(): Promise<SandboxSupport>;
  wrap(request: SandboxRequest): Promise<WrappedCommand>;
  /**
   * Starts the runtime (its proxies, bridges and denial monitor) in the background, so a start soon after does not wait
   * for it. Nothing is reported here: a runtime that cannot start fails the next wrap, as it would have anyway.
   */
  prepare?(): void;
  /** Text that names the runtime's helper processes on their command lines (its bridges' socket paths), once it runs. */
  bridges?(): readonly string[];
  dispose(): Promise<void>;
}

type Runtime = typeof import('@anthropic-ai/sandbox-runtime');

/** Denials kept per run: enough to see what went wrong, bounded against a process that provokes thousands. */
const VIOLATIONS_PER_RUN = 200;

export function createOsSandbox(platform: NodeJS.Platform = process.platform): SandboxRunner {
  let runtime: Promise<Runtime> | undefined;
  let initialized: Promise<void> | undefined;
  let support: Promise<SandboxSupport> | undefined;
  const live = new Map<string, string[]>();
  let seen = 0;
  let unsubscribe: (() => void) | undefined;

  let runtimeLoaded: Runtime | undefined;
  const load = () =>
    (runtime ??= import('@anthropic-ai/sandbox-runtime').then((loaded) => {
      runtimeLoaded = loaded;
      return loaded;
    }));

  const init = async () => {
    const { SandboxManager } = await load();
    // Everything is per launch: the base policy grants nothing. The log monitor records denials per launch.
    initialized ??= withoutSignalHandlers(() =>
      SandboxManager.initialize(
        {
          network: { allowedDomains: [], deniedDomains: [] },
          filesystem: { denyRead: [], allowWrite: [], denyWrite: [] },
          ...(platform === 'linux' ? linuxTools() : {}),
        },
        undefined,
        true,
      ),
    ).then(() => {
      const store = SandboxManager.getSandboxViolationStore();
      seen = store.getTotalCount();
      // The store keeps only the last hundred for everyone; each run's own denials are copied out as they arrive.
      unsubscribe = store.subscribe((all) => {
        const total = store.getTotalCount();
        const fresh = total - seen > 0 ? all.slice(-(total - seen)) : [];
        seen = total;
        for (const v of fresh) {
          const list = v.command === undefined ? undefined : live.get(v.command);
          if (list && list.length < VIOLATIONS_PER_RUN) list.push(v.line);
        }
      });
    });
    await initialized;
  };

  return {
    support() {
      support ??= (async (): Promise<SandboxSupport> => {
        if (platform !== 'linux' && platform !== 'darwin') return { kind: 'unsupported' };
        try {
          const { SandboxManager } = await load();
          if (!SandboxManager.isSupportedPlatform()) return { kind: 'unsupported' };
          const check = SandboxManager.checkDependencies();
          if (check.errors.length > 0) {
            const hint = platform === 'linux' ? ' (on Debian or Ubuntu: apt-get install bubblewrap socat ripgrep)' : '';
            return { kind: 'missing', reason: `${check.errors.join('; ')}${hint}.` };
          }
          return { kind: 'available' };
        } catch (error) {
          return { kind: 'missing', reason: `the sandbox runtime failed to load (${(error as Error).message}).` };
        }
      })();
      return support;
    },

    prepare() {
      init().catch(() => undefined);
    },

    async wrap(request) {
      await init();
      const { SandboxManager } = await load();
      // The id names this run to the network proxy and in the denial records; it must be unguessable (128 bits).
      const commandId = randomBytes(16).toString('base64url');
      const command = innerCommandLine(request);
      const { argv: wrapped } = await withShellLookupRetried(() =>
        SandboxManager.wrapWithSandboxArgv(
          command,
          undefined,
          {
            filesystem: {
              denyRead: platform === 'linux' ? presentPaths(request.denyRead) : [...request.denyRead],
              allowRead: [...request.allowRead],
              allowWrite: [...request.allowWrite],
              denyWrite: [...request.denyWrite],
            },
          },
          undefined,
          request.cwd,
          { commandId, commandText: commandId },
        ),
      );
      const [file, ...args] = wrapped;
      if (!file) throw new StewardError('spawn_failed', 'The sandbox produced an empty command.');
      const denials: string[] = [];
      live.set(commandId, denials);
      if (request.allowedDomains.length > 0) SandboxManager.registerCommandNetworkLists(commandId, { allowedDomains: [...request.allowedDomains] });
      return {
        file,
        args,
        env: wrapperEnv(),
        environment: environmentInput(request.env),
        violations: () => [...denials],
        release: () => {
          live.delete(commandId);
          SandboxManager.unregisterCommandNetworkLists(commandId);
        },
      };
    },

    bridges() {
      if (!initialized || !runtimeLoaded) return [];
      const manager = runtimeLoaded.SandboxManager;
      return [manager.getLinuxHttpSocketPath(), manager.getLinuxSocksSocketPath()].filter((p): p is string => typeof p === 'string' && p.length > 0);
    },

    async dispose() {
      if (!initialized) return;
      const { SandboxManager } = await load();
      await initialized.catch(() => undefined);
      unsubscribe?.();
      live.clear();
      await SandboxManager.reset();
    },
  };
}

/**
 * The environment the wrapper starts with. The wrapper runs outside the sandbox: bash, then bubblewrap (or `env` and
 * sandbox-exec on macOS), then the runtime's helpers. A server's own variables would be read there: BASH_ENV runs a
 * script, LD_PRELOAD loads a library, a PATH led by the server's folder picks a `bwrap` that lies beside the server. So
 * it gets the host's own PATH (absolute folders only) and SHLVL: Node's stdio pipes are sockets, and bash reads ~/.bashrc
 * for a socket on stdin (a remote login) unless SHLVL says it is nested.
 */
export function wrapperEnv(): Record<string, string> {
  return { PATH: hostPath(), SHLVL: '1' };
}

/** The host's PATH as Steward itself looks commands up on it: a relative entry would search the server's folder. */
function hostPath(): string {
  const dirs = [...new Set((process.env.PATH ?? '').split(delimiter).filter((dir) => isAbsolute(dir)))];
  return dirs.length > 0 ? dirs.join(delimiter) : '/usr/bin:/bin';
}

/**
 * bubblewrap by its absolute path on the host's PATH, so that the wrapper never looks it up. Its helpers (bash, socat)
 * are looked up on the host's PATH too: the runtime by `which` in Steward's own environment, the sandbox's inner shell
 * on the wrapper's PATH.
 */
function linuxTools(): { bwrapPath?: string } {
  const bwrapPath = onPath('bwrap');
  return bwrapPath ? { bwrapPath } : {};
}

/**
 * Names the runtime sets inside the sandbox: its proxy (for every kind of client), its certificate authority, its temp
 * folder, its marks on the run. Where the runtime sets one, its value wins over the server's: a proxy of the server's
 * own cannot be reached from inside the sandbox, only the runtime's can.
 */
const RUNTIME_ENV = [
  'SANDBOX_RUNTIME',
  'TMPDIR',
  'NO_PROXY',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'http_proxy',
  'https_proxy',
  'ALL_PROXY',
  'all_proxy',
  'GRPC_PROXY',
  'grpc_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'RSYNC_PROXY',
  'DOCKER_HTTP_PROXY',
  'DOCKER_HTTPS_PROXY',
  'GIT_CONFIG_PARAMETERS',
  'GIT_SSH_COMMAND',
  'SRT_SSH_PROXY_COMMAND',
  'CLOUDSDK_PROXY_TYPE',
  'CLOUDSDK_PROXY_ADDRESS',
  'CLOUDSDK_PROXY_PORT',
  'CLOUDSDK_PROXY_USERNAME',
  'CLOUDSDK_PROXY_PASSWORD',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  'PIP_CERT',
  'GIT_SSL_CAINFO',
  'AWS_CA_BUNDLE',
  'CARGO_HTTP_CAINFO',
  'DENO_CERT',
  'CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE',
  'NIX_SSL_CERT_FILE',
  'JAVA_TOOL_OPTIONS',
  'CLAUDE_CODE_HOST_HTTP_PROXY_PORT',
  'CLAUDE_CODE_HOST_SOCKS_PROXY_PORT',
  'SRT_OBSERVE_SOCK',
  'SRT_ENCODED_CMD',
];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names bash keeps for itself: exported, each comes out as bash's own value at the exec (a new RANDOM, the seconds
 * since, the line number, `_` as the last word) or not at all (the arrays), so they reach `env` as arguments instead.
 * A fixed list: bash has no way to ask whether a name is one of its dynamic ones.
 */
const BASH_OWN = [
  'RANDOM',
  'SRANDOM',
  'SECONDS',
  'EPOCHSECONDS',
  'EPOCHREALTIME',
  'BASH_MONOSECONDS',
  'LINENO',
  'OPTIND',
  'BASHPID',
  'HISTCMD',
  'SHLVL',
  'GROUPS',
  'FUNCNAME',
  'DIRSTACK',
  'PIPESTATUS',
  'BASH_SUBSHELL',
  'BASH_ARGV0',
  'BASH_ARGC',
  'BASH_ARGV',
  'BASH_COMMAND',
  'BASH_LINENO',
  'BASH_SOURCE',
  'BASH_ALIASES',
  'BASH_CMDS',
  'BASH_TRAPSIG',
  '_',
];

/**
 * The descriptor the command's environment comes in on, NUL-separated. Never on a command line: the wrapper's command
 * lines are long-lived, and any user of the machine can read them (`ps`), while a process's environment is its owner's.
 */
export const ENV_FD = 3;

/**
 * What the sandbox's inner shell (bash) runs, after the runtime's set-up: it reads the environment from ENV_FD and closes
 * it, exports each variable except one the runtime set (its value stays), and starts the command through /usr/bin/env,
 * with the run's own temp folder last. A variable bash will not export (UID, SHELLOPTS and the other read-only ones)
 * or would replace with its own value (BASH_OWN) goes to `env` as an argument instead. The shell's own variables use the STEWARD_ prefix, which a server's config
 * cannot use. A count that does not match ends the start: a server must not run without its environment.
 */
export function innerCommandLine(request: Pick<SandboxRequest, 'argv' | 'env' | 'tempDir'>): string {
  for (const name of Object.keys(request.env)) {
    if (!ENV_NAME.test(name) || isReservedEnvName(name)) {
      throw new StewardError('config_invalid', `An environment variable name must be letters, digits and underscores, and not start with STEWARD_.`);
    }
  }
  const last = [...(request.tempDir === null ? [] : [`TMPDIR=${request.tempDir}`]), ...request.argv].map(quoteWord).join(' ');
  return [
    'set --',
    `while IFS= read -r -d '' STEWARD_W <&${ENV_FD}; do set -- "$@" "$STEWARD_W"; done`,
    `exec ${ENV_FD}<&-`,
    `[ $# -eq ${Object.keys(request.env).length} ] || { echo 'Steward: the environment of the server did not reach the sandbox.' >&2; exit 125; }`,
    'STEWARD_KEPT=()',
    'for STEWARD_W; do',
    '  STEWARD_N=${STEWARD_W%%=*}',
    `  case $STEWARD_N in ${RUNTIME_ENV.join('|')}) [ -n "\${!STEWARD_N+x}" ] && continue ;; esac`,
    `  case $STEWARD_N in ${BASH_OWN.join('|')}) STEWARD_KEPT+=("$STEWARD_W"); continue ;; esac`,
    '  command export "$STEWARD_W" 2>/dev/null || STEWARD_KEPT+=("$STEWARD_W")',
    'done',
    `exec /usr/bin/env "\${STEWARD_KEPT[@]}" ${last}`,
  ].join('\n');
}

/** The environment as the inner command line reads it from ENV_FD. */
export function environmentInput(env: Readonly<Record<string, string>>): Buffer {
  return Buffer.from(
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}\0`)
      .join(''),
  );
}

/**
 * Writes a wrapped command's environment on the spawned wrapper's ENV_FD (spawned with a pipe there) and closes it. A
 * process that exits before reading it fails its start on its own; the broken pipe is not a second error.
 */
export function passEnvironment(child: ChildProcess, environment: Buffer): void {
  const channel = child.stdio[ENV_FD] as Writable | null | undefined;
  if (!channel) return;
  channel.on('error', () => undefined);
  channel.end(environment, () => channel.destroy());
}

/** Attempts at a wrap whose only failure is the runtime's lookup of the shell, while the shell is there. */
export const SHELL_LOOKUP_ATTEMPTS = 3;

/**
 * On Linux the runtime looks the shell up at every wrap by running `which bash`, and gives that one second. On a
 * machine busy enough that `which` does not finish in a second, the wrap fails with "Shell 'bash' not found in PATH":
 * a server that ran a minute ago fails to start, with a reason that is not true. When the shell is on PATH (looked up
 * here without running anything), the wrap is tried again, up to SHELL_LOOKUP_ATTEMPTS times in all; a shell that is
 * really missing, or a lookup that keeps failing, ends in a clear `sandbox_unavailable` error.
 */
async function withShellLookupRetried<T>(wrap: () => Promise<T>, attempts = SHELL_LOOKUP_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await wrap();
    } catch (error) {
      const shell = /Shell '([^']+)' not found in PATH/.exec(error instanceof Error ? error.message : '')?.[1];
      if (shell === undefined) throw error;
      const there = onPath(shell);
      if (there && attempt < attempts) continue;
      throw new StewardError(
        'sandbox_unavailable',
        there
          ? `The sandbox could not start the server: its lookup of ${shell} (at ${there}) failed ${attempts} times in a row. The machine may be too busy; try again.`
          : `The sandbox needs ${shell} to start a server, and ${shell} is not on PATH.`,
      );
    }
  }
}

/**
 * Where a command is on PATH, looked up without running anything; undefined when it is not there. PATH alone, as `which`
 * reads it: `resolveCommand` also tries the usual folders, and would call a shell found only there "on PATH".
 */
function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, command);
    if (nodeFsView.isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** The errors the runtime reads as "nothing there" when it stats a denyRead entry on Linux (its `isAbsenceErrno`). */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);

/**
 * The entries of a denyRead list that are there now. On Linux the runtime mounts nothing for an entry whose stat fails
 * with one of ABSENT (bubblewrap can only cover what exists), yet resolves and sorts every entry on every wrap, with
 * each real-path lookup repeated for each comparison: Steward's list of about seventy credential and history
 * locations, most of them absent on any one machine, made that most of a wrap's own time. Leaving out what the runtime
 * would leave out gives the same bubblewrap arguments (test/core/security/sandbox-denies.test.ts holds the runtime to
 * that). The stat is made at every wrap, so a location created since the last launch is covered at the next. On macOS a
 * Seatbelt rule also covers a path created later, so there the list goes to the runtime whole.
 */
export function presentPaths(paths: readonly string[]): string[] {
  return paths.filter((p) => {
    try {
      // Most entries are absent: asked not to throw for ENOENT, Node skips building an error (and its stack) for each.
      return statSync(p, { throwIfNoEntry: false }) !== undefined;
    } catch (error) {
      return !ABSENT.has((error as NodeJS.ErrnoException).code ?? '');
    }
  });
}

/**
 * The runtime installs its own SIGINT and SIGTERM listeners when it starts (to tidy up, then not exit): a first Ctrl+C
 * would be swallowed and a second would kill the process without cleanup. The host disposes the sandbox itself
 * (dispose → reset), so those listeners are taken off again and signals stay with the front end's one handler.
 */
async function withoutSignalHandlers<T>(start: () => Promise<T>): Promise<T> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((sig) => [sig, new Set(process.listeners(sig))]));
  try {
    return await start();
  } finally {
    for (const sig of signals) {
      const kept = before.get(sig);
      for (const listener of process.listeners(sig)) if (!kept?.has(listener)) process.removeListener(sig, listener);
    }
  }
}
