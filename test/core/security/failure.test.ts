// Reading a failed start: the sandbox's recorded denials and stderr become one class, its evidence and the fix.
// Hostile input tried: denial lines shaped by the sandboxed process (paths with spaces, quotes, a fake host), a server name
// with shell characters (the fix command must quote it), writes into hidden places and into the server's own code.
import { describe, expect, it } from 'vitest';
import { classifyFailure, hiddenLocations, startErrorCode, type FailureInput } from '../../../main/core/security/index.js';

const HOME = '/home/ada';
const DATA = `${HOME}/.config/Steward`;
const PKG = `${DATA}/servers/s1/packages/abc`;

function input(extra: Partial<FailureInput>): FailureInput {
  return {
    serverName: 'memory',
    phase: 'start',
    outcome: { kind: 'exit', code: 1, signal: null },
    stderr: [],
    violations: [],
    writable: [`${HOME}/notes`, `${DATA}/servers/s1/tmp`, '/dev/null'],
    hidden: hiddenLocations('linux', HOME, DATA),
    readOnlyOwn: [PKG],
    command: 'npx',
    platform: 'linux',
    ...extra,
  };
}

describe('classifyFailure', () => {
  const rows: Array<{ name: string; given: Partial<FailureInput>; cls: string; summary: RegExp; fix: string; value?: string | null; command?: RegExp }> = [
    {
      name: 'a denied connection recorded by the sandbox proxy',
      given: { violations: ['deny network-outbound registry.npmjs.org:443 (host is not on the allow list)'], stderr: ['npm error code E403'] },
      cls: 'network_blocked',
      summary: /^Blocked: registry\.npmjs\.org — Allow and restart$/,
      fix: 'allow_domain',
      value: 'registry.npmjs.org',
      command: /^steward servers grant memory --allow-domain registry\.npmjs\.org$/,
    },
    {
      name: "npm's 403 from the proxy, without a recorded denial",
      given: { stderr: ['npm error code E403', 'npm error 403 403 Forbidden - GET https://registry.npmjs.org/@x%2fy - your security policy'] },
      cls: 'network_blocked',
      summary: /registry\.npmjs\.org/,
      fix: 'allow_domain',
      value: 'registry.npmjs.org',
    },
    {
      name: 'a DNS failure names its host',
      given: { stderr: ['Error: getaddrinfo ENOTFOUND api.example.com'] },
      cls: 'network_blocked',
      summary: /api\.example\.com/,
      fix: 'allow_domain',
      value: 'api.example.com',
    },
    {
      name: "Python's requests through the proxy",
      given: {
        stderr: [
          "requests.exceptions.ProxyError: HTTPSConnectionPool(host='api.github.com', port=443): Max retries exceeded (Tunnel connection failed: 403 Forbidden)",
        ],
      },
      cls: 'network_blocked',
      summary: /api\.github\.com/,
      fix: 'allow_domain',
      value: 'api.github.com',
    },
    {
      name: 'a package the registry does not have',
      given: {
        phase: 'download',
        stderr: ['npm error code E404', 'npm error 404 Not Found - GET https://registry.npmjs.org/@modelcontextprotocol%2fserver-nope - Not found'],
      },
      cls: 'package_not_found',
      summary: /@modelcontextprotocol\/server-nope/,
      fix: 'edit',
    },
    {
      name: 'a missing PyPI package',
      given: { stderr: ['  × No solution found when resolving tool dependencies:', '  ╰─▶ Because nope-pkg was not found in the package registry'] },
      cls: 'package_not_found',
      summary: /nope-pkg/,
      fix: 'edit',
    },
    {
      name: 'a runtime the shebang cannot find',
      given: { stderr: ["/usr/bin/env: 'node': No such file or directory"] },
      cls: 'runtime_missing',
      summary: /Node\.js/,
      fix: 'install',
    },
    {
      name: 'the command itself missing (spawn ENOENT)',
      given: { outcome: { kind: 'spawn_error', code: 'ENOENT' }, command: 'uvx' },
      cls: 'runtime_missing',
      summary: /uv/,
      fix: 'install',
    },
    {
      name: 'a read-only file system error in stderr',
      given: { stderr: ["Error: EROFS: read-only file system, open '/home/ada/projects/out.json'"] },
      cls: 'write_blocked',
      summary: /Allow writing \/home\/ada\/projects and restart/,
      fix: 'allow_write',
      value: '/home/ada/projects',
      command: /--allow-write \/home\/ada\/projects$/,
    },
    {
      name: 'a mkdir denial names the folder itself',
      given: { violations: ['deny mkdir /srv/cache/x'] },
      cls: 'write_blocked',
      summary: /\/srv\/cache\/x/,
      fix: 'allow_write',
      value: '/srv/cache/x',
    },
    {
      name: 'a write into its own downloaded code',
      given: { stderr: [`Error: EROFS: read-only file system, open '${PKG}/node_modules/x/dist/memory.jsonl'`] },
      cls: 'write_blocked',
      summary: /its own downloaded code/,
      fix: 'edit',
    },
    {
      name: 'a write into a hidden location is never offered',
      given: { stderr: [`PermissionError: [Errno 30] Read-only file system: '${HOME}/.aws/credentials'`] },
      cls: 'write_blocked',
      summary: /AWS credentials is never writable/,
      fix: 'none',
    },
    {
      name: 'denials of writes it was allowed, and /dev noise, do not count',
      given: { violations: [`deny openat ${HOME}/notes/a.txt`, 'deny openat /dev/pts/0'], stderr: ['fatal: boom'] },
      cls: 'exited_before_initialize',
      summary: /exited with code 1/,
      fix: 'edit',
    },
    {
      name: 'a hidden file it tried to read',
      given: { stderr: [`Error: ENOENT: no such file or directory, open '${HOME}/.config/gh/hosts.yml'`] },
      cls: 'read_blocked',
      summary: /GitHub CLI credentials/,
      fix: 'allow_read',
      value: `${HOME}/.config/gh`,
    },
    {
      name: "Steward's own data is never offered",
      given: { stderr: [`Error: ENOENT: no such file or directory, open '${DATA}/steward.db'`] },
      cls: 'read_blocked',
      summary: /own data/,
      fix: 'none',
    },
    {
      name: 'a server that answered but refused the handshake',
      given: { outcome: { kind: 'protocol', message: 'The server speaks an MCP version Steward does not support (1999-01-01).' } },
      cls: 'handshake_failed',
      summary: /handshake failed: .*1999-01-01/,
      fix: 'edit',
    },
    {
      name: 'an MCP answer that never came',
      given: { outcome: { kind: 'timeout', seconds: 30 } },
      cls: 'initialize_timeout',
      summary: /within 30 s/,
      fix: 'retry',
    },
    {
      name: 'a download that failed for another reason',
      given: { phase: 'download', stderr: ['npm error code EINTEGRITY'] },
      cls: 'download_failed',
      summary: /Download failed/,
      fix: 'retry',
    },
    {
      name: 'a crash after it ran',
      given: { phase: 'running', outcome: { kind: 'exit', code: null, signal: 'SIGSEGV' } },
      cls: 'crashed',
      summary: /SIGSEGV/,
      fix: 'retry',
    },
  ];

  it.each(rows)('$name → $cls', ({ given, cls, summary, fix, value, command }) => {
    const f = classifyFailure(input(given));
    expect(f.class).toBe(cls);
    expect(f.summary).toMatch(summary);
    expect(f.fix.kind).toBe(fix);
    if (value !== undefined) expect(f.fix.value).toBe(value);
    if (command) expect(f.fix.command).toMatch(command);
    expect(f.summary).not.toContain('\n');
    expect(f.evidence.length).toBeGreaterThan(0);
  });

  it('certain failures are never worth retrying unchanged; a timeout or a crash may be', () => {
    expect(classifyFailure(input({ violations: ['deny network-outbound x.example:443 (no)'] })).retryable).toBe(false);
    expect(classifyFailure(input({})).retryable).toBe(false);
    expect(classifyFailure(input({ outcome: { kind: 'timeout', seconds: 5 } })).retryable).toBe(true);
    expect(classifyFailure(input({ phase: 'running' })).retryable).toBe(true);
  });

  it('quotes a hostile server name and path in the fix command', () => {
    const f = classifyFailure(input({ serverName: `it's $(rm -rf ~) "srv"`, stderr: ["EROFS: read-only file system, open '/srv/my files/f'"] }));
    expect(f.fix.command).toBe(`steward servers grant 'it'\\''s $(rm -rf ~) "srv"' --allow-write '/srv/my files'`);
  });

  it('a registry 404 wins over the network line that carried it', () => {
    const f = classifyFailure(input({ stderr: ['npm error 404 Not Found - GET https://registry.npmjs.org/nope - Not found'] }));
    expect(f.class).toBe('package_not_found');
  });

  it('a failed start keeps the code that says what happened, and the class says what to do', () => {
    const cases: Array<[Partial<FailureInput>, Parameters<typeof startErrorCode>[0], string]> = [
      [{ outcome: { kind: 'protocol', message: 'unknown version' } }, 'unsupported_protocol_version', 'unsupported_protocol_version'],
      [{ outcome: { kind: 'protocol', message: 'too big' } }, 'message_too_large', 'message_too_large'],
      [{ outcome: { kind: 'protocol', message: 'closed' } }, 'connect_failed', 'connect_failed'],
      [{ outcome: { kind: 'timeout', seconds: 30 } }, 'timeout', 'timeout'],
      [{}, 'connect_failed', 'server_exited'],
      [{}, 'server_exited', 'server_exited'],
      [{ violations: ['deny network-outbound registry.npmjs.org:443 (no)'] }, 'connect_failed', 'server_exited'],
      [{ stderr: ['npm error 404 Not Found - GET https://registry.npmjs.org/nope - Not found'] }, 'server_exited', 'package_not_found'],
      [{ stderr: ['/usr/bin/env: ‘uv’: No such file or directory'] }, 'connect_failed', 'runtime_missing'],
    ];
    for (const [given, said, code] of cases) expect(startErrorCode(said, classifyFailure(input(given)))).toBe(code);
  });
});
