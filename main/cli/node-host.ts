// The host as the CLI runs it: the user's data dir, a file secret store, bundled servers, no autostart.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, type Host } from '../core/host.js';
import { defaultDataDir, FileSecretStore } from '../core/node/index.js';

export const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

export async function openCliHost(log: (line: string) => void): Promise<Host> {
  const dataDir = defaultDataDir();
  return createHost({
    dataDir: { path: dataDir },
    secrets: FileSecretStore.inDataDir(dataDir),
    // A terminal cannot click: links are printed for the user to open.
    browser: { open: async (url) => log(`Open this address in your browser: ${url}`) },
    autostart: false,
    // A command should not linger: servers that ignore stdin closing get SIGTERM after one second.
    stopGraceMs: 1000,
    bundled: { examplesDir: EXAMPLES_DIR, runtime: { command: process.execPath, env: {} } },
    onUnexpected: (where, error) => log(`internal error in ${where}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`),
  });
}
