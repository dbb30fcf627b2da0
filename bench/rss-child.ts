// Child process for the memory figure: ten servers connected, either through the host or with bare SDK clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createHost } from '../main/core/host.js';
import { FileSecretStore } from '../main/core/node/index.js';

const mode = process.argv[2];
const server = process.argv[3];
if (!server) throw new Error('usage: rss-child.js host|bare <server script>');
const args = [server, 'stdio'];
const settle = () => new Promise((r) => setTimeout(r, 1500));

if (mode === 'bare') {
  // All ten at once, as the host starts them below: memory once they run is the figure, not how they got there.
  const clients = await Promise.all(
    Array.from({ length: 10 }, async () => {
      const client = new Client({ name: 'bench', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'pipe' }));
      await client.listTools();
      return client;
    }),
  );
  await settle();
  global.gc?.();
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss })}\n`);
  await Promise.all(clients.map((c) => c.close()));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'steward-rss-'));
  const host = await createHost({
    dataDir: { path: dir },
    secrets: FileSecretStore.inDataDir(dir),
    browser: { open: () => Promise.resolve() },
    sandbox: {
      support: () => Promise.resolve({ kind: 'unsupported' }),
      wrap: () => Promise.reject(new Error('off')),
      dispose: () => Promise.resolve(),
    },
    stopGraceMs: 200,
  });
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const view = await host.servers.add({ name: `s${i}`, config: { transport: 'stdio', command: process.execPath, args, env: {} } });
    const request = await host.servers.consentRequest(view.id);
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
  await Promise.all(ids.map(async (id) => (await host.servers.ensureRunning(id)).listTools()));
  await settle();
  global.gc?.();
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss })}\n`);
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
}
