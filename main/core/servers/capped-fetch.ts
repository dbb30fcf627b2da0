// The message size limit for Streamable HTTP servers: a fetch wrapper that reads each response body as it streams and
// stands in for any single message over the limit, by its id, instead of letting the SDK hold it whole.
import type { FetchLike } from '@modelcontextprotocol/client';
import { totalCap, withBody } from '../http-body.js';
import { MessageSkeleton, standInFor, type OversizedMessage } from './oversized.js';

export interface CappedFetchEvents {
  /** A message over the limit; `unreadable` ends the stream it came on (what follows could not be trusted). */
  oversized(bytes: number, message: OversizedMessage): void;
}

const LF = 0x0a;
const CR = 0x0d;
const encoder = new TextEncoder();

/** The id of the JSON-RPC request Steward POSTed, which a JSON response body answers. */
function requestId(init: RequestInit | undefined): string | number | undefined {
  if (typeof init?.body !== 'string') return undefined;
  try {
    const id = (JSON.parse(init.body) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON body answers the one request POSTed: over the limit, it becomes an error for that request's id. */
function jsonCap(limit: number, id: string | number | undefined, events: CappedFetchEvents): TransformStream<Uint8Array, Uint8Array> {
  const held: Uint8Array[] = [];
  let bytes = 0;
  let skeleton: MessageSkeleton | undefined;
  return new TransformStream({
    transform(chunk) {
      bytes += chunk.length;
      if (skeleton) {
        skeleton.push(Buffer.from(chunk));
        return;
      }
      held.push(chunk);
      if (bytes > limit) {
        skeleton = new MessageSkeleton();
        for (const part of held.splice(0)) skeleton.push(Buffer.from(part));
      }
    },
    flush(controller) {
      if (!skeleton) {
        for (const part of held) controller.enqueue(part);
        return;
      }
      const read = skeleton.result();
      const message: OversizedMessage = id !== undefined ? { kind: 'response', id } : read;
      events.oversized(bytes, message);
      const standIn = standInFor(message, bytes, limit);
      if (!standIn) throw new Error(`A response of ${bytes} bytes was over the limit and could not be read.`);
      controller.enqueue(encoder.encode(JSON.stringify(standIn)));
    },
  });
}

/**
 * An event stream, line by line: each event is passed on whole once it ends, or, past the limit, read only for its
 * top level and replaced by its stand-in (nothing for a notification). Memory stays within the limit per stream.
 */
function sseCap(limit: number, events: CappedFetchEvents): TransformStream<Uint8Array, Uint8Array> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  /** Set once the current event is over the limit. */
  let skip: { bytes: number; skeleton: MessageSkeleton; dataLines: number } | undefined;
  /** The start of the current line while skipping, until it shows whether it is a data line. */
  let head: Buffer | undefined = Buffer.alloc(0);
  let lineIsData = false;
  let lineEmpty = true;
  let lastWasCr = false;

  /** The value of a data line ("data:" and one optional space stripped), or undefined for any other line. */
  const dataOf = (line: Buffer): Buffer | undefined => {
    if (line.indexOf(0x3a) !== 4 || line.toString('latin1', 0, 4) !== 'data') return undefined;
    return line[5] === 0x20 ? line.subarray(6) : line.subarray(5);
  };
  const feedData = (data: Buffer, first: boolean) => {
    if (!skip) return;
    // Data lines of one event are joined with newlines.
    if (first && skip.dataLines > 0) skip.skeleton.push(Buffer.from('\n'));
    if (first) skip.dataLines += 1;
    skip.skeleton.push(data);
  };
  /** While skipping: a piece of the current line; whether it is a data line is known once its start has arrived. */
  const skipPiece = (piece: Buffer) => {
    if (!skip) return;
    skip.bytes += piece.length;
    if (head === undefined) {
      if (lineIsData) feedData(piece, false);
      return;
    }
    head = Buffer.concat([head, piece]);
    if (head.indexOf(0x3a) === -1 && head.length < 8) return;
    const data = dataOf(head);
    head = undefined;
    lineIsData = data !== undefined;
    if (data) feedData(data, true);
  };
  const startSkipping = () => {
    const text = Buffer.concat(held);
    skip = { bytes: text.length, skeleton: new MessageSkeleton(), dataLines: 0 };
    held = [];
    heldBytes = 0;
    const lines = text.toString('latin1').split('\n');
    const partial = Buffer.from(lines.pop() ?? '', 'latin1');
    for (const line of lines) {
      const data = dataOf(Buffer.from(line, 'latin1'));
      if (data) feedData(data, true);
    }
    head = Buffer.alloc(0);
    skipPiece(partial);
    skip.bytes = text.length;
  };
  const endLine = (controller: TransformStreamDefaultController<Uint8Array>) => {
    const wasEmpty = lineEmpty;
    lineEmpty = true;
    if (skip) {
      // A short line that ended before showing its kind: a data line only if it says so.
      if (head !== undefined && head.length > 0) {
        const data = dataOf(head);
        if (data) feedData(data, true);
      }
      head = Buffer.alloc(0);
      lineIsData = false;
      if (!wasEmpty) return;
      const { bytes, skeleton } = skip;
      skip = undefined;
      const message = skeleton.result();
      events.oversized(bytes, message);
      const standIn = standInFor(message, bytes, limit);
      if (standIn) controller.enqueue(encoder.encode(`data: ${JSON.stringify(standIn)}\n\n`));
      else if (message.kind === 'unreadable') controller.error(new Error(`An event of ${bytes} bytes was over the limit and could not be read.`));
      return;
    }
    held.push(Buffer.from('\n'));
    heldBytes += 1;
    if (wasEmpty) {
      for (const part of held) controller.enqueue(part);
      held = [];
      heldBytes = 0;
    }
  };
  const piece = (bytes: Buffer) => {
    if (bytes.length === 0) return;
    lineEmpty = false;
    if (skip) {
      skipPiece(bytes);
      return;
    }
    held.push(bytes);
    heldBytes += bytes.length;
    if (heldBytes > limit) startSkipping();
  };

  return new TransformStream({
    transform(chunk, controller) {
      const buffer = Buffer.from(chunk);
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const b = buffer[i];
        if (b !== LF && b !== CR) continue;
        const crBefore = i > 0 ? buffer[i - 1] === CR : lastWasCr;
        piece(buffer.subarray(start, i));
        start = i + 1;
        // CRLF is one line end.
        if (b === LF && crBefore) continue;
        endLine(controller);
      }
      lastWasCr = buffer.length > 0 && buffer[buffer.length - 1] === CR;
      piece(buffer.subarray(start));
    },
    flush(controller) {
      if (skip) {
        events.oversized(skip.bytes, { kind: 'unreadable' });
        controller.error(new Error('The stream ended inside an event over the size limit.'));
        return;
      }
      for (const part of held) controller.enqueue(part);
    },
  });
}

export function cappedFetch(base: FetchLike, limit: number, events: CappedFetchEvents): FetchLike {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.body) return response;
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    if (type.includes('text/event-stream')) return withBody(response, response.body.pipeThrough(sseCap(limit, events)));
    if (type.includes('application/json')) return withBody(response, response.body.pipeThrough(jsonCap(limit, requestId(init), events)));
    return withBody(response, response.body.pipeThrough(totalCap(limit)));
  };
}
