// planLaunch as a pure decision: which binary runs, in which folder, with which environment and sandbox, or why not.
import { describe, expect, it } from 'vitest';
import type { SandboxSettings, StdioConfig } from '../../../shared/domain/servers.js';
import {
  planLaunch,
  type LaunchPlan,
  type LaunchPolicy,
  type PinsNeeded,
  type Platform,
  type Refusal,
  type SandboxSupport,
} from '../../../main/core/security/index.js';
import { fakeFs, type FakeTree } from './fake-fs.js';

const HOME = '/home/ada';
const DATA = '/home/ada/.local/share/steward';
const WIN_HOME = 'C:\\Users\\ada';

interface Case {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  sandbox?: Partial<SandboxSettings>;
  platform?: Platform;
  support?: SandboxSupport;
  hostEnv?: Record<string, string | undefined>;
  tree?: FakeTree;
}

function policyFor(platform: Platform, support: SandboxSupport): LaunchPolicy {
  return platform === 'win32'
    ? { platform, homeDir: WIN_HOME, dataDir: `${WIN_HOME}\\AppData\\Roaming\\Steward`, sandbox: support }
    : {
        platform,
        homeDir: platform === 'darwin' ? '/Users/ada' : HOME,
        dataDir: platform === 'darwin' ? '/Users/ada/Library/Application Support/Steward' : DATA,
        sandbox: support,
      };
}

function run(c: Case): LaunchPlan | Refusal | PinsNeeded {
  const platform = c.platform ?? 'linux';
  const policy = policyFor(platform, c.support ?? { kind: 'available' });
  const config: StdioConfig = { transport: 'stdio', command: c.command, args: c.args ?? [], env: c.env ?? {}, ...(c.cwd !== undefined ? { cwd: c.cwd } : {}) };
  const sandbox: SandboxSettings = { enabled: true, writePaths: [], denyReadPaths: [], readPaths: [], allowedDomains: [], ...c.sandbox };
  const tree = c.tree ?? { files: ['/usr/bin/node'] };
  const fs = fakeFs({ ...tree, dirs: [...(tree.dirs ?? []), policy.homeDir] }, platform);
  return planLaunch({ config, sandbox, serverId: 'srv-1' }, policy, c.hostEnv ?? { PATH: '/usr/bin:/bin', HOME: policy.homeDir }, fs);
}

function plan(c: Case): LaunchPlan {
  const result = run(c);
  if (result.kind === 'needs_pins') throw new Error(`expected a plan, got a request to pin ${result.requests.map((r) => r.name).join(', ')}`);
  if (result.kind !== 'plan') throw new Error(`expected a plan, got refusal ${result.code}: ${result.message}`);
  return result;
}

