// An MCP transport over the stdin/stdout of a process the supervisor spawned and owns.
import type { ChildProcess } from 'node:child_process';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { SERVER_LIMITS } from '../limits.js';
import { copyOf } from '../text-copy.js';
import { readMessage } from './json-rpc-line.js';
import { MessageSkeleton, standInFor, type OversizedMessage } from './oversized.js';

/** Characters of a line that is no message passed on to be logged: a copy, so the line (up to megabytes) is not kept. */
export const BAD_LINE_CHARS = 1000;

export interface ChildTransportEvents {
  /** A line on stdout that is not a JSON-RPC message: its first BAD_LINE_CHARS characters. The connection carries on. */
  onBadLine(line: string, error: Error): void;
  /**
   * A message over the size limit, never held whole. A request is answered with an error and a response fails the
   * request it answers (both by id, read as the bytes passed); a notification is dropped; anything unreadable closes
   * the connection, since what follows it could no longer be trusted to belong where it seems to.
   */
  onOversized(bytes: number, message: OversizedMessage): void;
  /** Every message read or sent, with its line as it crossed the pipe (a stand-in for an oversized one has none). */
  onMessage?(direction: 'in' | 'out', message: JSONRPCMessage, line: string | undefined): void;
}

/** What send() returns for a message that need not wait: one promise, already settled, shared by all of them. */
const SENT: Promise<void> = Promise.resolve();

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
  /** Set while reading past the limit: how many bytes the line has, and what its top level says. */
  private skipping: { bytes: number; skeleton: MessageSkeleton } | undefined;
  private closed = false;
  /** One wait for stdin to drain, shared by every message sent while it is full. */
  private draining: Promise<void> | undefined;
  /** Messages sent in one turn of the event loop (a wheel of task polls firing) go to the pipe in one write. */
  private corked = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly events: ChildTransportEvents,
    private readonly maxBytes: number = SERVER_LIMITS.messageBytes,
  ) {}

  /** The child's pid and stderr: with them the SDK knows this is a local pipe (a silent era probe means a legacy server). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderr(): ChildProcess['stderr'] {
    return this.child.stderr;
  }

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
      this.endLine(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length && !this.closed) this.keep(chunk.subarray(start));
  }

  private keep(piece: Buffer): void {
    if (this.skipping) {
      this.skipping.bytes += piece.length;
      this.skipping.skeleton.push(piece);
      return;
    }
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    if (this.pendingBytes > this.maxBytes) {
      const skeleton = new MessageSkeleton();
      for (const part of this.pending) skeleton.push(part);
      this.skipping = { bytes: this.pendingBytes, skeleton };
      this.pending = [];
      this.pendingBytes = 0;
    }
  }

  /**
   * The line that ends at `end` in `chunk` (after any pieces kept from earlier chunks). A line that came whole in one
   * chunk, as nearly every line does, is decoded straight from it: no Buffer of its own, which costs more to make than
   * a short line costs to decode.
   */
  private endLine(chunk: Buffer, start: number, end: number): void {
    if (this.skipping) {
      const { bytes, skeleton } = this.skipping;
      this.skipping = undefined;
      skeleton.push(chunk.subarray(start, end));
      this.oversized(bytes + end - start, skeleton.result());
      return;
    }
    const bytes = this.pendingBytes + end - start;
    const whole = this.pending.length === 0;
    const raw = whole ? undefined : Buffer.concat([...this.pending, chunk.subarray(start, end)]);
    if (!whole) {
      this.pending = [];
      this.pendingBytes = 0;
    }
    if (bytes > this.maxBytes) {
      const skeleton = new MessageSkeleton();
      skeleton.push(raw ?? chunk.subarray(start, end));
      this.oversized(bytes, skeleton.result());
      return;
    }
    const text = raw ? raw.toString('utf8') : chunk.toString('utf8', start, end);
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = readMessage(line);
    } catch (error) {
      this.events.onBadLine(copyOf(line, BAD_LINE_CHARS), error as Error);
      return;
    }
    this.events.onMessage?.('in', message, line);
    this.onmessage?.(message);
  }

  private oversized(bytes: number, message: OversizedMessage): void {
    this.events.onOversized(bytes, message);
    const standIn = standInFor(message, bytes, this.maxBytes);
    if (standIn) {
      this.events.onMessage?.('in', standIn, undefined);
      this.onmessage?.(standIn);
    } else if (message.kind === 'unreadable') void this.close();
  }

  /**
   * Resolves once the message is handed to the pipe, or once stdin has drained when it was full. Not an async function:
   * a task poll sends hundreds of messages a second, and a message that need not wait shares one settled promise.
   */
  send(message: JSONRPCMessage): Promise<void> {
    try {
      return this.write(message);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private write(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child.stdin;
    if (this.closed || !stdin || stdin.destroyed || !stdin.writable) throw new Error('The server process is not running.');
    const line = JSON.stringify(message);
    this.events.onMessage?.('out', message, line);
    if (!this.corked) {
      this.corked = true;
      stdin.cork();
      process.nextTick(() => {
        this.corked = false;
        stdin.uncork();
      });
    }
    // A failed write is the connection's error, not this message's: nobody waits on it.
    stdin.write(`${line}\n`, this.written);
    if (!stdin.writableNeedDrain) return SENT;
    // Drained, or gone (then the next send says the process is not running).
    this.draining ??= new Promise<void>((resolve) => {
      const done = () => {
        stdin.off('drain', done);
        stdin.off('close', done);
        this.draining = undefined;
        resolve();
      };
      stdin.on('drain', done);
      stdin.on('close', done);
    });
    return this.draining;
  }

  /** One callback for every write (rather than one made per message). */
  private readonly written = (error: Error | null | undefined): void => {
    if (error) this.onerror?.(error);
  };

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
    this.skipping = undefined;
    this.onclose?.();
  }
}
