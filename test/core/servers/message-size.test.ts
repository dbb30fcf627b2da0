// Messages over the size limit from a hostile server, at 10 MB and 100 MB, over stdio and over Streamable HTTP (JSON
// bodies and server-sent events): a reply fails the call it answers; a request — reusing the id of the call in flight,
// with braces and a nested "id" in its strings — is answered with an error under its own id and never taken for a
// reply; a notification is dropped; a line whose id cannot be read stops the server with the reason in its log. After
// each, later traffic still reaches the right place.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { skeletonOf } from '../../../main/core/servers/oversized.js';
import type { Host } from '../../../main/core/host.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { startListening, type Started } from '../../helpers/processes.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost | undefined;
let http: Started | undefined;
afterEach(async () => {
  await t?.close();
  await http?.stop();
  t = undefined;
  http = undefined;
});

describe('reading an oversized message without holding it', () => {
  const big = (s: string) => Buffer.from(s.replace('FILL', 'x'.repeat(300_000)));
  it.each([
    ['a reply, id first', '{"jsonrpc":"2.0","id":7,"result":{"text":"FILL"}}', { kind: 'response', id: 7 }],
    ['a reply, id last', '{"jsonrpc":"2.0","result":{"text":"FILL","id":1},"id":"r-1"}', { kind: 'response', id: 'r-1' }],
    ['an error reply', '{"jsonrpc":"2.0","id":8,"error":{"code":1,"message":"FILL"}}', { kind: 'response', id: 8 }],
    [
      'a request, id last, braces in strings',
      '{"jsonrpc":"2.0","method":"x/y","params":{"a":"{\\"id\\":9}}]","b":"FILL","id":3},"id":5}',
      { kind: 'request', id: 5, method: 'x/y' },
    ],
    ['a request, escaped quotes in its id', '{"id":"a\\"b","method":"m","params":{"t":"FILL"}}', { kind: 'request', id: 'a"b', method: 'm' }],
    // A reader that skipped ahead to the next quote without minding the escape before it would see braces and an id here.
    ['a reply, an escaped quote deep in a long string', '{"jsonrpc":"2.0","result":{"text":"FILL\\"},\\"id\\":1}"},"id":9}', { kind: 'response', id: 9 }],
    [
      'a notification',
      '{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"FILL"}}',
      { kind: 'notification', method: 'notifications/message' },
    ],
    ['a request whose id is too long to trust', `{"method":"m","id":"${'i'.repeat(400)}","params":"FILL"}`, { kind: 'unreadable' }],
    ['a request with a null id, which no answer could reach', '{"method":"m","id":null,"params":"FILL"}', { kind: 'notification', method: 'm' }],
    ['a batch', '[{"jsonrpc":"2.0","id":1,"result":"FILL"}]', { kind: 'unreadable' }],
    ['not JSON', '{"jsonrpc":"2.0","id":1,"result":FILL', { kind: 'unreadable' }],
    ['cut short', '{"jsonrpc":"2.0","id":1,"result":"FILL', { kind: 'unreadable' }],
    ['neither request nor reply', '{"jsonrpc":"2.0","id":1,"params":"FILL"}', { kind: 'unreadable' }],
  ])('%s', (_name, text, expected) => {
    expect(skeletonOf(big(text))).toEqual(expected);
    // Byte by byte (every split, escapes and multi-byte characters included) reads the same.
    const bytes = big(text);
    const pieces = Array.from({ length: Math.ceil(bytes.length / 4093) }, (_, i) => bytes.subarray(i * 4093, (i + 1) * 4093));
    expect(skeletonOf(...pieces)).toEqual(expected);
  });

  it('reads a long top-level string cut inside a \\u escape without breaking the rest', () => {
    const text = `{"method":"${'\\u00e9'.repeat(100)}","id":4,"params":"${'x'.repeat(1000)}"}`;
    expect(skeletonOf(Buffer.from(text))).toMatchObject({ kind: 'request', id: 4 });
  });
});

async function stdioServer(): Promise<{ host: Host; id: string }> {
  t = await makeHost();
  const { view, approve } = await addApproved(t.host, 'raw', NODE, [join(FIXTURES, 'raw-server.mjs')]);
  expect((await approve()).status).toBe('running');
  return { host: t.host, id: view.id };
}

async function httpServer(): Promise<{ host: Host; id: string }> {
  http = await startListening([join(FIXTURES, 'big-http-server.mjs')]);
  t = await makeHost();
  const view = await t.host.servers.add({ name: 'big', config: { transport: 'http', url: http.url, headers: {} } });
  await t.host.servers.ensureRunning(view.id);
  return { host: t.host, id: view.id };
}

