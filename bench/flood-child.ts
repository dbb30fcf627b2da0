// Child process for the flood figures: a server asks thousands of form questions at once, through the host (which caps
// them and asks the user, here a listener that declines the waiting ones once the rest are refused) or through a bare SDK
// client that declines each at once. Prints the time and the peak RSS growth of each measured flood, in the order of the
// sizes given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createHost } from '../main/core/host.js';
import { FileSecretStore } from '../main/core/node/index.js';
import { unsandboxed } from './core.js';
import { answeredIn, HELD } from './flood.js';

const mode = process.argv[2];
/** The first `warm` sizes warm the path up and are not measured; the rest are. */
const warm = Number(process.argv[3]);
const sizes = process.argv.slice(4).map(Number);
const SERVER = join(dirname(fileURLToPath(import.meta.url)), 'flood-server.js');

/**
 * How long after a flood its CPU time is still counted. A flood leaves work to timers (the server log's writes within
 * 100 ms, the database checkpoint looked for every 250 ms): counted with the flood that caused it, that work no longer
 * lands on whichever flood comes next.
 */
const SETTLE_MS = 300;

/**
 * Runs one flood and returns its wall-clock time, the CPU time of it and the work it left (see SETTLE_MS), and how many
 * questions were answered, sampling RSS meanwhile for the peak.
 */
async function measure(flood: (count: number) => Promise<unknown>, count: number): Promise<{ ms: number; cpuMs: number; peak: number; answered: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await flood(count);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await settle();
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  return { ms, cpuMs: (used.user + used.system) / 1000, peak: Math.max(peak, process.memoryUsage.rss()), answered: answeredIn(result) };
}

const settle = () => new Promise((settled) => setTimeout(settled, SETTLE_MS));

/**
 * Floods of the given sizes in the order given, after a small one that warms the path and the unmeasured ones: each
 * one's time, and its peak RSS over the process's RSS after that small one.
 */
async function run(flood: (count: number) => Promise<unknown>): Promise<void> {
  await flood(200);
  global.gc?.();
  const base = process.memoryUsage().rss;
  for (const size of sizes.slice(0, warm)) await flood(size);
  await settle();
  const runs: Array<{ size: number; ms: number; cpuMs: number; peak: number; answered: number }> = [];
  for (const size of sizes.slice(warm)) {
    global.gc?.();
    const { ms, cpuMs, peak, answered } = await measure(flood, size);
    runs.push({ size, ms, cpuMs, peak: peak - base, answered });
  }
  process.stdout.write(`${JSON.stringify({ base, runs })}\n`);
}

if (mode === 'bare') {
  const client = new Client({ name: 'bench', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler('elicitation/create', () => ({ action: 'decline' as const }));
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [SERVER], stderr: 'pipe' }));
  await run((count) => client.callTool({ name: 'flood', arguments: { count } }, { timeout: 600_000 }));
  await client.close();
} else {
  const dir = mkdtempSync(join(tmpdir(), 'steward-flood-'));
  const host = await createHost({
    dataDir: { path: dir },
    secrets: FileSecretStore.inDataDir(dir),
    browser: { open: () => Promise.resolve() },
    sandbox: unsandboxed,
    stopGraceMs: 200,
  });
  // The user, away while the flood arrives (no one answers within a turn of the event loop): the host keeps the cap's
  // worth of questions waiting and refuses the rest at once. Once the server says it holds only those, the user declines
  // them, so every flood is made of the same mix (HELD answered, the rest refused) whatever the scheduling.
  const declineWaiting = () => {
    for (const item of host.inbox.list()) {
      if (item.kind === 'elicitation') void host.inbox.decide(item.id, { kind: 'elicitation', action: 'decline' }).catch(() => undefined);
    }
  };
  host.events.on('calls:changed', (progress) => {
    if (progress.message === 'held') declineWaiting();
  });
  const view = await host.servers.add({ name: 'flood', config: { transport: 'stdio', command: process.execPath, args: [SERVER], env: {} } });
  const request = await host.servers.consentRequest(view.id);
  await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
  // A call with an id is followed, so the server's progress reaches the listener. Should the host ever keep a different
  // number waiting, the server would never say so: after a minute the user declines what waits, and the flood's answered
  // count tells the bench the mix was not the one it measures.
  let calls = 0;
  await run(async (count) => {
    const stuck = setTimeout(declineWaiting, 60_000);
    try {
      return await host.tools.call({ serverId: view.id, name: 'flood', arguments: { count, hold: HELD }, callId: `flood-${++calls}`, timeoutSeconds: 600 });
    } finally {
      clearTimeout(stuck);
    }
  });
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
}
