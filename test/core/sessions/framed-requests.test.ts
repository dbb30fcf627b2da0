// Requests Steward frames itself on a connection's transport: what goes out, how answers, errors and timeouts settle them.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FramedRequests } from '../../../main/core/sessions/framed-requests.js';
import { StewardError } from '../../../shared/errors.js';

/** A transport that keeps what is sent; answers are handed to take() as the session's tap would. */
function pipe(): { transport: Transport; sent: JSONRPCMessage[] } {
  const sent: JSONRPCMessage[] = [];
  const transport = {
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
    send: (message: JSONRPCMessage) => {
      sent.push(message);
      return Promise.resolve();
    },
  } as Transport;
  return { transport, sent };
}

const idOf = (message: JSONRPCMessage | undefined) => (message && 'id' in message ? message.id : undefined);

afterEach(() => {
  vi.useRealTimers();
});

describe('framed requests', () => {
  it('sends a 2025 request with its params as given and resolves with its answer; answers that are not its own are left alone', async () => {
    const { transport, sent } = pipe();
    const framed = new FramedRequests(transport, undefined, false);
    const answer = framed.send('Checking a task', 'tasks/get', { taskId: 't1' }, { timeoutMs: 30_000 });
    expect(sent).toEqual([{ jsonrpc: '2.0', id: expect.stringMatching(/^steward-framed-/) as unknown, method: 'tasks/get', params: { taskId: 't1' } }]);
    const id = idOf(sent[0]);
    expect(framed.take({ jsonrpc: '2.0', id: 7, result: {} })).toBe(false);
    expect(framed.take({ jsonrpc: '2.0', id: 'steward-framed-unknown', result: {} })).toBe(true);
    expect(framed.take({ jsonrpc: '2.0', id: id as string, result: { status: 'working' } })).toBe(true);
    await expect(answer).resolves.toEqual({ status: 'working' });
  });

  it('resolves to what the caller reads from the answer, and rejects with what that reading throws', async () => {
    const { transport, sent } = pipe();
    const framed = new FramedRequests(transport, undefined, false);
    const read = (result: Record<string, unknown>) => {
      if (result.status !== 'working') throw new StewardError('protocol_error', 'Checking a task failed: not a Task.');
      return result.status;
    };
    const good = framed.send('Checking a task', 'tasks/get', { taskId: 'a' }, { timeoutMs: 30_000 }, read);
    const bad = framed.send('Checking a task', 'tasks/get', { taskId: 'b' }, { timeoutMs: 30_000 }, read);
    framed.take({ jsonrpc: '2.0', id: idOf(sent[0]) as string, result: { status: 'working' } });
    framed.take({ jsonrpc: '2.0', id: idOf(sent[1]) as string, result: { status: 'sleeping' } });
    await expect(good).resolves.toBe('working');
    await expect(bad).rejects.toMatchObject({ code: 'protocol_error' });
  });

  it('carries the envelope of a 2026-07-28 connection in every request', () => {
    const { transport, sent } = pipe();
    const framed = new FramedRequests(transport, () => ({ 'io.modelcontextprotocol/protocolVersion': '2026-07-28' }), false);
    void framed.send('Checking a task', 'tasks/get', { taskId: 't1', _meta: { mine: 1 } }, { timeoutMs: 30_000 }).catch(() => undefined);
    expect(sent[0]).toMatchObject({ params: { taskId: 't1', _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', mine: 1 } } });
    framed.close();
  });

  it('rejects with the JSON-RPC error code and the caller’s words', async () => {
    const { transport, sent } = pipe();
    const framed = new FramedRequests(transport, undefined, false);
    const answer = framed.send('Checking a task', 'tasks/get', { taskId: 'gone' }, { timeoutMs: 30_000 });
    framed.take({ jsonrpc: '2.0', id: idOf(sent[0]) as string, error: { code: -32602, message: 'Unknown task' } });
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StewardError);
    expect(error).toMatchObject({ code: 'tool_call_failed', details: { rpcCode: -32602 } });
    expect((error as StewardError).message).toMatch(/^Checking a task failed/);
  });

  it('times each request out at its own deadline, with notifications/cancelled over a pipe, while the others still wait', async () => {
    vi.useFakeTimers();
    const { transport, sent } = pipe();
    const framed = new FramedRequests(transport, undefined, false);
    const slow = framed.send('Checking a task', 'tasks/get', { taskId: 'a' }, { timeoutMs: 30_000 });
    const quick = framed.send('Cancelling a task', 'tasks/cancel', { taskId: 'b' }, { timeoutMs: 1_000 });
    const quickError = quick.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await quickError).toMatchObject({ code: 'timeout', message: 'Cancelling a task timed out.' });
    expect(sent[2]).toEqual({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: idOf(sent[1]), reason: 'Request timed out' } });
    // The one left is still answered; the answer that comes for the one timed out is taken and dropped.
    expect(framed.take({ jsonrpc: '2.0', id: idOf(sent[1]) as string, result: {} })).toBe(true);
    framed.take({ jsonrpc: '2.0', id: idOf(sent[0]) as string, result: { status: 'working' } });
    await expect(slow).resolves.toEqual({ status: 'working' });
    const late = framed.send('Checking a task', 'tasks/get', { taskId: 'c' }, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await late).toMatchObject({ code: 'timeout' });
  });

  it('cancels a request whose signal aborts, and fails every request still waiting when the connection closes', async () => {
    const { transport, sent } = pipe();
    const framed = new FramedRequests(transport, undefined, false);
    const stop = new AbortController();
    const cancelled = framed.send('Checking a task', 'tasks/get', { taskId: 'a' }, { timeoutMs: 30_000, signal: stop.signal }).catch((e: unknown) => e);
    const waiting = framed.send('Checking a task', 'tasks/get', { taskId: 'b' }, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    stop.abort();
    expect(await cancelled).toMatchObject({ code: 'cancelled' });
    expect(sent[2]).toMatchObject({ method: 'notifications/cancelled', params: { requestId: idOf(sent[0]) } });
    framed.close();
    expect(await waiting).toMatchObject({ code: 'server_exited' });
    await expect(framed.send('Checking a task', 'tasks/get', { taskId: 'c' }, { timeoutMs: 30_000 })).rejects.toMatchObject({ code: 'server_not_running' });
  });

  it('gives a request of its own HTTP POST its stream and its headers, only the stream when it has none, and nothing over a pipe', () => {
    const options: unknown[] = [];
    const transport = {
      start: () => Promise.resolve(),
      close: () => Promise.resolve(),
      send: (_m: JSONRPCMessage, o?: unknown) => (options.push(o), Promise.resolve()),
    } as Transport;
    const overHttp = new FramedRequests(transport, undefined, true);
    const timeoutMs = 30_000;
    void overHttp.send('Calling a tool', 'tools/call', {}, { timeoutMs, headers: { 'Mcp-Param-City': 'Paris' } }).catch(() => undefined);
    void overHttp.send('Calling a tool', 'tools/call', {}, { timeoutMs, headers: {} }).catch(() => undefined);
    void overHttp.send('Calling a tool', 'tools/call', {}, { timeoutMs }).catch(() => undefined);
    void new FramedRequests(transport, undefined, false)
      .send('Checking a task', 'tasks/get', {}, { timeoutMs, headers: { 'Mcp-Param-City': 'Paris' } })
      .catch(() => undefined);
    const signal = expect.any(AbortSignal) as unknown;
    expect(options).toEqual([
      { requestSignal: signal, headers: { 'Mcp-Param-City': 'Paris' } },
      { requestSignal: signal },
      { requestSignal: signal },
      undefined,
    ]);
    expect(options.slice(1, 3).every((o) => !Object.hasOwn(o as object, 'headers'))).toBe(true);
    overHttp.close();
  });
});
