// The host as the CLI runs it: no autostart, short stop grace, links printed rather than opened.
import type { Host } from '../core/host.js';
import { openNodeHost } from '../core/node/index.js';

export async function openCliHost(log: (line: string) => void): Promise<Host> {
  return openNodeHost({
    log,
    ownerKind: 'cli',
    autostart: false,
    // A command plans a launch to show it or to start it once; closing would wait for a sandbox warmed for nothing.
    warmSandbox: false,
    // A command should not linger: servers that ignore stdin closing get SIGTERM after one second.
    stopGraceMs: 1000,
    // A terminal cannot click: links are printed for the user to open.
    browser: {
      open: (url) => {
        log(`Open this address in your browser: ${url}`);
        return Promise.resolve();
      },
    },
  });
}
