// Stored sign-in secrets belong to where they were entered for. Hostile: a renderer that changes only where a secret
// goes (auth:configure with a new identity provider endpoint or client ID, a new authorization server, a new client
// ID), with no secrets, then asks to sign in: the new place (a stand-in on 127.0.0.1, or the lab's second
// authorization server) must receive none of the stored secrets, and the view must say they are gone.
import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { movedDestinations, unboundSecrets } from '../../../main/core/auth/secret-binding.js';
import { DEFAULT_AUTH_CONFIG, type AuthConfig } from '../../../shared/domain/auth.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { makeHostFor, type TestHost } from '../../helpers/host.js';
import { startLab, type Lab, type LogEntry } from '../../helpers/oauth-lab.js';

const cleanup = undoAfterEach();

/** An identity provider stand-in that records every request and refuses it. */
async function standIn(): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push(`${req.url} ${req.headers.authorization ?? ''} ${body}`);
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

async function setUp(): Promise<{ lab: Lab; t: TestHost; serverId: string }> {
  const lab = await startLab([], cleanup);
  const t = await makeHostFor(cleanup);
  const view = await t.host.servers.add({ name: 'lab', config: { transport: 'http', url: lab.url, headers: {} } });
  return { lab, t, serverId: view.id };
}

const SECRETS = { idToken: 'USER-ID-TOKEN', clientSecret: 'AS-SECRET', idpClientSecret: 'IDP-SECRET' };
const seenBySecond = async (lab: Lab) => JSON.stringify((await lab.log()).filter((e: LogEntry) => e.server === 'two'));

describe('enterprise sign-in secrets and the identity provider', () => {
  it('forgets the ID token and identity provider secret when only the token endpoint changes, and sends the new one nothing', async () => {
    const { t, serverId } = await setUp();
    const idp = await standIn();
    const config = { mode: 'enterprise', clientId: 'c1', idpTokenEndpoint: 'https://idp.good.example/token', idpClientId: 'steward' } as const;
    await t.host.auth.configure(serverId, config, SECRETS);
    const moved = await t.host.dispatch('auth:configure', { serverId, config: { idpTokenEndpoint: `${idp.url}/token` } });
    expect(moved).toMatchObject({ ok: true, data: { secretsSet: { idToken: false, idpClientSecret: false, clientSecret: true } } });
    expect(await t.host.dispatch('auth:signIn', { serverId })).toMatchObject({ ok: true });
    expect(idp.seen).toEqual([]);
    const [row] = t.host.audit.list({ kind: 'auth.configured', limit: 1 });
    expect(row?.summary).toContain(
      "The stored identity provider client secret and ID token were deleted because the identity provider's token endpoint changed",
    );
    expect(row?.data).toMatchObject({ secretsDeleted: ['idpClientSecret', 'idToken'], because: ['idpTokenEndpoint'] });
    expect(JSON.stringify(row)).not.toContain('USER-ID-TOKEN');
  });

  it('forgets them when the identity provider client ID changes; keeps them for a change that moves nothing', async () => {
    const { t, serverId } = await setUp();
    const idp = await standIn();
    const config: AuthConfig = { ...DEFAULT_AUTH_CONFIG, mode: 'enterprise', clientId: 'c1', idpTokenEndpoint: `${idp.url}/token`, idpClientId: 'steward' };
    await t.host.auth.configure(serverId, config, SECRETS);
    // The settings screen sends every setting it shows: the same ones again, and a new scope, move no secret.
    expect((await t.host.auth.configure(serverId, config)).secretsSet).toMatchObject({ idToken: true, idpClientSecret: true, clientSecret: true });
    expect((await t.host.auth.configure(serverId, { ...config, scope: 'mcp:read' })).secretsSet).toMatchObject({ idToken: true, idpClientSecret: true });
    await t.host.dispatch('auth:signIn', { serverId });
    expect(idp.seen.join('\n')).toContain('USER-ID-TOKEN');
    idp.seen.length = 0;

    const moved = await t.host.dispatch('auth:configure', { serverId, config: { idpClientId: 'someone-else' } });
    expect(moved).toMatchObject({ ok: true, data: { secretsSet: { idToken: false, idpClientSecret: false, clientSecret: true } } });
    await t.host.dispatch('auth:signIn', { serverId });
    expect(idp.seen).toEqual([]);
  });

  it('keeps a secret the same change supplies again', async () => {
    const { t, serverId } = await setUp();
    await t.host.auth.configure(
      serverId,
      { mode: 'enterprise', clientId: 'c1', idpTokenEndpoint: 'https://idp.one.example/token', idpClientId: 'steward' },
      SECRETS,
    );
    const view = await t.host.auth.configure(serverId, { idpTokenEndpoint: 'https://idp.two.example/token' }, { idToken: 'NEW-ID-TOKEN' });
    expect(view.secretsSet).toMatchObject({ idToken: true, idpClientSecret: false, clientSecret: true });
  });
});

