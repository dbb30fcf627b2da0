// Importing other hosts' config files: each format, each kind of entry that cannot come across, and junk. Hostile input
// also tried: a file naming 1,500 servers (each added one by one, holding the host up for minutes), and an add that
// fails with an error that is not Steward's own, whose text (a path, a stack) must not reach the reply.
import { describe, expect, it } from 'vitest';
import type { ServerInput, ServerView } from '../../../shared/domain/servers.js';
import { Audit } from '../../../main/core/audit/index.js';
import { importServers, MAX_IMPORT_ENTRIES, parseImport } from '../../../main/core/servers/import.js';
import { anyString, objectContaining, stringContaining } from '../../helpers/matchers.js';
import { memoryAudit } from '../../helpers/memory-ports.js';

const HOME = '/home/ada';
const parse = (text: string, fileName?: string) => parseImport(text, { homeDir: HOME, fileName });

describe('parseImport', () => {
  it('reads a Claude Desktop file', () => {
    const result = parse(
      JSON.stringify({
        mcpServers: {
          filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2026.1.1', '/Users/ada/Desktop'] },
          github: { command: 'docker', args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x' } },
        },
      }),
      'claude_desktop_config.json',
    );
    expect(result.format).toBe('claude_desktop');
    expect(result.skipped).toEqual([]);
    expect(result.candidates).toEqual([
      {
        name: 'filesystem',
        config: { transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2026.1.1', '/Users/ada/Desktop'], env: {} },
      },
      {
        name: 'github',
        config: {
          transport: 'stdio',
          command: 'docker',
          args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x' },
        },
      },
    ]);
  });

  it('reads a VS Code mcp.json with comments, trailing commas, http servers and ${userHome}', () => {
    const text = `{
      // servers for this workspace
      "inputs": [{ "type": "promptString", "id": "token", "password": true }],
      "servers": {
        "local": { "type": "stdio", "command": "node", "args": ["\${userHome}/mcp/server.js"], "cwd": "\${userHome}/mcp", },
        "remote": { "type": "http", "url": "https://mcp.example.com/mcp", "headers": { "X-Team": "core" } },
        "needs-token": { "type": "http", "url": "https://api.example.com/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
        "workspace": { "command": "node", "args": ["\${workspaceFolder}/server.js"] },
        "old-sse": { "type": "sse", "url": "https://old.example.com/sse" },
        "with-env-file": { "command": "node", "envFile": "\${userHome}/.env" },
      },
    }`;
    const result = parse(text, 'mcp.json');
    expect(result.format).toBe('vscode');
    expect(result.candidates.map((c) => c.name)).toEqual(['local', 'remote']);
    expect(result.candidates[0]!.config).toEqual({ transport: 'stdio', command: 'node', args: [`${HOME}/mcp/server.js`], env: {}, cwd: `${HOME}/mcp` });
    expect(result.candidates[1]!.config).toEqual({ transport: 'http', url: 'https://mcp.example.com/mcp', headers: { 'X-Team': 'core' } });
    expect(Object.fromEntries(result.skipped.map((s) => [s.name, s.code]))).toEqual({
      'needs-token': 'needs_input',
      workspace: 'needs_input',
      'old-sse': 'not_supported',
      'with-env-file': 'not_supported',
    });
  });

  it('reads VS Code settings.json (mcp.servers) and Cursor files', () => {
    expect(parse(JSON.stringify({ 'editor.fontSize': 13, mcp: { servers: { a: { command: 'node' } } } }), 'settings.json')).toMatchObject({
      format: 'vscode',
      candidates: [{ name: 'a' }],
    });
    expect(parse(JSON.stringify({ mcpServers: { b: { url: 'https://x.example/mcp' } } }), '.cursor-mcp.json')).toMatchObject({
      format: 'cursor',
      candidates: [{ name: 'b' }],
    });
    expect(parse(JSON.stringify({ mcpServers: { c: { serverUrl: 'https://y.example/mcp' } } }))).toMatchObject({
      format: 'generic',
      candidates: [{ name: 'c' }],
    });
  });

  it.each([
    ['a disabled entry', { d: { command: 'node', disabled: true } }, 'disabled'],
    ['an entry that is not an object', { d: 'node server.js' }, 'config_invalid'],
    ['neither command nor url', { d: { args: ['x'] } }, 'config_invalid'],
    ['a url that is not http(s)', { d: { url: 'ftp://files.example/mcp' } }, 'config_invalid'],
    ['args that are not strings', { d: { command: 'node', args: [1, 2] } }, 'config_invalid'],
    ['an env name that is not a name', { d: { command: 'node', env: { 'BAD NAME': 'x' } } }, 'config_invalid'],
    ['a command with a line break', { d: { command: 'node\nrm -rf /' } }, 'config_invalid'],
  ])('skips %s with a reason', (_label, servers, code) => {
    const result = parse(JSON.stringify({ mcpServers: servers }));
    expect(result.candidates).toEqual([]);
    expect(result.skipped).toEqual([{ name: 'd', code, reason: anyString() }]);
    expect(result.skipped[0]!.reason.length).toBeGreaterThan(10);
  });

  // A "__proto__" key becomes the parsed object's prototype: what it holds is read as the entry's own fields, yet
  // JSON.stringify and Object.entries never show it, so the ${env:…} and ${input:…} checks would pass it unseen.
  it.each([
    ['an inherited env', '{"mcpServers":{"a":{"command":"node","__proto__":{"env":{"API_KEY":"${env:API_KEY}"}}}}}'],
    ['an inherited command', '{"mcpServers":{"a":{"args":["x"],"__proto__":{"command":"${input:cmd}"}}}}'],
    ['an env whose values are inherited', '{"mcpServers":{"a":{"command":"node","env":{"__proto__":{"API_KEY":"${env:API_KEY}"}}}}}'],
    ['an inherited url and headers', '{"servers":{"a":{"__proto__":{"url":"https://x.example/mcp","headers":{"Authorization":"${input:t}"}}}}}'],
  ])('skips an entry with %s, and imports no placeholder as a value', (_label, text) => {
    const result = parse(text);
    expect(result.candidates).toEqual([]);
    expect(result.skipped).toEqual([{ name: 'a', code: 'config_invalid', reason: expect.stringContaining('"__proto__"') as string }]);
  });

  it('reports a server named "__proto__" as skipped and still imports the others', () => {
    const result = parse('{"mcpServers":{"__proto__":{"command":"node","env":{"K":"${env:K}"}},"b":{"command":"node"}}}');
    expect(result.candidates.map((c) => c.name)).toEqual(['b']);
    expect(result.skipped).toEqual([{ name: '__proto__', code: 'config_invalid', reason: expect.stringContaining('"__proto__"') as string }]);
  });

  it('refuses a file whose top level inherits its server map through "__proto__"', () => {
    for (const text of ['{"__proto__":{"mcpServers":{"a":{"command":"node"}}}}', '{"mcp":{"__proto__":{"servers":{"a":{"command":"node"}}}}}']) {
      expect(() => parse(text)).toThrow(objectContaining({ code: 'import_failed', message: expect.stringContaining('"__proto__"') as string }));
    }
  });

  // Hostile input tried: 20,000 open brackets, which exhaust the parser's stack; and an entry nested deeper than any needs.
  it('refuses a file nested too deeply to parse with import_failed, not an internal error', () => {
    let thrown: unknown;
    try {
      parse(`{"mcpServers":${'['.repeat(20_000)}`);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'import_failed', message: 'The file nests arrays or objects too deeply to read.' });
    const deep = parse(`{"mcpServers":{"a":{"command":"node","args":${'['.repeat(3000)}${']'.repeat(3000)}}}}`);
    expect(deep.skipped).toEqual([{ name: 'a', code: 'config_invalid', reason: expect.stringContaining('levels deep') as string }]);
  });

  // A name with an invisible default-ignorable mark looks exactly like another server's on every screen.
  it.each([
    ['U+034F', 'github\u034F'],
    ['U+FE0F', 'github\uFE0F'],
    ['U+17B4', 'git\u17B4hub'],
    ['U+180B', 'github\u180B'],
    ['U+E0100', 'github\u{E0100}'],
  ])('skips a server named "github" with %s', (_label, name) => {
    const result = parse(JSON.stringify({ mcpServers: { [name]: { command: 'node' } } }));
    expect(result.candidates).toEqual([]);
    expect(result.skipped).toEqual([{ name, code: 'config_invalid', reason: expect.stringContaining('invisible') as string }]);
  });

  it.each([
    ['not JSON', 'mcpServers: nope'],
    ['cut off', '{ "mcpServers": { "a": { "command": "node" '],
    ['an array', '[1, 2, 3]'],
    ['no server map', '{ "theme": "dark" }'],
    ['a map that is a list', '{ "mcpServers": ["a"] }'],
    ['empty', ''],
  ])('refuses a file that is %s with import_failed', (_label, text) => {
    expect(() => parse(text)).toThrow(objectContaining({ code: 'import_failed' }));
  });
});

describe('the number of entries', () => {
  const file = (n: number) => JSON.stringify({ mcpServers: Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, { command: 'node' }])) });

  it('reads a file at the cap', () => {
    expect(parse(file(MAX_IMPORT_ENTRIES)).candidates).toHaveLength(MAX_IMPORT_ENTRIES);
  });

  it('refuses a file of 1,500 servers with import_failed, saying how many it found', () => {
    expect(() => parse(file(1500))).toThrow(
      objectContaining({ code: 'import_failed', message: stringContaining(`names 1500 servers; Steward imports at most ${MAX_IMPORT_ENTRIES}`) }),
    );
  });
});

