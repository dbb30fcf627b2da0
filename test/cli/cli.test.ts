// The steward command as scripts use it: real processes, a temp STEWARD_HOME, JSON output and exit codes.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { query, waitFor } from '../helpers/cli.js';
import { tempDir } from '../helpers/host.js';
import { CLI, EVERYTHING, FIXTURES, NODE } from '../helpers/paths.js';

let home: string;
beforeAll(() => {
  home = tempDir('steward-cli-');
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: { ok: boolean; data?: unknown; code?: string; message?: string };
}

function steward(...args: string[]): Promise<Run> {
  return stewardWithInput(undefined, ...args);
}

function stewardWithInput(input: string | undefined, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      NODE,
      [CLI, ...args],
      { env: { ...process.env, STEWARD_HOME: join(home, 'data'), ANTHROPIC_API_KEY: 'sk-ant-cli-secret' }, cwd: home, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        let json: Run['json'] = { ok: false };
        try {
          json = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Run['json'];
        } catch {
          // human output
        }
        resolve({ code, stdout, stderr, json });
      },
    );
    child.stdin!.end(input ?? '');
  });
}

describe('steward CLI', () => {
  it('registers the bundled server on first run', async () => {
    const run = await steward('servers', 'list', '--json');
    expect(run.code).toBe(0);
    expect((run.json.data as { name: string; source: string }[]).map((s) => [s.name, s.source])).toEqual([
      ['Folder Guide', 'bundled'],
      ['Folder Indexer', 'bundled'],
    ]);
  });

  // Seven commands in a row, each a whole process start: on a machine busy with other suites that can pass a minute.
  it('adds a server, refuses to run it without consent, then calls a tool after approval', { timeout: 180_000 }, async () => {
    expect((await steward('servers', 'add', 'everything', '--', NODE, EVERYTHING, 'stdio')).code).toBe(0);

    const blocked = await steward('call', 'everything', 'echo', '--args', '{"message":"hi"}');
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain('needs your approval');

    const shown = await steward('consent', 'show', 'everything', '--json');
    const request = shown.json.data as { spec: { hash: string; command: string }; commandLine: string; findings: unknown[] };
    expect(request.spec.command).toBe(NODE);
    expect(request.commandLine).toContain(EVERYTHING);

    const wrongHash = await steward('consent', 'approve', 'everything', '--yes', '--hash', 'deadbeef', '--json');
    expect(wrongHash.code).toBe(3);
    expect(wrongHash.json).toMatchObject({ ok: false, code: 'consent_mismatch' });

    expect((await steward('consent', 'approve', 'everything', '--yes', '--hash', request.spec.hash)).code).toBe(0);
    const called = await steward('call', 'everything', 'get-sum', '--args', '{"a":2,"b":3}', '--json');
    expect(called.code).toBe(0);
    expect(JSON.stringify(called.json.data)).toContain('5');

    const env = await steward('call', 'everything', 'get-env');
    expect(env.code).toBe(0);
    expect(env.stdout).not.toContain('sk-ant-cli-secret');
    expect(env.stdout).not.toContain('STEWARD_HOME');
  });

  it('uses distinct exit codes and JSON errors', async () => {
    expect((await steward('call', 'nope', 'echo')).code).toBe(4);
    const badJson = await steward('call', 'everything', 'echo', '--args', '{oops', '--json');
    expect(badJson.code).toBe(2);
    expect(badJson.json).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect((await steward('frobnicate')).code).toBe(2);
    expect((await steward('servers', 'add', 'x')).code).toBe(2);
    const unknownTool = await steward('call', 'everything', 'no-such-tool', '--json');
    expect([1, 5]).toContain(unknownTool.code);
  });

  it('imports a Claude Desktop config and says what it skipped', async () => {
    const file = join(home, 'claude_desktop_config.json');
    writeFileSync(
      file,
      JSON.stringify({
        mcpServers: {
          probe: { command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: { TOKEN: 'abc' } },
          remote: { url: 'https://mcp.example.com/mcp' },
          legacy: { type: 'sse', url: 'https://old.example.com/sse' },
          broken: { args: ['x'] },
          everything: { command: 'node' },
        },
      }),
    );
    const run = await steward('servers', 'import', file, '--json');
    expect(run.code).toBe(0);
    const report = run.json.data as { format: string; added: { name: string; source: string }[]; skipped: { name: string; code: string }[] };
    expect(report.format).toBe('claude_desktop');
    expect(report.added.map((s) => s.name).sort()).toEqual(['probe', 'remote']);
    expect(report.added.every((s) => s.source === 'import:claude_desktop')).toBe(true);
    expect(Object.fromEntries(report.skipped.map((s) => [s.name, s.code]))).toEqual({
      legacy: 'not_supported',
      broken: 'config_invalid',
      everything: 'name_taken',
    });

    const junk = join(home, 'junk.json');
    writeFileSync(junk, '{ "mcpServers": [1, 2');
    const bad = await steward('servers', 'import', junk, '--json');
    expect(bad.code).toBe(1);
    expect(bad.json).toMatchObject({ ok: false, code: 'import_failed' });
    expect((await steward('servers', 'import', join(home, 'missing.json'))).code).toBe(1);
  });

  it('takes the model key on stdin, keeps it out of every output and out of the database', async () => {
    const key = 'sk-ant-cli-0123456789-secret';
    expect((await stewardWithInput(`${key}\n`, 'models', 'key')).code).toBe(0);
    const shown = await steward('models', '--json');
    expect(shown.json.data).toMatchObject({ hasKey: true, defaultModel: 'claude-sonnet-5-5' });
    expect(shown.stdout).not.toContain(key);
    expect((await steward('models', 'key', '--json')).code).toBe(2);
    // A key cut short is called too short, by its length, never shown, and the saved key stays.
    const short = await stewardWithInput('sk-ant-1\n', 'models', 'key');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/8 characters long, too short to be a model key/);
    expect(short.stderr + short.stdout).not.toContain('sk-ant-1');
    expect((await steward('models', '--json')).json.data).toMatchObject({ hasKey: true });
    const db = readFileSync(join(home, 'data', 'steward.db'));
    expect(db.includes(Buffer.from(key))).toBe(false);
    const exported = await steward('audit', '--export');
    expect(exported.stdout).toContain('"kind":"models.settings"');
    expect(exported.stdout).not.toContain(key);
    for (const line of exported.stdout.trim().split('\n')) expect((): unknown => JSON.parse(line)).not.toThrow();
  });

  it('shows and sets a server’s sampling policy', async () => {
    const set = await steward('sampling', 'policy', 'everything', '--mode', 'allow', '--rpm', '20', '--no-tools', '--json');
    expect(set.code).toBe(0);
    expect(set.json.data).toMatchObject({ mode: 'allow', allowTools: false, budgets: { requestsPerMinute: 20, roundsPerLoop: 12 } });
    expect((await steward('sampling', 'policy', 'everything', '--mode', 'sometimes')).code).toBe(2);
    expect((await steward('sampling', 'policy', 'everything', '--rounds', '0')).code).toBe(2);
  });

  it('changes only the policy field each flag names', { timeout: 180_000 }, async () => {
    const start = ['--mode', 'deny', '--review', '--no-tools', '--max-tokens', '111', '--tokens-per-day', '2222', '--rpm', '33', '--rounds', '44', '--json'];
    let expected: Record<string, unknown> = {
      mode: 'deny',
      reviewReplies: true,
      allowTools: false,
      budgets: { maxTokensPerRequest: 111, tokensPerDay: 2222, requestsPerMinute: 33, roundsPerLoop: 44 },
    };
    expect((await steward('sampling', 'policy', 'everything', ...start)).json.data).toEqual(expected);
    const budgets = () => expected.budgets as Record<string, number>;
    // Each flag names a different field, applied one after another: every other field keeps the value it had.
    const flags: Array<[string[], () => Record<string, unknown>]> = [
      [['--mode', 'ask'], () => ({ ...expected, mode: 'ask' })],
      [['--no-review'], () => ({ ...expected, reviewReplies: false })],
      [['--tools'], () => ({ ...expected, allowTools: true })],
      [['--max-tokens', '7'], () => ({ ...expected, budgets: { ...budgets(), maxTokensPerRequest: 7 } })],
      [['--tokens-per-day', '8'], () => ({ ...expected, budgets: { ...budgets(), tokensPerDay: 8 } })],
      [['--rpm', '9'], () => ({ ...expected, budgets: { ...budgets(), requestsPerMinute: 9 } })],
      [['--rounds', '10'], () => ({ ...expected, budgets: { ...budgets(), roundsPerLoop: 10 } })],
    ];
    for (const [flag, next] of flags) {
      expected = next();
      const changed = await steward('sampling', 'policy', 'everything', ...flag, '--json');
      expect(changed.json.data, flag.join(' ')).toEqual(expected);
    }
  });

  it('stops a server that another Steward process runs', async () => {
    const foreground = execFile(NODE, [CLI, 'servers', 'start', 'everything'], { env: { ...process.env, STEWARD_HOME: join(home, 'data') }, cwd: home });
    onTestFinished(() => {
      if (foreground.exitCode === null) foreground.kill('SIGKILL');
    });
    // Read from the audit log directly: a command per poll would cost a whole process start each time.
    const pid = await waitFor('the foreground command to launch the server', () => {
      const [last] = query<{ kind: string; data: string }>(join(home, 'data'), 'SELECT kind, data FROM audit_events ORDER BY id DESC LIMIT 1');
      return last?.kind === 'server.launched' ? (JSON.parse(last.data) as { pid?: number }).pid : undefined;
    });
    const exited = new Promise<number | null>((r) => foreground.once('exit', (code) => r(code)));
    expect((await steward('servers', 'stop', 'everything')).code).toBe(0);
    expect(await exited).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('answers a form a server asks for mid-command with cancel, and says where it could be answered', async () => {
    expect((await steward('servers', 'add', 'pages', '--no-sandbox', '--', NODE, join(FIXTURES, 'elicitation-server.mjs'))).code).toBe(0);
    expect((await steward('consent', 'approve', 'pages', '--yes')).code).toBe(0);
    const schema = { type: 'object', properties: { nickname: { type: 'string' } } };
    const run = await steward('call', 'pages', 'ask', '--args', JSON.stringify({ message: 'Your nickname?', schema }));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ result: { action: 'cancel' } });
    expect(run.stderr).toContain('asked you to fill in a form ("Your nickname?"); dismissed');
  });
});
