// Reconnect raced by a stop: a request finds the HTTP session gone, the new session's handshake is still under way, and
// the server is stopped meanwhile. When the handshake then completes, the new client is closed at once and the request
// fails: no client is left connected behind a stopped server. Scripted transports (the server's 404 is the SDK's own
// HTTP error) make the interleaving exact.
import { ProtocolError, SdkErrorCode, SdkHttpError, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { McpSession, type SessionHooks } from '../../../main/core/sessions/index.js';

interface Scripted extends Transport {
  closed: boolean;
  /** Requests this transport was asked to send, by method. */
  sent: string[];
}

/** A transport that answers the handshake and tools/list; `expired` makes it answer 404, `hold` keeps the handshake waiting. */
function scripted(options: { expired: () => boolean; hold?: Promise<void> }): Scripted {
  const t: Scripted = {
    closed: false,
    sent: [],
    start: () => Promise.resolve(),
    close: () => {
      if (!t.closed) {
        t.closed = true;
        t.onclose?.();
      }
      return Promise.resolve();
    },
    send: async (message: JSONRPCMessage) => {
      if (!('method' in message) || !('id' in message)) return;
      t.sent.push(message.method);
      if (options.expired()) throw new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Session not found', { status: 404 });
      const reply = (result: Record<string, unknown>) => t.onmessage?.({ jsonrpc: '2.0', id: message.id, result });
      if (message.method === 'initialize') {
        await options.hold;
        const params = message.params as { protocolVersion: string };
        reply({ protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'scripted', version: '1' } });
      } else if (message.method === 'tools/list') reply({ tools: [] });
      else throw new ProtocolError(-32601, 'Method not found');
    },
  };
  return t;
}

const hooks: SessionHooks = {
  log: () => undefined,
  listChanged: () => undefined,
  roots: () => [],
  closed: () => undefined,
};

describe('a reconnect raced by a stop', () => {
  it('closes the client whose handshake finished after the session was closed, and fails the request', async () => {
    let expired = false;
    let release: () => void = () => undefined;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const transports: Scripted[] = [];
    const session = await McpSession.connect({
      identity: { name: 'steward-test', version: '0' },
      hooks,
      connectTimeoutMs: 10_000,
      reconnectOnSessionLoss: true,
      capabilities: { sampling: null, elicitation: null, taskRequests: [], apps: false },
      transport: () => {
        const first = transports.length === 0;
        const t = scripted(first ? { expired: () => expired } : { expired: () => false, hold });
        transports.push(t);
        return t;
      },
    });

    // The session is lost; the request that finds out starts the one reconnect, whose handshake waits.
    expired = true;
    const listing = session.listTools();
    for (let i = 0; i < 400 && !transports[1]?.sent.includes('initialize'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(transports[1]?.sent).toEqual(['initialize']);

    // Stopped meanwhile; then the server answers the handshake.
    await session.close();
    release();
    await expect(listing).rejects.toMatchObject({ code: 'server_not_running' });
    expect(transports.map((t) => t.closed)).toEqual([true, true]);
    expect(transports).toHaveLength(2);
  });
});
