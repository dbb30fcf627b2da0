#!/usr/bin/env node
// steward: the command-line front end of the host. This file loads only what help, the version and `serve` need; a
// command's modules and the host, with the MCP SDK it imports, load when the command runs (run.ts).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STEWARD_VERSION } from '../../shared/version.js';
import { Interrupts } from '../core/node/interrupts.js';
import { EXIT, printLine } from './output.js';
import { USAGE } from './usage.js';

async function main(argv: string[]): Promise<number> {
  // Only Steward's own options: after `--` come a server's command and arguments, which may say --json themselves.
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const json = own.includes('--json');
  const args = [...own.filter((a) => a !== '--json'), ...(dash === -1 ? [] : argv.slice(dash))];
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    printLine(process.stdout, USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === '--version') {
    printLine(process.stdout, STEWARD_VERSION);
    return EXIT.ok;
  }
  if (command === 'serve') return serve(rest);
  const { runCommand } = await import('./run.js');
  return runCommand(command, rest, json);
}

/**
 * Browser mode runs as its own process: the CLI starts it rather than importing a transport layer. A Ctrl+C in the
 * terminal reaches both; SIGTERM sent to this process alone is passed on. Either way the child shuts down in order.
 */
function serve(args: string[]): Promise<number> {
  const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'serve.js');
  const child = spawn(process.execPath, [entry, ...args], { stdio: 'inherit' });
  const interrupts = new Interrupts({
    shutdown: () => {
      child.kill('SIGTERM');
      return Promise.resolve();
    },
    // A second Ctrl+C reached the child as well, which stops at once by itself.
    killNow: () => undefined,
    exit: (code) => process.exit(code),
    note: () => undefined,
    now: () => Date.now(),
  });
  interrupts.install();
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? EXIT.failed)));
}

process.exitCode = await main(process.argv.slice(2));
