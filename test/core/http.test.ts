// Streamable HTTP servers reached on 127.0.0.1: server-everything, and a fixture that loses its sessions.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHost, type TestHost } from '../helpers/host.js';
import { EVERYTHING, FIXTURES } from '../helpers/paths.js';
import { startListening, type Started } from '../helpers/processes.js';
import { textOf } from '../helpers/results.js';

let t: TestHost | undefined;
let server: Started | undefined;
afterEach(async () => {
  await t?.close();
  await server?.stop();
  t = undefined;
  server = undefined;
});

describe('Streamable HTTP', () => {
  it('connects to server-everything, lists and calls tools, sees progress', async () => {
    server = await startListening(['--import', join(FIXTURES, 'loopback-only.mjs'), EVERYTHING, 'streamableHttp']);
    t = await makeHost();
    const view = await t.host.servers.add({ name: 'everything-http', config: { transport: 'http', url: server.url, headers: {} } });
    const session = await t.host.servers.ensureRunning(view.id);
    expect(t.host.servers.get(view.id)).toMatchObject({ status: 'running', protocolVersion: '2025-11-25' });
    expect((await session.listTools()).map((x) => x.name)).toContain('echo');
    expect(textOf(await t.host.tools.call({ serverId: view.id, name: 'echo', arguments: { message: 'over http' } }))).toContain('over http');
    const progress: number[] = [];
    const off = t.host.events.on('calls:changed', (p) => progress.push(p.progress));
    await t.host.tools.call({ serverId: view.id, name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 2 }, callId: 'http-long' });
    off();
    expect(progress.length).toBeGreaterThanOrEqual(1);
    // A remote server needs no launch consent: nothing runs on this machine.
    await expect(t.host.servers.consentRequest(view.id)).rejects.toMatchObject({ code: 'not_supported' });
  });

  it('starts a new session when the server forgets the old one (404), and the call succeeds', async () => {
    server = await startListening([join(FIXTURES, 'http-server.mjs')]);
    t = await makeHost();
    const view = await t.host.servers.add({ name: 'fixture', config: { transport: 'http', url: server.url, headers: {} } });
    expect(textOf(await t.host.tools.call({ serverId: view.id, name: 'echo', arguments: { message: 'one' } }))).toBe('echo:one');
    await fetch(`http://127.0.0.1:${server.port}/admin/forget-sessions`, { method: 'POST' });
    expect(textOf(await t.host.tools.call({ serverId: view.id, name: 'echo', arguments: { message: 'two' } }))).toBe('echo:two');
    const stats = (await (await fetch(`http://127.0.0.1:${server.port}/admin/stats`)).json()) as { initializations: number };
    expect(stats.initializations).toBe(2);
    const notes = t.host.servers.logsPage(view.id, 50).map((l) => l.text);
    expect(notes.some((n) => n.includes('ended the HTTP session'))).toBe(true);
  });

  it('reports an unreachable server with a clear error', async () => {
    t = await makeHost();
    const view = await t.host.servers.add({ name: 'nowhere', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'connect_failed' });
    expect(t.host.servers.get(view.id)).toMatchObject({ status: 'error', lastError: { code: 'connect_failed' } });
  });

  it('keeps no server whose address the URL gate refuses, whether added, changed or imported', async () => {
    t = await makeHost();
    // Tried: a password inside the address (never echoed) and the cloud metadata address.
    const refused = ['https://ada:hunter2@mcp.example.com/mcp', 'http://169.254.169.254/latest/meta-data/'];
    for (const [i, url] of refused.entries()) {
      const attempt = t.host.servers.add({ name: `bad-${i}`, config: { transport: 'http', url, headers: {} } });
      await expect(attempt).rejects.toMatchObject({ code: 'invalid_payload' });
      await attempt.catch((error: unknown) => expect(String(error)).not.toContain('hunter2'));
    }
    const good = await t.host.servers.add({ name: 'lan', config: { transport: 'http', url: 'http://192.168.1.20:8123/mcp', headers: {} } });
    await expect(t.host.servers.update(good.id, { config: { transport: 'http', url: refused[0]!, headers: {} } })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
    const report = await t.host.servers.import(JSON.stringify({ mcpServers: { sneaky: { url: refused[1] } } }), 'mcp.json');
    expect(report).toMatchObject({ added: [], skipped: [{ name: 'sneaky', code: 'invalid_payload' }] });
    expect(t.host.servers.list().map((s) => s.name)).toEqual(['lan']);
    expect(t.host.servers.get(good.id)).toMatchObject({ url: 'http://192.168.1.20:8123/mcp' });
  });
});
