// Reading package runners' command lines: which runner, which packages at which versions, which program, which arguments.
// Hostile and odd spellings tried: git URLs, tarballs, local paths, option values that look like packages, "--" placement,
// extras, ranges, digests, registry ports, Windows .cmd runners.
import { describe, expect, it } from 'vitest';
import { parseImageRef, parseNpmSpec, parsePypiSpec, parseRunner } from '../../../main/core/security/runners.js';

describe('parseRunner', () => {
  const rows: Array<{
    name: string;
    command: string;
    args: string[];
    tool?: string;
    packages?: string[];
    program?: string | null;
    serverArgs?: string[];
    unfetchable?: string[];
    blocks?: boolean;
    registry?: string | null;
  }> = [
    {
      name: 'npx -y pkg args',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv', '--x'],
      tool: 'npx',
      packages: ['@modelcontextprotocol/server-filesystem@'],
      program: null,
      serverArgs: ['/srv', '--x'],
    },
    { name: 'npx pinned', command: '/usr/bin/npx', args: ['--yes', 'pkg@1.2.3'], packages: ['pkg@1.2.3=1.2.3'], serverArgs: [] },
    {
      name: 'npx -p pkg program',
      command: 'npx',
      args: ['-y', '-p', '@scope/tools@2.0.0', 'tool-a', '--port', '1'],
      packages: ['@scope/tools@2.0.0=2.0.0'],
      program: 'tool-a',
      serverArgs: ['--port', '1'],
    },
    { name: 'npx --package=x', command: 'npx', args: ['--package=x@^1', 'x-cli'], packages: ['x@^1'], program: 'x-cli' },
    {
      name: 'npx --registry value is not the package',
      command: 'npx',
      args: ['--registry', 'https://npm.example.com/', 'pkg'],
      packages: ['pkg@'],
      registry: 'https://npm.example.com/',
    },
    { name: 'npx -- ends its options', command: 'npx', args: ['-y', '--', 'pkg', '-y'], packages: ['pkg@'], serverArgs: ['-y'] },
    { name: 'npx -c is a shell string', command: 'npx', args: ['-c', 'echo hi'], tool: 'npx' },
    { name: 'npx with a git URL', command: 'npx', args: ['-y', 'github:evil/pkg'], unfetchable: ['github:evil/pkg'], packages: [] },
    { name: 'npx with a tarball URL', command: 'npx', args: ['https://x.example/p.tgz'], unfetchable: ['https://x.example/p.tgz'], packages: [] },
    { name: 'npx with a local path', command: 'npx', args: ['./server'], unfetchable: ['./server'], packages: [] },
    { name: 'npx.cmd on windows', command: 'C:\\Program Files\\nodejs\\npx.cmd', args: ['-y', 'pkg'], tool: 'npx', packages: ['pkg@'] },
    {
      name: 'npm exec -- pkg',
      command: 'npm',
      args: ['exec', '--yes', '--', 'pkg@2.0.0', 'a'],
      tool: 'npm exec',
      packages: ['pkg@2.0.0=2.0.0'],
      serverArgs: ['a'],
    },
    { name: 'npm x', command: 'npm', args: ['x', 'pkg'], tool: 'npm exec', packages: ['pkg@'] },
    { name: 'npm run is not a runner', command: 'npm', args: ['run', 'start'] },
    { name: 'pnpm dlx', command: 'pnpm', args: ['dlx', 'pkg@latest', 'x'], tool: 'pnpm dlx', packages: ['pkg@latest'], serverArgs: ['x'] },
    { name: 'yarn dlx', command: 'yarn', args: ['dlx', '-p', 'pkg', 'bin'], tool: 'yarn dlx', packages: ['pkg@'], program: 'bin' },
    { name: 'bunx', command: 'bunx', args: ['pkg'], tool: 'bunx', packages: ['pkg@'] },
    { name: 'bunx --bun changes the runtime', command: 'bunx', args: ['--bun', 'pkg'], tool: 'bunx', packages: ['pkg@'], blocks: true },
    {
      name: 'uvx tool',
      command: 'uvx',
      args: ['mcp-server-fetch', '--user-agent', 'x'],
      tool: 'uvx',
      packages: ['mcp-server-fetch@'],
      program: 'mcp-server-fetch',
      serverArgs: ['--user-agent', 'x'],
    },
    {
      name: 'uvx tool@version',
      command: 'uvx',
      args: ['mcp-server-time@2025.1.0'],
      packages: ['mcp-server-time@@2025.1.0=2025.1.0'],
      program: 'mcp-server-time',
    },
    {
      name: 'uvx --from pkg==v program',
      command: 'uvx',
      args: ['--from', 'mcp-git[extra]==1.0', 'mcp-server-git'],
      packages: ['mcp-git[extra]@==1.0=1.0'],
      program: 'mcp-server-git',
    },
    {
      name: 'uvx --with adds a package',
      command: 'uvx',
      args: ['--with', 'httpx==0.27.0', 'tool==1.0'],
      packages: ['tool@==1.0=1.0', 'httpx@==0.27.0=0.27.0'],
      program: 'tool',
    },
    { name: 'uvx --python changes what runs', command: 'uvx', args: ['--python', '3.12', 'tool'], blocks: true, packages: ['tool@'] },
    { name: 'uvx from git', command: 'uvx', args: ['--from', 'git+https://github.com/x/y', 'y'], unfetchable: ['git+https://github.com/x/y'], packages: [] },
    { name: 'uvx range', command: 'uvx', args: ['--from', 'tool>=1.0', 'tool'], packages: ['tool@>=1.0'] },
    { name: 'uv tool run', command: 'uv', args: ['tool', 'run', 'tool'], tool: 'uv tool run', packages: ['tool@'] },
    { name: 'uv run a project', command: 'uv', args: ['--directory', '/srv/app', 'run', 'server.py'], tool: undefined },
    {
      name: 'uv run a project (run first)',
      command: 'uv',
      args: ['run', '--directory', '/srv/app', 'server.py', '--v'],
      tool: 'uv run',
      packages: [],
      program: 'server.py',
      serverArgs: ['--v'],
      blocks: true,
    },
    {
      name: 'pipx run',
      command: 'pipx',
      args: ['run', 'tool==1.0', '--flag'],
      tool: 'pipx run',
      packages: ['tool@==1.0=1.0'],
      program: 'tool',
      serverArgs: ['--flag'],
    },
    { name: 'pipx run --spec', command: 'pipx', args: ['run', '--spec', 'pkg', 'cmd'], packages: ['pkg@'], program: 'cmd' },
    {
      name: 'docker run',
      command: 'docker',
      args: ['run', '-i', '--rm', '-e', 'TOKEN', '-v', '/srv:/data', 'mcp/fetch:1.2', '--flag'],
      tool: 'docker run',
      packages: ['mcp/fetch@1.2'],
      serverArgs: ['--flag'],
    },
    {
      name: 'docker run by digest',
      command: 'docker',
      args: ['run', '-i', `ghcr.io/x/y@sha256:${'a'.repeat(64)}`],
      packages: [`ghcr.io/x/y@latest=sha256:${'a'.repeat(64)}`],
    },
    { name: 'docker run with a registry port', command: 'docker', args: ['run', 'localhost:5000/img:tag'], packages: ['localhost:5000/img@tag'] },
    { name: 'podman container run', command: 'podman', args: ['container', 'run', '--env=A=b', 'img'], tool: 'podman run', packages: ['img@latest'] },
    { name: 'docker ps is not a runner', command: 'docker', args: ['ps'] },
    { name: 'node is not a runner', command: 'node', args: ['server.js'] },
  ];

  it.each(rows)('$name', (row) => {
    const inv = parseRunner(row.command, row.args);
    if (row.tool === undefined && row.packages === undefined) {
      expect(inv).toBeUndefined();
      return;
    }
    if (row.tool === undefined && row.name.startsWith('uv run a project')) {
      expect(inv).toBeUndefined();
      return;
    }
    expect(inv).toBeDefined();
    if (row.tool) expect(inv!.tool).toBe(row.tool);
    if (row.packages) expect(inv!.packages.map((p) => `${p.name}@${p.requested}${p.exact ? `=${p.exact}` : ''}`)).toEqual(row.packages);
    if (row.program !== undefined) expect(inv!.program).toBe(row.program);
    if (row.serverArgs) expect(inv!.serverArgs).toEqual(row.serverArgs);
    if (row.unfetchable) expect(inv!.unfetchable).toEqual(row.unfetchable);
    if (row.blocks !== undefined) expect(inv!.blocksPrefetch.length > 0).toBe(row.blocks);
    if (row.registry !== undefined) expect(inv!.registry).toBe(row.registry);
  });
});

