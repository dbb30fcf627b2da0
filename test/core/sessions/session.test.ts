// MCP sessions against real servers: list_changed, cancel, timeouts, roots, ping, and servers of other protocol versions.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addApproved, makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { anyNumber } from '../../helpers/matchers.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PROBE = join(FIXTURES, 'probe-server.mjs');
const RAW = join(FIXTURES, 'raw-server.mjs');

async function probe(host: TestHost['host']) {
  const { view, approve } = await addApproved(host, 'probe', NODE, [PROBE]);
  expect((await approve()).status).toBe('running');
  return view.id;
}

describe('MCP session', () => {
  it('follows tools/list_changed: the event fires and the new tool is listed', async () => {
    t = await makeHost();
    const id = await probe(t.host);
    const before = await t.host.dispatch('tools:list', { serverId: id });
    expect(before.ok && (before.data as { name: string }[]).some((x) => x.name === 'grown-1')).toBe(false);
    const changed = new Promise<string>((resolve) => t!.host.events.on('tools:changed', (e) => resolve(e.serverId)));
    await t.host.tools.call({ serverId: id, name: 'grow', arguments: {} });
    expect(await changed).toBe(id);
    const after = await (await t.host.servers.ensureRunning(id)).listTools();
    expect(after.map((x) => x.name)).toContain('grown-1');
    expect(textOf(await t.host.tools.call({ serverId: id, name: 'grown-1', arguments: {} }))).toBe('I am grown-1');
  });

  it('cancels a call by its id', async () => {
    t = await makeHost();
    const id = await probe(t.host);
    const running = t.host.tools.call({ serverId: id, name: 'sleep', arguments: { ms: 20_000 }, callId: 'to-cancel' });
    // Cancelled once the request is on its way, so that there is a request for the server to be told about.
    await expect.poll(() => t!.host.servers.wire(id, { method: 'tools/call', limit: 10 }).messages.filter((m) => m.kind === 'request')).toHaveLength(1);
    expect((await t.host.dispatch('tools:cancel', { callId: 'to-cancel' })).ok).toBe(true);
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    // The server was told, naming the request it was working on.
    const wire = t.host.servers
      .wire(id, { limit: 100 })
      .messages.map((m) => JSON.parse(m.text) as { id?: number; method?: string; params?: Record<string, unknown> });
    const asked = wire.find((m) => m.method === 'tools/call' && m.params?.name === 'sleep');
    expect(wire.filter((m) => m.method === 'notifications/cancelled').map((m) => m.params?.requestId)).toEqual([asked?.id]);
    expect((await t.host.dispatch('tools:cancel', { callId: 'to-cancel' })).ok).toBe(false);
    // The server is still fine afterwards.
    expect(textOf(await t.host.tools.call({ serverId: id, name: 'sleep', arguments: { ms: 10 } }))).toBe('slept 10');
  });

  it('times a call out and says so', async () => {
    t = await makeHost();
    const id = await probe(t.host);
    await expect(t.host.tools.call({ serverId: id, name: 'sleep', arguments: { ms: 20_000 }, timeoutSeconds: 1 })).rejects.toMatchObject({ code: 'timeout' });
    const [record] = t.host.audit.list({ limit: 1, kind: 'tool.called' });
    expect(record?.data).toMatchObject({ tool: 'sleep', outcome: 'timeout', argumentNames: ['ms'] });
  });

  it('answers roots/list with the shared folders and tells the server when they change', async () => {
    t = await makeHost();
    const id = await probe(t.host);
    const folder = tempDir('steward-root-');
    expect(JSON.parse(textOf(await t.host.tools.call({ serverId: id, name: 'roots', arguments: {} })))).toEqual([]);
    await t.host.servers.setRoots(id, [{ path: folder, name: 'work' }]);
    expect(JSON.parse(textOf(await t.host.tools.call({ serverId: id, name: 'roots', arguments: {} })))).toEqual([{ uri: `file://${folder}`, name: 'work' }]);
    await expect(t.host.servers.setRoots(id, [{ path: 'relative/path' }])).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(t.host.servers.setRoots(id, [{ path: join(folder, 'missing') }])).rejects.toMatchObject({ code: 'invalid_payload' });
  });

  it('pings a running server', async () => {
    t = await makeHost();
    const id = await probe(t.host);
    const outcome = await t.host.dispatch('servers:ping', { serverId: id });
    expect(outcome).toMatchObject({ ok: true, data: { ms: anyNumber() } });
  });

  it('works with a server that speaks 2025-06-18, and refuses one that speaks an unknown version', async () => {
    t = await makeHost();
    const old = await addApproved(t.host, 'older', NODE, [RAW, '--protocol=2025-06-18']);
    const view = await old.approve();
    expect(view).toMatchObject({ status: 'running', protocolVersion: '2025-06-18' });
    expect(textOf(await t.host.tools.call({ serverId: view.id, name: 'ok', arguments: {} }))).toBe('ok done');

    const future = await addApproved(t.host, 'future', NODE, [RAW, '--protocol=1999-01-01']);
    const refused = await future.approve();
    expect(refused.status).toBe('error');
    expect(refused.lastError?.code).toBe('unsupported_protocol_version');
    // The code says what happened; the class says what to do, and a refused handshake is not retried.
    expect(refused.lastError?.failure).toMatchObject({ class: 'handshake_failed', retryable: false });
    expect(refused.restarts).toBe(0);
    expect(refused.pid).toBeNull();
  });
});
