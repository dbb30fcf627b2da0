// What a JSON-RPC message too large to parse was: its top-level members are read as the bytes stream past (nested values
// and long strings skipped), so its id and method are known without ever holding the message; and what stands in for it.
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { megabytes } from '../limits.js';
import { MESSAGE_TOO_LARGE_CODE, OVERSIZED_REQUEST } from '../sessions/index.js';

/** What an oversized message was, as far as it could be read. */
export type OversizedMessage =
  | { kind: 'request'; id: string | number; method: string }
  | { kind: 'notification'; method: string }
  | { kind: 'response'; id: string | number }
  | { kind: 'unreadable' };

/** Characters kept of a top-level string; a longer one ends with NUL, so a cut id is never taken for a whole one. */
const KEEP = 256;
/** The skeleton of the top level; past this the message is unreadable. */
const MAX_SKELETON = 64 * 1024;
/** Bytes of a skipped string looked at one by one before the chunk is searched: most strings in JSON end sooner. */
const NEAR = 64;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const TRUNCATED = Buffer.from('\\u0000');

/**
 * Feeds bytes of one JSON text and keeps a small skeleton of its top level: `{"jsonrpc":"2.0","id":7,"method":"x",
 * "params":0}`. Strings and escapes are followed at every depth, so braces inside strings never confuse it.
 */
export class MessageSkeleton {
  private readonly parts: Buffer[] = [];
  private size = 0;
  private depth = 0;
  private inString = false;
  /** Inside an escape: -1 right after the backslash, then the hex digits of a \u escape still to come. */
  private pending = 0;
  private stringBytes = 0;
  private cut = false;
  private done = false;
  private overflow = false;

  push(chunk: Buffer): void {
    if (this.done) return;
    // The loop below returns as soon as the message (or the skeleton's room) ends.
    let from = -1;
    const keep = (start: number, end: number) => {
      if (end > start) this.append(chunk.subarray(start, end));
    };
    // Where the next quote and the next backslash are in this chunk (its length when there is none): each search is kept
    // until passed, so a chunk is searched at most once for each.
    let nextQuote = -1;
    let nextBackslash = -1;
    for (let i = 0; i < chunk.length; i++) {
      const top = this.depth === 1;
      if (this.inString && this.pending === 0 && (this.cut || !top)) {
        // Inside a string that is not kept only its closing quote and its escapes matter: a short way is looked at byte
        // by byte, past that the chunk is searched for them.
        const near = Math.min(i + NEAR, chunk.length);
        while (i < near && chunk[i] !== QUOTE && chunk[i] !== BACKSLASH) i++;
        if (i === near && near < chunk.length) {
          if (nextQuote < i) nextQuote = indexOrEnd(chunk, QUOTE, i);
          if (nextBackslash < i) nextBackslash = indexOrEnd(chunk, BACKSLASH, i);
          i = Math.min(nextQuote, nextBackslash);
        }
        if (i === chunk.length) break;
      }
      const b = chunk[i] ?? 0;
      if (this.inString) {
        const boundary = this.pending === 0;
        if (this.pending === -1) this.pending = b === 0x75 ? 4 : 0;
        else if (this.pending > 0) this.pending -= 1;
        else if (b === BACKSLASH) this.pending = -1;
        else if (b === QUOTE) {
          this.inString = false;
          if (top) {
            if (from !== -1) keep(from, i);
            from = -1;
            if (this.cut) this.append(TRUNCATED);
            this.append(Buffer.from('"'));
          }
          continue;
        }
        if (top) {
          this.stringBytes += 1;
          // Cut only between characters of the JSON text, never inside an escape.
          if (!this.cut && this.stringBytes > KEEP && boundary) {
            if (from !== -1) keep(from, i);
            from = -1;
            this.cut = true;
          } else if (!this.cut && from === -1) from = i;
        }
        continue;
      }
      if (b === QUOTE) {
        this.inString = true;
        this.pending = 0;
        this.stringBytes = 0;
        this.cut = false;
        if (top) this.append(Buffer.from('"'));
        continue;
      }
      if (b === 0x7b || b === 0x5b) {
        this.depth += 1;
        if (this.depth === 1) this.append(chunk.subarray(i, i + 1));
        else if (this.depth === 2) this.append(Buffer.from('0'));
        continue;
      }
      if (b === 0x7d || b === 0x5d) {
        if (this.depth === 1) this.append(chunk.subarray(i, i + 1));
        this.depth -= 1;
        if (this.depth <= 0) this.done = true;
        if (this.done) return;
        continue;
      }
      if (top && b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) this.append(chunk.subarray(i, i + 1));
      if (this.overflow) return;
    }
    if (from !== -1) keep(from, chunk.length);
  }

  private append(piece: Buffer): void {
    if (this.overflow) return;
    if (this.size + piece.length > MAX_SKELETON) {
      // Unreadable whatever follows: the rest is not even looked at.
      this.overflow = true;
      this.done = true;
      return;
    }
    this.parts.push(piece);
    this.size += piece.length;
  }

  /** What the message was: a request or response whose id was read whole, a notification, or unreadable. */
  result(): OversizedMessage {
    if (this.overflow || !this.done) return { kind: 'unreadable' };
    let value: unknown;
    try {
      value = JSON.parse(Buffer.concat(this.parts).toString('utf8'));
    } catch {
      return { kind: 'unreadable' };
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'unreadable' };
    const o = value as Record<string, unknown>;
    const id = typeof o.id === 'number' || (typeof o.id === 'string' && !o.id.includes('\u0000')) ? o.id : undefined;
    const method = typeof o.method === 'string' ? o.method.replace(/\u0000$/, '…') : undefined;
    if (method !== undefined) {
      if ('id' in o && o.id !== null) return id === undefined ? { kind: 'unreadable' } : { kind: 'request', id, method };
      return { kind: 'notification', method };
    }
    if (id !== undefined && ('result' in o || 'error' in o)) return { kind: 'response', id };
    return { kind: 'unreadable' };
  }
}

/**
 * The message the MCP client gets instead: a response becomes an error for the request it answered; a request becomes a
 * stand-in the host answers with an error under the same id. A notification, or anything unreadable, gets none.
 */
export function standInFor(message: OversizedMessage, bytes: number, limit: number): JSONRPCMessage | undefined {
  if (message.kind === 'response') {
    return {
      jsonrpc: '2.0',
      id: message.id,
      error: {
        code: MESSAGE_TOO_LARGE_CODE,
        message: `The server's reply was ${megabytes(bytes)}, over Steward's limit of ${megabytes(limit)} for one message.`,
      },
    };
  }
  if (message.kind === 'request') return { jsonrpc: '2.0', id: message.id, method: OVERSIZED_REQUEST, params: { method: message.method, bytes, limit } };
  return undefined;
}

function indexOrEnd(chunk: Buffer, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at === -1 ? chunk.length : at;
}

/** Reads a whole buffer (for tests and small leftovers). */
export function skeletonOf(...chunks: Buffer[]): OversizedMessage {
  const s = new MessageSkeleton();
  for (const c of chunks) s.push(c);
  return s.result();
}
