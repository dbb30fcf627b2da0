// The OS sandbox (bubblewrap on Linux, Seatbelt on macOS) through @anthropic-ai/sandbox-runtime, behind a small port.
// Each launch is wrapped with its own filesystem and network lists, and the denials the runtime records for it are kept.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { StewardError } from '../../../shared/errors.js';
import { nodeFsView } from './fs-view.js';
import type { SandboxSupport } from './plan-launch.js';
import { quoteCommandLine } from './shell-quote.js';

/** One sandboxed run: what it may read, write and reach. Paths are absolute. */
export interface SandboxRequest {
  argv: readonly string[];
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
        { network: { allowedDomains: [], deniedDomains: [] }, filesystem: { denyRead: [], allowWrite: [], denyWrite: [] } },
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
      const argv = request.tempDir === null ? [...request.argv] : ['/usr/bin/env', `TMPDIR=${request.tempDir}`, ...request.argv];
      const { argv: wrapped } = await withShellLookupRetried(() =>
        SandboxManager.wrapWithSandboxArgv(
          // The inner shell only ever sees single-quoted words: it runs exactly this argv, nothing more.
          quoteCommandLine(argv),
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
