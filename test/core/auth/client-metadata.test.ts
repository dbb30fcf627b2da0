// Steward's client ID metadata document, as it ships in the repo: valid, its client_id its own URL, and its redirect
// URIs exactly the ones Steward sends — so a strict authorization server accepts what it fetched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateClientMetadataUrl } from '@modelcontextprotocol/client';
import { OAuthClientMetadataSchema } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_METADATA, DEFAULT_CLIENT_METADATA_URL, REDIRECT_PORTS, redirectUri } from '../../../main/core/auth/index.js';
import { makeHost, type TestHost } from '../../helpers/host.js';
import { ROOT } from '../../helpers/paths.js';

const doc = JSON.parse(readFileSync(join(ROOT, 'docs', 'oauth', 'client-metadata.json'), 'utf8')) as Record<string, unknown>;

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('client ID metadata document', () => {
  it('is a valid OAuth client metadata document whose client_id is the URL Steward uses', () => {
    expect(OAuthClientMetadataSchema.safeParse(doc).success).toBe(true);
    expect(doc.client_id).toBe(DEFAULT_CLIENT_METADATA_URL);
    expect(() => validateClientMetadataUrl(DEFAULT_CLIENT_METADATA_URL)).not.toThrow();
    expect(new URL(DEFAULT_CLIENT_METADATA_URL).protocol).toBe('https:');
  });

  it('says what Steward sends: grant types, response types, public client, the loopback redirect URIs', () => {
    expect(doc.client_name).toBe(CLIENT_METADATA.client_name);
    expect(doc.grant_types).toEqual(CLIENT_METADATA.grant_types);
    expect(doc.response_types).toEqual(CLIENT_METADATA.response_types);
    expect(doc.token_endpoint_auth_method).toBe('none');
    expect(doc.redirect_uris).toEqual(REDIRECT_PORTS.map(redirectUri));
    for (const uri of doc.redirect_uris as string[]) expect(new URL(uri).hostname).toBe('127.0.0.1');
  });

  it('is what a host sends as its redirect URI when a listed port is free', async () => {
    // A port of the list, unless another Steward holds them all; then any port (and the document would not match).
    t = await makeHost();
    const view = await t.host.servers.add({ name: 'remote', config: { transport: 'http', url: 'https://mcp.example.com/mcp', headers: {} } });
    const { authProvider } = await t.host.auth.transportAuth(view.id, 'https://mcp.example.com/mcp');
    const sent = (authProvider as { redirectUrl: string }).redirectUrl;
    const free = REDIRECT_PORTS.map(redirectUri);
    if (free.includes(sent)) expect(doc.redirect_uris).toContain(sent);
    else expect(sent).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    // Registration names every listed redirect URI, so a later sign-in on another listed port still matches.
    const registered = (authProvider as { clientMetadata: { redirect_uris: string[] } }).clientMetadata.redirect_uris;
    expect(registered).toContain(sent);
    expect(registered).toEqual(expect.arrayContaining(doc.redirect_uris as string[]));
    expect((authProvider as { clientMetadataUrl?: string }).clientMetadataUrl).toBe(DEFAULT_CLIENT_METADATA_URL);
  });
});
