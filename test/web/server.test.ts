// Browser mode's server without a browser: token, Origin and Host checks, loopback only, bad frames and payloads, and
// a 9 MB call (what a view's oversized request became) among ordinary ones, which must fail alone and keep the socket.
import { request } from 'node:http';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebServer, type WebServer } from '../../main/web/server.js';
import { makeHost, type TestHost } from '../helpers/host.js';
import { DIST } from '../helpers/paths.js';
import { waitFor } from '../helpers/cli.js';
import { taskViewOf } from '../helpers/tasks.js';

let t: TestHost | undefined;
let web: WebServer | undefined;
afterEach(async () => {
  await web?.close();
  await t?.close();
  web = undefined;
  t = undefined;
});

async function start(answered?: (channel: string) => void): Promise<WebServer> {
  t = await makeHost();
  web = await startWebServer({ host: t.host, staticDir: join(DIST, 'renderer'), token: 'test-token-123', ...(answered ? { answered } : {}) });
  return web;
}

function connect(url: string, origin: string | undefined): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({}));
  });
}

function ask(ws: WebSocket, frame: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const parsed = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
      if (parsed.type !== 'result') return;
      ws.off('message', onMessage);
      resolve(parsed);
    };
    ws.on('message', onMessage);
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('browser mode server', () => {
  it('serves the page only with the token, and with a strict CSP', async () => {
    const w = await start();
    const ok = await fetch(w.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`http://127.0.0.1:${w.port}/`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${w.port}/?token=wrong`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${w.port}/../../package.json?token=test-token-123`)).status).toBe(404);
  });

  it('refuses sockets without the token, from a foreign Origin, or for a foreign Host', async () => {
    const w = await start();
    const origin = `http://127.0.0.1:${w.port}`;
    expect((await connect(`ws://127.0.0.1:${w.port}/ws?token=wrong`, origin)).status).toBe(401);
    expect((await connect(`ws://127.0.0.1:${w.port}/ws`, origin)).status).toBe(401);
    expect((await connect(`ws://127.0.0.1:${w.port}/ws?token=test-token-123`, 'https://evil.example')).status).toBe(403);
    expect((await connect(`ws://127.0.0.1:${w.port}/ws?token=test-token-123`, undefined)).status).toBe(403);
    const good = await connect(`ws://127.0.0.1:${w.port}/ws?token=test-token-123`, origin);
    expect(good.ws).toBeDefined();
    good.ws!.close();
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own Host.
    const rebinding = await new Promise<number | undefined>((resolve) =>
      request({ host: '127.0.0.1', port: w.port, path: '/?token=test-token-123', headers: { host: `evil.example:${w.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).end(),
    );
    expect(rebinding).toBe(403);
  });

  it('never listens beyond loopback', async () => {
    t = await makeHost();
    await expect(startWebServer({ host: t.host, staticDir: join(DIST, 'renderer'), bindAddress: '0.0.0.0' })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
  });

  it('answers junk frames and contract violations with a coded error and keeps serving', async () => {
    const w = await start();
    const { ws } = await connect(`ws://127.0.0.1:${w.port}/ws?token=test-token-123`, `http://127.0.0.1:${w.port}`);
    try {
      expect(await ask(ws!, 'not json')).toMatchObject({ id: -1, outcome: { ok: false, code: 'invalid_payload' } });
      expect(await ask(ws!, { type: 'call', id: 'x', channel: 'servers:list' })).toMatchObject({ outcome: { ok: false, code: 'invalid_payload' } });
      expect(await ask(ws!, { type: 'call', id: 1, channel: 'servers:nuke', payload: {} })).toMatchObject({
        id: 1,
        outcome: { ok: false, code: 'unknown_channel' },
      });
      expect(await ask(ws!, { type: 'call', id: 2, channel: 'servers:add', payload: { name: '', config: { transport: 'stdio' } } })).toMatchObject({
        id: 2,
        outcome: { ok: false, code: 'invalid_payload' },
      });
      expect(
        await ask(ws!, { type: 'call', id: 3, channel: 'tools:call', payload: { serverId: 'nope', name: 'x', arguments: 'not an object' } }),
      ).toMatchObject({
        outcome: { ok: false, code: 'invalid_payload' },
      });
      expect(await ask(ws!, { type: 'call', id: 4, channel: 'servers:get', payload: { serverId: 'missing' } })).toMatchObject({
        outcome: { ok: false, code: 'not_found' },
      });
      expect(await ask(ws!, { type: 'call', id: 5, channel: 'servers:list', payload: {} })).toMatchObject({ id: 5, outcome: { ok: true, data: [] } });
    } finally {
      ws?.close();
    }
  });

  it('fails a call too large to take by its id, and keeps the socket and the calls around it', async () => {
    const w = await start();
    const { ws } = await connect(`ws://127.0.0.1:${w.port}/ws?token=test-token-123`, `http://127.0.0.1:${w.port}`);
    const results = new Map<number, Record<string, unknown>>();
    let closed: number | undefined;
    ws!.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type: string; id: number; outcome: Record<string, unknown> };
      if (frame.type === 'result') results.set(frame.id, frame.outcome);
    });
    ws!.on('close', (code) => (closed = code));
    try {
      ws!.send(JSON.stringify({ type: 'call', id: 1, channel: 'servers:list', payload: {} }));
      const big = 'x'.repeat(9 * 1024 * 1024);
      ws!.send(
        JSON.stringify({
          type: 'call',
          id: 2,
          channel: 'apps:request',
          payload: { viewId: 'v', method: 'tools/call', params: { name: 'a', arguments: { big } } },
        }),
      );
      ws!.send(JSON.stringify({ type: 'call', id: 3, channel: 'servers:list', payload: {} }));
      await waitFor('three answers or a close', () => results.size === 3 || closed !== undefined);
      expect(closed).toBeUndefined();
      expect(results.get(2)).toMatchObject({
        ok: false,
        code: 'message_too_large',
        message: expect.stringMatching(/^The call was 9 MB, over the 8 MB/) as unknown,
      });
      expect(results.get(1)).toEqual({ ok: true, data: [] });
      expect(results.get(3)).toEqual({ ok: true, data: [] });
      expect(ws!.readyState).toBe(WebSocket.OPEN);
    } finally {
      ws?.close();
    }
  });

  it('tells which calls a page made once they are answered (steward serve starts servers after the first list)', async () => {
    const channels: string[] = [];
    const w = await start((channel) => channels.push(channel));
    const { ws } = await connect(`ws://127.0.0.1:${w.port}/ws?token=test-token-123`, `http://127.0.0.1:${w.port}`);
    try {
      // Hostile frames first: not JSON, no channel; neither is a call, so neither is reported.
      expect(await ask(ws!, 'not json')).toMatchObject({ outcome: { ok: false, code: 'invalid_payload' } });
      expect(await ask(ws!, { type: 'call', id: 1 })).toMatchObject({ outcome: { ok: false } });
      expect(channels).toEqual([]);
      expect(await ask(ws!, { type: 'call', id: 2, channel: 'servers:list', payload: {} })).toMatchObject({ id: 2, outcome: { ok: true } });
      expect(channels).toEqual(['servers:list']);
    } finally {
      ws?.close();
    }
  });

  it('pushes host events to connected pages', async () => {
    const w = await start();
    const { ws } = await connect(`ws://127.0.0.1:${w.port}/ws?token=test-token-123`, `http://127.0.0.1:${w.port}`);
    const event = new Promise<Record<string, unknown>>((resolve) =>
      ws!.on('message', (data) => {
        const parsed = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
        if (parsed.type === 'event') resolve(parsed);
      }),
    );
    await t!.host.servers.add({ name: 'pushed', config: { transport: 'http', url: 'https://mcp.example.com/mcp', headers: {} } });
    expect(await event).toMatchObject({ event: 'servers:changed', payload: { name: 'pushed' } });
    ws!.close();
  });

  it('drops a page that stops reading once its backlog passes the cap, and keeps serving a page that reads', async () => {
    t = await makeHost();
    const lines: string[] = [];
    web = await startWebServer({
      host: t.host,
      staticDir: join(DIST, 'renderer'),
      token: 'test-token-123',
      maxBacklogBytes: 1024 * 1024,
      log: (line) => lines.push(line),
    });
    const origin = `http://127.0.0.1:${web.port}`;
    const { ws: reader } = await connect(`ws://127.0.0.1:${web.port}/ws?token=test-token-123`, origin);
    let read = 0;
    reader!.on('message', () => (read += 1));
    // A client that completes the handshake, then reads nothing more (a frozen tab, or any holder of the token).
    const stalled = netConnect(web.port, '127.0.0.1');
    let closed = false;
    stalled.on('error', () => undefined);
    stalled.on('close', () => (closed = true));
    stalled.write(
      `GET /ws?token=test-token-123 HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    const handshake = await new Promise<string>((resolve) => stalled.once('data', (c: Buffer) => resolve(c.toString('latin1'))));
    expect(handshake).toMatch(/^HTTP\/1\.1 101 /);
    stalled.pause();

    // Tried: 200 events of 100 KB each, 20 MB in all. Before, every byte the stalled client did not read was kept here.
    const big = taskViewOf({ statusMessage: 'x'.repeat(100 * 1024) });
    for (let i = 0; i < 200; i++) {
      t.host.events.emit('tasks:changed', big);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor('the reading page to get every event', () => read >= 200);
    stalled.resume();
    await waitFor('the stalled client to see its socket closed', () => closed);
    expect(lines.filter((l) => l.includes("dropped a page's socket"))).toHaveLength(1);
    expect(reader!.readyState).toBe(WebSocket.OPEN);
    reader!.close();
  });
});
