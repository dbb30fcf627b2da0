// Browser mode's second listener: the proxy frames of MCP App views, each server's on an origin of its own
// (http://<label>.localhost:<port>, never Steward's page's origin), loopback only, with Host and Origin checks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FRAME_PAGE_PREFIX, FRAME_REFUSAL_CSP, FRAME_REPORT_PREFIX, type AppsService } from '../core/apps/index.js';

export interface ViewFramesOptions {
  apps: AppsService;
  /** Steward's own page origins: the only pages that may frame a proxy or send it a request with an Origin. */
  hostOrigins: () => ReadonlySet<string>;
  log?: (line: string) => void;
}

export interface ViewFramesServer {
  port: number;
  /** The origin of one server's views. */
  originOf(label: string): string;
  /** The CSP source that covers every view origin (for Steward's page's frame-src). */
  source: string;
  close(): Promise<void>;
}

const MAX_REPORT = 64 * 1024;
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

export async function startViewFrames(options: ViewFramesOptions): Promise<ViewFramesServer> {
  const { apps } = options;
  const log = options.log ?? (() => undefined);
  let port = 0;

  const http = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      log(`view frames: a request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) refuse(res, 400, 'Bad request.');
      else res.destroy();
    }
  });
  // A client that trickles its headers or body is cut off rather than holding a socket open.
  http.headersTimeout = 10_000;
  http.requestTimeout = 15_000;
  http.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Security-Policy: ${FRAME_REFUSAL_CSP}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });

  /**
   * Headers of every answer. A view can navigate its proxy frame (and a sibling view's) to any address on its origin,
   * so every answer carries a CSP: the refusal's, unless it is a proxy page, which goes out under its view's own.
   */
  function headers(res: ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', FRAME_REFUSAL_CSP);
  }

  function refuse(res: ServerResponse, status: number, text: string): void {
    headers(res);
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(text);
  }

  /** The view label from a Host header naming this listener, e.g. "v0123….localhost:4567"; undefined for anything else. */
  function labelOf(req: IncomingMessage): string | undefined {
    const match = /^(v[0-9a-f]{24})\.localhost:(\d+)$/.exec(req.headers.host ?? '');
    return match && Number(match[2]) === port ? match[1] : undefined;
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // One Host header, and a path exactly as it will be read: no dot segments, query, absolute form or escapes.
    const hosts = req.rawHeaders.filter((_value, i) => i % 2 === 0 && req.rawHeaders[i]?.toLowerCase() === 'host');
    if (hosts.length !== 1 || !/^\/[A-Za-z0-9._/-]*$/.test(req.url ?? '') || /\/\.\.?(\/|$)/.test(req.url ?? '')) {
      refuse(res, 400, 'Bad request.');
      return;
    }
    const label = labelOf(req);
    // The Host check stops DNS rebinding: a foreign page resolving its own name to 127.0.0.1 sends that name.
    if (label === undefined || !apps.knowsLabel(label)) {
      refuse(res, 403, 'Unknown host.');
      return;
    }
    const own = `http://${label}.localhost:${port}`;
    const origin = req.headers.origin;
    const url = new URL(req.url ?? '/', own);
    const reporting = url.pathname.startsWith(FRAME_REPORT_PREFIX);
    // Browsers send an Origin on anything but a plain navigation; only the view's own origin and Steward's page may.
    if (origin !== undefined && origin !== own && !options.hostOrigins().has(origin) && !(reporting && origin === 'null')) {
      refuse(res, 403, 'Foreign origin.');
      return;
    }
    if (reporting) {
      report(req, res, label, url.pathname.slice(FRAME_REPORT_PREFIX.length));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405, 'Method not allowed.');
      return;
    }
    if (!url.pathname.startsWith(FRAME_PAGE_PREFIX)) {
      refuse(res, 404, 'Not found.');
      return;
    }
    const token = url.pathname.slice(FRAME_PAGE_PREFIX.length);
    // A proxy page is only ever a frame in Steward's page, never a tab or something fetched.
    const dest = req.headers['sec-fetch-dest'];
    if (dest !== undefined && dest !== 'iframe') {
      refuse(res, 403, 'This page is only shown inside Steward.');
      return;
    }
    const page = TOKEN.test(token) ? apps.frameDocument(label, token) : undefined;
    if (!page) {
      refuse(res, 404, 'This view is closed.');
      return;
    }
    headers(res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.csp });
    res.end(req.method === 'HEAD' ? undefined : page.html);
  }

  /** A CSP violation report (report-uri), at most 64 KB, handed to the host; the answer is always empty. */
  function report(req: IncomingMessage, res: ServerResponse, label: string, token: string): void {
    if (req.method !== 'POST') {
      refuse(res, 405, 'Method not allowed.');
      return;
    }
    if (!TOKEN.test(token)) {
      refuse(res, 404, 'Not found.');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REPORT) {
        refuse(res, 413, 'Too large.');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (res.headersSent) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        refuse(res, 400, 'Not JSON.');
        return;
      }
      apps.frameReport(label, token, body);
      headers(res);
      res.writeHead(204).end();
    });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const address = http.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    originOf: (label) => `http://${label}.localhost:${port}`,
    source: `http://*.localhost:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}
