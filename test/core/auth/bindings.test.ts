// What a sign-in's records and requests are bound to, at the level of the pieces: a refresh token to the address it
// was issued at, a server's configured headers to the server (and its https upgrade), a workload's token to the issuer
// accepted for a legacy server. Tried: a sign-in at a server's new address that returned no refresh token, which took
// the old address's one; an http server answering with its https form, which lost its API key; unchecked legacy
// metadata claiming the issuer a workload token is meant for.
import { describe, expect, it } from 'vitest';
import { StewardOAuthProvider } from '../../../main/core/auth/provider.js';
import { WorkloadIdentityProvider } from '../../../main/core/auth/machine.js';
import { DpopKeys } from '../../../main/core/auth/dpop.js';
import { AuthRecords } from '../../../main/core/auth/records.js';
import { withServerHeaders } from '../../../main/core/servers/server-headers.js';
import { DEFAULT_AUTH_CONFIG } from '../../../shared/domain/auth.js';
import { memorySecrets } from '../../helpers/memory-ports.js';

describe('a refresh token', () => {
  it('is never carried over to the address a server was moved to', async () => {
    let resource = 'https://a.example/mcp';
    const provider = new StewardOAuthProvider({
      serverId: 's',
      serverName: 'files',
      config: DEFAULT_AUTH_CONFIG,
      clientSecret: undefined,
      redirect: { url: 'http://127.0.0.1:33418/oauth/callback', urls: [] },
      clientMetadataUrl: undefined,
      clientMetadata: { redirect_uris: [] },
      records: new AuthRecords(memorySecrets()),
      resource: () => resource,
      hooks: { redirect: () => Promise.resolve(), newState: () => Promise.resolve('state'), signInUnderWay: () => false },
    });
    const at = { issuer: 'https://login.example' };
    await provider.saveTokens({ access_token: 'a1', token_type: 'Bearer', refresh_token: 'r-for-a' }, at);
    resource = 'https://b.example/mcp';
    expect(await provider.tokens(at)).toBeUndefined();
    await provider.saveTokens({ access_token: 'b1', token_type: 'Bearer' }, at);
    expect(await provider.tokens(at)).toEqual({ access_token: 'b1', token_type: 'Bearer' });
    // At one address a refresh that returns none keeps the one it had.
    await provider.saveTokens({ access_token: 'b2', token_type: 'Bearer', refresh_token: 'r-for-b' }, at);
    await provider.saveTokens({ access_token: 'b3', token_type: 'Bearer' }, at);
    expect((await provider.tokens(at))?.refresh_token).toBe('r-for-b');
  });
});

describe('a server’s configured headers', () => {
  const sent = async (server: string, to: string) => {
    let headers: Headers | undefined;
    const fetch = withServerHeaders(new URL(server), { 'X-Api-Key': 'key' }, (_input, init) => {
      headers = new Headers(init?.headers);
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    await fetch(to, { headers: { accept: 'application/json' } });
    return headers?.get('x-api-key') ?? null;
  };

  it('go to the server’s origin and its https upgrade, nowhere else', async () => {
    expect(await sent('http://api.example/mcp', 'http://api.example/mcp')).toBe('key');
    expect(await sent('http://api.example/mcp', 'https://api.example/mcp')).toBe('key');
    expect(await sent('https://api.example/mcp', 'https://api.example/other')).toBe('key');
    expect(await sent('http://api.example/mcp', 'https://api.example:8443/mcp')).toBeNull();
    expect(await sent('https://api.example/mcp', 'http://api.example/mcp')).toBeNull();
    expect(await sent('https://api.example/mcp', 'https://login.example/token')).toBeNull();
  });
});

describe('a workload sign-in on a legacy server', () => {
  it('names no issuer but the one accepted for the server, whatever its metadata claims', () => {
    const provider = new WorkloadIdentityProvider(
      {
        serverName: 'legacy',
        clientId: 'workload',
        issuer: 'https://login.corp.example',
        legacyIssuer: 'https://legacy.example/tenant',
        scope: undefined,
        assertion: () => Promise.resolve('jwt'),
        now: () => Date.now(),
      },
      new DpopKeys({ load: () => Promise.resolve(undefined), save: () => Promise.resolve() }),
    );
    expect(() => provider.clientInformation({ issuer: 'https://login.corp.example' })).toThrow(/belong to https:\/\/legacy\.example\/tenant/);
  });
});
