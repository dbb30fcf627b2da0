// Browser mode's server: the renderer's files over HTTP and the contract over a WebSocket, loopback only.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { EVENT_NAMES } from '../../shared/contract/index.js';
import { CALL_FRAME_MAX_BYTES, megabytes as mb, type ClientFrame, type ServerFrame } from '../../shared/bridge.js';
import { StewardError, toFailure } from '../../shared/errors.js';
import type { Host } from '../core/host.js';
import { requestTarget } from '../core/http-target.js';
import { CONTENT_TYPES } from '../core/node/index.js';
import { startViewFrames } from './view-frames.js';
import { FRAME_PAGE_PREFIX } from '../core/apps/index.js';

export interface WebServerOptions {
  host: Host;
  /** The built renderer (index.html and assets/). */
  staticDir: string;
  port?: number;
  bindAddress?: string;
  /** Fixed token for tests; otherwise 32 random bytes. */
  token?: string;
  /** How long a client may take to send a request's head before the connection is closed (slow clients). */
  headersTimeoutMs?: number;
  /** Bytes a page may leave unread before its socket is dropped (32 MiB). */
  maxBacklogBytes?: number;
  log?: (line: string) => void;
  /** Told the channel of every call a page made, once its answer is on its way (refused frames are not calls). */
  answered?: (channel: string) => void;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);
/**
 * What `ws` reads of one frame before it closes the socket (1009), failing every call the page has waiting. Above the
 * largest call, so that a call too large gets a failure of its own instead (see oversized()); only a client that is not
 * Steward's page could send more.
 */
