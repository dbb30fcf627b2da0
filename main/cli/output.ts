// Exit codes and the two ways text reaches the terminal. Every command's output goes through the terminal-safe filter
// here, so no command can print a raw control or bidi character. Light on purpose: help and the version print through it.
import { jsonSafe, terminalSafe } from '../core/node/terminal-text.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, consent: 3, notFound: 4, toolError: 5, interrupted: 130 } as const;

/** The one way text reaches the terminal: every control, bidi or invisible character made visible first. */
export function printLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${terminalSafe(text, 'block')}\n`);
}

/** The one way JSON reaches the terminal: valid JSON with the same values, unsafe characters escaped. */
export function printJson(stream: NodeJS.WritableStream, json: string): void {
  stream.write(jsonSafe(json));
}
