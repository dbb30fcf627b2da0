// Runs one command over the host: the command table, the host's lifetime, Ctrl+C, and how failures are reported.
// index.ts loads this module only when a command runs, so help and the version never load the host.
import { isStewardError } from '../../shared/errors.js';
import type { Host } from '../core/host.js';
import { Interrupts, terminalSafe } from '../core/node/index.js';
import { bundles, install } from './bundle-commands.js';
import { audit, call, consent, servers, tools } from './commands.js';
import { Cli, EXIT, exitCodeFor, printJson, printLine, UsageError } from './context.js';
import { inbox } from './inbox-commands.js';
import { models, sampling } from './model-commands.js';
import { openCliHost } from './node-host.js';
import { tasks } from './task-commands.js';
import { answerUnattended } from './unattended.js';
import { USAGE } from './usage.js';
import { calls, complete, logLevel, prompt, prompts, read, resources, watch } from './workbench-commands.js';

export async function runCommand(command: string, rest: string[], json: boolean): Promise<number> {
  const commands = {
    servers,
    consent,
    tools,
    call,
    calls,
    prompts,
    prompt,
    resources,
    read,
    complete,
    watch,
    'log-level': logLevel,
    tasks,
    inbox,
    audit,
    models,
    sampling,
    install,
    bundles,
  };
  // Own names only: "toString" or "constructor" are not commands.
  const run = Object.hasOwn(commands, command) ? commands[command as keyof typeof commands] : undefined;
  if (!run) {
    printLine(process.stderr, `Unknown command "${terminalSafe(command)}".\n\n${USAGE}`);
    return EXIT.usage;
  }
  let host: Host | undefined;
  const interrupts = new Interrupts({
    shutdown: async (code) => {
      await host?.dispose().catch(() => undefined);
      process.exit(code);
    },
    killNow: () => host?.servers.killNow(),
    exit: (code) => process.exit(code),
    note: (line) => printLine(process.stderr, line),
    now: () => Date.now(),
  });
  interrupts.install();
  try {
    const log = (line: string) => printLine(process.stderr, line);
    host = await openCliHost(log);
    answerUnattended(host, log);
    const cli = new Cli(host, json, process.stdout, process.stderr, process.stdin, interrupts);
    return await run(cli, rest);
  } catch (error) {
    if (interrupts.interrupted) return EXIT.interrupted;
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      report(json, 'invalid_payload', error.message);
      return EXIT.usage;
    }
    if (isStewardError(error)) {
      const tail = Array.isArray(error.details?.stderrTail) ? (error.details.stderrTail as string[]) : [];
      report(json, error.code, error.message, tail.slice(-8));
      return exitCodeFor(error.code);
    }
    report(json, 'internal_error', error instanceof Error ? error.message : String(error));
    return EXIT.failed;
  } finally {
    await host?.dispose();
  }
}

/**
 * A failure on stderr (or as JSON). The message is one line whatever it carries (a server's error text, a task's), so
 * it cannot print a line that looks like Steward's own; so is each line of the server's stderr shown under it.
 */
function report(json: boolean, code: string, message: string, stderrTail: readonly string[] = []): void {
  if (json) {
    printJson(process.stdout, `${JSON.stringify({ ok: false, code, message })}\n`);
    return;
  }
  const tail = stderrTail.length > 0 ? `\n  last lines on stderr:\n${stderrTail.map((l) => `  | ${terminalSafe(l)}`).join('\n')}` : '';
  printLine(process.stderr, `steward: ${terminalSafe(message)}${tail} [${code}]`);
}
