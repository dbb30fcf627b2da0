// quoteWord/quoteCommandLine: a real /bin/sh must read every quoted word back byte for byte, with no expansion.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteCommandLine, quoteWord } from '../../../main/core/security/index.js';

/** Runs `printf '%s\0' <quoted words>` in /bin/sh and returns the words the shell actually passed. */
function throughShell(words: readonly string[]): string[] {
  const out = execFileSync('/bin/sh', ['-c', quoteCommandLine(['printf', '%s\\0', ...words])], {
    env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent-home', IFS: ' ' },
  });
  const parts = out.toString('utf8').split('\0');
  expect(parts.pop()).toBe('');
  return parts;
}

const NASTY: Array<[string, string]> = [
  ['empty string', ''],
  ['spaces', 'two  spaces and a tab\there'],
  ['leading and trailing space', ' padded '],
  ['single quote', "it's"],
  ['only single quotes', "'''"],
  ['double quotes', 'say "hi"'],
  ['mixed quotes', `a'b"c'"d`],
  ['command substitution', '$(rm -rf /)'],
  ['backticks', '`touch /tmp/steward-pwned`'],
  ['variable', '$HOME ${HOME} $0 $@'],
  ['newline', 'line one\nline two'],
  ['carriage return', 'a\rb'],
  ['backslashes', 'C:\\Users\\ada\\n'],
  ['glob star', '*'],
  ['glob classes', '[a-z]?*.js'],
  ['tilde', '~'],
  ['tilde user', '~root/x'],
  ['brace expansion', '{a,b}'],
  ['operators', '; && || | & > < >> 2>&1'],
  ['comment', '# not a comment'],
  ['history bang', '!!'],
  ['unicode', 'naïve ☃ 日本語 🚀'],
  ['assignment-looking', 'FOO=bar'],
  ['dash', '-n'],
  ['percent and at', '%s@%d'],
];

describe('shell quoting', () => {
  it.each(NASTY)('round-trips %s', (_name, word) => {
    expect(throughShell([word])).toEqual([word]);
  });

  it('round-trips all of them in one command line', () => {
    const words = NASTY.map(([, w]) => w);
    expect(throughShell(words)).toEqual(words);
  });

  const display: Array<[string, string]> = [
    ['/usr/bin/node', '/usr/bin/node'],
    ['@scope/pkg@1.2.3', '@scope/pkg@1.2.3'],
    ['--port=3000', '--port=3000'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", `'it'\\''s'`],
    ['~', "'~'"],
    ['*', "'*'"],
  ];

  it.each(display)('shows %j as %s', (word, shown) => {
    expect(quoteWord(word)).toBe(shown);
  });

  it('joins the quoted words with single spaces', () => {
    expect(quoteCommandLine(['/usr/bin/npx', '-y', 'my pkg'])).toBe(`/usr/bin/npx -y 'my pkg'`);
  });
});
