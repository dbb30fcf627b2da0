// The sign-in redirect comes back to Steward on a loopback listener (RFC 8252): 127.0.0.1, on one of a few fixed ports
// that Steward's client metadata document lists, so what is sent is exactly what is registered. It listens only while a
// sign-in waits for the browser, and answers anything but its own path with an error page.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { requestTarget } from '../http-target.js';
import type { Unexpected } from '../ports.js';

export const REDIRECT_PATH = '/oauth/callback';
/** Listed, in this order, in the client metadata document (docs/oauth/client-metadata.json). */
export const REDIRECT_PORTS: readonly number[] = [33418, 33419, 33420];

export const redirectUri = (port: number) => `http://127.0.0.1:${port}${REDIRECT_PATH}`;

export interface CallbackAnswer {
  ok: boolean;
  title: string;
  message: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(answer: CallbackAnswer): string {
  return `<!doctype html><meta charset="utf-8"><title>${escape(answer.title)}</title>
<body style="font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2328">
<h1 style="font-size:1.3rem">${escape(answer.title)}</h1><p>${escape(answer.message)}</p></body>`;
}

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'referrer-policy': 'no-referrer',
  connection: 'close',
};

/** A browser sends the head of a redirect at once; anything slower is not a browser coming back. */
const HEADERS_TIMEOUT_MS = 10_000;
/** How long a response being written when the listener closes may take before its connection is cut. */
const CLOSE_GRACE_MS = 2_000;

export class LoopbackRedirect {
  private server: Server | undefined;
  private opening: Promise<number> | undefined;
  /** The port last listened on: the redirect URI of the sign-in under way, also while its code is exchanged. */
  private lastPort: number | undefined;

  constructor(
    /** Called with the query of a request to the redirect path (exactly one `state`); the answer is shown in the browser. */
    private readonly onCallback: (params: URLSearchParams) => Promise<CallbackAnswer>,
    private readonly unexpected: Unexpected,
    private readonly ports: readonly number[] = REDIRECT_PORTS,
  ) {}

  /** The redirect URI: of the port listened on now (or last), else the first listed one. */
  get url(): string {
    return redirectUri(this.lastPort ?? this.ports.find((p) => p !== 0) ?? 0);
  }

  /** Every redirect URI a sign-in may come back to, for registration. */
  get urls(): string[] {
    const listed = this.ports.filter((p) => p !== 0).map(redirectUri);
    return [...new Set([...listed, this.url])].filter((u) => !u.endsWith(`:0${REDIRECT_PATH}`));
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Starts listening (the first free listed port, else any port) and resolves to the redirect URI. */
  async open(): Promise<string> {
    if (!this.server) {
      this.opening ??= this.bind().finally(() => {
        this.opening = undefined;
      });
      await this.opening;
    }
    return this.url;
  }

  private async bind(): Promise<number> {
    const order = [...new Set([...(this.lastPort === undefined ? [] : [this.lastPort]), ...this.ports, 0])];
    for (const port of order) {
      const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: HEADERS_TIMEOUT_MS * 2 }, (req, res) => this.handle(server, req, res));
      const bound = await new Promise<number | undefined>((resolve) => {
        server.once('error', () => resolve(undefined));
        server.listen(port, '127.0.0.1', () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : undefined);
        });
      });
      if (bound !== undefined) {
        server.on('error', (error) => this.unexpected('the sign-in redirect listener', error));
        server.unref();
        this.server = server;
        this.lastPort = bound;
        return bound;
      }
    }
    throw new Error('Could not open a loopback port for the sign-in redirect.');
  }

  private handle(server: Server, req: IncomingMessage, res: ServerResponse): void {
    const send = (status: number, answer: CallbackAnswer) => {
      if (!res.headersSent) res.writeHead(status, HEADERS).end(page(answer));
    };
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const target = requestTarget(req.url);
      if (req.method !== 'GET') {
        send(405, { ok: false, title: 'Not allowed', message: 'This address only takes the browser coming back from a sign-in.' });
        return;
      }
      // A page on another name that resolves to 127.0.0.1 sends its own Host; the authorization server's redirect sends ours.
      if (req.headers.host !== `127.0.0.1:${port}` || !target || target.rawPath !== REDIRECT_PATH) {
        send(404, { ok: false, title: 'Not found', message: 'This address is only for signing in to servers from Steward.' });
        return;
      }
      if (target.query.getAll('state').length !== 1) {
        send(400, { ok: false, title: 'Sign-in not recognised', message: 'The sign-in answer did not carry exactly one state.' });
        return;
      }
      this.onCallback(target.query).then(
        (answer) => send(answer.ok ? 200 : 400, answer),
        (error: unknown) => send(400, { ok: false, title: 'Sign-in failed', message: error instanceof Error ? error.message : String(error) }),
      );
    } catch (error) {
      this.unexpected('answering a sign-in redirect', error);
      send(400, { ok: false, title: 'Bad request', message: 'Steward could not read this request.' });
    }
  }

  /**
   * Stops listening at once; a response being written still finishes, within CLOSE_GRACE_MS. Then every connection left
   * is cut: one that has begun a request and never finishes it counts as active, not idle, and once the server is
   * closing Node no longer applies the head timeout to it, so without the cut a local client holding half a request
   * would keep the listener, and the host's shutdown that waits for it, open for ever.
   */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    cut.unref();
    return closed.finally(() => clearTimeout(cut));
  }
}
