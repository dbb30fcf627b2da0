// The host as plain-Node front ends run it (CLI, browser mode): the user's data dir, a file secret store, bundled servers.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, type Host, type HostOptions } from '../host.js';
import { defaultDataDir } from './data-dir.js';
import { FileSecretStore } from './file-secret-store.js';
import { systemBrowser } from './system-browser.js';

/** dist/examples, next to dist/main/core/node where this file is built. */
export const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

export interface NodeHostOptions extends Partial<HostOptions> {
  log: (line: string) => void;
}

export async function openNodeHost({ log, ...overrides }: NodeHostOptions): Promise<Host> {
  const dataDir = overrides.dataDir?.path ?? defaultDataDir();
  return createHost({
    dataDir: { path: dataDir },
    secrets: FileSecretStore.inDataDir(dataDir),
    browser: systemBrowser,
    bundled: { examplesDir: EXAMPLES_DIR, runtime: { command: process.execPath, env: {} } },
    onUnexpected: (where, error) => log(`internal error in ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    log: (line) => log(`steward: ${line}`),
    ...overrides,
  });
}
