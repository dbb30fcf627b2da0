// An MCP transport over the stdin/stdout of a process the supervisor spawned and owns.
import type { ChildProcess } from 'node:child_process';
import { deserializeMessage, serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { MESSAGE_TOO_LARGE_CODE } from '../sessions/index.js';

export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface ChildTransportEvents {
  /** A line on stdout that is not a JSON-RPC message. The connection carries on. */
  onBadLine(line: string, error: Error): void;
  /** A message over the size limit. It is skipped; a request it answered fails with MESSAGE_TOO_LARGE_CODE. */
  onOversized(bytes: number, requestId: string | number | undefined): void;
}

/**
 * Unlike the SDK's StdioClientTransport this neither spawns nor kills: the supervisor owns the process
 * (its process group, stderr, restarts). Closing the transport only ends stdin.
 */
export class ChildTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while skipping the rest of an oversized line. */
  private skipping: { bytes: number; head: string; tail: Buffer } | undefined;
  private closed = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly events: ChildTransportEvents,
    private readonly maxBytes = MAX_MESSAGE_BYTES,
  ) {}

  start(): Promise<void> {
    const { stdout, stdin } = this.child;
    if (!stdout || !stdin) return Promise.reject(new Error('The server process has no stdio pipes.'));
    stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    stdout.on('error', (error) => this.onerror?.(error));
    stdin.on('error', (error) => this.onerror?.(error));
    this.child.once('exit', () => this.finish());
    return Promise.resolve();
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    while (!this.closed) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      this.endLine(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length && !this.closed) this.keep(chunk.subarray(start));
  }

  private keep(piece: Buffer): void {
    if (this.skipping) {
      this.skipping.bytes += piece.length;
      this.skipping.tail = lastBytes(Buffer.concat([this.skipping.tail, piece]));
      return;
    }
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    if (this.pendingBytes > this.maxBytes) {
      const all = Buffer.concat(this.pending);
      this.skipping = { bytes: this.pendingBytes, head: all.subarray(0, SNIFF).toString('utf8'), tail: lastBytes(all) };
      this.pending = [];
      this.pendingBytes = 0;
    }
  }

  private endLine(last: Buffer): void {
    if (this.skipping) {
      const { bytes, head, tail } = this.skipping;
      this.skipping = undefined;
      this.oversized(bytes + last.length, sniffId(head, lastBytes(Buffer.concat([tail, last])).toString('utf8')));
      return;
    }
    const bytes = this.pendingBytes + last.length;
    const raw = this.pending.length > 0 ? Buffer.concat([...this.pending, last]) : last;
    this.pending = [];
    this.pendingBytes = 0;
    if (bytes > this.maxBytes) {
      this.oversized(bytes, sniffId(raw.subarray(0, SNIFF).toString('utf8'), lastBytes(raw).toString('utf8')));
      return;
    }
    const line = raw.toString('utf8').replace(/\r$/, '');
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (error) {
      this.events.onBadLine(line, error as Error);
      return;
    }
    this.onmessage?.(message);
  }

  private oversized(bytes: number, id: string | number | undefined): void {
    this.events.onOversized(bytes, id);
    if (id !== undefined) {
      this.onmessage?.({
        jsonrpc: '2.0',
        id,
        error: { code: MESSAGE_TOO_LARGE_CODE, message: `The server's reply was ${bytes} bytes, over Steward's limit of ${this.maxBytes}.` },
      });
    }
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child.stdin;
    if (this.closed || !stdin || stdin.destroyed || !stdin.writable) throw new Error('The server process is not running.');
    const line = serializeMessage(message);
    await new Promise<void>((resolve, reject) => {
      const flushed = stdin.write(line, (error) => (error ? reject(error) : undefined));
      if (flushed) resolve();
      else stdin.once('drain', resolve);
    });
  }

  close(): Promise<void> {
    // The close handler runs inside the executor, so a throw from it still reaches the caller as a rejection.
    return new Promise((resolve) => {
      try {
        this.child.stdin?.end();
      } catch {
        // already closed
      }
      this.finish();
      resolve();
    });
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.onclose?.();
  }
}

const SNIFF = 256;

function lastBytes(buffer: Buffer): Buffer {
  return buffer.length <= SNIFF ? buffer : buffer.subarray(buffer.length - SNIFF);
}

/**
 * The id of a JSON-RPC response too large to parse: a top-level "id" either before the "result"/"error" key
 * at the start, or as the very last member at the end. Nested ids never match.
 */
function sniffId(head: string, tail: string): string | number | undefined {
  const value = '("(?:[^"\\\\]|\\\\.){0,200}"|-?\\d{1,15})';
  const atStart = new RegExp(`^\\s*\\{\\s*(?:"jsonrpc"\\s*:\\s*"2\\.0"\\s*,\\s*)?"id"\\s*:\\s*${value}`).exec(head);
  const atEnd = new RegExp(`,\\s*"id"\\s*:\\s*${value}\\s*(?:,\\s*"jsonrpc"\\s*:\\s*"2\\.0"\\s*)?\\}\\s*$`).exec(tail);
  const raw = atStart?.[1] ?? atEnd?.[1];
  if (raw === undefined) return undefined;
  return raw.startsWith('"') ? (JSON.parse(raw) as string) : Number(raw);
}
