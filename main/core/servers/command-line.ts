// A pasted command line (`npx -y pkg`, `FOO=bar node server.js`) read into a program, its arguments and its variables,
// without a shell: anything a shell would do beyond splitting words and removing quotes is refused, by name.
import { parse, type ParseEntry } from 'shell-quote';
import { StewardError } from '../../../shared/errors.js';

export interface ParsedCommandLine {
  command: string;
  args: string[];
  env: Record<string, string>;
}

const MAX_LENGTH = 65_536;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

const OPERATOR_WORDS: Record<string, string> = {
  '|': 'a pipe (|)',
  '|&': 'a pipe (|&)',
  '||': 'an "or" chain (||)',
  '&&': 'an "and" chain (&&)',
  ';': 'a command separator (;)',
  ';;': 'a case terminator (;;)',
  '&': 'a background job (&)',
  '(': 'a subshell or command substitution ( )',
  ')': 'a subshell or command substitution ( )',
  '<': 'an input redirection (<)',
  '>': 'an output redirection (>)',
  '>>': 'an output redirection (>>)',
  '>&': 'a redirection (>&)',
  '<(': 'a process substitution <( )',
};

function refuse(what: string): never {
  throw new StewardError(
    'command_line_refused',
    `Steward runs a server's program directly, without a shell, so it cannot take ${what}. Remove it, or write the program and its arguments by hand.`,
  );
}

/**
 * What shell-quote leaves as plain text but a shell would not: backticks, unquoted line breaks and brace expansion. A
 * short walk that knows only quoting, so "{a,b}" inside quotes stays an argument.
 */
function refuseUnquotedSpecials(text: string): void {
  let quote: '"' | "'" | null = null;
  let braceAt = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') refuse('a command substitution with backticks (`…`)');
    if (quote === '"') {
      if (c === '"') quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '\n' || c === '\r') refuse('more than one line (each line is a command of its own to a shell)');
    else if (c === '{') braceAt = i;
    else if (c === '}' && braceAt >= 0) {
      const inside = text.slice(braceAt + 1, i);
      if (inside.includes(',') || inside.includes('..')) refuse(`a brace expansion (${text.slice(braceAt, i + 1)})`);
      braceAt = -1;
    } else if (c === ' ' || c === '\t') braceAt = -1;
  }
}

/**
 * For each word, whether it starts with a `~` no quote or backslash protects: only those are the home folder to a shell
 * (shell-quote drops the quotes, and with them that difference).
 */
function bareTildes(text: string): boolean[] {
  const starts: boolean[] = [];
  let quote: '"' | "'" | null = null;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      inWord = false;
      continue;
    }
    if (!inWord) starts.push(c === '~');
    inWord = true;
    if (c === '\\') i++;
    else if (c === '"' || c === "'") quote = c;
  }
  return starts;
}

/** A word shell-quote could not keep as text: a variable it was asked for, an operator, a glob or a comment. */
type Entry = ParseEntry | { variable: string };

function wordOf(entry: Entry, homeDir: string, bareTilde: boolean): string {
  if (typeof entry === 'string') {
    if (!bareTilde) return entry;
    // A shell expands ~ at the start of a word to the home folder; ~user would need the user database.
    if (entry === '~' || entry.startsWith('~/')) return homeDir + entry.slice(1);
    if (entry.startsWith('~')) refuse(`another user's home folder (${entry.split('/')[0] ?? entry})`);
    return entry;
  }
  if ('variable' in entry) {
    if (entry.variable === '') refuse('a command substitution ($(…)) or a lone $');
    refuse(`the shell variable $${entry.variable} (write its value instead, or add it as an environment variable)`);
  }
  if ('comment' in entry) refuse(`a comment (#${entry.comment.slice(0, 40)}) — quote a # that belongs to an argument`);
  if (entry.op === 'glob') refuse(`a file pattern (${entry.pattern}) — quote it if the program should get it as written`);
  refuse(OPERATOR_WORDS[entry.op] ?? `the shell operator ${entry.op}`);
}

/**
 * Splits a command line the way a POSIX shell splits one simple command, and no further. Leading NAME=VALUE words become
 * variables; `~` and `~/…` at the start of a word, unquoted, become the home folder. Everything else a shell would interpret is
 * refused with `command_line_refused`, naming it.
 */
export function parseCommandLine(text: string, homeDir: string): ParsedCommandLine {
  if (text.length > MAX_LENGTH) refuse(`a command line longer than ${MAX_LENGTH} characters`);
  if (text.includes('\u0000')) refuse('a NUL character');
  // A backslash before a line break continues the line, as in a README's multi-line commands.
  const joined = text.replace(/\\\r?\n/g, ' ').trim();
  if (joined === '') throw new StewardError('command_line_refused', 'The command line is empty: paste the command that starts the server.');
  refuseUnquotedSpecials(joined);
  const entries: Entry[] = parse(joined, (variable: string) => ({ variable }));
  // The words line up with the walk's unless the line holds something refused below (an operator, a glob, a comment).
  const tildes = bareTildes(joined);
  const words = entries.map((e, i) => wordOf(e, homeDir, tildes.length !== entries.length || tildes[i] === true));
  const env: Record<string, string> = {};
  let at = 0;
  for (; at < words.length; at++) {
    const match = ASSIGNMENT.exec(words[at] ?? '');
    if (!match?.[1]) break;
    env[match[1]] = match[2] ?? '';
  }
  const [command, ...args] = words.slice(at);
  if (command === undefined || command === '') throw new StewardError('command_line_refused', 'The command line sets variables but names no program to run.');
  return { command, args, env };
}
