// Host core against a bare SDK client: tool-call round trips, and starting ten servers to a tool list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createHost, type Host } from '../main/core/host.js';
import { FileSecretStore } from '../main/core/node/index.js';
import { createOsSandbox, type SandboxRunner } from '../main/core/security/index.js';
import { present } from '../shared/errors.js';
import { percentile, round, timeEach, timeOnce } from './stats.js';

export const SERVER = join(process.cwd(), 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const ARGS = [SERVER, 'stdio'];

export const unsandboxed: SandboxRunner = {
  support: () => Promise.resolve({ kind: 'unsupported' }),
  wrap: () => Promise.reject(new Error('off')),
  dispose: () => Promise.resolve(),
};

export async function withHost<T>(sandbox: SandboxRunner, fn: (host: Host) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-'));
  const host = await createHost({
    dataDir: { path: dir },
    secrets: FileSecretStore.inDataDir(dir),
    browser: { open: () => Promise.resolve() },
    sandbox,
    stopGraceMs: 300,
  });
  try {
    return await fn(host);
  } finally {
    await host.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function approvedServers(host: Host, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const view = await host.servers.add({
      name: `everything-${i}`,
      config: { transport: 'stdio', command: process.execPath, args: ARGS, env: {} },
      options: { lazyStart: true },
    });
    const request = await host.servers.consentRequest(view.id);
    // Record the approval without starting: the measured start must include the launch.
    host.store.consents.record({
      serverId: view.id,
      specHash: request.spec.hash,
      spec: '{}',
      decision: 'approved',
      decidedBy: 'bench',
      decidedAt: new Date().toISOString(),
    });
    ids.push(view.id);
  }
  return ids;
}

async function bareClient(): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: ARGS, stderr: 'pipe' }));
  return client;
}

export async function toolCalls(calls: number): Promise<Record<string, number>> {
  const message = { message: 'bench' };
  const bare = await bareClient();
  const bareTimes: number[] = [];
  const trackedTimes: number[] = [];
  const hostTimes = await withHost(unsandboxed, async (host) => {
    const id = present((await approvedServers(host, 1))[0], 'a bench server');
    const viaHost = () => host.tools.call({ serverId: id, name: 'echo', arguments: message });
    const viaBare = () => bare.callTool({ name: 'echo', arguments: message });
    // JIT and caches settle only after several hundred calls on each side.
    await timeEach(600, viaHost);
    await timeEach(600, viaBare);
    // Alternate small batches so drift on the machine affects both sides alike.
    const times: number[] = [];
    let n = 0;
    // A call the UI follows carries a progress token and an abort signal.
    const tracked = () => host.tools.call({ serverId: id, name: 'echo', arguments: message, callId: `bench-${n++}` });
    await timeEach(300, tracked);
    for (let done = 0; done < calls; done += 50) {
      times.push(...(await timeEach(50, viaHost)));
      bareTimes.push(...(await timeEach(50, viaBare)));
      trackedTimes.push(...(await timeEach(50, tracked)));
    }
    return times;
  });
  await bare.close();
  const hostP50 = percentile(hostTimes, 50);
  const bareP50 = percentile(bareTimes, 50);
  return {
    toolcall_host_p50_ms: round(hostP50),
    toolcall_host_p95_ms: round(percentile(hostTimes, 95)),
    toolcall_bare_p50_ms: round(bareP50),
    toolcall_bare_p95_ms: round(percentile(bareTimes, 95)),
    toolcall_p50_ratio: round(hostP50 / bareP50),
    toolcall_p95_ratio: round(percentile(hostTimes, 95) / percentile(bareTimes, 95)),
    toolcall_tracked_p50_ms: round(percentile(trackedTimes, 50)),
    toolcall_tracked_p50_ratio: round(percentile(trackedTimes, 50) / bareP50),
  };
}

async function startTen(sandbox: SandboxRunner): Promise<number> {
  return withHost(sandbox, async (host) => {
    const ids = await approvedServers(host, 10);
    return timeOnce(() => Promise.all(ids.map(async (id) => (await host.servers.ensureRunning(id)).listTools())));
  });
}

async function startTenBare(): Promise<number> {
  const clients: Client[] = [];
  const ms = await timeOnce(() =>
    Promise.all(
      Array.from({ length: 10 }, async () => {
        const client = await bareClient();
        clients.push(client);
        return client.listTools();
      }),
    ),
  );
  await Promise.all(clients.map((c) => c.close()));
  return ms;
}

export async function startTimes(rounds: number, sandboxed: boolean): Promise<Record<string, number>> {
  const bare: number[] = [];
  const host: number[] = [];
  const boxed: number[] = [];
  // One discarded warm-up round fills the disk cache; then the order alternates so neither side always goes first.
  await startTenBare();
  for (let i = 0; i < rounds; i++) {
    const pair = [async () => bare.push(await startTenBare()), async () => host.push(await startTen(unsandboxed))];
    for (const measure of i % 2 === 0 ? pair : pair.reverse()) await measure();
    if (sandboxed) boxed.push(await startTen(createOsSandbox()));
  }
  const b = percentile(bare, 50);
  const out: Record<string, number> = {
    start10_bare_ms: round(b, 1),
    start10_host_ms: round(percentile(host, 50), 1),
    start10_ratio: round(percentile(host, 50) / b),
  };
  if (sandboxed) {
    out.start10_sandboxed_ms = round(percentile(boxed, 50), 1);
    out.start10_sandboxed_ratio = round(percentile(boxed, 50) / b);
  }
  return out;
}
