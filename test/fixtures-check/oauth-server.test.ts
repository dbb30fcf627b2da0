// Drives test/fixtures/oauth-server.mjs through MCP authorization with plain fetch, and with the v2 client SDK's auth() and
// StreamableHTTPClientTransport, so suites of the host's OAuth layer can trust what the fixture does on the wire.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  Client,
  IssuerMismatchError,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  auth,
  type FetchLike,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { FIXTURES } from '../helpers/paths.js';
import { startListening, type Started } from '../helpers/processes.js';
import { anyString, stringContaining } from '../helpers/matchers.js';

const SERVER = join(FIXTURES, 'oauth-server.mjs');
// Nothing listens here: the fixture's 302 Location is read instead of followed.
const REDIRECT = 'http://127.0.0.1:33418/callback';
const CIMD_CLIENT = 'https://steward.example/oauth/client.json';

type Wire = Record<string, unknown>;
const Registered = z.looseObject({ client_id: z.string(), client_secret: z.string().optional() });
const Issued = z.looseObject({ access_token: z.string(), refresh_token: z.string(), scope: z.string(), expires_in: z.number() });
const ToolReply = z.looseObject({ result: z.looseObject({ content: z.array(z.looseObject({ text: z.string().optional() })) }) });
const LogEntry = z.looseObject({
  at: z.string(),
  method: z.string(),
  path: z.string(),
  query: z.record(z.string(), z.string()),
  authorization: z.string().nullable(),
  status: z.number().nullable(),
  body: z.record(z.string(), z.unknown()).optional(),
});

interface Fixture {
  issuer: string;
  url: string;
  prm: string;
}