describe('importServers', () => {
  const text = JSON.stringify({ mcpServers: { first: { command: 'node' }, second: { command: 'node' }, third: { command: 'node' } } });

  function deps(add: (input: ServerInput) => Promise<ServerView>) {
    const unexpected: Array<{ where: string; error: unknown }> = [];
    const audit = new Audit(
      memoryAudit(),
      () => new Date(0).toISOString(),
      () => undefined,
    );
    return { unexpected, deps: { homeDir: HOME, audit, add, unexpected: (where: string, error: unknown) => void unexpected.push({ where, error }) } };
  }

  it('answers an unexpected failure with a plain sentence, and reports the error itself to the log', async () => {
    const boom = new Error("EACCES: permission denied, open '/home/ada/.config/private/secret-path'");
    const { deps: d, unexpected } = deps(() => Promise.reject(boom));
    const report = await importServers(text, 'mcp.json', d, 'user');
    expect(report.added).toEqual([]);
    expect(report.skipped).toHaveLength(3);
    expect(report.skipped[0]).toEqual({ name: 'first', code: 'import_failed', reason: stringContaining('internal error') });
    expect(JSON.stringify(report)).not.toMatch(/EACCES|secret-path/);
    expect(unexpected).toEqual([
      { where: 'servers.import', error: boom },
      { where: 'servers.import', error: boom },
      { where: 'servers.import', error: boom },
    ]);
  });

  it('lets the host take its turn between one server and the next', async () => {
    const seen: boolean[] = [];
    let turn = false;
    const { deps: d } = deps((input) => {
      seen.push(turn);
      turn = false;
      // Runs only once the import gives the event loop a turn.
      setImmediate(() => (turn = true));
      return Promise.reject(new Error(`not added: ${input.name}`));
    });
    await importServers(text, undefined, d, 'user');
    expect(seen.slice(1)).toEqual([true, true]);
  });
});
