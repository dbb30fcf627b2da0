#!/usr/bin/env node
// `steward serve`: the host in browser mode. Prints the link, opens the system browser, runs until stopped.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Interrupts, leaveFilesystemRoot, openNodeHost, systemBrowser, terminalSafe } from '../core/node/index.js';
import { startWebServer } from './server.js';

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer');
const AUTOSTART_FALLBACK_MS = 3000;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'no-open': { type: 'boolean' },
    bind: { type: 'string', default: '127.0.0.1' },
  },
});

// Log lines carry text from outside (request headers, error texts, command lines of cleaned-up processes).
const log = (line: string) => process.stderr.write(`${terminalSafe(line, 'block')}\n`);
leaveFilesystemRoot();
const host = await openNodeHost({ log, autostart: false, ownerKind: 'browser' });
// Servers meant to run start once a page has listed the servers, or after a few seconds when no page comes: started
// at once with the host, ten servers booting take the CPU the first screen needs, and the screen waits for them.
let started = false;
/** Once only; `run` false when stopping, so a start due later never comes. */
const startServers = (run = true) => {
  if (started) return;
  started = true;
  clearTimeout(fallback);
  if (run) setImmediate(() => host.servers.bootstrap(true));
};
const fallback = setTimeout(startServers, AUTOSTART_FALLBACK_MS);
let server: Awaited<ReturnType<typeof startWebServer>>;
try {
  server = await startWebServer({
    host,
    staticDir: STATIC_DIR,
    bindAddress: values.bind,
    ...(values.port ? { port: Number(values.port) } : {}),
    log,
    answered: (channel) => {
      if (channel === 'servers:list') startServers();
    },
  });
} catch (error) {
  startServers(false);
  log(`steward serve: ${(error as Error).message}`);
  await host.dispose();
  process.exit(1);
}
process.stdout.write(`Steward is running in browser mode: ${terminalSafe(server.url)}\n`);
if (!values['no-open'] && !process.env.STEWARD_NO_BROWSER) {
  await systemBrowser.open(server.url).catch(() => log('Could not open a browser; open the link above.'));
}

// Ctrl+C (or SIGTERM) stops in order; a second Ctrl+C within two seconds stops at once.
new Interrupts({
  shutdown: async () => {
    startServers(false);
    try {
      await server.close();
      await host.dispose();
      process.exit(0);
    } catch (error) {
      log(`steward serve: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  },
  killNow: () => {
    host.servers.killNow();
  },
  exit: (code) => process.exit(code),
  note: log,
  now: () => Date.now(),
}).install();
