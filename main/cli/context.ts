// What every command gets: the host, output that honours --json, exit codes, and a prompt on a terminal. Everything
// written goes through the terminal-safe filter (output.ts), so no command can print a raw control or bidi character.
import { createInterface } from 'node:readline/promises';
import type { CallName, CallInput, CallOutput } from '../../shared/contract/index.js';
import { StewardError, type ErrorCode } from '../../shared/errors.js';
import type { Host } from '../core/host.js';
import { terminalSafe } from '../core/node/index.js';
import type { Interrupts } from '../core/node/index.js';
import { EXIT, printJson, printLine } from './output.js';

export { EXIT, printJson, printLine };

export class UsageError extends Error {}

export function exitCodeFor(code: ErrorCode): number {
  if (code === 'consent_required' || code === 'consent_denied' || code === 'consent_mismatch') return EXIT.consent;
  if (code === 'not_found') return EXIT.notFound;
  if (code === 'invalid_payload') return EXIT.usage;
  return EXIT.failed;
}

/** A stream that is not a terminal has isTTY undefined, whatever Node's typings say. */
const onTerminal = (stream: { isTTY?: boolean }) => stream.isTTY === true;

export class Cli {
  constructor(
    readonly host: Host,
    readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream,
    private readonly stderr: NodeJS.WriteStream,
    private readonly stdin: NodeJS.ReadStream,
    /** Ctrl+C while a command runs (see main/core/node/interrupts.ts). */
    readonly interrupts?: Interrupts,
  ) {}

  get interactive(): boolean {
    return onTerminal(this.stdin) && onTerminal(this.stdout) && !this.json;
  }

  /** Calls the host through the same contract and dispatcher the app uses; failures throw StewardError. */
  async call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
    const outcome = await this.host.dispatch(name, input);
    if (!outcome.ok) throw new StewardError(outcome.code, outcome.message, outcome.details);
    return outcome.data as CallOutput<K>;
  }

  serverId(name: string): string {
    return this.host.servers.resolve(name).id;
  }

  /** Prints data as JSON ({ok:true,data}) or as the given human text. */
  result(data: unknown, human: () => string): void {
    if (this.json) printJson(this.stdout, `${JSON.stringify({ ok: true, data })}\n`);
    else {
      const text = human();
      if (text) printLine(this.stdout, text);
    }
  }

  line(text: string): void {
    if (!this.json) printLine(this.stdout, text);
  }

  note(text: string): void {
    printLine(this.stderr, text);
  }

  /** Writes machine-readable text as it is (JSON lines, a result's JSON), whatever --json says; only unsafe characters are escaped. */
  raw(json: string): void {
    printJson(this.stdout, json);
  }

  async confirm(question: string): Promise<boolean> {
    const rl = createInterface({ input: this.stdin, output: this.stdout });
    try {
      const answer = await rl.question(`${terminalSafe(question, 'block')} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  }
}
