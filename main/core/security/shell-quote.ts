// POSIX single-quoting, used to show a command line and to hand an argv to the sandbox's inner shell unchanged.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one word so a POSIX shell reads it back as exactly this string, with no expansion. */
export function quoteWord(word: string): string {
  if (word.length > 0 && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function quoteCommandLine(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}
