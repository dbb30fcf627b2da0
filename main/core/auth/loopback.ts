// The sign-in redirect comes back to Steward on a loopback listener (RFC 8252): 127.0.0.1, on one of a few fixed ports
// that Steward's client metadata document lists, so what is sent is exactly what is registered.
import { createServer, type Server } from 'node:http';
import { detached } from '../background.js';
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

export class LoopbackRedirect {
  private server: Server | undefined;
  private binding: Promise<number> | undefined;

  constructor(
    private readonly onCallback: (params: URLSearchParams) => Promise<CallbackAnswer>,
    private readonly unexpected: Unexpected,
    private readonly ports: readonly number[] = REDIRECT_PORTS,
  ) {}

  /** The redirect URI, binding the listener on first use: the first free listed port, else any port. */
  async url(): Promise<string> {
    this.binding ??= this.bind();
    return redirectUri(await this.binding);
  }

  private async bind(): Promise<number> {
    for (const port of [...this.ports, 0]) {
      const server = createServer((req, res) =>
        detached(this.unexpected, 'answering a sign-in redirect', this.handle(req.url ?? '/', req.method ?? 'GET', res)),
      );
      const bound = await new Promise<number | undefined>((resolve) => {
        server.once('error', () => resolve(undefined));
        server.listen(port, '127.0.0.1', () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : undefined);
        });
      });
      if (bound !== undefined) {
        server.unref();
        this.server = server;
        return bound;
      }
    }
    throw new Error('Could not open a loopback port for the sign-in redirect.');
  }

  private async handle(rawUrl: string, method: string, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const headers = {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'referrer-policy': 'no-referrer',
    };
    if (method !== 'GET' || url.pathname !== REDIRECT_PATH) {
      res.writeHead(404, headers).end(page({ ok: false, title: 'Not found', message: 'This address is only for signing in to servers from Steward.' }));
      return;
    }
    let answer: CallbackAnswer;
    try {
      answer = await this.onCallback(url.searchParams);
    } catch (error) {
      answer = { ok: false, title: 'Sign-in failed', message: error instanceof Error ? error.message : String(error) };
    }
    res.writeHead(answer.ok ? 200 : 400, headers).end(page(answer));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.binding = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
