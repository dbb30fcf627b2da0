// The steward command with hostile text everywhere a server or a config file can put it (terminal escapes such as OSC 52
// clipboard writes and OSC 0 titles, CR and backspace overwrites, C1 controls, bidi overrides, zero-width and tag
// characters): every command that shows server-supplied text, human and --json, and not one raw control byte reaches
// the terminal, while the text itself is still shown (escaped) and --json still parses to the exact values.
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonSafe, terminalSafe } from '../../main/core/node/index.js';
import { HOSTILE, HOSTILE_ALL, UNSAFE_OUTPUT } from '../fixtures/hostile-text.mjs';
import { tempDir } from '../helpers/host.js';
import { CLI, FIXTURES, NODE } from '../helpers/paths.js';

/** Names refuse control, invisible and bidi characters (they could rewrite the sentence around them); markup is fine. */
const NAME = 'evil <b>server</b>';

let home: string;
beforeAll(() => {
  home = tempDir('steward-cli-hostile-');
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function steward(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      NODE,
      [CLI, ...args],
      { env: { ...process.env, STEWARD_HOME: join(home, 'data') }, cwd: home, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin!.end('');
  });
}

/** Runs a command human and --json; neither output may carry a raw unsafe character, and --json must parse. */
async function both(...args: string[]): Promise<{ human: Run; json: Run; data: unknown }> {
  const human = await steward(...args);
  const json = await steward(...args, '--json');
  for (const run of [human, json]) {
    expect(UNSAFE_OUTPUT.exec(run.stdout), `stdout of steward ${args.join(' ')}`).toBeNull();
    expect(UNSAFE_OUTPUT.exec(run.stderr), `stderr of steward ${args.join(' ')}`).toBeNull();
  }
  const last = json.stdout.trim().split('\n').at(-1) ?? '';
  const parsed = JSON.parse(last) as { ok: boolean; data?: unknown };
  return { human, json, data: parsed.data };
}

describe('terminal-safe text', () => {
  it.each([
    ['\u001b]52;c;eA==\u0007', '\\x1b]52;c;eA==\\x07'],
    ['a\rb', 'a\\rb'],
    ['x\u202Ey', 'x<U+202E>y'],
    ['\u2066i\u2069', '<U+2066>i<U+2069>'],
    ['z\u200bw\ufeff', 'z<U+200B>w<U+FEFF>'],
    ['\u009b31m', '\\x9b31m'],
    ['tag\u{E0041}', 'tag<U+E0041>'],
    ['one\ntwo\tthree', 'one\\ntwo\\tthree'],
    // Default-ignorable marks draw as nothing: "github\u034F" would look exactly like "github".
    ['github\u034F', 'github<U+034F>'],
    ['a\uFE00b\uFE0Fc\u17B4d\u17B5e\u180Bf\u180Fg\u{E0100}h\u{E01EF}', 'a<U+FE00>b<U+FE0F>c<U+17B4>d<U+17B5>e<U+180B>f<U+180F>g<U+E0100>h<U+E01EF>'],
    ['plain text, ünïcödé, 日本語, emoji 🙂', 'plain text, ünïcödé, 日本語, emoji 🙂'],
  ])('shows %j as %j', (input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
  });

  it('keeps line structure in a block, and Windows line ends read as line ends', () => {
    expect(terminalSafe('a\r\nb\n\tc\rd', 'block')).toBe('a\nb\n\tc\\rd');
  });

  it('escapes default-ignorable marks in JSON too, keeping the same values', () => {
    const value = { name: 'github\u034F', more: 'x\uFE0Fy\u{E0100}' };
    const safe = jsonSafe(JSON.stringify(value));
    expect(safe).toBe('{"name":"github\\u034f","more":"x\\ufe0fy\\udb40\\udd00"}');
    expect(JSON.parse(safe)).toEqual(value);
  });

  it('leaves JSON valid with the same values', () => {
    const value = { text: HOSTILE_ALL, list: HOSTILE };
    const safe = jsonSafe(JSON.stringify(value));
    expect(UNSAFE_OUTPUT.exec(safe)).toBeNull();
    expect(JSON.parse(safe)).toEqual(value);
  });
});

describe('every command that shows server-supplied text', () => {
  it('prints the hostile corpus escaped, never raw, from import to tasks', { timeout: 300_000 }, async () => {
    const config = join(home, 'claude_desktop_config.json');
    writeFileSync(
      config,
      JSON.stringify({
        mcpServers: {
          [NAME]: { command: NODE, args: [join(FIXTURES, 'hostile-server.mjs'), HOSTILE[1]!, HOSTILE[9]!], env: { NOTE: HOSTILE_ALL } },
          [`spoof${HOSTILE[4]}${HOSTILE[2]}`]: { command: 'x' },
          [`bidi${HOSTILE[9]}${HOSTILE[11]}`]: { command: 'x' },
          [`legacy${HOSTILE[0]}`]: { type: 'sse', url: `https://example.com/sse${HOSTILE[9]}` },
        },
      }),
    );
    const imported = await both('servers', 'import', config);
    expect(imported.human.stdout).toContain('+ evil <b>server</b>');
    expect(imported.human.stdout).toContain('- bidiinvoice<U+202E>gpj.exezero<U+200B>width');
    expect(imported.human.stdout).toContain('\\r');
    expect(imported.human.stdout).toContain('\\x1b]52');
    // --json escapes the same characters, and they parse back to the very same name.
    expect(imported.json.stdout).toContain('bidiinvoice\\u202egpj.exe');
    expect(JSON.stringify(imported.data)).toContain('bidiinvoice\u202Egpj.exe');

    const listed = await both('servers', 'list');
    expect(listed.human.stdout).toContain('\\x1b]0;Steward: all servers approved\\x07 invoice<U+202E>gpj.exe');
    expect((listed.data as Array<{ name: string }>).map((s) => s.name)).toContain(NAME);
    expect((await both('servers', 'show', NAME)).human.stdout).toContain('\\x1b]0;');

    const consent = await both('consent', 'show', NAME);
    expect(consent.human.stdout).toContain('invoice<U+202E>gpj.exe');
    expect(consent.human.stdout).toContain('\\x1b]0;Steward: all servers approved\\x07');
    const approved = await steward('consent', 'approve', NAME, '--yes');
    expect(approved.code).toBe(0);
    expect(UNSAFE_OUTPUT.exec(approved.stdout + approved.stderr)).toBeNull();

    const tools = await both('tools', NAME);
    expect(tools.human.stdout).toContain('\\x1b]52;c;');
    expect(tools.human.stdout).toContain('tool\\x1b]52');
    expect((tools.data as Array<{ description?: string }>)[0]?.description).toBe(HOSTILE_ALL);

    const called = await both('call', NAME, 'echo');
    expect(called.human.stdout).toContain('approve?\\rSAFE');
    expect(called.human.stdout).toContain('<script>window.__pwned=2</script>');
    expect(JSON.stringify(called.data)).toContain(JSON.stringify(HOSTILE[0]).slice(1, -1));

    const asTask = await both('call', NAME, 'job', '--task');
    expect(asTask.human.code).toBe(0);

    const logs = await both('servers', 'logs', NAME, '--limit', '200');
    expect(logs.human.stdout).toContain('stderr: \\x1b]52;c;');
    expect(logs.human.stdout).toContain('\\x1b[31mred');

    const audit = await both('audit', '--limit', '200');
    expect(audit.human.stdout).toContain('"evil <b>server</b>"');
    // A tool whose name carries an OSC 52 write and a bidi override, called: its name is in the audit, escaped.
    expect((await steward('call', NAME, `tool${HOSTILE[0]}${HOSTILE[9]}`)).code).toBe(0);
    expect((await both('audit', '--limit', '5')).human.stdout).toContain('tool\\x1b]52;c;ZWNobyBwd25lZCB8IHNo\\x07invoice<U+202E>gpj.exe');
    const exported = await steward('audit', '--export');
    expect(UNSAFE_OUTPUT.exec(exported.stdout)).toBeNull();
    for (const line of exported.stdout.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();

    const tasks = await both('tasks', 'list');
    expect(tasks.human.stdout).toContain('\\x1b]52;c;');
    const taskId = (tasks.data as Array<{ id: string }>)[0]!.id;
    const shown = await both('tasks', 'show', taskId);
    expect(shown.human.stdout, shown.human.stdout).toContain('\\x1b]52');
    const result = await steward('tasks', 'result', taskId);
    expect(UNSAFE_OUTPUT.exec(result.stdout)).toBeNull();
    expect(JSON.stringify(JSON.parse(result.stdout))).toContain('Steward: all servers approved');
  });
});
