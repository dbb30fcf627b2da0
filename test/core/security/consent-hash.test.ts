// The consent hash through planLaunch: anything that decides what runs or what it may do asks again — every env value included.
import { describe, expect, it } from 'vitest';
import type { SandboxSettings, StdioConfig } from '../../../shared/domain/servers.js';
import { planLaunch, type LaunchPolicy } from '../../../main/core/security/index.js';
import { consentHash } from '../../../main/core/security/consent-hash.js';
import { fakeFs } from './fake-fs.js';

const HOME = '/home/ada';
const fs = fakeFs({ files: ['/usr/bin/node', '/usr/local/bin/node', '/usr/bin/deno'], dirs: [HOME, '/srv/app', '/srv/other'] });
const policy: LaunchPolicy = { platform: 'linux', homeDir: HOME, dataDir: `${HOME}/.local/share/steward`, sandbox: { kind: 'available' } };
const HOST_ENV = { PATH: '/usr/bin:/bin', HOME };

interface Launch {
  config: StdioConfig;
  sandbox: SandboxSettings;
  hostEnv: Record<string, string>;
}

const base = (): Launch => ({
  config: {
    transport: 'stdio',
    command: 'node',
    args: ['server.js', '--port', '3000'],
    env: { API_TOKEN: 'token-1', NODE_OPTIONS: '--max-old-space-size=512' },
    cwd: '/srv/app',
  },
  sandbox: {
    enabled: true,
    writePaths: ['/srv/app/data', '/tmp/out'],
    denyReadPaths: [],
    readPaths: [],
    allowedDomains: ['api.example.com', 'registry.npmjs.org'],
  },
  hostEnv: { ...HOST_ENV },
});

function hashOf(launch: Launch): string {
  const result = planLaunch({ config: launch.config, sandbox: launch.sandbox, serverId: 'srv-1' }, policy, launch.hostEnv, fs);
  if (result.kind !== 'plan') throw new Error(`unexpected ${result.kind}`);
  return result.spec.hash;
}

const variant = (change: (l: Launch) => void): Launch => {
  const l = base();
  change(l);
  return l;
};