describe('planLaunch: finding the command', () => {
  const nvm = (v: string) => `${HOME}/.nvm/versions/node/${v}/bin/npx`;
  const rows: Array<{ name: string; expected: string } & Case> = [
    {
      name: 'first match on PATH',
      command: 'node',
      hostEnv: { PATH: '/usr/local/bin:/usr/bin' },
      tree: { files: ['/usr/local/bin/node', '/usr/bin/node'] },
      expected: '/usr/local/bin/node',
    },
    {
      name: 'PATH order decides, not the usual places',
      command: 'node',
      hostEnv: { PATH: '/srv/tools/bin:/usr/bin' },
      tree: { files: ['/usr/local/bin/node', '/srv/tools/bin/node'] },
      expected: '/srv/tools/bin/node',
    },
    {
      name: 'a folder with the command name is skipped',
      command: 'node',
      hostEnv: { PATH: '/usr/local/bin:/usr/bin' },
      tree: { dirs: ['/usr/local/bin/node'], files: ['/usr/bin/node'] },
      expected: '/usr/bin/node',
    },
    {
      name: 'darwin GUI PATH misses Homebrew: found in /opt/homebrew/bin',
      platform: 'darwin',
      command: 'npx',
      hostEnv: { PATH: '/usr/bin:/bin' },
      tree: { files: ['/opt/homebrew/bin/npx'] },
      expected: '/opt/homebrew/bin/npx',
    },
    {
      name: 'no PATH at all still finds the usual places',
      command: 'node',
      hostEnv: {},
      tree: { files: ['/usr/local/bin/node'] },
      expected: '/usr/local/bin/node',
    },
    {
      name: 'nvm: the newest installed version wins (numeric, not lexical)',
      command: 'npx',
      hostEnv: { PATH: '/usr/bin' },
      tree: { files: [nvm('v9.11.2'), nvm('v18.20.4'), nvm('v20.9.0'), nvm('v20.11.1')], dirs: [`${HOME}/.nvm/versions/node/current`] },
      expected: nvm('v20.11.1'),
    },
    { name: 'volta shims', command: 'node', hostEnv: { PATH: '/usr/bin' }, tree: { files: [`${HOME}/.volta/bin/node`] }, expected: `${HOME}/.volta/bin/node` },
    {
      name: 'uv in ~/.local/bin',
      command: 'uvx',
      hostEnv: { PATH: '/usr/bin' },
      tree: { files: [`${HOME}/.local/bin/uvx`] },
      expected: `${HOME}/.local/bin/uvx`,
    },
    { name: 'absolute command', command: '/opt/servers/run', tree: { files: ['/opt/servers/run'] }, expected: '/opt/servers/run' },
    { name: 'absolute command is normalized', command: '/opt/servers/../servers/./run', tree: { files: ['/opt/servers/run'] }, expected: '/opt/servers/run' },
    { name: './server against the configured cwd', command: './server', cwd: '/srv/app', tree: { files: ['/srv/app/server'] }, expected: '/srv/app/server' },
    {
      name: '../bin/server against the configured cwd',
      command: '../bin/server',
      cwd: '/srv/app',
      tree: { files: ['/srv/bin/server'], dirs: ['/srv/app'] },
      expected: '/srv/bin/server',
    },
    { name: './server without a cwd resolves in the home folder', command: './server', tree: { files: [`${HOME}/server`] }, expected: `${HOME}/server` },
    { name: '~/bin/server expands the home folder', command: '~/bin/server', tree: { files: [`${HOME}/bin/server`] }, expected: `${HOME}/bin/server` },
    {
      name: 'win32: PATHEXT turns npx into npx.cmd',
      platform: 'win32',
      command: 'npx',
      hostEnv: { PATH: 'C:\\Windows\\system32;C:\\Program Files\\nodejs', PATHEXT: '.COM;.EXE;.BAT;.CMD' },
      tree: { files: ['C:\\Program Files\\nodejs\\npx.cmd'] },
      expected: 'C:\\Program Files\\nodejs\\npx.cmd',
    },
    {
      name: 'win32: the Path spelling of the variable works',
      platform: 'win32',
      command: 'node',
      hostEnv: { Path: 'D:\\node' },
      tree: { files: ['D:\\node\\node.exe'] },
      expected: 'D:\\node\\node.exe',
    },
    {
      name: 'win32: .exe before .cmd in the same folder',
      platform: 'win32',
      command: 'node',
      hostEnv: { PATH: 'D:\\node', PATHEXT: '.COM;.EXE;.BAT;.CMD' },
      tree: { files: ['D:\\node\\node.cmd', 'D:\\node\\node.exe'] },
      expected: 'D:\\node\\node.exe',
    },
    {
      name: 'win32: npm global folder in AppData when PATH misses it',
      platform: 'win32',
      command: 'npx',
      hostEnv: { PATH: 'C:\\Windows' },
      tree: { files: [`${WIN_HOME}\\AppData\\Roaming\\npm\\npx.cmd`] },
      expected: `${WIN_HOME}\\AppData\\Roaming\\npm\\npx.cmd`,
    },
    {
      name: 'win32: absolute command gains its extension',
      platform: 'win32',
      command: 'C:\\tools\\server',
      tree: { files: ['C:\\tools\\server.exe'] },
      expected: 'C:\\tools\\server.exe',
    },
  ];

  it.each(rows)('$name', ({ expected, ...c }) => {
    expect(plan(c).spec.command).toBe(expected);
  });
});