describe('package specs', () => {
  it.each([
    ['pkg', 'pkg', '', null],
    ['pkg@1.2.3', 'pkg', '1.2.3', '1.2.3'],
    ['@s/p@1.0.0-rc.1', '@s/p', '1.0.0-rc.1', '1.0.0-rc.1'],
    ['@s/p@^1', '@s/p', '^1', null],
    ['p@latest', 'p', 'latest', null],
  ])('npm %s', (spec, name, requested, exact) => {
    expect(parseNpmSpec(spec)).toEqual({ name, requested, exact });
  });
  it.each(['git+ssh://x', 'file:../x', '../x', '/abs/x', 'user/repo', 'a b', 'http://x/y.tgz', 'p@1 || rm -rf'])('npm %s is not a registry package', (spec) => {
    expect(parseNpmSpec(spec)).toBeUndefined();
  });
  it.each([
    ['tool', 'tool', '', null],
    ['tool==1.2', 'tool', '==1.2', '1.2'],
    ['tool@1.2', 'tool', '@1.2', '1.2'],
    ['tool[cli]==2.0.1', 'tool[cli]', '==2.0.1', '2.0.1'],
    ['tool>=1', 'tool', '>=1', null],
  ])('pypi %s', (spec, name, requested, exact) => {
    expect(parsePypiSpec(spec)).toEqual({ name, requested, exact });
  });
  it.each(['git+https://x/y', './local', 'https://x/y.whl', 'tool; rm -rf /'])('pypi %s is not a registry package', (spec) => {
    expect(parsePypiSpec(spec)).toBeUndefined();
  });
  it('image refs keep a registry port apart from the tag', () => {
    expect(parseImageRef('localhost:5000/a/b:1')).toEqual({ name: 'localhost:5000/a/b', requested: '1', exact: null });
    expect(parseImageRef('a/b')).toEqual({ name: 'a/b', requested: 'latest', exact: null });
    expect(parseImageRef('Bad Image')).toBeUndefined();
  });
});