const MAX_PAYLOAD = 2 * CALL_FRAME_MAX_BYTES;
/** Enough of a frame's start to read its call id: the page writes `{"type":"call","id":N,...`. */
const FRAME_HEAD_BYTES = 64;
/** Bytes a page may leave unread on its socket before it is dropped (room for a few of the largest frames). */
const MAX_BACKLOG = 32 * 1024 * 1024;
const HEADERS_TIMEOUT_MS = 10_000;

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const bind = options.bindAddress ?? '127.0.0.1';
  if (!LOOPBACK.has(bind)) {
    throw new StewardError('invalid_payload', `Browser mode only listens on 127.0.0.1 or ::1, never on "${bind}": anyone on the network could drive it.`);
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const log = options.log ?? (() => undefined);
  const sockets = new Set<WebSocket>();
  let port = 0;

  const origins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);
  const hostOk = (req: IncomingMessage) => {
    const h = req.headers.host ?? '';
    // The Host check stops DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own name.
    return h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}`;
  };

  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const maxBacklog = options.maxBacklogBytes ?? MAX_BACKLOG;
  // Slow and half-sent requests are cut off: the head must arrive in time, checked often enough to matter.
  const http = createServer(
    { headersTimeout, requestTimeout: headersTimeout * 3, connectionsCheckingInterval: Math.max(100, Math.min(1000, headersTimeout / 2)) },
    (req, res) => {
      try {
        serveFile(req, res);
      } catch (error) {
        log(`browser mode: a request failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) refuse(res, 400, 'Bad request.');
        else res.destroy();
      }
    },
  );
  // MCP App views are framed from a listener of their own: every server's views on an origin that is not this page's.
  const frames = await startViewFrames({ apps: options.host.apps, hostOrigins: () => origins(), log });

  function securityHeaders(res: ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src data:; font-src 'self'; connect-src 'self'; frame-src ${frames.source}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
  }

  function refuse(res: ServerResponse, status: number, text: string): void {
    securityHeaders(res);
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
  }

  function serveFile(req: IncomingMessage, res: ServerResponse): void {
    if (!hostOk(req)) {
      refuse(res, 403, 'Unknown host.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405, 'Method not allowed.');
      return;
    }
    const target = requestTarget(req.url);
    if (!target) {
      refuse(res, 400, 'Bad request.');
      return;
    }
    if (target.path === '/favicon.ico') return void res.writeHead(204).end();
    const isPage = target.path === '/' || target.path === '/index.html';
    if (isPage && !sameToken(target.query.get('token'), token)) {
      refuse(res, 403, 'This page needs the link (with its token) that `steward serve` printed.');
      return;
    }
    const relative = isPage ? 'index.html' : target.path.replace(/^\/+/, '');
    const file = normalize(join(options.staticDir, relative));
    if (!file.startsWith(normalize(options.staticDir) + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      refuse(res, 404, 'Not found.');
      return;
    }
    securityHeaders(res);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': isPage ? 'no-store' : 'max-age=3600',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  http.on('upgrade', (req, socket, head) => {
    // The socket is ours from here: a reset by the client must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    const origin = req.headers.origin ?? '';
    const reject = (status: number, reason: string) => {
      log(`refused a WebSocket (${reason}) from origin ${JSON.stringify(origin.slice(0, 100))}`);
      // Closed once the answer is out, not only ended: after an upgrade no HTTP timeout watches the socket, and a client
      // that keeps its side open would otherwise hold it (and a file descriptor) for as long as it liked.
      // What the client sent past its request is read and dropped: bytes left unread when the socket closes would make
      // the kernel reset the connection, and the client might never see the answer.
      socket.resume();
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`);
    };
    const target = requestTarget(req.url);
    if (!target) {
      reject(400, 'Bad Request');
      return;
    }
    if (target.path !== '/ws') {
      reject(404, 'Not Found');
      return;
    }
    if (!hostOk(req)) {
      reject(403, 'Forbidden');
      return;
    }
    if (!origins().has(origin)) {
      reject(403, 'Forbidden');
      return;
    }
    if (!sameToken(target.query.get('token'), token)) {
      reject(401, 'Unauthorized');
      return;
    }
    try {
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
    } catch (error) {
      log(`refused a WebSocket: ${error instanceof Error ? error.message : String(error)}`);
      socket.destroy();
    }
  });

  function send(ws: WebSocket, frame: ServerFrame): void {
    deliver(ws, JSON.stringify(frame));
  }

  /**
   * Sends to a page unless it stopped reading: a tab frozen in the background, or any client holding the token that
   * reads nothing, would otherwise have every event of a busy host buffered here without end. Past the backlog cap its
   * socket is dropped; the page reconnects and reads its views again.
   */
  function deliver(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > maxBacklog) {
      log(`dropped a page's socket: it left ${ws.bufferedAmount} bytes unread`);
      sockets.delete(ws);
      ws.terminate();
      return;
    }
    ws.send(text);
  }

  function attach(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      const bytes = sizeOf(data);
      if (bytes > CALL_FRAME_MAX_BYTES) {
        oversized(ws, data, bytes);
        return;
      }
      answer(ws, data, isBinary).catch((error: unknown) =>
        log(`A call on the socket went unanswered: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  }

  /** A call too large to take: refused by the id at its start (read, not parsed: it is megabytes), never run. */
  function oversized(ws: WebSocket, data: RawData, bytes: number): void {
    log(`refused a call of ${mb(bytes)} on the socket`);
    const error = new StewardError(
      'message_too_large',
      `The call was ${mb(bytes)}, over the ${mb(CALL_FRAME_MAX_BYTES)} Steward takes in one; it was not run.`,
    );
    send(ws, { type: 'result', id: callIdOf(headOf(data)) ?? -1, outcome: toFailure(error) });
  }

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const frame = parseFrame(isBinary ? undefined : textOf(data));
    if (!frame) {
      send(ws, { type: 'result', id: -1, outcome: toFailure(new StewardError('invalid_payload', 'A message on the socket is not a call frame.')) });
      return;
    }
    const outcome = await options.host.dispatch(frame.channel, frame.payload);
    send(ws, { type: 'result', id: frame.id, outcome });
    options.answered?.(frame.channel);
  }

  const offEvents = options.host.events.onAny((event, payload) => {
    const text = JSON.stringify({ type: 'event', event, payload } satisfies ServerFrame);
    for (const ws of sockets) deliver(ws, text);
  }, EVENT_NAMES);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, bind, () => resolve());
  }).catch(async (error: unknown) => {
    await frames.close();
    throw error;
  });
  const address = http.address();
  port = typeof address === 'object' && address ? address.port : 0;
  options.host.apps.attachFrames({ hostOrigins: () => origins(), url: (label, token) => `${frames.originOf(label)}${FRAME_PAGE_PREFIX}${token}` });
  const shown = bind === '::1' ? '[::1]' : bind;
  return {
    port,
    token,
    url: `http://${shown}:${port}/?token=${token}`,
    close: async () => {
      options.host.apps.attachFrames(undefined);
      offEvents();
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // A browser's kept-alive or half-sent request must not hold the shutdown open.
      http.closeAllConnections();
      await closed;
      await frames.close();
    },
  };
}

function sizeOf(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

function headOf(data: RawData): string {
  const first = Array.isArray(data) ? data[0] : data;
  if (!first) return '';
  const bytes = Buffer.isBuffer(first) ? first : Buffer.from(first);
  return bytes.subarray(0, FRAME_HEAD_BYTES).toString('utf8');
}

function callIdOf(head: string): number | undefined {
  const match = /^\s*\{\s*"type"\s*:\s*"call"\s*,\s*"id"\s*:\s*(\d{1,16})\s*[,}]/.exec(head);
  const id = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

function parseFrame(text: string | undefined): ClientFrame | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const f = value as Record<string, unknown>;
  if (f.type !== 'call' || typeof f.channel !== 'string' || typeof f.id !== 'number' || !Number.isSafeInteger(f.id)) return undefined;
  return { type: 'call', id: f.id, channel: f.channel, payload: f.payload };
}
