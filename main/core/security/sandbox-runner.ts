// The OS sandbox (bubblewrap on Linux, Seatbelt on macOS) through @anthropic-ai/sandbox-runtime, behind a small port.
import { randomBytes } from 'node:crypto';
import type { LaunchSpec } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import type { SandboxSupport } from './plan-launch.js';
import { quoteCommandLine } from './shell-quote.js';

export interface WrappedCommand {
  file: string;
  args: string[];
  /** Drops the per-launch network grants once the process has exited. */
  release(): void;
}

export interface SandboxRunner {
  support(): Promise<SandboxSupport>;
  wrap(spec: LaunchSpec): Promise<WrappedCommand>;
  /** Text that names the runtime's helper processes on their command lines (its bridges' socket paths), once it runs. */
  bridges?(): readonly string[];
  dispose(): Promise<void>;
}

type Runtime = typeof import('@anthropic-ai/sandbox-runtime');

export function createOsSandbox(platform: NodeJS.Platform = process.platform): SandboxRunner {
  let runtime: Promise<Runtime> | undefined;
  let initialized: Promise<void> | undefined;
  let support: Promise<SandboxSupport> | undefined;

  let runtimeLoaded: Runtime | undefined;
  const load = () =>
    (runtime ??= import('@anthropic-ai/sandbox-runtime').then((loaded) => {
      runtimeLoaded = loaded;
      return loaded;
    }));

  const init = async () => {
    const { SandboxManager } = await load();
    // Everything is per launch: the base policy grants nothing.
    initialized ??= withoutSignalHandlers(() =>
      SandboxManager.initialize({
        network: { allowedDomains: [], deniedDomains: [] },
        filesystem: { denyRead: [], allowWrite: [], denyWrite: [] },
      }),
    );
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

    async wrap(spec) {
      if (spec.sandbox.mode !== 'enforced') throw new StewardError('internal_error', 'wrap() called for a launch without a sandbox.');
      await init();
      const { SandboxManager } = await load();
      // The id names this launch to the network proxy; it must be unguessable (128 bits).
      const commandId = randomBytes(16).toString('base64url');
      const { argv } = await SandboxManager.wrapWithSandboxArgv(
        // The inner shell only ever sees single-quoted words: it runs exactly this argv, nothing more.
        quoteCommandLine([spec.command, ...spec.args]),
        undefined,
        {
          filesystem: { denyRead: spec.sandbox.denyReadPaths, allowWrite: spec.sandbox.writePaths, denyWrite: [] },
        },
        undefined,
        spec.cwd,
        { commandId, commandText: spec.command },
      );
      if (spec.sandbox.allowedDomains.length > 0) {
        SandboxManager.registerCommandNetworkLists(commandId, { allowedDomains: spec.sandbox.allowedDomains });
      }
      const [file, ...args] = argv;
      if (!file) throw new StewardError('spawn_failed', 'The sandbox produced an empty command.');
      return { file, args, release: () => SandboxManager.unregisterCommandNetworkLists(commandId) };
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
      await SandboxManager.reset();
    },
  };
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
