// Python runners under the real sandbox. uv is not installed on the machines these tests run on and PyPI is unreachable,
// so `uv` and `uvx` here are STAND-INS: small shell scripts named like the runner that lay a tool out the way
// `uv tool install` does (a command in $UV_TOOL_BIN_DIR) and answer `uv run` by starting the probe server. What is real:
// Steward's plan, the download step's sandbox, the run's sandbox, and the folders each may touch.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsSandbox } from '../../../main/core/security/index.js';
import { makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PROBE = join(FIXTURES, 'probe-server.mjs');

/** A folder with stand-in `uv` and `uvx` executables. */
function standIns(): string {
  const bin = tempDir('steward-uv-');
  writeFileSync(
    join(bin, 'uv'),
    `#!/bin/sh
# Stand-in for uv (not installed here; PyPI unreachable).
set -e
if [ "$1" = tool ] && [ "$2" = install ]; then
  spec="$3"; name="\${spec%%==*}"
  mkdir -p "$UV_TOOL_BIN_DIR" "$UV_TOOL_DIR/$name"
  echo "$spec" > "$UV_TOOL_DIR/$name/installed-spec"
  printf '#!/bin/sh\\nexec "%s" "%s" "$@"\\n' '${NODE}' '${PROBE}' > "$UV_TOOL_BIN_DIR/$name"
  chmod +x "$UV_TOOL_BIN_DIR/$name"
  echo "Installed 1 executable: $name" >&2
  exit 0
fi
if [ "$1" = run ]; then
  mkdir -p "$UV_PROJECT_ENVIRONMENT"
  exec '${NODE}' '${PROBE}'
fi
echo "uv stand-in: unexpected $*" >&2
exit 2
`,
  );
  writeFileSync(join(bin, 'uvx'), '#!/bin/sh\necho "uvx stand-in: Steward should have installed with uv instead" >&2\nexit 2\n');
  chmodSync(join(bin, 'uv'), 0o755);
  chmodSync(join(bin, 'uvx'), 0o755);
  return bin;
}

async function hostWith(bin: string) {
  const home = tempDir('steward-home-');
  t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}` } });
  return { host: t.host, home };
}

describe('uvx (stand-in) under the real sandbox', () => {
  it('installs once with uv into the server’s own folder, then runs the tool from there: no network, code read-only', async () => {
    const bin = standIns();
    const { host } = await hostWith(bin);
    const view = await host.servers.add({
      name: 'time',
      config: { transport: 'stdio', command: 'uvx', args: ['mcp-server-time==2025.1.0', '--local-timezone', 'UTC'], env: {} },
    });
    const request = await host.servers.consentRequest(view.id);
    const runner = request.spec.runner!;
    expect(runner.mode).toBe('prefetch');
    expect(runner.download).toMatchObject({
      command: join(bin, 'uv'),
      args: ['tool', 'install', 'mcp-server-time==2025.1.0'],
      allowedDomains: ['pypi.org', 'files.pythonhosted.org'],
      sandboxed: true,
    });
    expect(request.spec.command).toBe(join(runner.cacheDir, 'bin', 'mcp-server-time'));
    expect(request.spec.sandbox.allowedDomains).toEqual([]);

    const after = await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    expect(after.status).toBe('running');
    expect(readFileSync(join(runner.cacheDir, 'tools', 'mcp-server-time', 'installed-spec'), 'utf8').trim()).toBe('mcp-server-time==2025.1.0');

    const call = async (name: string, args: Record<string, unknown>) => textOf(await host.tools.call({ serverId: view.id, name, arguments: args }));
    expect(await call('write', { path: join(runner.cacheDir, 'bin', 'mcp-server-time'), content: 'tampered' })).toMatch(/^denied:/);
    expect(await call('connect', { host: 'pypi.org', port: 443 })).toMatch(/^denied:/);
    const env = JSON.parse(await call('env', {})) as Record<string, string>;
    expect(env.TMPDIR).toBe(request.spec.sandbox.tempDir);
  });

  it('an install that fails is classified from what the stand-in printed, and nothing runs', async () => {
    const bin = standIns();
    writeFileSync(
      join(bin, 'uv'),
      '#!/bin/sh\necho "  × No solution found when resolving tool dependencies:" >&2\necho "  ╰─▶ Because nope-tool was not found in the package registry" >&2\nexit 1\n',
    );
    const { host } = await hostWith(bin);
    const view = await host.servers.add({ name: 'nope', config: { transport: 'stdio', command: 'uvx', args: ['nope-tool==1.0'], env: {} } });
    const request = await host.servers.consentRequest(view.id);
    const after = await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    expect(after.status).toBe('error');
    expect(after.pid).toBeNull();
    expect(after.lastError?.failure).toMatchObject({ class: 'package_not_found', phase: 'download', summary: expect.stringContaining('nope-tool') as string });
  });
});

describe('uv run (stand-in) under the real sandbox', () => {
  it('runs a local project with a cache and environment of its own, reaching only PyPI, writing only its own folders', async () => {
    const bin = standIns();
    const { host, home } = await hostWith(bin);
    const project = join(home, 'project');
    mkdirSync(project);
    const view = await host.servers.add({
      name: 'proj',
      config: { transport: 'stdio', command: 'uv', args: ['run', '--directory', project, 'server.py'], env: {} },
    });
    const request = await host.servers.consentRequest(view.id);
    const cache = join(t!.dir, 'data', 'servers', view.id, 'cache');
    expect(request.spec.runner).toMatchObject({ tool: 'uv run', mode: 'own-cache', cacheDir: cache, download: null });
    expect(request.spec.sandbox.allowedDomains).toEqual(['pypi.org', 'files.pythonhosted.org']);
    expect(request.spec.sandbox.ownWritePaths).toContain(cache);
    expect((await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user')).status).toBe('running');

    const call = async (name: string, args: Record<string, unknown>) => textOf(await host.tools.call({ serverId: view.id, name, arguments: args }));
    const env = JSON.parse(await call('env', {})) as Record<string, string>;
    expect(env.UV_CACHE_DIR).toBe(join(cache, 'uv'));
    expect(env.UV_PROJECT_ENVIRONMENT).toBe(join(cache, 'venv'));
    expect(existsSync(join(cache, 'venv'))).toBe(true);
    expect(await call('write', { path: join(cache, 'scratch'), content: 'ok' })).toBe('ok:written');
    expect(await call('write', { path: join(project, 'uv.lock'), content: 'x' })).toMatch(/^denied:/);
  });
});