describe('client credentials and the authorization server', () => {
  it('forgets the client secret when the issuer changes, and the new issuer gets nothing', async () => {
    const { lab, t, serverId } = await setUp();
    await t.host.auth.configure(serverId, { mode: 'client_credentials', clientId: 'service-1', issuer: lab.first }, { clientSecret: 'service-secret-1' });
    // The resource now names the second authorization server, and the renderer names it too.
    await lab.move();
    const moved = await t.host.dispatch('auth:configure', { serverId, config: { issuer: lab.second } });
    expect(moved).toMatchObject({ ok: true, data: { secretsSet: { clientSecret: false } } });
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({ code: 'auth_required' });
    expect(await seenBySecond(lab)).not.toContain('service-secret-1');
    expect(t.host.audit.list({ kind: 'auth.configured', limit: 1 })[0]?.data).toMatchObject({ secretsDeleted: ['clientSecret'], because: ['issuer'] });
  });

  it('forgets the client secret when the client ID changes, though the issuer was only pinned at first use', async () => {
    const { lab, t, serverId } = await setUp();
    await t.host.auth.configure(serverId, { mode: 'client_credentials', clientId: 'service-1' }, { clientSecret: 'service-secret-1' });
    // The lab has no such client: the first attempt fails at the first issuer, which pins it.
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({ code: 'auth_failed' });
    // Naming the issuer the secret is already pinned to moves nothing.
    expect((await t.host.auth.configure(serverId, { issuer: lab.first })).secretsSet.clientSecret).toBe(true);
    expect((await t.host.auth.configure(serverId, { issuer: null })).secretsSet.clientSecret).toBe(true);
    await lab.move();
    const moved = await t.host.dispatch('auth:configure', { serverId, config: { clientId: 'service-2' } });
    expect(moved).toMatchObject({ ok: true, data: { secretsSet: { clientSecret: false } } });
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({ code: 'auth_required' });
    expect(await seenBySecond(lab)).not.toContain('service-secret-1');
  });
});

describe('which settings move which secrets', () => {
  const config = (patch: Partial<AuthConfig>): AuthConfig => ({ ...DEFAULT_AUTH_CONFIG, mode: 'enterprise', clientId: 'c', ...patch });
  const pinned = { issuers: {}, issuerPin: { clientId: 'c', issuer: 'https://as.example' } };
  it.each([
    { before: {}, after: { scope: 'read' }, moved: [], unbound: [] },
    { before: {}, after: { mode: 'client_credentials' as const }, moved: [], unbound: [] },
    { before: {}, after: { issuer: 'https://as.example/' }, moved: [], unbound: [] },
    { before: {}, after: { issuer: 'https://other.example' }, moved: ['issuer'], unbound: ['clientSecret', 'privateKey', 'workloadToken'] },
    { before: {}, after: { clientId: 'd' }, moved: ['clientId', 'issuer'], unbound: ['clientSecret', 'privateKey', 'workloadToken'] },
    {
      before: { idpTokenEndpoint: 'https://idp.example/t' },
      after: { idpTokenEndpoint: 'https://idp.example/t2' },
      moved: ['idpTokenEndpoint'],
      unbound: ['idpClientSecret', 'idToken'],
    },
    { before: { idpClientId: 'x' }, after: { idpClientId: null }, moved: ['idpClientId'], unbound: ['idpClientSecret', 'idToken'] },
  ])('$after', ({ before, after, moved, unbound }) => {
    const found = movedDestinations(config(before), config({ ...before, ...after }), pinned);
    expect(found).toEqual(moved);
    expect(unboundSecrets(found, {})).toEqual(unbound);
  });

  it('leaves out what the change supplies, a value or a removal', () => {
    expect(unboundSecrets(['idpTokenEndpoint'], { idToken: 'new', idpClientSecret: null })).toEqual([]);
  });
});