describe('consent hash', () => {
  it('is a stable sha-256 hex digest of the same inputs', () => {
    const first = hashOf(base());
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(base())).toBe(first);
  });

  const changes: Array<{ name: string; launch: Launch }> = [
    { name: 'another command', launch: variant((l) => void (l.config.command = 'deno')) },
    { name: 'the same command name resolving to another binary', launch: variant((l) => void (l.hostEnv.PATH = '/usr/local/bin:/usr/bin')) },
    { name: 'an argument changed', launch: variant((l) => void (l.config.args[2] = '3001')) },
    { name: 'an argument added', launch: variant((l) => void l.config.args.push('--verbose')) },
    { name: 'an argument removed', launch: variant((l) => void l.config.args.pop()) },
    { name: 'argument order', launch: variant((l) => void (l.config.args = ['--port', '3000', 'server.js'])) },
    { name: 'two arguments joined into one', launch: variant((l) => void (l.config.args = ['server.js', '--port 3000'])) },
    { name: 'the working folder', launch: variant((l) => void (l.config.cwd = '/srv/other')) },
    { name: 'an env name added', launch: variant((l) => void (l.config.env.EXTRA = '')) },
    { name: 'an env name renamed, same value', launch: variant((l) => void (l.config.env = { API_KEY: 'token-1', NODE_OPTIONS: '--max-old-space-size=512' })) },
    { name: 'NODE_OPTIONS value', launch: variant((l) => void (l.config.env.NODE_OPTIONS = '--require /tmp/evil.js')) },
    { name: 'LD_PRELOAD value', launch: variant((l) => void (l.config.env.LD_PRELOAD = '/tmp/a.so')) },
    { name: 'a DYLD_ variable value', launch: variant((l) => void (l.config.env.DYLD_SOMETHING_NEW = '/tmp/a.dylib')) },
    { name: 'a sandbox write folder added', launch: variant((l) => void l.sandbox.writePaths.push('/srv/app/cache')) },
    { name: 'a sandbox write folder changed', launch: variant((l) => void (l.sandbox.writePaths[1] = '/tmp/other')) },
    { name: 'a hidden folder added', launch: variant((l) => void l.sandbox.denyReadPaths.push('/srv/app/secrets')) },
    { name: 'an allowed domain added', launch: variant((l) => void l.sandbox.allowedDomains.push('evil.example.net')) },
    { name: 'an allowed domain changed', launch: variant((l) => void (l.sandbox.allowedDomains[0] = '*.example.com')) },
    { name: 'the sandbox turned off', launch: variant((l) => void (l.sandbox.enabled = false)) },
    { name: 'a plain env value', launch: variant((l) => void (l.config.env.API_TOKEN = 'token-2-rotated')) },
    { name: 'a hidden location shown to it', launch: variant((l) => void l.sandbox.readPaths.push('~/.aws')) },
  ];

  it.each(changes)('changes with $name', ({ launch }) => {
    expect(hashOf(launch)).not.toBe(hashOf(base()));
  });

  it('every change above gives a hash of its own', () => {
    const hashes = changes.map((c) => hashOf(c.launch));
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  const same: Array<{ name: string; launch: Launch }> = [
    { name: 'env written in another order', launch: variant((l) => void (l.config.env = { NODE_OPTIONS: '--max-old-space-size=512', API_TOKEN: 'token-1' })) },
    { name: 'write grants in another order', launch: variant((l) => void l.sandbox.writePaths.reverse()) },
    { name: 'a write grant repeated', launch: variant((l) => void l.sandbox.writePaths.push('/tmp/out/')) },
    { name: 'allowed domains in another order', launch: variant((l) => void l.sandbox.allowedDomains.reverse()) },
    { name: 'a host variable that is not passed on', launch: variant((l) => void (l.hostEnv.ANTHROPIC_API_KEY = 'sk-ant-x')) },
    { name: 'the cwd spelled with a trailing slash', launch: variant((l) => void (l.config.cwd = '/srv/app/')) },
  ];

  it.each(same)('stays the same with $name', ({ launch }) => {
    expect(hashOf(launch)).toBe(hashOf(base()));
  });

  it('changes when a configured PATH changes, since it picks the interpreter a script runs with', () => {
    const withPath = (value: string) => variant((l) => void (l.config.env.PATH = value));
    expect(hashOf(withPath('/opt/tools/bin:/usr/bin'))).not.toBe(hashOf(withPath('/tmp/evil/bin:/usr/bin')));
  });

  it('covers the sandbox mode itself, not only its lists', () => {
    const sandbox = {
      writePaths: [],
      readPaths: [],
      ownWritePaths: [],
      ownReadPaths: [],
      runtimeWritePaths: [],
      tempDir: null,
      denyReadPaths: [],
      allowedDomains: [],
    };
    const input = { command: '/usr/bin/node', realCommand: '/usr/bin/node', args: [], cwd: HOME, envNames: [], envDigests: {}, runner: null };
    const hashes = (['enforced', 'off', 'unsupported', 'container'] as const).map((mode) => consentHash({ ...input, sandbox: { mode, ...sandbox } }));
    expect(new Set(hashes).size).toBe(4);
  });

  it('covers the real file behind the command: a symlink pointed elsewhere asks again', () => {
    const launch = base();
    const at = (target: string) =>
      planLaunch(
        { config: launch.config, sandbox: launch.sandbox, serverId: 'srv-1' },
        policy,
        launch.hostEnv,
        fakeFs({ files: ['/usr/bin/node'], dirs: [HOME, '/srv/app'], links: { '/usr/bin/node': target } }),
      );
    const a = at('/usr/lib/node-22/bin/node');
    const b = at('/tmp/evil/node');
    if (a.kind !== 'plan' || b.kind !== 'plan') throw new Error('expected plans');
    expect(a.spec.realCommand).toBe('/usr/lib/node-22/bin/node');
    expect(a.spec.hash).not.toBe(b.spec.hash);
  });

  it('keeps values out of the spec: only salted digests, different for the same value on another server', () => {
    const launch = base();
    const one = planLaunch({ config: launch.config, sandbox: launch.sandbox, serverId: 'srv-1' }, policy, launch.hostEnv, fs);
    const two = planLaunch({ config: launch.config, sandbox: launch.sandbox, serverId: 'srv-2' }, policy, launch.hostEnv, fs);
    if (one.kind !== 'plan' || two.kind !== 'plan') throw new Error('expected plans');
    expect(JSON.stringify(one.spec)).not.toContain('token-1');
    expect(one.spec.envDigests.API_TOKEN).toMatch(/^[0-9a-f]{64}$/);
    expect(one.spec.envDigests.API_TOKEN).not.toBe(two.spec.envDigests.API_TOKEN);
  });
});