describe('planLaunch: refusals', () => {
  const rows: Array<{ name: string; code: string; mentions: string } & Case> = [
    { name: 'command nowhere to be found', command: 'mcp-server-nowhere', code: 'command_not_found', mentions: 'mcp-server-nowhere' },
    {
      name: 'Homebrew is not a usual place on linux',
      command: 'npx',
      hostEnv: { PATH: '/usr/bin' },
      tree: { files: ['/opt/homebrew/bin/npx'] },
      code: 'runtime_missing',
      mentions: 'Node.js',
    },
    {
      name: 'relative PATH entries are never searched',
      command: 'tool',
      hostEnv: { PATH: 'bin:.:/usr/bin' },
      tree: { files: [`${HOME}/bin/tool`, `${HOME}/tool`] },
      code: 'command_not_found',
      mentions: 'tool',
    },
    { name: 'absolute command that does not exist', command: '/opt/missing/server', code: 'command_not_found', mentions: '/opt/missing/server' },
    { name: 'relative cwd', command: 'node', cwd: 'projects/app', code: 'cwd_invalid', mentions: 'projects/app' },
    { name: 'missing cwd', command: 'node', cwd: '/srv/nothing-here', code: 'cwd_invalid', mentions: '/srv/nothing-here' },
    { name: 'cwd that is a file', command: 'node', cwd: '/usr/bin/node', code: 'cwd_invalid', mentions: '/usr/bin/node' },
    { name: 'reserved env name', command: 'node', env: { STEWARD_X: '1' }, code: 'config_invalid', mentions: 'STEWARD_X' },
    { name: 'reserved env name in lower case', command: 'node', env: { steward_home: '/tmp' }, code: 'config_invalid', mentions: 'steward_home' },
    {
      name: 'sandbox wanted but missing',
      command: 'node',
      support: { kind: 'missing', reason: 'bubblewrap (bwrap) is not installed.' },
      code: 'sandbox_unavailable',
      mentions: 'bubblewrap',
    },
    { name: 'relative sandbox write folder', command: 'node', sandbox: { writePaths: ['work'] }, code: 'config_invalid', mentions: 'work' },
    { name: 'relative sandbox hidden folder', command: 'node', sandbox: { denyReadPaths: ['secrets'] }, code: 'config_invalid', mentions: 'secrets' },
    { name: 'a write grant of ~/.ssh', command: 'node', sandbox: { writePaths: ['~/.ssh'] }, code: 'grant_refused', mentions: `${HOME}/.ssh` },
    { name: 'a write grant inside the data folder', command: 'node', sandbox: { writePaths: [`${DATA}/x`] }, code: 'grant_refused', mentions: DATA },
    { name: 'a read grant inside ~/.aws', command: 'node', sandbox: { readPaths: ['~/.aws/config'] }, code: 'grant_refused', mentions: `${HOME}/.aws` },
  ];

  it.each(rows)('$name → $code', ({ code, mentions, ...c }) => {
    const result = run(c);
    expect(result.kind).toBe('refusal');
    if (result.kind !== 'refusal') return;
    expect(result.code).toBe(code);
    expect(result.message).toContain(mentions);
  });
});

describe('planLaunch: working folder', () => {
  const rows: Array<{ name: string; cwd: string | undefined; expected: string }> = [
    { name: 'none: the home folder', cwd: undefined, expected: HOME },
    { name: 'blank: the home folder', cwd: '   ', expected: HOME },
    { name: '~', cwd: '~', expected: HOME },
    { name: '~/projects/app', cwd: '~/projects/app', expected: `${HOME}/projects/app` },
    { name: 'trailing slash removed', cwd: '/srv/app/', expected: '/srv/app' },
    { name: 'dot segments normalized', cwd: '/srv/x/../app', expected: '/srv/app' },
  ];

  it.each(rows)('$name → $expected', ({ cwd, expected }) => {
    const result = plan({
      command: 'node',
      ...(cwd !== undefined ? { cwd } : {}),
      tree: { files: ['/usr/bin/node'], dirs: ['/srv/app', `${HOME}/projects/app`] },
    });
    expect(result.spec.cwd).toBe(expected);
  });
});

