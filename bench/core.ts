// Host core against a bare SDK client: tool-call round trips, and starting ten servers to a tool list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createHost, type Host } from '../main/core/host.js';
import { FileSecretStore } from '../main/core/node/index.js';
import { buildChildEnv, createOsSandbox, type SandboxRunner } from '../main/core/security/index.js';
import { present } from '../shared/errors.js';
import { repeat, type Outcome } from './repeat.js';
import { inOrder, percentile, timeEach, timeOnce, type StopRule } from './stats.js';

export const SERVER = join(process.cwd(), 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const ARGS = [SERVER, 'stdio'];

/**
 * The environment the bare clients give their servers: the one Steward gives its own (the SDK's defaults plus locale,
 * time zone and the certificate-authority settings it passes on), so both sides start the same server under the same
 * environment and the figures compare the hosts alone. With the SDK's defaults only, a machine with
 * NODE_EXTRA_CA_CERTS set would start the bare servers without building that CA store (about 50 ms of CPU each with
 * Debian's bundle): a difference in environment, not in what the host does.
 */
const SERVER_ENV = buildChildEnv({
  platform: process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux',
  hostEnv: process.env,
  configEnv: {},
  extraPathDirs: [],
});

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

/**
 * A bare SDK client on its own server. With `ownSession` the server starts in a session of its own (setsid), as the
 * host starts every server (so it can stop the whole process group): on Linux with scheduler autogroups that alone
 * changes how fast a pipe write wakes the server, so this second baseline separates the OS's share from Steward's.
 */
async function bareClient(ownSession = false): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const transport = ownSession
    ? new StdioClientTransport({ command: 'setsid', args: [process.execPath, ...ARGS], env: SERVER_ENV, stderr: 'pipe' })
    : new StdioClientTransport({ command: process.execPath, args: ARGS, env: SERVER_ENV, stderr: 'pipe' });
  await client.connect(transport);
  return client;
}

/** Calls per side in one repetition, run as alternating batches so drift inside a repetition falls on every side. */
const CALLS_PER_REP = 200;
const BATCH = 25;

