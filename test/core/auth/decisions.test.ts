// The pure decisions behind DPoP, workload tokens and issuer pinning, table by table.
import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../../shared/domain/auth.js';
import { DEFAULT_AUTH_CONFIG } from '../../../shared/domain/auth.js';
import { chooseDpopAlg, dpopSession, jwkThumbprint, newDpopKey } from '../../../main/core/auth/dpop.js';
import { pinnedIssuer, sameIssuer } from '../../../main/core/auth/issuer.js';
import { assertionProblem } from '../../../main/core/auth/machine.js';

describe('which DPoP key to sign with', () => {
  it.each([
    { advertised: [], stored: undefined, bound: false, expected: null },
    { advertised: ['ES256'], stored: undefined, bound: false, expected: { alg: 'ES256', fresh: true } },
    { advertised: ['RS256', 'ES256'], stored: undefined, bound: false, expected: { alg: 'ES256', fresh: true } },
    { advertised: ['PS256'], stored: 'ES256', bound: false, expected: { alg: 'PS256', fresh: true } },
    { advertised: ['ES256', 'EdDSA'], stored: 'EdDSA', bound: true, expected: { alg: 'EdDSA', fresh: false } },
    // The server no longer says, but the token in use is bound to the stored key: keep signing with it.
    { advertised: [], stored: 'ES256', bound: true, expected: { alg: 'ES256', fresh: false } },
    { advertised: [], stored: 'ES256', bound: false, expected: null },
    // Symmetric algorithms and "none" are never chosen (RFC 9449 §11.6).
    { advertised: ['HS256', 'none'], stored: undefined, bound: false, expected: null },
  ] as const)('$advertised with $stored stored (bound: $bound)', ({ advertised, stored, bound, expected }) => {
    expect(chooseDpopAlg(advertised, stored, bound)).toEqual(expected);
  });

  it.each(['ES256', 'EdDSA', 'PS256'] as const)('makes a %s key whose proofs verify against its thumbprint', async (alg) => {
    const key = await newDpopKey(alg);
    const session = await dpopSession(key);
    const proof = await session.buildProof({ htm: 'post', htu: 'https://as.example/token?x=1', accessToken: 'at' });
    const header = jose.decodeProtectedHeader(proof);
    expect(header.jwk).not.toHaveProperty('d');
    expect(session.thumbprint).toBe(await jose.calculateJwkThumbprint(header.jwk!));
    const { payload } = await jose.jwtVerify(proof, await jose.importJWK(header.jwk!, alg), { typ: 'dpop+jwt' });
    expect(payload).toMatchObject({ htm: 'POST', htu: 'https://as.example/token' });
    expect(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' })).toBe(await jose.calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }));
  });
});

describe('whether a workload token may be sent', () => {
  const jwt = (claims: Record<string, unknown>) =>
    `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  const now = Date.parse('2026-01-01T00:00:00Z');
  const soon = now / 1000 + 300;
  it.each([
    { token: jwt({ aud: 'https://as.example', exp: soon }), problem: null },
    { token: jwt({ aud: ['https://other.example', 'https://as.example/'], exp: soon }), problem: null },
    { token: jwt({ aud: 'https://as.example/token' }), problem: null },
    { token: jwt({ aud: 'https://attacker.example', exp: soon }), problem: 'meant for https://attacker.example' },
    { token: jwt({ exp: soon }), problem: 'meant for no audience' },
    { token: jwt({ aud: 'https://as.example', exp: now / 1000 - 1 }), problem: 'expired' },
    { token: 'opaque-token', problem: 'not a JWT' },
    { token: 'a.%%%.c', problem: 'not a JWT' },
  ])('$token', ({ token, problem }) => {
    const answer = assertionProblem(token, 'https://as.example', 'https://as.example/token', now);
    if (problem === null) expect(answer).toBeNull();
    else expect(answer).toContain(problem);
  });
});

describe('issuers', () => {
  it.each([
    ['https://as.example', 'https://as.example', true],
    ['https://as.example/', 'https://as.example', true],
    ['https://as.example', 'https://AS.example', false],
    ['https://as.example', 'https://as.example:443', false],
    ['https://as.example/a', 'https://as.example/b', false],
  ])('%s and %s are the same: %s', (a, b, same) => {
    expect(sameIssuer(a, b)).toBe(same);
  });

  const config = (patch: Partial<AuthConfig>): AuthConfig => ({ ...DEFAULT_AUTH_CONFIG, ...patch });
  it.each([
    {
      config: config({ clientId: 'c', issuer: 'https://set.example' }),
      pin: { clientId: 'c', issuer: 'https://pin.example' },
      expected: 'https://set.example',
    },
    { config: config({ clientId: 'c' }), pin: { clientId: 'c', issuer: 'https://pin.example' }, expected: 'https://pin.example' },
    // A pin recorded for another client ID does not carry over to a new one.
    { config: config({ clientId: 'new' }), pin: { clientId: 'c', issuer: 'https://pin.example' }, expected: undefined },
    { config: config({}), pin: undefined, expected: undefined },
  ])('pinned issuer of $config.clientId', ({ config: c, pin, expected }) => {
    expect(pinnedIssuer(c, { issuers: {}, ...(pin ? { issuerPin: pin } : {}) })).toBe(expected);
  });
});
