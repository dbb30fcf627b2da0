// The local control channel: another Steward process asks this one to act on what it owns (cancel a task, answer a
// question, stop a server). One request per connection, a token compared in constant time, every message checked;
// anything malformed gets an error line (or the connection closed) and never reaches a handler.
import { timingSafeEqual } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { StewardError, toFailure } from '../../../shared/errors.js';
import { CONTROL_ARGS, ControlRequestSchema, MAX_REQUEST_BYTES, type ControlArgs, type ControlOp, type ControlReply } from './control-protocol.js';

export type ControlHandlers = { [K in ControlOp]: (args: ControlArgs<K>) => Promise<unknown> };

export interface ControlServerOptions {
  address: string;
  token: string;
  handlers: ControlHandlers;
  /**
   * A request must arrive whole within this time, however it trickles in; and once answered, a peer that keeps its side
   * open is closed after as long again, so no connection holds one of the slots for longer than it takes to ask.
   */
  idleMs?: number;
  /** Connections at once; more are closed at once. */
  maxConnections?: number;
  /** How long a handler may take before the caller is told it timed out. */
  handlerTimeoutMs?: number;
  onUnexpected?: (error: unknown) => void;
}

export interface ControlServer {
  address: string;
  close(): Promise<void>;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const idleMs = options.idleMs ?? 5000;
  const maxConnections = options.maxConnections ?? 32;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 90_000;
  const sockets = new Set<Socket>();

  const answer = (socket: Socket, reply: ControlReply) => {
    if (socket.destroyed) return;
    socket.end(`${JSON.stringify(reply)}\n`);
    // The peer reads its answer and closes; one that keeps its side open (the socket allows half-open connections) is
    // closed for it, or it would hold a slot for as long as it liked.
    socket.setTimeout(idleMs);
  };
  const refusal = (code: StewardError['code'], message: string): ControlReply => ({ ok: false, code, message });

  /** What to answer a request line: a refusal for anything malformed, else what the handler said. */
  async function reply(line: string): Promise<ControlReply> {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return refusal('invalid_payload', 'A control request must be one JSON object on one line.');
    }
    const request = ControlRequestSchema.safeParse(value);
    if (!request.success) return refusal('invalid_payload', 'That is not a control request this Steward knows.');
    if (!sameToken(request.data.token, options.token)) return refusal('invalid_payload', 'The control token is wrong.');
    const op = request.data.op;
    const args = CONTROL_ARGS[op].safeParse(request.data.args ?? {});
    if (!args.success) return refusal('invalid_payload', `The arguments of ${op} are not valid.`);
    const handler = options.handlers[op] as (args: unknown) => Promise<unknown>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const data = await Promise.race([
        handler(args.data),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new StewardError('timeout', `${op} did not finish in time.`));
          }, handlerTimeoutMs);
        }),
      ]);
      return { ok: true, data: data ?? null };
    } catch (error) {
      if (!(error instanceof StewardError)) options.onUnexpected?.(error);
      const failure = toFailure(error);
      return refusal(failure.code, failure.message);
    } finally {
      clearTimeout(timer);
    }
  }

  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    if (sockets.size >= maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    // The whole request within idleMs: an inactivity timer alone would let a peer send a byte at a time for days.
    const deadline = setTimeout(() => socket.destroy(), idleMs);
    socket.on('close', () => {
      clearTimeout(deadline);
      sockets.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.on('timeout', () => socket.destroy());
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (text: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      socket.removeAllListeners('data');
      socket.pause();
      if (text === undefined) {
        answer(socket, refusal('message_too_large', `A control request may be at most ${MAX_REQUEST_BYTES} bytes.`));
        return;
      }
      // The peer has sent its request; from here the handler's own timeout applies.
      void reply(text).then((r) => {
        answer(socket, r);
      });
    };
    socket.on('data', (chunk: Buffer) => {
      const newline = chunk.indexOf(0x0a);
      const take = newline === -1 ? chunk : chunk.subarray(0, newline);
      size += take.length;
      if (size > MAX_REQUEST_BYTES) {
        finish(undefined);
        return;
      }
      chunks.push(take);
      if (newline !== -1) finish(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('end', () => {
      if (!done) {
        if (size === 0) {
          done = true;
          clearTimeout(deadline);
          socket.end();
        } else finish(Buffer.concat(chunks).toString('utf8'));
      }
    });
  });
  server.on('error', (error) => options.onUnexpected?.(error));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (!options.address.startsWith('\\\\')) chmodSync(options.address, 0o600);

  return {
    address: options.address,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