describe('planLaunch: sandbox plan', () => {
  it('available and enabled: enforced, with the secret locations and the data folder hidden', () => {
    const { sandbox } = plan({ command: 'node', sandbox: { allowedDomains: ['registry.npmjs.org', 'registry.npmjs.org'] } }).spec;
    expect(sandbox.mode).toBe('enforced');
    expect(sandbox.writePaths).toEqual([]);
    expect(sandbox.allowedDomains).toEqual(['registry.npmjs.org']);
    expect(sandbox.denyReadPaths).toEqual(
      expect.arrayContaining([`${HOME}/.ssh`, `${HOME}/.aws`, `${HOME}/.gnupg`, `${HOME}/.config/gh`, `${HOME}/.local/share/keyrings`, DATA]),
    );
  });

  it('darwin hides the keychains and browser profiles', () => {
    const { sandbox } = plan({ platform: 'darwin', command: 'node' }).spec;
    expect(sandbox.denyReadPaths).toEqual(
      expect.arrayContaining([
        '/Users/ada/.ssh',
        '/Users/ada/Library/Keychains',
        '/Users/ada/Library/Application Support/Google/Chrome',
        '/Users/ada/Library/Application Support/Steward',
      ]),
    );
  });

  const modes: Array<{ name: string; enabled: boolean; support: SandboxSupport; platform?: Platform; mode: string }> = [
    { name: 'available, enabled', enabled: true, support: { kind: 'available' }, mode: 'enforced' },
    { name: 'available, turned off', enabled: false, support: { kind: 'available' }, mode: 'off' },
    { name: 'missing, turned off', enabled: false, support: { kind: 'missing', reason: 'no bwrap.' }, mode: 'off' },
    { name: 'unsupported (win32), enabled', enabled: true, support: { kind: 'unsupported' }, platform: 'win32', mode: 'unsupported' },
    { name: 'unsupported (win32), turned off', enabled: false, support: { kind: 'unsupported' }, platform: 'win32', mode: 'unsupported' },
  ];

  it.each(modes)('$name → $mode', ({ enabled, support, platform, mode }) => {
    const c: Case = platform === 'win32' ? { platform, command: 'C:\\node\\node.exe', tree: { files: ['C:\\node\\node.exe'] } } : { command: 'node' };
    const { sandbox } = plan({ ...c, support, sandbox: { enabled, writePaths: ['/srv/out'], allowedDomains: ['example.com'] } }).spec;
    expect(sandbox.mode).toBe(mode);
    if (mode !== 'enforced') {
      // Grants mean nothing without a sandbox; the plan must not pretend they hold.
      expect(sandbox).toMatchObject({ mode, writePaths: [], ownWritePaths: [], denyReadPaths: [], allowedDomains: [], tempDir: null });
    }
  });

  const grants: Array<{ name: string; writePaths: string[]; sshHidden: boolean; awsHidden: boolean }> = [
    { name: 'the home folder keeps ~/.ssh hidden', writePaths: ['~'], sshHidden: true, awsHidden: true },
    { name: 'the root keeps ~/.ssh hidden', writePaths: ['/'], sshHidden: true, awsHidden: true },
    { name: 'a sibling sharing the prefix keeps ~/.ssh hidden', writePaths: [`${HOME}/.sshfs-mounts`], sshHidden: true, awsHidden: true },
  ];

  it.each(grants)('write grant: $name', ({ writePaths, sshHidden, awsHidden }) => {
    const { sandbox } = plan({ command: 'node', sandbox: { writePaths } }).spec;
    expect(sandbox.denyReadPaths.includes(`${HOME}/.ssh`)).toBe(sshHidden);
    expect(sandbox.denyReadPaths.includes(`${HOME}/.aws`)).toBe(awsHidden);
    expect(sandbox.denyReadPaths).toContain(DATA);
  });

  it('a read grant of exactly ~/.ssh shows only ~/.ssh', () => {
    const { sandbox } = plan({ command: 'node', sandbox: { readPaths: ['~/.ssh/'] } }).spec;
    expect(sandbox.readPaths).toEqual([`${HOME}/.ssh`]);
    expect(sandbox.denyReadPaths).not.toContain(`${HOME}/.ssh`);
    expect(sandbox.denyReadPaths).toContain(`${HOME}/.aws`);
    expect(sandbox.denyReadPaths).toContain(DATA);
  });

  it('write grants are expanded, normalized and deduplicated; extra hidden folders are added', () => {
    const { sandbox } = plan({ command: 'node', sandbox: { writePaths: ['~/work', `${HOME}/work/`, '/tmp/out'], denyReadPaths: ['~/private'] } }).spec;
    expect(sandbox.writePaths).toEqual([`${HOME}/work`, '/tmp/out']);
    expect(sandbox.denyReadPaths).toContain(`${HOME}/private`);
    expect(sandbox.denyReadPaths.filter((p) => p === `${HOME}/.ssh`)).toHaveLength(1);
  });
});

