// DPoP (RFC 9449): each server's own signing key, kept sealed with the server's sign-in records and never written
// anywhere in clear, and the decision whether to use it. The SDK signs the proofs and retries nonce challenges; Steward
// decides when a token is bound, and keeps the key across restarts so a bound token stays usable.
import { createHash, webcrypto } from 'node:crypto';
import { DpopSession, type DpopAlg, type DpopKeyPair, type OAuthDiscoveryState, type StoredOAuthTokens } from '@modelcontextprotocol/client';

/** A key as stored: its algorithm and the private JWK (which holds the public half too). */
export interface StoredDpopKey {
  alg: DpopAlg;
  jwk: webcrypto.JsonWebKey;
}

type KeyParams = webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams | { name: 'Ed25519' };

/** The algorithms Steward can sign with, in the order it prefers them when an authorization server offers several. */
const PARAMS: Readonly<Partial<Record<DpopAlg, KeyParams>>> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384' },
  ES512: { name: 'ECDSA', namedCurve: 'P-521' },
  PS256: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};
const PREFERRED = Object.keys(PARAMS) as DpopAlg[];

/** The algorithms an authorization server's metadata says it accepts for DPoP proofs (none: it does not do DPoP). */
export function advertisedDpopAlgs(discovery: OAuthDiscoveryState | undefined): string[] {
  const listed: unknown = (discovery?.authorizationServerMetadata as Record<string, unknown> | undefined)?.dpop_signing_alg_values_supported;
  return Array.isArray(listed) ? listed.filter((a): a is string => typeof a === 'string') : [];
}

/**
 * Which key to sign with: the stored one while the authorization server accepts its algorithm (or, when the server no
 * longer says, while the token in use is bound to it); a new one in the first algorithm both sides support; or none,
 * and tokens stay Bearer.
 */
export function chooseDpopAlg(advertised: readonly string[], stored: DpopAlg | undefined, tokenBound: boolean): { alg: DpopAlg; fresh: boolean } | null {
  if (stored && (advertised.includes(stored) || (advertised.length === 0 && tokenBound))) return { alg: stored, fresh: false };
  const alg = PREFERRED.find((a) => advertised.includes(a));
  return alg ? { alg, fresh: true } : null;
}

export const isDpopBound = (tokens: StoredOAuthTokens | undefined) => tokens?.token_type.toLowerCase() === 'dpop';

export async function newDpopKey(alg: DpopAlg): Promise<StoredDpopKey> {
  const params = PARAMS[alg];
  if (!params) throw new Error(`Steward cannot sign DPoP proofs with ${alg}.`);
  const pair = (await webcrypto.subtle.generateKey(params, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return { alg, jwk: await webcrypto.subtle.exportKey('jwk', pair.privateKey) };
}

/** The public half of a private JWK: only the members RFC 7638 names, so nothing private ever goes into a proof. */
function publicMembers(jwk: webcrypto.JsonWebKey): Record<string, string> {
  const pick = (names: readonly ('crv' | 'kty' | 'x' | 'y' | 'e' | 'n')[]) => Object.fromEntries(names.map((n) => [n, jwk[n] ?? '']));
  if (jwk.kty === 'EC') return pick(['crv', 'kty', 'x', 'y']);
  if (jwk.kty === 'OKP') return pick(['crv', 'kty', 'x']);
  if (jwk.kty === 'RSA') return pick(['e', 'kty', 'n']);
  throw new Error('The stored DPoP key is of an unknown type.');
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(publicJwk: Record<string, string>): string {
  const canonical = JSON.stringify(
    Object.fromEntries(
      Object.keys(publicJwk)
        .sort()
        .map((k) => [k, publicJwk[k]]),
    ),
  );
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A signing session for a stored key; the private key is imported non-extractable. */
export async function dpopSession(key: StoredDpopKey): Promise<DpopSession> {
  const params = PARAMS[key.alg];
  if (!params) throw new Error(`Steward cannot sign DPoP proofs with ${key.alg}.`);
  const publicJwk = publicMembers(key.jwk);
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('jwk', key.jwk, params, false, ['sign']),
    webcrypto.subtle.importKey('jwk', publicJwk, params, true, ['verify']),
  ]);
  const keyPair: DpopKeyPair = { privateKey, publicKey, publicJwk, thumbprint: jwkThumbprint(publicJwk), alg: key.alg };
  return DpopSession.create({ keyPair });
}

/** Where a server's key is kept: its sealed sign-in record. */
export interface DpopKeyStore {
  load(): Promise<StoredDpopKey | undefined>;
  save(key: StoredDpopKey): Promise<void>;
}

/** One server's DPoP signer: one session per stored key (it holds the servers' nonces), one key made at a time. */
export class DpopKeys {
  private current: { key: StoredDpopKey; session: Promise<DpopSession> } | undefined;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: DpopKeyStore) {}

  /** The session to sign with, or undefined when tokens stay Bearer (see chooseDpopAlg). */
  session(advertised: readonly string[], tokenBound: boolean): Promise<DpopSession | undefined> {
    const next = this.turn.then(async () => {
      let key = await this.store.load();
      const choice = chooseDpopAlg(advertised, key?.alg, tokenBound);
      if (!choice) return undefined;
      if (choice.fresh || !key) {
        key = await newDpopKey(choice.alg);
        await this.store.save(key);
      }
      if (this.current?.key !== key) this.current = { key, session: dpopSession(key) };
      return this.current.session;
    });
    this.turn = next.catch(() => undefined);
    return next;
  }
}
