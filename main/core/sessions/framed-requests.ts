// Requests Steward frames itself on a 2026-07-28 connection, for what the SDK client refuses there: a tools/call that
// declares the tasks extension (its answer may be a task handle, resultType "task") and tasks/get, tasks/update,
// tasks/cancel. They go out on the session's own transport with ids of their own, carrying the per-request _meta
// envelope (the HTTP transport derives MCP-Protocol-Version, Mcp-Method and Mcp-Name from it), and their answers are
// taken off the wire before the SDK sees them.
import { randomUUID } from 'node:crypto';
import { ProtocolError, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { StewardError } from '../../../shared/errors.js';
import { toStewardError } from './errors.js';

const ID_PREFIX = 'steward-framed-';

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: StewardError) => void;
}

export interface FramedOptions {
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  /** Headers of this request's own POST (Mcp-Param-*); a transport without one request per message has none. */
  headers?: Record<string, string> | undefined;
}

export class FramedRequests {
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  constructor(
    private readonly transport: Transport,
    /** The per-request _meta envelope: protocol version, client info and the full client capabilities. */
    private readonly envelope: () => Record<string, unknown>,
    /** Whether the transport cancels by closing the request's stream (HTTP) rather than by notifications/cancelled (stdio). */
    private readonly perRequestStreams: boolean,
  ) {}

  /** Whether each request is its own HTTP POST, which can carry headers of its own. */
  get perRequest(): boolean {
    return this.perRequestStreams;
  }

  /** Sends one request and resolves to its result; a JSON-RPC error, a timeout or a cancel rejects with a StewardError. */
  send(what: string, method: string, params: Record<string, unknown>, options: FramedOptions): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new StewardError('server_not_running', 'The server is not connected.'));
    if (options.signal?.aborted) return Promise.reject(new StewardError('cancelled', `${what} was cancelled.`));
    const id = `${ID_PREFIX}${randomUUID()}`;
    const stream = new AbortController();
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
      };
      const onAbort = () => {
        done();
        stream.abort();
        if (!this.perRequestStreams) {
          this.transport
            .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'Cancelled by the user' } })
            .catch(() => undefined);
        }
        reject(new StewardError('cancelled', `${what} was cancelled.`));
      };
      const timer = setTimeout(() => {
        done();
        stream.abort();
        reject(new StewardError('timeout', `${what} timed out.`));
      }, options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (result) => {
          done();
          resolve(result);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      const message = { jsonrpc: '2.0' as const, id, method, params: { ...params, _meta: { ...this.envelope(), ...metaOf(params) } } };
      const headers = this.perRequestStreams && options.headers && Object.keys(options.headers).length > 0 ? { headers: options.headers } : {};
      this.transport
        .send(message, { requestSignal: stream.signal, ...headers })
        .catch((error: unknown) => this.pending.get(id)?.reject(toStewardError(error, what)));
    }).catch((error: unknown) => {
      throw error instanceof StewardError && error.code === 'tool_call_failed' ? withWhat(error, what) : error;
    });
  }

  /** An answer to one of these requests: settled here and not passed on. Anything else is left to the SDK. */
  take(message: JSONRPCMessage): boolean {
    if (!('id' in message) || 'method' in message || typeof message.id !== 'string' || !message.id.startsWith(ID_PREFIX)) return false;
    const pending = this.pending.get(message.id);
    // An answer to a request already given up on (timed out, cancelled) is dropped: it is ours, not the SDK's.
    if (!pending) return true;
    if ('error' in message) {
      const { code, message: text, data } = message.error;
      pending.reject(toStewardError(new ProtocolError(code, text, data), 'The request'));
    } else if ('result' in message && isRecord(message.result)) {
      pending.resolve(message.result);
    } else {
      pending.reject(new StewardError('invalid_payload', 'The server answered with something that is not a JSON-RPC result.'));
    }
    return true;
  }

  /** The connection ended: every request still waiting fails with the reason. */
  close(): void {
    this.closed = true;
    for (const pending of [...this.pending.values()]) pending.reject(new StewardError('server_exited', 'The connection to the server closed.'));
  }
}

function metaOf(params: Record<string, unknown>): Record<string, unknown> {
  return isRecord(params._meta) ? params._meta : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** toStewardError names the request generically where the answer arrives; the caller's words replace it. */
function withWhat(error: StewardError, what: string): StewardError {
  return new StewardError(error.code, error.message.replace(/^The request/, what), error.details);
}