describe('planLaunch: child environment', () => {
  const hostEnv = {
    HOME,
    PATH: '/usr/bin:/bin',
    USER: 'ada',
    LANG: 'en_GB.UTF-8',
    TERM: 'xterm-256color',
    SHELL: '/bin/bash',
    TZ: '() { :; }; echo pwned',
    ANTHROPIC_API_KEY: 'sk-ant-host-secret',
    AWS_SECRET_ACCESS_KEY: 'aws-host-secret',
    GITHUB_TOKEN: 'ghp_host_secret',
    STEWARD_HOME: '/home/ada/.steward',
    SSH_AUTH_SOCK: '/tmp/ssh-agent.sock',
    NODE_OPTIONS: '--require /tmp/evil.js',
    'BASH_FUNC_x%%': '() { echo hi; }',
  };

  it('passes only the safe host variables plus the configured ones', () => {
    const result = plan({
      command: '/opt/tools/bin/npx',
      env: { API_TOKEN: 'config-token', LOG_LEVEL: 'debug' },
      hostEnv,
      tree: { files: ['/opt/tools/bin/npx'] },
      sandbox: { enabled: false },
    });
    // The resolved command's own folder goes first, so `#!/usr/bin/env node` next to it works.
    expect(result.env).toEqual({
      HOME,
      PATH: '/opt/tools/bin:/usr/bin:/bin',
      USER: 'ada',
      LANG: 'en_GB.UTF-8',
      TERM: 'xterm-256color',
      SHELL: '/bin/bash',
      API_TOKEN: 'config-token',
      LOG_LEVEL: 'debug',
    });
  });

  it('never leaks a host secret or bash function, whatever the config says', () => {
    const result = plan({ command: 'node', env: { DEBUG: '1' }, hostEnv });
    const names = Object.keys(result.env);
    for (const name of ['ANTHROPIC_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'STEWARD_HOME', 'SSH_AUTH_SOCK', 'NODE_OPTIONS', 'TZ', 'BASH_FUNC_x%%']) {
      expect(names).not.toContain(name);
    }
    expect(Object.values(result.env).some((v) => v.startsWith('()'))).toBe(false);
  });

  it('does not repeat a folder that is already on PATH', () => {
    expect(plan({ command: 'node', hostEnv }).env.PATH).toBe('/usr/bin:/bin');
  });

  it('names the configured variables in the spec, never their values', () => {
    const result = plan({ command: 'node', env: { ZED: 'zzz-secret-value', API_TOKEN: 'tok-secret-value' } });
    expect(result.spec.envNames).toEqual(['API_TOKEN', 'ZED']);
    expect(JSON.stringify(result.spec)).not.toContain('secret-value');
    expect(result.commandLine).not.toContain('secret-value');
  });

  it('win32: safe variables are found whatever their case; PATH gets the command folder with ";"', () => {
    const result = plan({
      platform: 'win32',
      command: 'npx',
      hostEnv: {
        Path: 'C:\\Windows\\system32',
        PATHEXT: '.COM;.EXE;.CMD',
        SystemRoot: 'C:\\Windows',
        USERPROFILE: WIN_HOME,
        ANTHROPIC_API_KEY: 'sk-ant-host-secret',
      },
      tree: { files: ['C:\\Program Files\\nodejs\\npx.cmd'] },
    });
    expect(result.spec.command).toBe('C:\\Program Files\\nodejs\\npx.cmd');
    expect(result.env).toEqual({
      PATH: 'C:\\Program Files\\nodejs;C:\\Windows\\system32',
      PATHEXT: '.COM;.EXE;.CMD',
      SYSTEMROOT: 'C:\\Windows',
      USERPROFILE: WIN_HOME,
    });
  });
});

describe('planLaunch: what the user is shown', () => {
  it('quotes the resolved command line and reports findings from the configured command', () => {
    const result = plan({ command: 'npx', args: ['-y', 'some server', "it's"], hostEnv: { PATH: '/usr/bin' }, tree: { files: ['/usr/bin/npx'] } });
    expect(result.commandLine).toBe(`/usr/bin/npx -y 'some server' 'it'\\''s'`);
    expect(result.findings.map((f) => f.code)).toContain('unpinned_package');
  });

  it('a sandbox turned off is a finding', () => {
    expect(plan({ command: 'node', sandbox: { enabled: false } }).findings.map((f) => f.code)).toEqual(['sandbox_off']);
  });
});
