// Requests Steward frames itself and sends on a session's own transport with ids of their own; their answers are taken
// off the wire before the SDK sees them. On a 2026-07-28 connection: what the SDK client refuses there (a tools/call
// that declares the tasks extension, whose answer may be a task handle, and tasks/get, tasks/update, tasks/cancel), each
// carrying the per-request _meta envelope (the HTTP transport derives MCP-Protocol-Version, Mcp-Method and Mcp-Name from
// it). On a 2025 connection over a server's pipes: the task polls, hundreds a second, which need none of the SDK's
// request machinery (progress, era codecs, its checks of a message the transport has already checked).
import { ProtocolError, type JSONRPCMessage, type Transport, type TransportSendOptions } from '@modelcontextprotocol/client';
import { StewardError } from '../../../shared/errors.js';
import { toStewardError } from './errors.js';

const ID_PREFIX = 'steward-framed-';

interface Pending {
  what: string;
  /** Date.now() past which the request has timed out. */
  deadline: number;
  /** What the caller makes of the result, applied as the answer is taken: a throw rejects the request. */
  read: ((result: Record<string, unknown>) => unknown) | undefined;
  resolve: (value: unknown) => void;
  reject: (error: StewardError) => void;
  /** Set when the caller passed a signal or the transport has a stream per request; unset for a plain poll. */
  cleanup: (() => void) | undefined;
  stream: AbortController | undefined;
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
  private seq = 0;
  /**
   * One timer for every request's timeout, armed for the earliest deadline it knows of. It stays armed when nothing
   * waits (it then finds nothing to fail) rather than being cleared and set again for each slot of polls, and does not
   * hold the process open: a request in flight is held open by its connection.
   */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedFor = Infinity;

  constructor(
    private readonly transport: Transport,
    /** The per-request _meta envelope (protocol version, client info, full client capabilities); none on a 2025 connection. */
    private readonly envelope: (() => Record<string, unknown>) | undefined,
    /** Whether the transport cancels by closing the request's stream (HTTP) rather than by notifications/cancelled (stdio). */
    private readonly perRequestStreams: boolean,
  ) {}

  /** Whether each request is its own HTTP POST, which can carry headers of its own. */
  get perRequest(): boolean {
    return this.perRequestStreams;
  }

  /**
   * Sends one request and resolves to its result, or to what `read` makes of it (a poll's validation, without a promise
   * of its own); a JSON-RPC error, a timeout, a cancel or a throw from `read` rejects.
   */
  send(what: string, method: string, params: Record<string, unknown>, options: FramedOptions): Promise<Record<string, unknown>>;
  send<T>(
    what: string,
    method: string,
    params: Record<string, unknown>,
    options: FramedOptions,
    read: (result: Record<string, unknown>) => T | Promise<T>,
  ): Promise<T>;
  send(
    what: string,
    method: string,
    params: Record<string, unknown>,
    options: FramedOptions,
    read?: (result: Record<string, unknown>) => unknown,
  ): Promise<unknown> {
    if (this.closed) return Promise.reject(new StewardError('server_not_running', 'The server is not connected.'));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new StewardError('cancelled', `${what} was cancelled.`));
    const id = `${ID_PREFIX}${++this.seq}`;
    const stream = this.perRequestStreams ? new AbortController() : undefined;
    return new Promise<unknown>((resolve, reject) => {
      const entry: Pending = { what, deadline: Date.now() + options.timeoutMs, read, resolve, reject, cleanup: undefined, stream };
      if (signal) {
        const onAbort = () => {
          this.settle(id);
          stream?.abort();
          if (!stream) this.cancelled(id, 'Cancelled by the user');
          reject(new StewardError('cancelled', `${what} was cancelled.`));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.set(id, entry);
      if (entry.deadline < this.armedFor) this.arm(entry.deadline);
      const message = { jsonrpc: '2.0' as const, id, method, params: this.envelope ? { ...params, _meta: { ...this.envelope(), ...metaOf(params) } } : params };
      this.transport.send(message, stream ? streamOptions(stream, options.headers) : undefined).catch((error: unknown) => {
        if (this.settle(id)) reject(toStewardError(error, what));
      });
    });
  }

  /** An answer to one of these requests: settled here and not passed on. Anything else is left to the SDK. */
  take(message: JSONRPCMessage): boolean {
    if (!('id' in message) || 'method' in message || typeof message.id !== 'string' || !message.id.startsWith(ID_PREFIX)) return false;
    const pending = this.pending.get(message.id);
    // An answer to a request already given up on (timed out, cancelled) is dropped: it is ours, not the SDK's.
    if (!pending) return true;
    this.settle(message.id);
    if ('error' in message) {
      const { code, message: text, data } = message.error;
      const error = toStewardError(new ProtocolError(code, text, data), 'The request');
      pending.reject(error.code === 'tool_call_failed' ? withWhat(error, pending.what) : error);
    } else if ('result' in message && isRecord(message.result)) {
      const { result } = message;
      try {
        pending.resolve(pending.read ? pending.read(result) : result);
      } catch (error) {
        pending.reject(error instanceof StewardError ? error : toStewardError(error, pending.what));
      }
    } else {
      pending.reject(new StewardError('invalid_payload', 'The server answered with something that is not a JSON-RPC result.'));
    }
    return true;
  }

  /** The connection ended: every request still waiting fails with the reason. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [id, pending] of [...this.pending]) {
      this.settle(id);
      pending.reject(new StewardError('server_exited', 'The connection to the server closed.'));
    }
  }

  /** Forgets a request (answered, failed, cancelled or timed out); false when it was no longer waiting. */
  private settle(id: string): boolean {
    const pending = this.pending.get(id);
    if (!pending) return false;
    this.pending.delete(id);
    pending.cleanup?.();
    return true;
  }

  private arm(deadline: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = deadline;
    this.timer = setTimeout(() => this.expire(), Math.max(0, deadline - Date.now()));
    this.timer.unref();
  }

  /** Fails the requests past their deadline, as the SDK does its own (notifications/cancelled over a pipe), and re-arms. */
  private expire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [id, pending] of [...this.pending]) {
      if (pending.deadline > now) {
        next = Math.min(next, pending.deadline);
        continue;
      }
      this.settle(id);
      if (pending.stream) pending.stream.abort();
      else this.cancelled(id, 'Request timed out');
      pending.reject(new StewardError('timeout', `${pending.what} timed out.`));
    }
    if (next < Infinity) this.arm(next);
  }

  private cancelled(id: string, reason: string): void {
    this.transport.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } }).catch(() => undefined);
  }
}

/** A request's own stream, and its headers when it has any. */
function streamOptions(stream: AbortController, headers: Record<string, string> | undefined): TransportSendOptions {
  return headers && Object.keys(headers).length > 0 ? { requestSignal: stream.signal, headers } : { requestSignal: stream.signal };
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
