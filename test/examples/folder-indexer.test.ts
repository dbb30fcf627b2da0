// The bundled Folder Indexer as users get it: sandboxed, index_folder as a long task with progress and status
// messages, a report at the end, and a thorough run the user cancels.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsSandbox } from '../../main/core/security/index.js';
import type { TaskView } from '../../shared/domain/tasks.js';
import { makeHost, tempDir, type TestHost } from '../helpers/host.js';
import { EXAMPLES_DIST, NODE } from '../helpers/paths.js';
import { stringMatching } from '../helpers/matchers.js';

let t: TestHost | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function indexer(files: number) {
  const shared = tempDir('steward-index-');
  dirs.push(shared);
  mkdirSync(join(shared, 'docs'));
  for (let i = 0; i < files; i++)
    writeFileSync(join(shared, 'docs', `note-${i}.md`), `# Note ${i}\nharbour lighthouse harbour ${i % 3 === 0 ? 'duplicate' : i}\n`);
  t = await makeHost({ sandbox: createOsSandbox(), bundled: { examplesDir: EXAMPLES_DIST, runtime: { command: NODE, env: {} } } });
  const { host } = t;
  const server = host.servers.list().find((s) => s.name === 'Folder Indexer')!;
  expect(server).toMatchObject({ source: 'bundled', sandbox: { enabled: true } });
  await host.servers.setRoots(server.id, [{ path: shared, name: 'notes' }]);
  const request = await host.servers.consentRequest(server.id);
  expect(request.spec.sandbox.mode).toBe('enforced');
  await host.servers.decideConsent(server.id, request.spec.hash, 'approve', 'user');
  const tools = await (await host.servers.ensureRunning(server.id)).listTools();
  expect(tools.find((tool) => tool.name === 'index_folder')).toMatchObject({ taskSupport: 'required' });
  return { host, serverId: server.id, shared };
}

describe('Folder Indexer', () => {
  it('indexes a shared folder as a task, with progress and a report', async () => {
    const { host, serverId } = await indexer(12);
    const seen: TaskView[] = [];
    host.events.on('tasks:changed', (v) => seen.push(v));
    const result = await host.runTool({ serverId, name: 'index_folder', arguments: { pace: 'quick' } });
    const text = result.content.map((c) => (typeof c.text === 'string' ? c.text : '')).join('');
    expect(text).toContain('12 files');
    expect(text).toMatch(/harbour/);
    expect(result.structuredContent).toMatchObject({ files: 12 });
    const [task] = host.tasks.list({ serverId }, 5);
    expect(task).toMatchObject({ label: 'index_folder', status: 'completed', statusMessage: stringMatching(/^Done: 12 files/) });
    expect(seen.some((v) => v.progressTotal === 12)).toBe(true);
    // The granted ttl is at least an hour: the result stays fetchable.
    expect(Date.parse(task!.expiresAt!) - Date.parse(task!.createdAt)).toBeGreaterThanOrEqual(3_600_000);
  });

  it('stops a thorough run when the user cancels it', async () => {
    const { host, serverId } = await indexer(40);
    const view = await host.tasks.start({ serverId, tool: 'index_folder', arguments: {} });
    await new Promise<void>((resolve) => {
      const off = host.events.on('tasks:changed', (v) => {
        if (v.id === view.id && (v.progress ?? 0) >= 2) {
          off();
          resolve();
        }
      });
    });
    expect((await host.tasks.cancel(view.id)).status).toBe('cancelled');
    const after = host.tasks.detail(view.id);
    expect(after.progress).toBeLessThan(40);
    expect(after.events.at(-1)).toMatchObject({ status: 'cancelled' });
  });
});
