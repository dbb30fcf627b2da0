// An npx server from the registry, started by Steward (its download step included, under the OS sandbox when there is
// one) against running the same package with npx directly through a bare SDK client: first start with an empty cache,
// then a warm start, each to a tool list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Host } from '../main/core/host.js';
import { createOsSandbox, type SandboxRunner } from '../main/core/security/index.js';
import { unsandboxed, withHost } from './core.js';
import { single, type Figures } from './repeat.js';
import { percentile, round, timeOnce } from './stats.js';

const PACKAGE = '@modelcontextprotocol/server-memory@2026.8.31';

/** npx itself, from a folder outside any project (so it cannot find a local copy), with a cache of its own. */
async function bareNpx(cache: string, cwd: string): Promise<number> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const env = { ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false' } as Record<string, string>;
  const ms = await timeOnce(async () => {
    await client.connect(new StdioClientTransport({ command: 'npx', args: ['-y', PACKAGE], env, cwd, stderr: 'pipe' }));
    await client.listTools();
  });
  await client.close();
  return ms;
}

async function hostNpx(host: Host, cwd: string): Promise<{ first: number; warm: number }> {
  const view = await host.servers.add({ name: 'memory', config: { transport: 'stdio', command: 'npx', args: ['-y', PACKAGE], env: {}, cwd } });
  // The consent screen asks the registry which version runs; the user approves; the measured start begins there.
  const request = await host.servers.consentRequest(view.id);
  host.store.consents.record({
    serverId: view.id,
    specHash: request.spec.hash,
    spec: '{}',
    decision: 'approved',
    decidedBy: 'bench',
    decidedAt: new Date().toISOString(),
  });
  const first = await timeOnce(async () => (await host.servers.ensureRunning(view.id)).listTools());
  await host.servers.stop(view.id);
  const warm = await timeOnce(async () => (await host.servers.ensureRunning(view.id)).listTools());
  await host.servers.stop(view.id);
  return { first, warm };
}

export async function npxStarts(rounds: number, sandboxed: boolean): Promise<Figures> {
  const bareFirst: number[] = [];
  const bareWarm: number[] = [];
  const hostFirst: number[] = [];
  const hostWarm: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const scratch = mkdtempSync(join(tmpdir(), 'steward-bench-npx-'));
    try {
      const cache = join(scratch, 'npm-cache');
      bareFirst.push(await bareNpx(cache, scratch));
      bareWarm.push(await bareNpx(cache, scratch));
      const sandbox: SandboxRunner = sandboxed ? createOsSandbox() : unsandboxed;
      const { first, warm } = await withHost(sandbox, (host) => hostNpx(host, scratch));
      hostFirst.push(first);
      hostWarm.push(warm);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const m = (xs: number[]) => percentile(xs, 50);
  return single({
    npx_first_bare_ms: round(m(bareFirst), 1),
    npx_first_host_ms: round(m(hostFirst), 1),
    npx_first_ratio: round(m(hostFirst) / m(bareFirst)),
    npx_warm_bare_ms: round(m(bareWarm), 1),
    npx_warm_host_ms: round(m(hostWarm), 1),
    npx_warm_ratio: round(m(hostWarm) / m(bareWarm)),
  });
}
