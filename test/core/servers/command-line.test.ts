// Reading a pasted command line without a shell: what it splits, and every shell feature it refuses by name.
// Hostile input tried: pipes, chains, redirections, $(…), backticks, variables, globs, brace expansion, comments,
// subshells, process substitution, several lines, NUL, a huge paste, ~user, a quoted or escaped ~, and nothing but
// assignments.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../main/core/servers/command-line.js';
import { StewardError } from '../../../shared/errors.js';

const HOME = '/home/ada';

describe('parseCommandLine', () => {
  it.each([
    ['npx -y pkg --flag', { command: 'npx', args: ['-y', 'pkg', '--flag'], env: {} }],
    ['uvx mcp-server-fetch', { command: 'uvx', args: ['mcp-server-fetch'], env: {} }],
    ['docker run -i --rm image', { command: 'docker', args: ['run', '-i', '--rm', 'image'], env: {} }],
    ['FOO=bar node server.js', { command: 'node', args: ['server.js'], env: { FOO: 'bar' } }],
    ['A=1 B="two words" node s.js X=3', { command: 'node', args: ['s.js', 'X=3'], env: { A: '1', B: 'two words' } }],
    [`node "my server.js" 'single q' a\\ b`, { command: 'node', args: ['my server.js', 'single q', 'a b'], env: {} }],
    [`node s.js '{"a":1,"b":[2]}'`, { command: 'node', args: ['s.js', '{"a":1,"b":[2]}'], env: {} }],
    ['node s.js "a|b;c>d"', { command: 'node', args: ['s.js', 'a|b;c>d'], env: {} }],
    ['node s.js \\$HOME', { command: 'node', args: ['s.js', '$HOME'], env: {} }],
    ["node s.js '$(not run)' '*.js'", { command: 'node', args: ['s.js', '$(not run)', '*.js'], env: {} }],
    ['npx -y @scope/pkg@1.2.3 ~/projects ~', { command: 'npx', args: ['-y', '@scope/pkg@1.2.3', '/home/ada/projects', '/home/ada'], env: {} }],
    // Only a bare ~ starting a word is the home folder: quoted, escaped or inside a word it is the character itself.
    [
      `node s.js '~/notes' "~" \\~/x a~/b --dir=~/c ~/d`,
      { command: 'node', args: ['s.js', '~/notes', '~', '~/x', 'a~/b', '--dir=~/c', '/home/ada/d'], env: {} },
    ],
    [`node "a b" ~/x '' ~`, { command: 'node', args: ['a b', '/home/ada/x', '', '/home/ada'], env: {} }],
    ['npx \\\n  -y pkg', { command: 'npx', args: ['-y', 'pkg'], env: {} }],
    ['  EMPTY= node s.js  ', { command: 'node', args: ['s.js'], env: { EMPTY: '' } }],
    ['node s.js "line one\nline two"', { command: 'node', args: ['s.js', 'line one\nline two'], env: {} }],
  ])('reads %j', (text, expected) => {
    expect(parseCommandLine(text, HOME)).toEqual(expected);
  });

  it.each([
    ['npx pkg | tee log', 'a pipe (|)'],
    ['npx pkg; rm -rf /', 'a command separator (;)'],
    ['npx pkg && curl x', 'an "and" chain (&&)'],
    ['npx pkg || true', 'an "or" chain (||)'],
    ['npx pkg &', 'a background job (&)'],
    ['npx pkg > out.txt', 'an output redirection (>)'],
    ['npx pkg >> out.txt', 'an output redirection (>>)'],
    ['npx pkg < in.txt', 'an input redirection (<)'],
    ['npx pkg 2>&1', 'a redirection (>&)'],
    ['node $(which server)', 'a command substitution ($(…))'],
    ['node `which server`', 'backticks'],
    ['node "`which server`"', 'backticks'],
    ['node s.js $HOME', 'the shell variable $HOME'],
    ['node s.js "${TOKEN}"', 'the shell variable $TOKEN'],
    ['node *.js', 'a file pattern (*.js)'],
    ['node s?.js', 'a file pattern (s?.js)'],
    ['node s.js {a,b}', 'a brace expansion ({a,b})'],
    ['node s.js {1..3}', 'a brace expansion ({1..3})'],
    ['node s.js # note', 'a comment'],
    ['(node s.js)', 'a subshell'],
    ['diff <(ls) x', 'a process substitution'],
    ['node s.js\nrm -rf ~', 'more than one line'],
    ['node ~root/s.js', "another user's home folder (~root)"],
    ['node s.js \u0000', 'a NUL character'],
    ['x'.repeat(70_000), 'longer than'],
  ])('refuses %j, naming it', (text, named) => {
    let error: unknown;
    try {
      parseCommandLine(text, HOME);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StewardError);
    expect((error as StewardError).code).toBe('command_line_refused');
    expect((error as StewardError).message).toContain(named);
  });

  it.each(['', '   ', 'A=1 B=2'])('refuses %j: no program', (text) => {
    expect(() => parseCommandLine(text, HOME)).toThrow(expect.objectContaining({ code: 'command_line_refused' }));
  });
});
