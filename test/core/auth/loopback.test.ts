// The sign-in redirect listener as a hostile page or local process meets it: hundreds of malformed requests over raw
// sockets (the browser-mode corpus plus near-misses of the callback path: other cases, trailing slashes, `..`, encoded
// slashes, NUL, doubled `state`, foreign Host, other methods), each answered with a 4xx or a close and never taken for a
// callback; then the real callback still works. It listens only while a sign-in waits for the browser.
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LoopbackRedirect, REDIRECT_PATH } from '../../../main/core/auth/loopback.js';
import type { InboxItem } from '../../../shared/domain/inbox.js';
import { malformedRequests, sendAll, type RawCase } from '../../helpers/http-fuzz.js';
import { makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES } from '../../helpers/paths.js';
import { startListening } from '../../helpers/processes.js';
import { waitFor } from '../../helpers/cli.js';

const cleanup: Array<() => Promise<void>> = [];
const unexpected: string[] = [];
/** Nothing a request does may end up as an unexpected error inside the listener. */
const failOnUnexpected = (where: string, error: unknown) => unexpected.push(`${where}: ${String(error)}`);
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function nearMisses(port: number): RawCase[] {
  const host = `127.0.0.1:${port}`;
  const get = (target: string, extra: string[] = [], method = 'GET'): RawCase => ({
    label: `${method} ${target} ${extra.join(' ')}`,
    bytes: Buffer.from(
      `${[`${method} ${target} HTTP/1.1`, ...(extra.some((e) => e.startsWith('Host:')) ? [] : [`Host: ${host}`]), ...extra].join('\r\n')}\r\n\r\n`,
      'latin1',
    ),
  });
  const good = 'state=good&code=c';
  return [
    ...[
      '/oauth/callback/',
      '/OAUTH/callback',
      '/oauth/Callback',
      '//oauth/callback',
      '/oauth//callback',
      '/oauth/x/../callback',
      '/oauth/./callback',
      '/oauth%2fcallback',
      '/oauth/callback%00',
      '/oauth/callback%2f',
      '/oauth/callback;x',
      '/oauth/callback.html',
      '/%6fauth/callback',
      '/oauth/callback%20',
    ].map((path) => get(`${path}?${good}`)),
    get(`${REDIRECT_PATH}?state=good&state=other&code=c`),
    get(`${REDIRECT_PATH}?state=other&state=good&code=c`),
    get(`${REDIRECT_PATH}?code=c`),
    get(`${REDIRECT_PATH}?state=%ff&code=c`),
    get(`${REDIRECT_PATH}?state=forged&code=c`),
    get(`${REDIRECT_PATH}?${good}`, ['Host: evil.example']),
    get(`${REDIRECT_PATH}?${good}`, [`Host: localhost:${port}`]),
    get(`${REDIRECT_PATH}?${good}`, ['Host: 127.0.0.1']),
    ...['POST', 'PUT', 'HEAD', 'OPTIONS', 'DELETE'].map((m) => get(`${REDIRECT_PATH}?${good}`, ['Content-Length: 0'], m)),
  ];
}