const started: Started[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(...flags: string[]): Promise<Fixture> {
  const child = await startListening([SERVER, ...flags]);
  started.push(child);
  const issuer = `http://127.0.0.1:${child.port}`;
  return { issuer, url: child.url, prm: `${issuer}/.well-known/oauth-protected-resource/mcp` };
}

const getJson = async (url: string): Promise<Wire> => z.record(z.string(), z.unknown()).parse(await (await fetch(url)).json());
const adminLog = async (f: Fixture) => z.array(LogEntry).parse(await (await fetch(`${f.issuer}/admin/log`)).json());

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function register(f: Fixture, metadata: Wire = { token_endpoint_auth_method: 'none' }) {
  const res = await fetch(`${f.issuer}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'fixture-check', redirect_uris: [REDIRECT], ...metadata }),
  });
  expect(res.status).toBe(201);
  return Registered.parse(await res.json());
}

/** GET /authorize without following the redirect: the Location as a URL, or the JSON error when there is none. */
async function authorize(f: Fixture, params: Record<string, string>): Promise<{ status: number; location?: URL; body?: Wire }> {
  const res = await fetch(`${f.issuer}/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
  const location = res.headers.get('location');
  return location ? { status: res.status, location: new URL(location) } : { status: res.status, body: (await res.json()) as Wire };
}

async function token(f: Fixture, params: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Wire }> {
  const res = await fetch(`${f.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Wire };
}

/** Authorizes a client (registering a public one unless given) and exchanges the code: the token response. */
async function signIn(f: Fixture, options: { scope?: string; resource?: string; clientId?: string; headers?: Record<string, string> } = {}) {
  const clientId = options.clientId ?? (await register(f)).client_id;
  const resource = options.resource ?? f.url;
  const { verifier, challenge } = pkce();
  const { location } = await authorize(f, {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: options.scope ?? 'mcp:read',
    resource,
    state: 's',
  });
  const code = location!.searchParams.get('code')!;
  const body = {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT,
    resource,
    ...(options.headers ? {} : { client_id: clientId }),
  };
  const answer = await token(f, body, options.headers);
  expect(answer).toMatchObject({ status: 200 });
  return { clientId, ...Issued.parse(answer.body) };
}

/** One JSON-RPC message POSTed to /mcp; the reply is read from JSON or from the SSE stream the server answers with. */
async function mcp(f: Fixture, bearer: string | undefined, message: Wire, sessionId?: string): Promise<{ status: number; headers: Headers; reply?: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (sessionId) headers['mcp-session-id'] = sessionId;
  const res = await fetch(f.url, { method: 'POST', headers, body: JSON.stringify(message) });
  const text = await res.text();
  const sse = res.headers.get('content-type')?.includes('text/event-stream');
  const replies: unknown[] = sse
    ? text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l): unknown => JSON.parse(l.slice(6)))
    : text
      ? [JSON.parse(text)]
      : [];
  return { status: res.status, headers: res.headers, reply: replies[0] };
}

async function openSession(f: Fixture, bearer: string): Promise<string> {
  const init = await mcp(f, bearer, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fixture-check', version: '1.0.0' } },
  });
  expect(init.status).toBe(200);
  const sessionId = init.headers.get('mcp-session-id')!;
  expect((await mcp(f, bearer, { jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId)).status).toBe(202);
  return sessionId;
}

const callTool = (f: Fixture, bearer: string, sessionId: string, name: string, args: Wire = {}) =>
  mcp(f, bearer, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } }, sessionId);

/** The text of a tools/call reply's first content block. */
const replyText = (reply: unknown) => ToolReply.parse(reply).result.content[0]?.text ?? '';

async function whoami(f: Fixture, bearer: string): Promise<unknown> {
  const { status, reply } = await callTool(f, bearer, await openSession(f, bearer), 'whoami');
  expect(status).toBe(200);
  return JSON.parse(replyText(reply));
}

describe('oauth-server fixture over plain HTTP', () => {
  it('challenges a request without a token and publishes protected-resource and authorization-server metadata', async () => {
    const f = await start();
    const bare = await mcp(f, undefined, { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${f.prm}", scope="mcp:read"`);

    expect(await getJson(f.prm)).toEqual({
      resource: f.url,
      authorization_servers: [f.issuer],
      scopes_supported: ['mcp:read', 'files:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'OAuth fixture',
    });
    expect(await getJson(`${f.issuer}/.well-known/oauth-authorization-server`)).toEqual({
      issuer: f.issuer,
      authorization_endpoint: `${f.issuer}/authorize`,
      token_endpoint: `${f.issuer}/token`,
      registration_endpoint: `${f.issuer}/register`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      scopes_supported: ['mcp:read', 'files:write'],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: false,
    });
  });

  it('registers, authorizes with PKCE on any loopback port, exchanges the code once, and serves whoami and echo to the bearer', async () => {
    const f = await start();
    const client = await register(f);
    expect(client).toMatchObject({ client_id: anyString(), redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
    expect(client.client_secret).toBeUndefined();

    const { verifier, challenge } = pkce();
    const otherPort = 'http://127.0.0.1:51000/callback';
    const params = {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: otherPort,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'mcp:read',
      resource: f.url,
      state: 'state-123',
    };
    const { status, location } = await authorize(f, params);
    expect(status).toBe(302);
    expect(`${location!.origin}${location!.pathname}`).toBe(otherPort);
    expect(location!.searchParams.get('state')).toBe('state-123');
    expect(location!.searchParams.get('iss')).toBe(f.issuer);
    const code = location!.searchParams.get('code')!;
    expect(code).toMatch(/^[\w-]{20,}$/);

    const exchange = { grant_type: 'authorization_code', code, redirect_uri: otherPort, client_id: client.client_id, resource: f.url };
    expect(await token(f, { ...exchange, code_verifier: pkce().verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const issued = await token(f, { ...exchange, code_verifier: verifier });
    expect(issued).toMatchObject({
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3600, scope: 'mcp:read', access_token: anyString(), refresh_token: anyString() },
    });
    expect(await token(f, { ...exchange, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const bearer = Issued.parse(issued.body).access_token;
    expect(await whoami(f, bearer)).toEqual({ clientId: client.client_id, scopes: ['mcp:read'], resource: f.url, subject: 'fixture-user' });
    const sessionId = await openSession(f, bearer);
    expect(ToolReply.parse((await callTool(f, bearer, sessionId, 'echo', { message: 'hi' })).reply).result.content).toEqual([
      { type: 'text', text: 'echo:hi' },
    ]);
  });

  it('refuses authorization requests it cannot honour: unknown client, unregistered redirect, no S256 challenge, unknown scope', async () => {
    const f = await start();
    const { client_id } = await register(f);
    const { challenge } = pkce();
    const good = { response_type: 'code', client_id, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st' };

    expect(await authorize(f, { ...good, client_id: 'nobody' })).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
    expect(await authorize(f, { ...good, redirect_uri: 'http://127.0.0.1:33418/elsewhere' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(await authorize(f, { ...good, redirect_uri: 'https://attacker.example/callback' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    const refusals: [Record<string, string>, string][] = [
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ scope: 'admin:everything' }, 'invalid_scope'],
    ];
    for (const [bad, error] of refusals) {
      const { status, location } = await authorize(f, { ...good, ...bad });
      expect(status).toBe(302);
      expect(location!.searchParams.get('code')).toBeNull();
      expect(location!.searchParams.get('state')).toBe('st');
      expect(location!.searchParams.get('error')).toBe(error);
    }
  });

  it('answers write_file without files:write with 403 insufficient_scope before the MCP server runs it, and runs it after step-up', async () => {
    const f = await start();
    const read = await signIn(f);
    const sessionId = await openSession(f, read.access_token);
    const denied = await callTool(f, read.access_token, sessionId, 'write_file', { path: 'a.txt', content: 'hello' });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", scope="mcp:read files:write", resource_metadata="${f.prm}", error_description="write_file needs files:write"`,
    );
    expect((await callTool(f, read.access_token, sessionId, 'echo', { message: 'still fine' })).status).toBe(200);

    const write = await signIn(f, { clientId: read.clientId, scope: 'mcp:read files:write' });
    expect(write.scope).toBe('mcp:read files:write');
    const done = await callTool(f, write.access_token, sessionId, 'write_file', { path: 'a.txt', content: 'hello' });
    expect(ToolReply.parse(done.reply).result.content).toEqual([{ type: 'text', text: 'wrote 5 bytes to a.txt' }]);
  });

  it('authenticates a confidential client with client_secret_basic, and only with the method it registered', async () => {
    const f = await start();
    const client = await register(f, {});
    expect(client).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic', client_secret: anyString() });
    const basic = { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret ?? ''}`).toString('base64')}` };
    const issued = await signIn(f, { clientId: client.client_id, headers: basic });
    expect(await whoami(f, issued.access_token)).toMatchObject({ clientId: client.client_id });

    const refresh = { grant_type: 'refresh_token', refresh_token: issued.refresh_token };
    expect(await token(f, { ...refresh, client_id: client.client_id, client_secret: client.client_secret ?? '' })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await token(f, { ...refresh, client_id: client.client_id })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const wrongSecret = { authorization: `Basic ${Buffer.from(`${client.client_id}:nope`).toString('base64')}` };
    expect(await token(f, refresh, wrongSecret)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await token(f, refresh, basic)).toMatchObject({ status: 200 });
  });

  it('rotates refresh tokens: the new pair works, the old refresh token does not, and a refresh cannot widen the scope', async () => {
    const f = await start();
    const first = await signIn(f);
    const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
      token(f, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: first.clientId, resource: f.url, ...extra });

    expect(await refresh(first.refresh_token, { scope: 'mcp:read files:write' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const second = await refresh(first.refresh_token);
    expect(second).toMatchObject({ status: 200, body: { scope: 'mcp:read', expires_in: 3600 } });
    const rotated = Issued.parse(second.body);
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect(rotated.access_token).not.toBe(first.access_token);
    expect(await whoami(f, rotated.access_token)).toMatchObject({ scopes: ['mcp:read'], resource: f.url });
    expect(await refresh(first.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(rotated.refresh_token, { resource: 'http://127.0.0.1:1/mcp' })).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    expect(await refresh(rotated.refresh_token)).toMatchObject({ status: 200 });
  });

  it('answers every refresh with 400 invalid_grant under --refresh-fails', async () => {
    const f = await start('--refresh-fails');
    const issued = await signIn(f);
    expect(await token(f, { grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: issued.clientId })).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Refresh token rejected' },
    });
  });

  it('rejects with 401 invalid_token a token issued for another resource, an expired token and a revoked one', async () => {
    const f = await start('--token-ttl=1');
    const elsewhere = await signIn(f, { resource: 'http://127.0.0.1:1/mcp' });
    const other = await mcp(f, elsewhere.access_token, { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toBe(
      `Bearer error="invalid_token", error_description="Token was not issued for this resource", scope="mcp:read", resource_metadata="${f.prm}"`,
    );

    const short = await signIn(f);
    expect(short.expires_in).toBe(1);
    await sleep(1200);
    expect((await mcp(f, short.access_token, { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })).headers.get('www-authenticate')).toContain(
      'error_description="Token has expired"',
    );

    const fresh = Issued.parse((await token(f, { grant_type: 'refresh_token', refresh_token: short.refresh_token, client_id: short.clientId })).body);
    const sessionId = await openSession(f, fresh.access_token);
    expect((await fetch(`${f.issuer}/admin/revoke`, { method: 'POST' })).status).toBe(204);
    const revoked = await callTool(f, fresh.access_token, sessionId, 'echo', { message: 'x' });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="Unknown or revoked access token"/);
    expect(await token(f, { grant_type: 'refresh_token', refresh_token: fresh.refresh_token, client_id: short.clientId })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('advertises what its flags say: --no-dcr, --no-s256, --scopes, --as-url', async () => {
    const noDcr = await start('--no-dcr', '--no-s256', '--scopes=mcp:read,offline_access');
    const metadata = await getJson(`${noDcr.issuer}/.well-known/oauth-authorization-server`);
    expect(metadata.registration_endpoint).toBeUndefined();
    expect(metadata).toMatchObject({ code_challenge_methods_supported: ['plain'], scopes_supported: ['mcp:read', 'offline_access'] });
    expect((await fetch(`${noDcr.issuer}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    expect((await getJson(noDcr.prm)).scopes_supported).toEqual(['mcp:read', 'offline_access']);

    const elsewhere = await start('--as-url=http://169.254.169.254/');
    expect(await getJson(elsewhere.prm)).toMatchObject({ resource: elsewhere.url, authorization_servers: ['http://169.254.169.254/'] });
  });

  it('takes an https client ID metadata document URL as client_id under --cimd, with a loopback redirect on any port', async () => {
    const f = await start('--cimd');
    expect((await getJson(`${f.issuer}/.well-known/oauth-authorization-server`)).client_id_metadata_document_supported).toBe(true);
    const { challenge } = pkce();
    const base = { response_type: 'code', client_id: CIMD_CLIENT, code_challenge: challenge, code_challenge_method: 'S256' };
    expect(await authorize(f, { ...base, redirect_uri: 'https://steward.example/callback' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(await authorize(f, { ...base, client_id: 'http://steward.example/client.json', redirect_uri: REDIRECT })).toMatchObject({
      status: 400,
      body: { error: 'invalid_client' },
    });

    const issued = await signIn(f, { clientId: CIMD_CLIENT });
    expect(await whoami(f, issued.access_token)).toMatchObject({ clientId: CIMD_CLIENT, scopes: ['mcp:read'] });
    const without = await start();
    expect(await authorize(without, { ...base, redirect_uri: REDIRECT })).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });

  it('logs every request with its query, Authorization header, status and token-request fields', async () => {
    const f = await start();
    const issued = await signIn(f);
    await whoami(f, issued.access_token);
    const log = await adminLog(f);
    expect(log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /register 201',
      'GET /authorize 302',
      'POST /token 200',
      'POST /mcp 200',
      'POST /mcp 202',
      'POST /mcp 200',
    ]);
    expect(log[0]!.body).toEqual({ client_name: 'fixture-check', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
    expect(log[1]!.query).toMatchObject({ client_id: issued.clientId, code_challenge_method: 'S256', resource: f.url, scope: 'mcp:read' });
    expect(log[2]).toMatchObject({
      authorization: null,
      clientAuth: 'none',
      body: { grant_type: 'authorization_code', resource: f.url, client_id: issued.clientId },
    });
    expect(log.slice(3).every((e) => e.authorization === `Bearer ${issued.access_token}`)).toBe(true);
    expect(Date.parse(log[0]!.at)).not.toBeNaN();
  });
});

/** The smallest OAuthClientProvider a host could write: memory only, and a "browser" that reads the /authorize redirect. */
class MemoryProvider implements OAuthClientProvider {
  readonly redirectUrl = REDIRECT;
  readonly clientMetadata: OAuthClientMetadata = { client_name: 'steward-check', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' };
  client?: StoredOAuthClientInformation;
  saved?: StoredOAuthTokens;
  discovery?: OAuthDiscoveryState;
  verifier = '';
  lastState = '';
  /** The query of each redirect back from /authorize, in order. */
  readonly callbacks: URLSearchParams[] = [];

  constructor(readonly clientMetadataUrl?: string) {}

  state() {
    this.lastState = randomBytes(16).toString('base64url');
    return this.lastState;
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: StoredOAuthClientInformation) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.saved = tokens;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'client') this.client = undefined;
  }
  async redirectToAuthorization(url: URL) {
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    this.callbacks.push(new URL(res.headers.get('location')!).searchParams);
  }
}

/** connect() that is expected to stop at the authorization redirect; the callback is then finished on that transport. */
async function connectThroughRedirect(f: Fixture, provider: MemoryProvider, fetchFn?: FetchLike): Promise<Client> {
  const first = new StreamableHTTPClientTransport(new URL(f.url), { authProvider: provider, ...(fetchFn && { fetch: fetchFn }) });
  await expect(new Client({ name: 'steward-check', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
  const callback = provider.callbacks.at(-1)!;
  expect(callback.get('state')).toBe(provider.lastState);
  await first.finishAuth(callback);
  await first.close();
  const client = new Client({ name: 'steward-check', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(f.url), { authProvider: provider }));
  return client;
}

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

const toolText = (result: { content: Wire[] }) => String(result.content[0]!.text);

describe('oauth-server fixture with the v2 client SDK', () => {
  it('authorizes through StreamableHTTPClientTransport (DCR, PKCE, resource, iss), calls whoami, and steps up for write_file', async () => {
    const f = await start();
    const provider = new MemoryProvider();
    const client = await connectThroughRedirect(f, provider);
    clients.push(client);
    expect(JSON.parse(toolText(await client.callTool({ name: 'whoami', arguments: {} })))).toEqual({
      clientId: provider.client?.client_id,
      scopes: ['mcp:read'],
      resource: f.url,
      subject: 'fixture-user',
    });
    expect(provider.saved).toMatchObject({ scope: 'mcp:read', issuer: f.issuer });

    await expect(client.callTool({ name: 'write_file', arguments: { path: 'p', content: 'abc' } })).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.callbacks).toHaveLength(2);
    const transport = client.transport as StreamableHTTPClientTransport;
    await transport.finishAuth(provider.callbacks[1]!);
    expect(provider.saved?.scope).toBe('mcp:read files:write');
    expect(toolText(await client.callTool({ name: 'write_file', arguments: { path: 'p', content: 'abc' } }))).toBe('wrote 3 bytes to p');

    const log = await adminLog(f);
    const authorizations = log.filter((e) => e.path === '/authorize').map((e) => e.query.scope);
    expect(authorizations).toEqual(['mcp:read', 'mcp:read files:write']);
    expect(log.filter((e) => e.path === '/token').every((e) => e.body?.resource === f.url)).toBe(true);
    const tokens = [provider.saved!.access_token, provider.saved!.refresh_token!];
    expect(log.some((e) => tokens.some((t) => JSON.stringify(e.query).includes(t)))).toBe(false);
  });

  it('refreshes an expired token on 401 with the rotated refresh token, and starts over when the refresh is refused', async () => {
    const f = await start('--token-ttl=1');
    const provider = new MemoryProvider();
    clients.push(await connectThroughRedirect(f, provider));
    const before = provider.saved!;
    await sleep(1200);
    const client = new Client({ name: 'steward-check', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(f.url), { authProvider: provider }));
    clients.push(client);
    expect(provider.saved?.refresh_token).not.toBe(before.refresh_token);
    expect(JSON.parse(toolText(await client.callTool({ name: 'whoami', arguments: {} })))).toMatchObject({ scopes: ['mcp:read'] });
    expect((await adminLog(f)).filter((e) => e.path === '/token').map((e) => e.body?.grant_type)).toEqual(['authorization_code', 'refresh_token']);

    const refusing = await start('--token-ttl=1', '--refresh-fails');
    const other = new MemoryProvider();
    clients.push(await connectThroughRedirect(refusing, other));
    await sleep(1200);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await expect(
      new Client({ name: 'steward-check', version: '1.0.0' }).connect(new StreamableHTTPClientTransport(new URL(refusing.url), { authProvider: other })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([stringContaining('"invalid_grant" — invalidating the stored tokens and retrying authorization')]);
    warn.mockRestore();
    expect(other.saved).toBeUndefined();
    expect(other.callbacks).toHaveLength(2);
  });

  it('uses the metadata document URL as client_id under --cimd, without registering', async () => {
    const f = await start('--cimd');
    const provider = new MemoryProvider(CIMD_CLIENT);
    const client = await connectThroughRedirect(f, provider);
    clients.push(client);
    expect(JSON.parse(toolText(await client.callTool({ name: 'whoami', arguments: {} })))).toMatchObject({ clientId: CIMD_CLIENT });
    expect((await adminLog(f)).some((e) => e.path === '/register')).toBe(false);
  });

  it('rejects an authorization response whose iss is missing or names another issuer', async () => {
    const f = await start();
    const provider = new MemoryProvider();
    expect(await auth(provider, { serverUrl: f.url })).toBe('REDIRECT');
    const code = provider.callbacks[0]!.get('code')!;
    await expect(auth(provider, { serverUrl: f.url, authorizationCode: code, iss: 'http://127.0.0.1:1' })).rejects.toBeInstanceOf(IssuerMismatchError);
    await expect(auth(provider, { serverUrl: f.url, authorizationCode: code })).rejects.toBeInstanceOf(IssuerMismatchError);
    expect((await adminLog(f)).some((e) => e.path === '/token')).toBe(false);
  });

  it('refuses an authorization server without S256 before /authorize, though only after registering', async () => {
    const f = await start('--no-s256');
    const provider = new MemoryProvider();
    await expect(auth(provider, { serverUrl: f.url })).rejects.toThrow('Incompatible auth server: does not support code challenge method S256');
    const paths = (await adminLog(f)).map((e) => e.path);
    expect(paths).not.toContain('/authorize');
    expect(paths).toContain('/register');
  });

  it('leaves vetting the authorization server URL to the host: with --as-url it fetches that server metadata', async () => {
    const f = await start('--as-url=http://169.254.169.254/');
    const attempts: string[] = [];
    const loopbackOnly: FetchLike = async (url, init) => {
      const target = new URL(String(url));
      if (target.hostname !== '127.0.0.1') {
        attempts.push(target.href);
        throw new TypeError(`blocked ${target.href}`);
      }
      return fetch(url, init);
    };
    const transport = new StreamableHTTPClientTransport(new URL(f.url), { authProvider: new MemoryProvider(), fetch: loopbackOnly });
    await expect(new Client({ name: 'steward-check', version: '1.0.0' }).connect(transport)).rejects.toThrow('blocked http://169.254.169.254/');
    expect(attempts).toEqual(['http://169.254.169.254/.well-known/oauth-authorization-server']);
  });
});
