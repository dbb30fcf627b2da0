// The servers Steward registers on first run: the bundled examples, run by the app's own Node runtime.
import { join } from 'node:path';
import type { ServerInput } from '../../shared/domain/servers.js';

export interface BundledRuntime {
  /** Absolute path of a Node-compatible executable (Electron's binary in the desktop app). */
  command: string;
  /** Variables that make it behave as plain Node (ELECTRON_RUN_AS_NODE=1 under Electron). */
  env: Record<string, string>;
}

/** Each example: sandboxed with no grants (they read only the folders the user shares), started on first use. */
const EXAMPLES: ReadonlyArray<{ name: string; folder: string }> = [
  { name: 'Folder Guide', folder: 'folder-guide' },
  // index_folder is a long task (minutes on a real folder): the task center's first customer.
  { name: 'Folder Indexer', folder: 'folder-indexer' },
];

export function bundledServers(examplesDir: string, runtime: BundledRuntime): ServerInput[] {
  return EXAMPLES.map(({ name, folder }) => ({
    name,
    config: { transport: 'stdio', command: runtime.command, args: [join(examplesDir, folder, 'server.js')], env: { ...runtime.env }, cwd: examplesDir },
    sandbox: { enabled: true, writePaths: [], denyReadPaths: [], allowedDomains: [] },
    options: { lazyStart: true, idleStopMinutes: 30 },
  }));
}
