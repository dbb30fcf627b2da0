// The two halves of a sandboxed launch's environment, the same on Linux and macOS: the wrapper (bash, then bubblewrap or
// `env` and sandbox-exec) starts with a fixed environment of Steward's, and the server's own comes in on a descriptor of
// its own, read by the sandbox's inner shell (bash) just before the command starts. Hostile input tried: a host PATH
// with relative folders, BASH_ENV and LD_PRELOAD in the host's environment, values with quotes, `$`, backticks, `;` and
// newlines, names bash treats specially (IFS, POSIXLY_CORRECT, read-only UID and SHELLOPTS, dynamic RANDOM, SECONDS and
// `_`), names `env` would misread, Steward's own variable names, a proxy of the config's own, and an environment that
// never arrives.
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { environmentInput, innerCommandLine, passEnvironment, wrapperEnv } from '../../../main/core/security/sandbox-runner.js';
import { NODE } from '../../helpers/paths.js';

const PRINT_ENV = [NODE, '-e', 'process.stdout.write(JSON.stringify(process.env))'];

/** Runs the line as the sandbox's inner shell would: bash, in the environment the runtime gives it, the server's on fd 3. */
async function run(line: string, shellEnv: Record<string, string>, input: Buffer | null): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn('/bin/bash', ['-c', line], { env: shellEnv, stdio: ['ignore', 'pipe', 'pipe', input ? 'pipe' : 'ignore'] });
  if (input) passEnvironment(child, input);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, out, err };
}

async function envSeen(env: Record<string, string>, shellEnv = wrapperEnv(), tempDir: string | null = null): Promise<Record<string, string>> {
  const { code, out, err } = await run(innerCommandLine({ argv: PRINT_ENV, env, tempDir }), shellEnv, environmentInput(env));
  expect(code, err).toBe(0);
  return JSON.parse(out) as Record<string, string>;
}

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
  delete process.env.BASH_ENV;
  delete process.env.LD_PRELOAD;
});

describe('the wrapper’s environment', () => {
  it('is the host’s PATH (absolute folders only) and SHLVL, nothing else', () => {
    process.env.PATH = ['.', 'node_modules/.bin', '/usr/local/bin', '', '/usr/bin', '/usr/bin'].join(delimiter);
    process.env.BASH_ENV = '/tmp/evil.sh';
    process.env.LD_PRELOAD = '/tmp/evil.so';
    expect(wrapperEnv()).toEqual({ PATH: ['/usr/local/bin', '/usr/bin'].join(delimiter), SHLVL: '1' });
  });

  it('falls back to the system folders when the host has no absolute PATH', () => {
    process.env.PATH = 'bin';
    expect(wrapperEnv().PATH).toBe('/usr/bin:/bin');
  });
});

describe('the inner command line', () => {
  const hostile = {
    QUOTES: `it's "quoted"`,
    EXPANSIONS: '$HOME ${PATH} $(id) `id` \\n',
    COMMAND: 'x; touch /tmp/steward-never && exit 1',
    LINES: 'one\ntwo\n',
    EMPTY: '',
    PATH: '/srv/server/bin:/usr/bin',
    API_KEY: 'sk-never-on-a-command-line',
  };

  it('gives the command every value of its environment unchanged, and none of them on its own command line', async () => {
    const seen = await envSeen(hostile);
    for (const [name, value] of Object.entries(hostile)) expect(seen[name]).toBe(value);
    const line = innerCommandLine({ argv: PRINT_ENV, env: hostile, tempDir: null });
    for (const value of Object.values(hostile).filter((v) => v !== '')) expect(line).not.toContain(value);
  });

  it('passes names bash treats specially, read-only ones included, as they are; the shell’s own variables stay its own', async () => {
    const special = {
      IFS: 'x',
      POSIXLY_CORRECT: '1',
      TMOUT: '1',
      UID: '4242',
      SHELLOPTS: 'xtrace',
      BASHOPTS: 'nullglob',
      PPID: '7',
      // bash's own dynamic ones: exported, each would come out as bash's value (or not at all).
      RANDOM: 'abc',
      SECONDS: '7',
      LINENO: 'line',
      SHLVL: '9',
      GROUPS: 'staff',
      FUNCNAME: 'f',
      _: 'x',
      OTHER: 'after them',
    };
    const seen = await envSeen(special);
    for (const [name, value] of Object.entries(special)) expect(seen[name]).toBe(value);
    expect(Object.keys(seen).filter((name) => name.startsWith('STEWARD_'))).toEqual([]);
  });

  it('keeps the runtime’s value of a name it sets (its proxy, its temp folder), the config’s where it set none; the run’s temp folder wins', async () => {
    const runtime = { ...wrapperEnv(), HTTPS_PROXY: 'http://srt:token@localhost:3128', TMPDIR: '/tmp/claude' };
    const env = { HTTPS_PROXY: 'http://proxy.corp.example:8080', JAVA_TOOL_OPTIONS: '-Xmx1g', TMPDIR: '/config/tmp', OTHER: 'kept' };
    const seen = await envSeen(env, runtime, '/data/servers/s1/tmp');
    expect(seen.HTTPS_PROXY).toBe('http://srt:token@localhost:3128');
    expect(seen.JAVA_TOOL_OPTIONS).toBe('-Xmx1g');
    expect(seen.TMPDIR).toBe('/data/servers/s1/tmp');
    expect(seen.OTHER).toBe('kept');
  });

  it('does not start the command when the environment does not arrive whole', async () => {
    const line = innerCommandLine({ argv: [NODE, '-e', 'console.log("started")'], env: { A: '1', B: '2' }, tempDir: null });
    for (const input of [null, environmentInput({ A: '1' })]) {
      const { code, out, err } = await run(line, wrapperEnv(), input);
      expect(code).toBe(125);
      expect(out).toBe('');
      expect(err).toContain('the environment of the server did not reach the sandbox');
    }
  });

  it.each(['A=B', '-i', '', '1X', 'A B', 'A;B', 'STEWARD_KEPT', 'steward_w'])('refuses the variable name %j', (name) => {
    expect(() => innerCommandLine({ argv: PRINT_ENV, env: { [name]: 'x' }, tempDir: null })).toThrow(expect.objectContaining({ code: 'config_invalid' }));
  });
});
