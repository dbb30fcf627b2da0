// Each stored sign-in secret belongs to the place it was entered for: the authorization server and client it is sent
// to, or the identity provider's token endpoint and Steward's client there. Settings that move it elsewhere forget it.
import type { AuthConfig, AuthSecrets } from '../../../shared/domain/auth.js';
import { pinnedIssuer, sameIssuer } from './issuer.js';
import type { ServerAuthRecord } from './records.js';

export type SecretName = keyof AuthSecrets;
export const SECRET_NAMES = ['clientSecret', 'privateKey', 'idpClientSecret', 'idToken', 'workloadToken'] as const satisfies readonly SecretName[];

/** A setting that decides where a secret goes. */
export type Destination = 'clientId' | 'issuer' | 'idpTokenEndpoint' | 'idpClientId';

/** Where each secret is sent, by the settings that say so. */
const BOUND_TO: Record<SecretName, readonly Destination[]> = {
  clientSecret: ['clientId', 'issuer'],
  privateKey: ['clientId', 'issuer'],
  workloadToken: ['clientId', 'issuer'],
  idToken: ['idpTokenEndpoint', 'idpClientId'],
  idpClientSecret: ['idpTokenEndpoint', 'idpClientId'],
};

const SECRET_WORDS: Record<SecretName, string> = {
  clientSecret: 'client secret',
  privateKey: 'private key',
  idpClientSecret: 'identity provider client secret',
  idToken: 'ID token',
  workloadToken: 'workload identity token',
};

const DESTINATION_WORDS: Record<Destination, string> = {
  clientId: 'the client ID',
  issuer: 'the authorization server',
  idpTokenEndpoint: "the identity provider's token endpoint",
  idpClientId: 'the identity provider client ID',
};

/**
 * The settings whose change moves a secret elsewhere. The authorization server is the one the credentials are pinned to
 * (set, or recorded at first use), so naming the issuer they were already pinned to moves nothing.
 */
export function movedDestinations(before: AuthConfig, after: AuthConfig, record: ServerAuthRecord): Destination[] {
  const issuerBefore = pinnedIssuer(before, record) ?? null;
  const issuerAfter = pinnedIssuer(after, record) ?? null;
  const moved: Destination[] = [];
  if (before.clientId !== after.clientId) moved.push('clientId');
  if (issuerBefore === null ? issuerAfter !== null : issuerAfter === null || !sameIssuer(issuerBefore, issuerAfter)) moved.push('issuer');
  if (before.idpTokenEndpoint !== after.idpTokenEndpoint) moved.push('idpTokenEndpoint');
  if (before.idpClientId !== after.idpClientId) moved.push('idpClientId');
  return moved;
}

/** The secrets a change of these settings unbinds, leaving out those the same change supplies (a value, or null). */
export function unboundSecrets(moved: readonly Destination[], supplied: AuthSecrets): SecretName[] {
  return SECRET_NAMES.filter((name) => supplied[name] === undefined && BOUND_TO[name].some((d) => moved.includes(d)));
}

/** For the audit: the settings that moved the deleted secrets, and a sentence saying so (empty when none was deleted). */
export function forgetting(deleted: readonly SecretName[], moved: readonly Destination[]): { because: Destination[]; sentence: string } {
  const because = moved.filter((d) => deleted.some((n) => BOUND_TO[n].includes(d)));
  if (deleted.length === 0) return { because, sentence: '' };
  const secrets = listed(deleted.map((n) => SECRET_WORDS[n]));
  const settings = listed(because.map((d) => DESTINATION_WORDS[d]));
  return {
    because,
    sentence: ` The stored ${secrets} ${deleted.length === 1 ? 'was' : 'were'} deleted because ${settings} changed: a secret is sent only where it was entered for.`,
  };
}

/** "a", "a and b", "a, b and c". */
function listed(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
