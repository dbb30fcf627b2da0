// Signing in to remote servers against the OAuth fixture (an SDK-built MCP server with its own authorization server on
// 127.0.0.1): the whole flow through the inbox and the loopback redirect, step-up, sign-out, and what must never happen:
// a forged state accepted, a server without S256 used, a link-local metadata address contacted, one server's token sent
// to another, a refused refresh crashing instead of asking again.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHostFor, type TestHost } from '../../helpers/host.js';
import { FIXTURES } from '../../helpers/paths.js';
import { startListening, type Started } from '../../helpers/processes.js';
import { stringContaining, arrayContaining } from '../../helpers/matchers.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { nextSignIn, until, type SignInItem } from '../../helpers/oauth-lab.js';

const OAUTH = join(FIXTURES, 'oauth-server.mjs');

const cleanup = undoAfterEach();

async function fixture(...flags: string[]): Promise<Started & { issuer: string; log(): Promise<Array<Record<string, unknown>>> }> {
  const started = await startListening([OAUTH, ...flags]);
  cleanup(() => started.stop());
  const issuer = `http://127.0.0.1:${started.port}`;
  return { ...started, issuer, log: async () => (await (await fetch(`${issuer}/admin/log`)).json()) as Array<Record<string, unknown>> };
}

const host = (): Promise<TestHost> => makeHostFor(cleanup);

/** The user clicks "Sign in" and the browser does the rest: the authorization server redirects straight back. */
async function signIn(t: TestHost, item: SignInItem): Promise<Response> {
  const before = t.opened.length;
  await t.host.inbox.decide(item.id, { kind: 'auth', action: 'open' });
  expect(t.opened).toHaveLength(before + 1);
  const page = await fetch(t.opened.at(-1)!, { redirect: 'manual' });
  const back = page.headers.get('location');
  expect(back).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?/);
  return fetch(back!);
}

async function addRemote(t: TestHost, name: string, url: string) {
  return t.host.servers.add({ name, config: { transport: 'http', url, headers: {} } });
}

const text = (r: { content: Array<Record<string, unknown>> }) => r.content.map((c) => (typeof c.text === 'string' ? c.text : '')).join('');