const logText = (host: Host, id: string) =>
  host.servers
    .logsPage(id, 200)
    .map((l) => l.text)
    .join('\n');

async function still(host: Host, id: string, transport: 'stdio' | 'http'): Promise<void> {
  const args =
    transport === 'stdio' ? { serverId: id, name: 'ok', arguments: {} } : { serverId: id, name: 'oversized', arguments: { kind: 'notification', mb: 0.01 } };
  const result = await host.tools.call(args);
  expect(textOf(result)).toBe(transport === 'stdio' ? 'ok done' : 'notification sent');
  expect(host.servers.get(id).status).toBe('running');
}

describe.each([
  ['stdio', stdioServer],
  ['http (server-sent events)', httpServer],
] as const)('over %s', (label, open) => {
  const transport = label === 'stdio' ? 'stdio' : 'http';
  describe.each([10.5, 100])('a %s MB message', (mb) => {
    it('as a reply fails only the call it answers', { timeout: 120_000 }, async () => {
      const { host, id } = await open();
      await expect(host.tools.call({ serverId: id, name: 'oversized', arguments: { kind: 'reply', mb } })).rejects.toMatchObject({
        code: 'message_too_large',
      });
      expect(logText(host, id)).toMatch(/over the limit of 10 MB for one message: a reply to request/);
      await still(host, id, transport);
    });

    it('as a request reusing the id of the call in flight is answered with an error, and the call gets its real result', { timeout: 120_000 }, async () => {
      const { host, id } = await open();
      const result = await host.tools.call({ serverId: id, name: 'oversized', arguments: { kind: 'request', mb } });
      const reply = JSON.parse(textOf(result)) as { id: unknown; error?: { code: number; message: string } };
      expect(reply.error?.code).toBe(-32600);
      expect(reply.error?.message).toMatch(/refused this sampling\/createMessage request: it was \d+ MB, over the limit of 10 MB/);
      expect(logText(host, id)).toMatch(/a request .* \(sampling\/createMessage\); it was answered with an error/);
      expect(host.inbox.list()).toEqual([]);
      await still(host, id, transport);
    });

    it('as a notification is dropped', { timeout: 120_000 }, async () => {
      const { host, id } = await open();
      expect(textOf(await host.tools.call({ serverId: id, name: 'oversized', arguments: { kind: 'notification', mb } }))).toBe('notification sent');
      expect(logText(host, id)).toMatch(/a notification \(notifications\/message\); it was dropped/);
      expect(logText(host, id)).not.toContain('x'.repeat(100_000));
      await still(host, id, transport);
    });

    it('that cannot be read stops the server, saying why', { timeout: 120_000 }, async () => {
      const { host, id } = await open();
      await expect(host.tools.call({ serverId: id, name: 'oversized', arguments: { kind: 'unreadable', mb } })).rejects.toBeDefined();
      for (let i = 0; i < 400 && host.servers.get(id).status !== 'error'; i++) await new Promise((r) => setTimeout(r, 25));
      const view = host.servers.get(id);
      expect(view.status).toBe('error');
      expect(view.lastError).toMatchObject({ code: 'message_too_large' });
      expect(logText(host, id)).toMatch(/Stopped the server: it sent a \d+ MB message, over the limit of 10 MB/);
    });
  });
});

describe('over http, a JSON body', () => {
  it.each([10.5, 100])('of %s MB fails only the call it answers', { timeout: 120_000 }, async (mb) => {
    const { host, id } = await httpServer();
    await expect(host.tools.call({ serverId: id, name: 'oversized', arguments: { kind: 'reply', mb, as: 'json' } })).rejects.toMatchObject({
      code: 'message_too_large',
    });
    await still(host, id, 'http');
  });
});

describe('the limit', () => {
  it('is configurable: a smaller one refuses what the default lets through', async () => {
    t = await makeHost({ maxMessageBytes: 256 * 1024 });
    const { view, approve } = await addApproved(t.host, 'raw', NODE, [join(FIXTURES, 'raw-server.mjs')]);
    await approve();
    await expect(t.host.tools.call({ serverId: view.id, name: 'oversized', arguments: { kind: 'reply', mb: 0.5 } })).rejects.toMatchObject({
      code: 'message_too_large',
    });
    expect(logText(t.host, view.id)).toMatch(/over the limit of 0\.3 MB/);
  });
});