describe('the sign-in redirect listener', () => {
  it('answers every malformed or near-miss request with a 4xx or a close, and still takes the real callback', async () => {
    const received: string[] = [];
    const listener = new LoopbackRedirect(
      (params) => {
        const ok = params.get('state') === 'good';
        if (ok) received.push(params.get('code') ?? '');
        return Promise.resolve({ ok, title: ok ? 'Signed in' : 'Sign-in not recognised', message: '' });
      },
      failOnUnexpected,
      [0],
    );
    cleanup.push(() => listener.close());
    const port = Number(new URL(await listener.open()).port);
    const cases = [...malformedRequests(port, `127.0.0.1:${port}`, 7), ...nearMisses(port)];
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const answers = await sendAll(port, cases);
    expect(answers.filter((a) => a.status !== null && (a.status < 400 || a.status >= 500)).map((a) => `${a.label} → ${a.status}`)).toEqual([]);
    expect(received).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(listener.listening).toBe(true);

    const back = await fetch(`http://127.0.0.1:${port}${REDIRECT_PATH}?state=good&code=the-code`);
    expect(back.status).toBe(200);
    expect(received).toEqual(['the-code']);
  });

  it('closes while a local client holds half a request, and cuts that connection', async () => {
    const listener = new LoopbackRedirect(() => Promise.resolve({ ok: true, title: '', message: '' }), failOnUnexpected, [0]);
    const port = Number(new URL(await listener.open()).port);
    const holder = connect(port, '127.0.0.1');
    let cut = false;
    holder.on('error', () => undefined);
    holder.on('close', () => (cut = true));
    await new Promise((resolve) => holder.once('connect', resolve));
    // A request head begun and never finished: the connection counts as active, not idle.
    holder.write(`GET /oauth/callback?state=x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: a`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Tried: before, close() waited for that client for ever (the head timeout stops once the server is closing), and
    // the host's shutdown with it.
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const closed = await Promise.race([
        listener.close().then(() => 'closed'),
        new Promise((resolve) => (timer = setTimeout(() => resolve('still open'), 20_000))),
      ]);
      expect(closed).toBe('closed');
      await waitFor('the held connection cut', () => cut);
      await expect(reachable(port)).resolves.toBe(false);
    } finally {
      clearTimeout(timer);
      holder.destroy();
    }
  });

  it('stops listening when closed', async () => {
    const listener = new LoopbackRedirect(() => Promise.resolve({ ok: true, title: '', message: '' }), failOnUnexpected, [0]);
    const port = Number(new URL(await listener.open()).port);
    await listener.close();
    expect(listener.listening).toBe(false);
    await expect(reachable(port)).resolves.toBe(false);
  });
});

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function nextSignIn(t: TestHost): Promise<Extract<InboxItem, { kind: 'auth' }>> {
  for (let i = 0; i < 400; i++) {
    const item = t.host.inbox.list().find((x): x is Extract<InboxItem, { kind: 'auth' }> => x.kind === 'auth');
    if (item) return item;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no sign-in item arrived');
}

describe('the listener and the sign-in it serves', () => {
  it('listens only from the moment a sign-in waits until its callback, and refuses a forged state meanwhile', async () => {
    const server = await startListening([join(FIXTURES, 'oauth-server.mjs')]);
    cleanup.push(() => server.stop());
    const port = await freePort();
    const t = await makeHost({ redirectPorts: [port] });
    cleanup.push(() => t.close());
    const view = await t.host.servers.add({ name: 'files', config: { transport: 'http', url: server.url, headers: {} } });
    expect(await reachable(port)).toBe(false);

    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_required' });
    const item = await nextSignIn(t);
    expect(new URL(item.request.authorizationUrl).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}${REDIRECT_PATH}`);
    expect(await reachable(port)).toBe(true);

    const forged = await fetch(`http://127.0.0.1:${port}${REDIRECT_PATH}?state=forged&code=x`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Sign-in not recognised');
    const wrongPath = await fetch(`http://127.0.0.1:${port}/oauth/callback/?state=forged&code=x`);
    expect(wrongPath.status).toBe(404);

    await t.host.inbox.decide(item.id, { kind: 'auth', action: 'open' });
    const page = await fetch(t.opened.at(-1)!, { redirect: 'manual' });
    const back = await fetch(page.headers.get('location')!);
    expect(back.status).toBe(200);
    for (let i = 0; i < 200 && (await reachable(port)); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await reachable(port)).toBe(false);
  });

  it('stops listening when the user declines to sign in', async () => {
    const server = await startListening([join(FIXTURES, 'oauth-server.mjs')]);
    cleanup.push(() => server.stop());
    const port = await freePort();
    const t = await makeHost({ redirectPorts: [port] });
    cleanup.push(() => t.close());
    const view = await t.host.servers.add({ name: 'files', config: { transport: 'http', url: server.url, headers: {} } });
    await t.host.servers.ensureRunning(view.id).catch(() => undefined);
    const item = await nextSignIn(t);
    expect(await reachable(port)).toBe(true);
    await t.host.inbox.decide(item.id, { kind: 'auth', action: 'cancel' });
    for (let i = 0; i < 200 && (await reachable(port)); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await reachable(port)).toBe(false);
  });
});