/** Runs `count` calls, adding each one's time to `times` and the process's CPU time for all of them (µs) to `cpu`. */
async function batch(count: number, fn: () => Promise<unknown>, times: number[], cpu: number[]): Promise<void> {
  const before = process.cpuUsage();
  times.push(...(await timeEach(count, fn)));
  const used = process.cpuUsage(before);
  cpu.push((used.user + used.system) / count);
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export async function toolCalls(rule: StopRule, log: (line: string) => void): Promise<Outcome> {
  const message = { message: 'bench' };
  const bare = await bareClient();
  const bareOwn = process.platform === 'linux' ? await bareClient(true) : undefined;
  try {
    return await withHost(unsandboxed, async (host) => {
      const id = present((await approvedServers(host, 1))[0], 'a bench server');
      let n = 0;
      const viaHost = () => host.tools.call({ serverId: id, name: 'echo', arguments: message });
      // A call the UI follows carries a progress token and an abort signal.
      const tracked = () => host.tools.call({ serverId: id, name: 'echo', arguments: message, callId: `bench-${n++}` });
      const viaBare = () => bare.callTool({ name: 'echo', arguments: message });
      const viaBareOwn = bareOwn ? () => bareOwn.callTool({ name: 'echo', arguments: message }) : undefined;
      // JIT and caches settle only after several hundred calls on each side.
      for (const side of [viaHost, tracked, viaBare, viaBareOwn]) if (side) await timeEach(400, side);
      return repeat(
        {
          name: 'tool calls',
          headline: ['toolcall_p50_ratio', 'toolcall_tracked_p50_ratio'],
          rule,
          rep: async (rep) => {
            const t = { host: [] as number[], tracked: [] as number[], bare: [] as number[], own: [] as number[] };
            const cpu = { host: [] as number[], tracked: [] as number[], bare: [] as number[] };
            const subject = async () => {
              await batch(BATCH, viaHost, t.host, cpu.host);
              await batch(BATCH, tracked, t.tracked, cpu.tracked);
            };
            const baseline = async () => {
              await batch(BATCH, viaBare, t.bare, cpu.bare);
              if (viaBareOwn) t.own.push(...(await timeEach(BATCH, viaBareOwn)));
            };
            for (let done = 0; done < CALLS_PER_REP; done += BATCH) for (const side of inOrder(rep + done / BATCH, subject, baseline)) await side();
            const b = percentile(t.bare, 50);
            return {
              toolcall_p50_ratio: percentile(t.host, 50) / b,
              toolcall_tracked_p50_ratio: percentile(t.tracked, 50) / b,
              toolcall_p95_ratio: percentile(t.host, 95) / percentile(t.bare, 95),
              // CPU time of this process per call: what the host itself spends, far less swayed by other load than latency.
              toolcall_cpu_ratio: sum(cpu.host) / sum(cpu.bare),
              toolcall_tracked_cpu_ratio: sum(cpu.tracked) / sum(cpu.bare),
              ...(viaBareOwn
                ? { toolcall_p50_ratio_own_session: percentile(t.host, 50) / percentile(t.own, 50), toolcall_own_session_p50_ms: percentile(t.own, 50) }
                : {}),
              toolcall_host_p50_ms: percentile(t.host, 50),
              toolcall_tracked_p50_ms: percentile(t.tracked, 50),
              toolcall_bare_p50_ms: b,
              toolcall_host_p95_ms: percentile(t.host, 95),
              toolcall_bare_p95_ms: percentile(t.bare, 95),
              toolcall_host_cpu_us: sum(cpu.host) / cpu.host.length,
              toolcall_tracked_cpu_us: sum(cpu.tracked) / cpu.tracked.length,
              toolcall_bare_cpu_us: sum(cpu.bare) / cpu.bare.length,
            };
          },
        },
        log,
      );
    });
  } finally {
    await bare.close();
    await bareOwn?.close();
  }
}

async function startTen(sandbox: SandboxRunner): Promise<number> {
  return withHost(sandbox, async (host) => {
    const ids = await approvedServers(host, 10);
    return timeOnce(() => Promise.all(ids.map(async (id) => (await host.servers.ensureRunning(id)).listTools())));
  });
}

/**
 * Ten bare SDK clients started at once, each server in a session of its own on Linux as the host starts its servers. With
 * scheduler autogroups a session is its own scheduling group: ten servers in ten groups got ten shares of the cores
 * against other load on the machine, where ten in the bench's one group shared one, so with another bench running the
 * host read 0.52–0.54 of the bare time and otherwise about 1.0: what else the machine ran, not the hosts.
 */
async function startTenBare(): Promise<number> {
  const clients: Client[] = [];
  const ms = await timeOnce(() =>
    Promise.all(
      Array.from({ length: 10 }, async () => {
        const client = await bareClient(process.platform === 'linux');
        clients.push(client);
        return client.listTools();
      }),
    ),
  );
  await Promise.all(clients.map((c) => c.close()));
  return ms;
}

export async function startTimes(rule: StopRule, sandboxed: boolean, log: (line: string) => void): Promise<Outcome> {
  // One discarded warm-up round fills the disk cache (the same files every side reads).
  await startTenBare();
  return repeat(
    {
      name: 'starting ten servers',
      headline: sandboxed ? ['start10_ratio', 'start10_sandboxed_ratio'] : ['start10_ratio'],
      rule,
      rep: async (rep) => {
        const ms = { bare: 0, host: 0, boxed: 0 };
        const subject = [async () => (ms.host = await startTen(unsandboxed)), async () => (ms.boxed = sandboxed ? await startTen(createOsSandbox()) : 0)];
        const baseline = [async () => (ms.bare = await startTenBare())];
        for (const side of inOrder(rep, subject, baseline).flat()) await side();
        return {
          start10_ratio: ms.host / ms.bare,
          start10_bare_ms: ms.bare,
          start10_host_ms: ms.host,
          ...(sandboxed ? { start10_sandboxed_ratio: ms.boxed / ms.bare, start10_sandboxed_ms: ms.boxed } : {}),
        };
      },
    },
    log,
  );
}
