// Runner presets through planLaunch: each runner is launched so that it works sandboxed and stays safe — a download step
// of its own, then no network and read-only code; or a cache of its own and the registry only; or a container, pinned.
import { describe, expect, it } from 'vitest';
import type { PackagePin } from '../../../shared/domain/launch.js';
import type { SandboxSettings } from '../../../shared/domain/servers.js';
import { planLaunch, type LaunchPlan, type LaunchPolicy, type PinsNeeded, type Refusal } from '../../../main/core/security/index.js';
import { fakeFs } from './fake-fs.js';

const HOME = '/home/ada';
const DATA = `${HOME}/.config/Steward`;
const policy: LaunchPolicy = { platform: 'linux', homeDir: HOME, dataDir: DATA, sandbox: { kind: 'available' } };
const NODE_TOOLS = ['/usr/bin/node', '/usr/bin/npx', '/usr/bin/npm'];
const DIGEST = `sha256:${'b'.repeat(64)}`;

function pin(name: string, version: string, extra: Partial<PackagePin> = {}): PackagePin {
  return {
    ecosystem: 'npm',
    name,
    requested: '',
    version,
    integrity: 'sha512-x',
    bin: { [name.replace(/^@[^/]+\//, '')]: 'dist/index.js' },
    pinnedAt: 't',
    ...extra,
  };
}

function launch(
  command: string,
  args: string[],
  opts: { pins?: PackagePin[]; files?: string[]; env?: Record<string, string>; sandbox?: Partial<SandboxSettings>; serverId?: string } = {},
): LaunchPlan | Refusal | PinsNeeded {
  const sandbox: SandboxSettings = { enabled: true, writePaths: [], denyReadPaths: [], readPaths: [], allowedDomains: [], ...opts.sandbox };
  return planLaunch(
    { config: { transport: 'stdio', command, args, env: opts.env ?? {} }, sandbox, serverId: opts.serverId ?? 'srv-1', pins: opts.pins ?? [] },
    policy,
    { PATH: '/usr/bin:/bin', HOME },
    fakeFs({ files: opts.files ?? NODE_TOOLS, dirs: [HOME] }),
  );
}

function planned(result: LaunchPlan | Refusal | PinsNeeded): LaunchPlan {
  if (result.kind !== 'plan') throw new Error(`expected a plan, got ${result.kind}: ${JSON.stringify(result)}`);
  return result;
}

const serverDir = (id = 'srv-1') => `${DATA}/servers/${id}`;

describe('npm runners: fetched once, then run without network', () => {
  it('asks for a pin before anything else when the command names no version, naming no program to ask (it runs before consent)', () => {
    const result = launch('npx', ['-y', '@modelcontextprotocol/server-memory']);
    expect(result).toEqual({
      kind: 'needs_pins',
      requests: [{ ecosystem: 'npm', name: '@modelcontextprotocol/server-memory', requested: '', registry: 'https://registry.npmjs.org/', tool: null }],
    });
  });

  it('plans a download step and a run on Node with the package read-only and no network', () => {
    const result = planned(
      launch('npx', ['-y', '@modelcontextprotocol/server-memory', '--flag'], { pins: [pin('@modelcontextprotocol/server-memory', '2026.1.1')] }),
    );
    const runner = result.spec.runner!;
    expect(runner.mode).toBe('prefetch');
    expect(runner.cacheDir.startsWith(`${serverDir()}/packages/`)).toBe(true);
    expect(result.spec.command).toBe('/usr/bin/node');
    expect(result.spec.args).toEqual([`${runner.cacheDir}/node_modules/@modelcontextprotocol/server-memory/dist/index.js`, '--flag']);
    expect(result.spec.sandbox.allowedDomains).toEqual([]);
    expect(result.spec.sandbox.ownReadPaths).toEqual([runner.cacheDir]);
    expect(result.spec.sandbox.ownWritePaths).toEqual([`${serverDir()}/tmp`]);
    expect(result.spec.sandbox.tempDir).toBe(`${serverDir()}/tmp`);
    expect(result.spec.sandbox.denyReadPaths).toContain(DATA);
    expect(runner.download).toMatchObject({
      command: '/usr/bin/npm',
      allowedDomains: ['registry.npmjs.org'],
      writePaths: [runner.cacheDir, `${serverDir()}/download-cache`],
      sandboxed: true,
    });
    expect(runner.download!.args).toContain('@modelcontextprotocol/server-memory@2026.1.1');
    expect(runner.packages).toEqual([
      { ecosystem: 'npm', name: '@modelcontextprotocol/server-memory', requested: '', version: '2026.1.1', integrity: 'sha512-x', pinnedBy: 'steward' },
    ]);
    expect(result.findings.map((f) => `${f.code}:${f.severity}`)).toEqual(['pinned_package:info']);
  });

  it('gives every server a folder of its own, and a new version a new folder', () => {
    const pins = [pin('pkg', '1.0.0')];
    const a = planned(launch('npx', ['pkg'], { pins, serverId: 'a' }));
    const b = planned(launch('npx', ['pkg'], { pins, serverId: 'b' }));
    const a2 = planned(launch('npx', ['pkg'], { pins: [pin('pkg', '1.0.1')], serverId: 'a' }));
    expect(a.spec.runner!.cacheDir).not.toBe(b.spec.runner!.cacheDir);
    expect(a.spec.runner!.cacheDir.startsWith(serverDir('a'))).toBe(true);
    expect(a2.spec.runner!.cacheDir).not.toBe(a.spec.runner!.cacheDir);
    expect(a2.spec.hash).not.toBe(a.spec.hash);
  });

  it('an exact version in the command still looks the package up once (its commands), and counts as pinned by the config', () => {
    expect(launch('npx', ['pkg@1.2.3'])).toMatchObject({ kind: 'needs_pins', requests: [{ name: 'pkg', requested: '1.2.3' }] });
    const result = planned(launch('npx', ['pkg@1.2.3'], { pins: [pin('pkg', '1.2.3', { requested: '1.2.3' })] }));
    expect(result.spec.runner!.packages[0]!.pinnedBy).toBe('config');
    expect(result.findings).toEqual([]);
  });

  it('a stored pin for another requested range is not used', () => {
    expect(launch('npx', ['pkg@^2'], { pins: [pin('pkg', '1.0.0')] }).kind).toBe('needs_pins');
  });

  it.each<{ name: string; args: string[]; bin: Record<string, string>; file: string }>([
    { name: 'the one named with -p', args: ['-p', 'tools', 'b'], bin: { a: 'a.js', b: 'bin/b.js' }, file: 'bin/b.js' },
    { name: 'the only one', args: ['tools'], bin: { 'other-name': 'cli.js' }, file: 'cli.js' },
    { name: 'the one named like the package', args: ['tools'], bin: { tools: 't.js', helper: 'h.js' }, file: 't.js' },
  ])('picks the command: $name', ({ args, bin, file }) => {
    const result = planned(launch('npx', args, { pins: [pin('tools', '1.0.0', { bin })] }));
    expect(result.spec.args[0]).toBe(`${result.spec.runner!.cacheDir}/node_modules/tools/${file}`);
  });

  it.each<{ name: string; args: string[]; bin: Record<string, string>; mentions: string }>([
    { name: 'several commands, none named like the package', args: ['tools'], bin: { a: 'a.js', b: 'b.js' }, mentions: 'a, b' },
    { name: 'a -p command the package does not offer', args: ['-p', 'tools', 'nope'], bin: { a: 'a.js' }, mentions: '"nope"' },
    { name: 'no command at all', args: ['tools'], bin: {}, mentions: 'no command' },
  ])('refuses: $name', ({ args, bin, mentions }) => {
    const result = launch('npx', args, { pins: [pin('tools', '1.0.0', { bin })] });
    expect(result).toMatchObject({ kind: 'refusal', code: 'config_invalid' });
    expect((result as Refusal).message).toContain(mentions);
  });

  it('a command climbing out of its package (a hostile bin entry) is refused', () => {
    const result = launch('npx', ['tools'], { pins: [pin('tools', '1.0.0', { bin: { tools: '../../../../etc/evil.js' } })] });
    expect(result).toMatchObject({ kind: 'refusal', code: 'config_invalid' });
  });

  it('without npm beside npx, npx runs sandboxed with its own cache and only the registry', () => {
    const result = planned(launch('npx', ['-y', 'pkg'], { files: ['/usr/bin/npx', '/usr/bin/node'], pins: [pin('pkg', '3.0.0')] }));
    expect(result.spec.runner!.mode).toBe('own-cache');
    expect(result.spec.command).toBe('/usr/bin/npx');
    expect(result.spec.args).toEqual(['-y', 'pkg@3.0.0']);
    expect(result.spec.sandbox.allowedDomains).toEqual(['registry.npmjs.org']);
    expect(result.spec.sandbox.ownWritePaths).toEqual([`${serverDir()}/tmp`, `${serverDir()}/cache`]);
    expect(result.env.npm_config_cache).toBe(`${serverDir()}/cache/npm`);
    expect(result.spec.envNames).toContain('npm_config_cache');
  });

  it('a git or tarball spec runs with its own cache, flagged as unpinnable', () => {
    const result = planned(launch('npx', ['-y', 'github:someone/server']));
    expect(result.spec.runner!.mode).toBe('own-cache');
    expect(result.findings.map((f) => f.code)).toContain('unpinned_package');
  });

  it('a registry from the config is the only domain the download may reach', () => {
    const result = planned(launch('npx', ['pkg'], { env: { npm_config_registry: 'https://npm.corp.example/' }, pins: [pin('pkg', '1.0.0')] }));
    expect(result.spec.runner!.download!.allowedDomains).toEqual(['npm.corp.example']);
    expect(result.spec.runner!.download!.args).toContain('https://npm.corp.example/');
    expect(result.spec.flaggedEnv.map((f) => f.name)).toEqual(['npm_config_registry']);
  });

  it('with the sandbox off it still uses its own folder, and the download runs unsandboxed', () => {
    const result = planned(launch('npx', ['pkg'], { pins: [pin('pkg', '1.0.0')], sandbox: { enabled: false } }));
    expect(result.spec.sandbox.mode).toBe('off');
    expect(result.spec.runner!.mode).toBe('prefetch');
    expect(result.spec.runner!.download!.sandboxed).toBe(false);
  });
});

describe('Python runners', () => {
  const UV = ['/usr/bin/uv', '/usr/bin/uvx'];
  it('uvx without a version asks PyPI for one', () => {
    expect(launch('uvx', ['mcp-server-fetch'], { files: UV })).toEqual({
      kind: 'needs_pins',
      requests: [{ ecosystem: 'pypi', name: 'mcp-server-fetch', requested: '', registry: 'https://pypi.org/simple', tool: null }],
    });
  });

  it('uvx installs once with uv into the server folder, then runs the command from there without network', () => {
    const result = planned(launch('uvx', ['mcp-server-time==2025.1.0', '--tz', 'UTC'], { files: UV }));
    const runner = result.spec.runner!;
    expect(runner.mode).toBe('prefetch');
    expect(result.spec.command).toBe(`${runner.cacheDir}/bin/mcp-server-time`);
    expect(result.spec.args).toEqual(['--tz', 'UTC']);
    expect(runner.download).toMatchObject({
      command: '/usr/bin/uv',
      args: ['tool', 'install', 'mcp-server-time==2025.1.0'],
      allowedDomains: ['pypi.org', 'files.pythonhosted.org'],
    });
    expect(runner.download!.env.UV_TOOL_BIN_DIR).toBe(`${runner.cacheDir}/bin`);
    expect(result.spec.sandbox.allowedDomains).toEqual([]);
  });

  it('pipx run installs with pipx the same way', () => {
    const result = planned(launch('pipx', ['run', 'tool==1.0'], { files: ['/usr/bin/pipx'] }));
    expect(result.spec.runner!.download).toMatchObject({ command: '/usr/bin/pipx', args: ['install', '--force', 'tool==1.0'] });
    expect(result.spec.command).toBe(`${result.spec.runner!.cacheDir}/bin/tool`);
  });

  it('uv run (a local project) runs sandboxed with its own cache and environment, PyPI only', () => {
    const result = planned(launch('uv', ['run', '--directory', '/srv/app', 'server.py'], { files: UV }));
    expect(result.spec.runner!.mode).toBe('own-cache');
    expect(result.env.UV_PROJECT_ENVIRONMENT).toBe(`${serverDir()}/cache/venv`);
    expect(result.env.UV_CACHE_DIR).toBe(`${serverDir()}/cache/uv`);
    expect(result.spec.sandbox.allowedDomains).toEqual(['pypi.org', 'files.pythonhosted.org']);
  });

  it('a pinned uvx version is written into the command in own-cache mode', () => {
    const pins: PackagePin[] = [{ ecosystem: 'pypi', name: 'tool', requested: '', version: '2.0', integrity: null, bin: null, pinnedAt: 't' }];
    const result = planned(launch('uvx', ['--python', '3.12', 'tool'], { files: UV, pins }));
    expect(result.spec.runner!.mode).toBe('own-cache');
    expect(result.spec.args).toEqual(['--python', '3.12', 'tool@2.0']);
  });
});

describe('containers', () => {
  const DOCKER = ['/usr/bin/docker'];
  const imagePin: PackagePin = { ecosystem: 'oci', name: 'mcp/fetch', requested: 'latest', version: DIGEST, integrity: DIGEST, bin: null, pinnedAt: 't' };

  it('an image without a digest is pinned first, by asking its registry: no engine is named to pull it before consent', () => {
    expect(launch('docker', ['run', 'mcp/fetch'], { files: DOCKER })).toMatchObject({
      kind: 'needs_pins',
      requests: [{ ecosystem: 'oci', tool: null }],
    });
  });

  it('runs the pinned image with stdio kept, removed after use, without network, no tty', () => {
    const result = planned(launch('docker', ['run', '-it', 'mcp/fetch', '--x'], { files: DOCKER, pins: [imagePin] }));
    expect(result.spec.sandbox.mode).toBe('container');
    expect(result.spec.args).toEqual(['run', '--rm', '--network', 'none', '-i', `mcp/fetch:latest@${DIGEST}`, '--x']);
    expect(result.spec.runner!.download).toMatchObject({ args: ['pull', `mcp/fetch:latest@${DIGEST}`], sandboxed: false });
  });

  it('with a domain granted it keeps the network and says a container cannot be limited to domains', () => {
    const result = planned(launch('docker', ['run', '-i', 'mcp/fetch'], { files: DOCKER, pins: [imagePin], sandbox: { allowedDomains: ['example.com'] } }));
    expect(result.spec.args).not.toContain('none');
    expect(result.spec.runner!.notes.join(' ')).toContain('cannot limit');
  });

  it.each([
    { name: 'a detached container', args: ['run', '-d', 'mcp/fetch'], code: 'config_invalid' },
    { name: 'mounting ~/.ssh', args: ['run', '-v', `${HOME}/.ssh:/keys:ro`, 'mcp/fetch'], code: 'grant_refused' },
    { name: 'mounting the data folder', args: ['run', '--mount', `type=bind,source=${DATA},target=/d`, 'mcp/fetch'], code: 'grant_refused' },
  ])('refuses $name', ({ args, code }) => {
    expect(launch('docker', args, { files: DOCKER, pins: [imagePin] })).toMatchObject({ kind: 'refusal', code });
  });

  // Hostile input: mounts of hidden folders written in every form docker's and podman's flag parser accepts, so that a
  // reading of only "-v PATH" would miss them; and forms Steward cannot read, which are refused rather than guessed at.
  it.each([
    { name: 'attached to -v', args: ['run', '-i', `-v${HOME}/.ssh:/ssh:ro`, '--init', 'mcp/fetch'] },
    { name: 'attached to -v, as the last option', args: ['run', `-v${HOME}/.ssh:/ssh`, 'mcp/fetch'] },
    { name: 'after -v=', args: ['run', `-v=${HOME}/.ssh:/ssh`, 'mcp/fetch'] },
    { name: 'after --volume=', args: ['run', `--volume=${HOME}/.aws:/aws`, 'mcp/fetch'] },
    { name: 'in a cluster', args: ['run', `-itv${HOME}/.ssh:/ssh`, 'mcp/fetch'] },
    { name: 'in a cluster, spaced', args: ['run', '-itv', `${HOME}/.ssh:/ssh`, 'mcp/fetch'] },
    { name: 'after --mount=, with src=', args: ['run', `--mount=type=bind,src=${HOME}/.ssh,dst=/s`, 'mcp/fetch'] },
    { name: 'with --mount keys in capitals', args: ['run', '--mount', `TYPE=BIND,SOURCE=${HOME}/.ssh,TARGET=/s`, 'mcp/fetch'] },
    { name: 'in a quoted --mount field', args: ['run', '--mount', `type=bind,"source=${HOME}/.ssh",target=/s`, 'mcp/fetch'] },
    { name: 'as a volume-type --mount of a path', args: ['run', '--mount', `source=${DATA},target=/d`, 'mcp/fetch'] },
    { name: 'after docker container run', args: ['container', 'run', `-v${HOME}/.ssh:/s`, 'mcp/fetch'] },
    { name: 'after a global option', args: ['--context', 'default', 'run', `-v${HOME}/.ssh:/s`, 'mcp/fetch'] },
  ])('refuses a hidden folder mounted $name', ({ args }) => {
    expect(launch('docker', args, { files: DOCKER, pins: [imagePin] })).toMatchObject({ kind: 'refusal', code: 'grant_refused' });
  });

  it.each([
    { name: 'a malformed --mount', args: ['run', '--mount', `type=bind,"src=${HOME}/x,target=/s`, 'mcp/fetch'], says: 'cannot read the mount' },
    { name: 'a glob mount', args: ['run', '--mount', `type=glob,src=${HOME}/.ss*,target=/s`, 'mcp/fetch'], says: 'type "glob"' },
    { name: 'an unknown one-letter option', args: ['run', `-Xv${HOME}/.ssh:/s`, 'mcp/fetch'], says: 'does not know the option -X' },
    { name: 'a mount taken as another option’s value', args: ['run', '--label', `-v${HOME}/.ssh:/s`, 'mcp/fetch'], says: 'looks like a mount' },
    { name: 'an unknown option before run', args: ['--weird', 'run', `-v${HOME}/.ssh:/s`, 'mcp/fetch'], says: 'before "run"' },
  ])('refuses $name instead of guessing what it mounts', ({ args, says }) => {
    expect(launch('docker', args, { files: DOCKER, pins: [imagePin] })).toMatchObject({
      kind: 'refusal',
      code: 'grant_refused',
      message: expect.stringContaining(says) as string,
    });
  });

  it('allows an ordinary mount however it is written, lists it, and still drops a TTY asked for in a cluster', () => {
    for (const form of [['-v', '/srv/data:/data:ro'], ['-v/srv/data:/data:ro'], ['-itv/srv/data:/data:ro'], ['--mount=type=bind,src=/srv/data,dst=/data,ro']]) {
      const result = planned(launch('docker', ['run', ...form, 'mcp/fetch'], { files: DOCKER, pins: [imagePin] }));
      expect(result.spec.runner!.notes).toContain('The container can read /srv/data (mounted from this computer).');
      expect(result.spec.args.some((a) => /^-[a-z]*t/.test(a))).toBe(false);
    }
    const clustered = planned(launch('docker', ['run', '-itv/srv/data:/data:ro', 'mcp/fetch'], { files: DOCKER, pins: [imagePin] }));
    expect(clustered.spec.args).toEqual(['run', '--rm', '--network', 'none', '-iv/srv/data:/data:ro', `mcp/fetch:latest@${DIGEST}`]);
  });

  it('flags options that hand the host to the container', () => {
    const result = planned(
      launch('docker', ['run', '--privileged', '--pid=host', '-v', '/var/run/docker.sock:/s', '-v', `${HOME}:/h`, 'mcp/fetch'], {
        files: DOCKER,
        pins: [imagePin],
      }),
    );
    const codes = result.findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['container_privileged', 'container_host_namespace', 'container_engine_socket', 'broad_mount', 'container']));
    expect(result.spec.sandbox.writePaths).toEqual(['/var/run/docker.sock', HOME]);
  });
});