describe('signing in to a remote server', () => {
  it('asks in the inbox, opens the page only on the click, takes the redirect, and connects', async () => {
    const server = await fixture();
    const t = await host();
    const view = await addRemote(t, 'files', server.url);
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_required' });
    const item = await nextSignIn(t.host);
    expect(item.request).toMatchObject({ reason: 'sign_in', scopes: ['mcp:read'], stage: 'consent', verdict: { allowed: true, host: '127.0.0.1' } });
    expect(new URL(item.request.authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(item.request.authorizationUrl).searchParams.get('resource')).toBe(server.url);
    expect(t.opened).toEqual([]);

    const page = await signIn(t, item);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in to files');
    await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect');
    const who = JSON.parse(text(await t.host.runTool({ serverId: view.id, name: 'whoami', arguments: {} }))) as { scopes: string[]; resource: string };
    expect(who).toMatchObject({ scopes: ['mcp:read'], resource: server.url });

    const auth = await t.host.auth.view(view.id);
    expect(auth).toMatchObject({ signedIn: true, issuer: server.issuer, scopes: ['mcp:read'], registration: 'dynamic', pending: false, lastError: null });
    expect(Date.parse(auth.expiresAt!)).toBeGreaterThan(Date.now());
    // Tokens travel in headers only, and every token request names the resource.
    const log = await server.log();
    const tokens = log.filter((e) => typeof e.authorization === 'string').map((e) => String(e.authorization).slice('Bearer '.length));
    expect(tokens.length).toBeGreaterThan(0);
    for (const entry of log) for (const token of tokens) expect(JSON.stringify(entry.query ?? {})).not.toContain(token);
    for (const entry of log.filter((e) => e.path === '/token')) expect((entry.body as Record<string, unknown>).resource).toBe(server.url);
    expect(t.host.audit.list({ kind: 'auth.signed_in', limit: 5 })).toHaveLength(1);
    expect(JSON.stringify(t.host.audit.list({ limit: 100 }))).not.toContain(tokens[0]!);
  });

  it('steps up when an operation needs more scope, then signs out and asks again', async () => {
    const server = await fixture();
    const t = await host();
    const view = await addRemote(t, 'files', server.url);
    await t.host.servers.ensureRunning(view.id).catch(() => undefined);
    await signIn(t, await nextSignIn(t.host));
    await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect');

    await expect(t.host.runTool({ serverId: view.id, name: 'write_file', arguments: { path: 'a.txt', content: 'hi' } })).rejects.toMatchObject({
      code: 'auth_required',
    });
    const stepUp = await nextSignIn(t.host);
    expect(stepUp.request).toMatchObject({ reason: 'step_up', scopes: arrayContaining(['mcp:read', 'files:write']) });
    await signIn(t, stepUp);
    await until(async () => (await t.host.auth.view(view.id)).scopes.includes('files:write'), 'the wider scope');
    expect((await t.host.runTool({ serverId: view.id, name: 'write_file', arguments: { path: 'a.txt', content: 'hi' } })).isError).toBe(false);

    // Signing in again drops the tokens but not the client: the same registration, a new authorization.
    const before = await t.host.auth.view(view.id);
    const again = await t.host.auth.signIn(view.id, true);
    expect(again).toMatchObject({ signedIn: false, clientId: before.clientId });
    const reauth = await nextSignIn(t.host);
    expect(reauth.request.reason).toBe('sign_in');
    expect(new URL(reauth.request.authorizationUrl).searchParams.get('client_id')).toBe(before.clientId);
    await signIn(t, reauth);
    await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect again');
    expect((await server.log()).filter((e) => e.path === '/register')).toHaveLength(1);

    const out = await t.host.auth.signOut(view.id);
    expect(out).toMatchObject({ signedIn: false, scopes: [] });
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_required' });
    expect((await nextSignIn(t.host)).request.reason).toBe('sign_in');
  });

  it('keeps a sign-in under way when the server is asked to connect again meanwhile', async () => {
    const server = await fixture();
    const t = await host();
    const view = await addRemote(t, 'files', server.url);
    await t.host.servers.ensureRunning(view.id).catch(() => undefined);
    const item = await nextSignIn(t.host);
    await t.host.inbox.decide(item.id, { kind: 'auth', action: 'open' });
    const waiting = await nextSignIn(t.host, (i) => i.request.stage === 'waiting');
    // Another attempt (a task poll, a loop's tool call) while the browser is out: refused, nothing replaced.
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_required' });
    expect(t.host.inbox.list().map((i) => i.id)).toEqual([waiting.id]);
    // The page the user opened still completes the sign-in: its PKCE verifier was kept.
    const page = await fetch(t.opened.at(-1)!, { redirect: 'manual' });
    const back = await fetch(page.headers.get('location')!);
    expect(back.status).toBe(200);
    await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect');
    expect(await t.host.auth.view(view.id)).toMatchObject({ signedIn: true });
  });

  it('refuses a callback whose state Steward did not send, and keeps the real sign-in open', async () => {
    const server = await fixture();
    const t = await host();
    const view = await addRemote(t, 'files', server.url);
    await t.host.servers.ensureRunning(view.id).catch(() => undefined);
    const item = await nextSignIn(t.host);
    const redirect = new URL(item.request.authorizationUrl).searchParams.get('redirect_uri')!;
    const forged = await fetch(`${redirect}?code=stolen&state=not-ours&iss=${encodeURIComponent(server.issuer)}`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('did not start this sign-in');
    expect((await server.log()).some((e) => e.path === '/token')).toBe(false);
    expect(t.host.audit.list({ kind: 'auth.refused', limit: 5 })).toHaveLength(1);
    expect(await fetch(`${redirect}?code=x`).then((r) => r.status)).toBe(400);
    // The genuine sign-in still works.
    expect((await signIn(t, item)).status).toBe(200);
    await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect');
  });

  it.each([
    ['never ends', 'endless', /over the limit of 1048576 bytes/],
    ['stalls, a byte a second', 'stall', /aborted due to timeout|did not answer within/],
  ])('gives up on a token answer that %s: the sign-in fails with the reason, and nothing waits for ever', async (_what, mode, reason) => {
    const server = await fixture(`--token-body=${mode}`);
    const t = await makeHostFor(cleanup, { signInRequestMs: 3_000 });
    const view = await addRemote(t, 'files', server.url);
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_required' });
    // Tried: before, the token answer was read whole with no limit and no deadline, so an endless one grew the heap
    // until the host ran out of memory, and a stalling one held the browser's callback (and the sign-in) open for ever.
    const page = await signIn(t, await nextSignIn(t.host));
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(reason);
    expect((await server.log()).filter((e) => e.path === '/token')).toHaveLength(1);
    expect(await t.host.auth.view(view.id)).toMatchObject({ signedIn: false, pending: false });
    expect(t.host.audit.list({ kind: 'auth.failed', limit: 5 })).toHaveLength(1);
  });

  it('gives up on metadata that stalls before a machine sign-in, instead of holding the start for ever', async () => {
    // A server whose resource metadata answers a byte a second. Tried: in a machine mode the issuer is looked up before
    // the connection (and its timeout) begins, with no deadline, so the start, and every later one, waited on it.
    const sockets = new Set<import('node:net').Socket>();
    const stalling = createServer((req, res) => {
      if (req.url?.startsWith('/.well-known/oauth-protected-resource')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const drip = setInterval(() => res.write(' '), 1000);
        res.on('close', () => clearInterval(drip));
        return;
      }
      res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="http://127.0.0.1:${port}/.well-known/oauth-protected-resource"` }).end();
    });
    stalling.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    cleanup(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => stalling.close(() => resolve()));
    });
    const port = (stalling.address() as AddressInfo).port;
    const t = await makeHostFor(cleanup, { signInRequestMs: 1_500, connectTimeoutMs: 3_000 });
    const view = await addRemote(t, 'service', `http://127.0.0.1:${port}/mcp`);
    await t.host.auth.configure(view.id, { mode: 'client_credentials', clientId: 'service-1' }, { clientSecret: 'service-secret-1' });
    // The lookup gives up at the sign-in deadline; the connection's own discovery then meets the connect timeout.
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'timeout' });
    expect(t.host.servers.get(view.id).status).not.toBe('running');
  });

  it('accepts a legacy server’s own issuer only: configured credentials never go where its unchecked metadata points', async () => {
    // A 2025-03-26-style server: no resource metadata, its authorization server metadata at its own origin naming an
    // issuer with a path, which relaxes the issuer check for it. Tried: the same server then claims the issuer the
    // configured client belongs to, with a token endpoint of its own; unchecked, that claim matched the pin and the
    // client secret went to the server.
    let claim: 'tenant' | 'corp' = 'tenant';
    const tokenRequests: string[] = [];
    const legacy = createServer((req, res) => {
      const origin = `http://127.0.0.1:${port}`;
      if (req.url === '/.well-known/oauth-authorization-server') {
        const issuer = claim === 'tenant' ? `${origin}/tenant` : 'https://login.corp.example';
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${origin}/authorize`,
            token_endpoint: `${origin}/token`,
            response_types_supported: ['code'],
            grant_types_supported: ['client_credentials'],
            code_challenge_methods_supported: ['S256'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          }),
        );
        return;
      }
      if (req.url === '/token') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          tokenRequests.push(`${req.headers.authorization ?? ''} ${body}`);
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
        });
        return;
      }
      if (req.url?.startsWith('/.well-known/')) {
        res.writeHead(404).end();
        return;
      }
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
    });
    await new Promise<void>((resolve) => legacy.listen(0, '127.0.0.1', resolve));
    cleanup(() => new Promise<void>((resolve) => legacy.close(() => resolve())));
    const port = (legacy.address() as AddressInfo).port;
    const t = await host();
    const view = await addRemote(t, 'legacy', `http://127.0.0.1:${port}/mcp`);
    await t.host.auth.configure(
      view.id,
      { mode: 'client_credentials', clientId: 'corp-client', issuer: 'https://login.corp.example' },
      { clientSecret: 'corp-secret' },
    );
    // Its own issuer is not the configured one: refused, nothing sent.
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_failed' });
    claim = 'corp';
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_failed' });
    const basic = Buffer.from('corp-client:corp-secret').toString('base64');
    for (const request of tokenRequests) {
      expect(request).not.toContain('corp-secret');
      expect(request).not.toContain(basic);
    }
  });

  it('will not sign in where the authorization server lacks PKCE S256', async () => {
    const server = await fixture('--no-s256');
    const t = await host();
    const view = await addRemote(t, 'files', server.url);
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_failed', message: stringContaining('S256') });
    expect(t.host.inbox.list()).toEqual([]);
    expect(t.opened).toEqual([]);
    expect((await server.log()).some((e) => e.path === '/authorize')).toBe(false);
  });

  it('never contacts an authorization server the metadata puts at a link-local address', async () => {
    const server = await fixture('--as-url=http://169.254.169.254/');
    const t = await host();
    const view = await addRemote(t, 'files', server.url);
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_failed', message: stringContaining('169.254.169.254') });
    expect(t.host.inbox.list()).toEqual([]);
  });

  it('sends a server’s configured headers to that server alone, never to an authorization server elsewhere', async () => {
    // A hostile (or just careless) server names an authorization server on another origin: the API key the user
    // configured for the server must not travel with the sign-in's requests there.
    const elsewhere: Array<Record<string, string | string[] | undefined>> = [];
    const recorder = createServer((req, res) => {
      elsewhere.push(req.headers);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    cleanup(() => new Promise<void>((resolve) => recorder.close(() => resolve())));
    const port = (recorder.address() as AddressInfo).port;
    const server = await fixture(`--as-url=http://127.0.0.1:${port}/`);
    const t = await host();
    const view = await t.host.servers.add({ name: 'files', config: { transport: 'http', url: server.url, headers: { 'X-Api-Key': 'configured-secret' } } });
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_failed' });
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const headers of elsewhere) expect(JSON.stringify(headers)).not.toContain('configured-secret');
    // The server itself still gets its header.
    expect((await server.log()).some((e) => e.apiKey === 'configured-secret')).toBe(true);
  });

  it('never sends one server’s token to another', async () => {
    const a = await fixture();
    const b = await fixture();
    const t = await host();
    const viewA = await addRemote(t, 'a', a.url);
    const viewB = await addRemote(t, 'b', b.url);
    await t.host.servers.ensureRunning(viewA.id).catch(() => undefined);
    await signIn(t, await nextSignIn(t.host, (i) => i.serverId === viewA.id));
    await until(() => t.host.servers.get(viewA.id).status === 'running', 'a to connect');
    await t.host.runTool({ serverId: viewA.id, name: 'whoami', arguments: {} });
    // b has never seen a's token: its first requests carry none, and it asks for its own sign-in.
    await expect(t.host.servers.ensureRunning(viewB.id)).rejects.toMatchObject({ code: 'auth_required' });
    await signIn(t, await nextSignIn(t.host, (i) => i.serverId === viewB.id));
    await until(() => t.host.servers.get(viewB.id).status === 'running', 'b to connect');
    await t.host.runTool({ serverId: viewB.id, name: 'whoami', arguments: {} });
    const bearer = (log: Array<Record<string, unknown>>) =>
      new Set(log.map((e) => e.authorization).filter((h): h is string => typeof h === 'string' && h.startsWith('Bearer ')));
    const [seenByA, seenByB] = [bearer(await a.log()), bearer(await b.log())];
    expect(seenByA.size).toBeGreaterThan(0);
    expect(seenByB.size).toBeGreaterThan(0);
    for (const token of seenByA) expect(seenByB.has(token)).toBe(false);
  });

  it('never sends a token to the address a server is moved to, nor refreshes it there', async () => {
    const a = await fixture();
    const b = await fixture();
    const t = await host();
    const view = await addRemote(t, 'files', a.url);
    await t.host.servers.ensureRunning(view.id).catch(() => undefined);
    await signIn(t, await nextSignIn(t.host));
    await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect');
    await t.host.runTool({ serverId: view.id, name: 'whoami', arguments: {} });
    const issued = new Set((await a.log()).map((e) => e.authorization).filter((h): h is string => typeof h === 'string'));
    expect(issued.size).toBeGreaterThan(0);

    // The user points the server at another address: what a signed for is not b's to see.
    // It was connected, so it reconnects at once: to b, which asks for a sign-in of its own.
    await expect(t.host.servers.edit(view.id, { config: { transport: 'http', url: b.url, headers: {} } })).rejects.toMatchObject({ code: 'auth_required' });
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_required' });
    const seenByB = (await b.log()).map((e) => e.authorization).filter((h): h is string => typeof h === 'string');
    for (const header of seenByB) expect(issued.has(header)).toBe(false);
    expect((await b.log()).filter((e) => e.path === '/token')).toEqual([]);
    expect(await t.host.auth.view(view.id)).toMatchObject({ signedIn: false });
    expect((await nextSignIn(t.host)).request.reason).toBe('sign_in');
  });

  it('asks for a new sign-in when a refresh is refused, without crashing', async () => {
    const server = await fixture('--token-ttl=1', '--refresh-fails');
    const t = await host();
    const view = await addRemote(t, 'files', server.url);
    await t.host.servers.ensureRunning(view.id).catch(() => undefined);
    await signIn(t, await nextSignIn(t.host));
    await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect');
    await new Promise((r) => setTimeout(r, 1500));
    await expect(t.host.runTool({ serverId: view.id, name: 'whoami', arguments: {} })).rejects.toMatchObject({ code: 'auth_required' });
    const again = await nextSignIn(t.host);
    expect((await server.log()).some((e) => e.path === '/token' && (e.body as Record<string, unknown>).grant_type === 'refresh_token')).toBe(true);
    await signIn(t, again);
    await until(async () => (await t.host.auth.view(view.id)).signedIn && !(await t.host.auth.view(view.id)).pending, 'the new sign-in');
    expect(JSON.parse(text(await t.host.runTool({ serverId: view.id, name: 'whoami', arguments: {} })))).toMatchObject({ scopes: ['mcp:read'] });
  });
});
