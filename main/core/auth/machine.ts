// Sign-ins with no person involved: client credentials (a secret or a private key), enterprise cross-app access, and
// workload identity federation (a JWT bearer grant with the workload's identity token). Each is pinned to one
// authorization server: the issuer in the settings, else the one the server named first, recorded from then on.
import {
  ClientCredentialsProvider,
  CrossAppAccessProvider,
  discoverOAuthServerInfo,
  PrivateKeyJwtProvider,
  requestJwtAuthorizationGrant,
  type DpopSession,
  type FetchLike,
  type OAuthClientInformationContext,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { AuthConfig, AuthSecrets } from '../../../shared/domain/auth.js';
import { StewardError } from '../../../shared/errors.js';
import { advertisedDpopAlgs, DpopKeys, isDpopBound } from './dpop.js';
import { judgeAuthUrl } from './guard.js';
import { issuerMoved, pinnedIssuer, sameIssuer } from './issuer.js';
import type { AuthRecords } from './records.js';
import { readTokenFile, type TokenFileRules } from './token-file.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface MachineContext {
  serverId: string;
  serverName: string;
  serverUrl: string;
  config: AuthConfig;
  records: AuthRecords;
  /** Every request to an authorization or identity server goes through the URL checks. */
  fetch: FetchLike;
  skipIssuerMetadataValidation: boolean;
  /** For a legacy server whose metadata is not checked: the one issuer accepted for it, the only one it may name. */
  legacyIssuer?: string | undefined;
  secret(name: keyof AuthSecrets): Promise<string | undefined>;
  /** Where a workload token file may be read from. */
  tokenFiles: TokenFileRules;
  /** An issuer was recorded for the configured client on first use. */
  pinned(issuer: string): void;
  now(): number;
}

/** The provider for a machine sign-in mode, pinned to its authorization server and signing DPoP proofs where offered. */
export async function machineProvider(ctx: MachineContext): Promise<OAuthClientProvider> {
  const { config } = ctx;
  if (!config.clientId) throw new StewardError('auth_required', `Sign-in for "${ctx.serverName}" needs a client ID.`);
  const need = async (name: keyof AuthSecrets, what: string) => {
    const value = await ctx.secret(name);
    if (!value) throw new StewardError('auth_required', `Sign-in for "${ctx.serverName}" needs ${what}; set it on the server's sign-in settings.`);
    return value;
  };
  const scope = config.scope ?? undefined;
  const base = { clientId: config.clientId, clientName: 'Steward', ...(scope ? { scope } : {}) };
  if (config.mode === 'client_credentials' && config.clientAuth === 'private_key_jwt') {
    const privateKey = await need('privateKey', 'a private key');
    const expectedIssuer = await issuerFor(ctx);
    return pinned(new PrivateKeyJwtProvider({ ...base, privateKey, algorithm: config.algorithm, expectedIssuer }), expectedIssuer, ctx);
  }
  if (config.mode === 'client_credentials') {
    const clientSecret = await need('clientSecret', 'a client secret');
    const expectedIssuer = await issuerFor(ctx);
    return pinned(new ClientCredentialsProvider({ ...base, clientSecret, expectedIssuer }), expectedIssuer, ctx);
  }
  if (config.mode === 'enterprise') return enterprise(ctx, need);
  if (config.mode === 'workload') {
    const file = config.workloadTokenFile;
    if (!file) await need('workloadToken', 'a workload identity token (or a file to read it from)');
    const expectedIssuer = await issuerFor(ctx);
    return new WorkloadIdentityProvider(
      { ...ctx, clientId: config.clientId, issuer: expectedIssuer, scope, tokenFile: file, assertion: () => workloadToken(ctx, file) },
      keysOf(ctx),
    );
  }
  throw new StewardError('invalid_payload', `"${config.mode}" is not a machine sign-in.`);
}

async function enterprise(ctx: MachineContext, need: (name: keyof AuthSecrets, what: string) => Promise<string>): Promise<OAuthClientProvider> {
  const { config } = ctx;
  if (!config.clientId || !config.idpTokenEndpoint || !config.idpClientId) {
    throw new StewardError(
      'auth_required',
      `Enterprise sign-in for "${ctx.serverName}" needs the client ID, and the identity provider's token endpoint and client ID.`,
    );
  }
  const idToken = await need('idToken', 'an ID token from your identity provider');
  const clientSecret = await need('clientSecret', 'a client secret');
  const idpSecret = await ctx.secret('idpClientSecret');
  const { idpTokenEndpoint, idpClientId } = config;
  const idpVerdict = judgeAuthUrl(idpTokenEndpoint, ctx.serverUrl);
  if (!idpVerdict.allowed)
    throw new StewardError('auth_failed', `Steward will not contact the identity provider at ${idpVerdict.display}: ${idpVerdict.problems.join(' ')}`);
  const expectedIssuer = await issuerFor(ctx);
  const provider = new CrossAppAccessProvider({
    clientId: config.clientId,
    clientSecret,
    clientName: 'Steward',
    expectedIssuer,
    assertion: async (grant) => {
      const answer = await requestJwtAuthorizationGrant({
        tokenEndpoint: idpTokenEndpoint,
        audience: grant.authorizationServerUrl,
        resource: grant.resourceUrl,
        idToken,
        clientId: idpClientId,
        ...(idpSecret ? { clientSecret: idpSecret } : {}),
        ...(grant.scope ? { scope: grant.scope } : {}),
        fetchFn: ctx.fetch,
      });
      return answer.jwtAuthGrant;
    },
  });
  return pinned(provider, expectedIssuer, ctx);
}

/**
 * The issuer the configured client belongs to. Unset in the settings and never used yet: the one the server names now,
 * recorded (and audited) so that a later change is refused rather than followed with these credentials.
 */
async function issuerFor(ctx: MachineContext): Promise<string> {
  const clientId = ctx.config.clientId ?? '';
  const known = pinnedIssuer(ctx.config, await ctx.records.load(ctx.serverId));
  if (known) return known;
  const info = await discoverOAuthServerInfo(ctx.serverUrl, { fetchFn: ctx.fetch, skipIssuerMetadataValidation: ctx.skipIssuerMetadataValidation });
  const issuer = info.authorizationServerMetadata?.issuer ?? info.authorizationServerUrl;
  await ctx.records.update(ctx.serverId, (r) => {
    r.issuerPin = { clientId, issuer };
  });
  ctx.pinned(issuer);
  return issuer;
}

function keysOf(ctx: MachineContext): DpopKeys {
  return new DpopKeys({
    load: async () => (await ctx.records.load(ctx.serverId)).dpop,
    save: async (key) => {
      await ctx.records.update(ctx.serverId, (r) => {
        r.dpop = key;
      });
    },
  });
}

/**
 * An SDK provider made to refuse, with a sentence the user can act on, an authorization server other than its own
 * before anything is sent there; and to use DPoP where that server offers it.
 */
function pinned<P extends OAuthClientProvider>(provider: P, issuer: string, ctx: MachineContext): P {
  const info = provider.clientInformation.bind(provider);
  const keys = keysOf(ctx);
  let discovery: OAuthDiscoveryState | undefined;
  return Object.assign(provider, {
    clientInformation: (at?: OAuthClientInformationContext) => {
      if (at && !sameIssuer(issuer, at.issuer)) throw issuerMoved(ctx.serverName, issuer, at.issuer);
      // Unchecked metadata may claim the pinned issuer: only the issuer accepted for the legacy server counts.
      if (at && ctx.legacyIssuer && !sameIssuer(ctx.legacyIssuer, at.issuer)) throw issuerMoved(ctx.serverName, ctx.legacyIssuer, at.issuer);
      return info(at);
    },
    saveDiscoveryState: (state: OAuthDiscoveryState) => {
      discovery = state;
    },
    dpop: async (): Promise<DpopSession | undefined> => keys.session(advertisedDpopAlgs(discovery), isDpopBound(await provider.tokens())),
  });
}

/** The workload's identity token: read from its file at every use (such files are rotated), else the stored one. */
async function workloadToken(ctx: MachineContext, file: string | null): Promise<string> {
  if (!file) {
    const stored = await ctx.secret('workloadToken');
    if (!stored) throw new StewardError('auth_required', `Sign-in for "${ctx.serverName}" needs a workload identity token.`);
    return stored.trim();
  }
  return readTokenFile(file, ctx.serverName, ctx.tokenFiles);
}

/** The claims of a JWT that decide whether Steward may send it somewhere; undefined when it is not a JWT. */
export function jwtClaims(token: string): { aud: string[]; exp: number | undefined } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as { aud?: unknown; exp?: unknown };
    const aud =
      typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud.filter((a): a is string => typeof a === 'string') : [];
    return { aud, exp: typeof payload.exp === 'number' ? payload.exp : undefined };
  } catch {
    return undefined;
  }
}

/**
 * Whether a workload token may go to this authorization server: a JWT, meant for it (its issuer or token endpoint in
 * `aud`) and not expired. A token for another audience is never sent, so a server cannot collect it to replay elsewhere.
 * `quote` false leaves the token's claims out of the answer: a token read from a file may be any file's content.
 */
export function assertionProblem(token: string, issuer: string, tokenEndpoint: string | undefined, nowMs: number, quote = true): string | null {
  const claims = jwtClaims(token);
  if (!claims) return 'it is not a JWT';
  if (!claims.aud.some((a) => sameIssuer(a, issuer) || a === tokenEndpoint))
    return quote ? `it is meant for ${claims.aud.join(', ') || 'no audience'}, not ${issuer}` : `it is not meant for ${issuer}`;
  if (claims.exp !== undefined && claims.exp * 1000 <= nowMs) return quote ? `it expired at ${new Date(claims.exp * 1000).toISOString()}` : 'it has expired';
  return null;
}

interface WorkloadOptions {
  serverName: string;
  clientId: string;
  issuer: string;
  /** For a legacy server whose metadata is not checked: the one issuer accepted for it. */
  legacyIssuer?: string | undefined;
  scope: string | undefined;
  /** The file the token is read from, when it is not the stored one. */
  tokenFile?: string | null | undefined;
  assertion(): Promise<string>;
  now(): number;
}

/**
 * Workload identity federation: the token request is a JWT bearer grant (RFC 7523) carrying the workload's token.
 * A refusal is reported as it is; Steward neither sends the token again nor falls back to another grant.
 */
export class WorkloadIdentityProvider implements OAuthClientProvider {
  private current: StoredOAuthTokens | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  private refused = false;

  constructor(
    private readonly o: WorkloadOptions,
    private readonly keys: DpopKeys,
  ) {}

  get redirectUrl(): undefined {
    return undefined;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Steward',
      redirect_uris: [],
      grant_types: [JWT_BEARER],
      token_endpoint_auth_method: 'none',
      ...(this.o.scope ? { scope: this.o.scope } : {}),
    };
  }

  clientInformation(ctx?: OAuthClientInformationContext): StoredOAuthClientInformation {
    if (ctx && !sameIssuer(this.o.issuer, ctx.issuer)) throw issuerMoved(this.o.serverName, this.o.issuer, ctx.issuer);
    const legacy = this.o.legacyIssuer;
    if (ctx && legacy && !sameIssuer(legacy, ctx.issuer)) throw issuerMoved(this.o.serverName, legacy, ctx.issuer);
    return { client_id: this.o.clientId, token_endpoint_auth_method: 'none', issuer: this.o.issuer };
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.current;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.current = tokens;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  redirectToAuthorization(): void {
    throw new StewardError('auth_failed', `Workload sign-in for "${this.o.serverName}" has no browser step, but the server asked for one.`);
  }

  saveCodeVerifier(): void {
    // No authorization code flow: nothing to keep.
  }

  codeVerifier(): string {
    throw new StewardError('auth_failed', 'Workload sign-in has no authorization code.');
  }

  /** The SDK calls this after the authorization server refused, before it would try again: Steward does not. */
  invalidateCredentials(): void {
    this.current = undefined;
    this.refused = true;
  }

  async prepareTokenRequest(scope?: string): Promise<URLSearchParams> {
    if (this.refused) {
      this.refused = false;
      throw new StewardError(
        'auth_failed',
        `The authorization server of "${this.o.serverName}" refused Steward's workload identity token; Steward did not send it again. Check the token and the server's trust settings, then reconnect.`,
      );
    }
    const assertion = await this.o.assertion();
    const file = this.o.tokenFile ?? null;
    const problem = assertionProblem(assertion, this.o.issuer, this.discovery?.authorizationServerMetadata?.token_endpoint, this.o.now(), file === null);
    if (problem) {
      const from = file === null ? '' : ` (read from ${file})`;
      throw new StewardError('auth_failed', `Steward did not send the workload identity token of "${this.o.serverName}"${from}: ${problem}.`);
    }
    const params = new URLSearchParams({ grant_type: JWT_BEARER, assertion });
    if (scope) params.set('scope', scope);
    return params;
  }

  async dpop(): Promise<DpopSession | undefined> {
    return this.keys.session(advertisedDpopAlgs(this.discovery), isDpopBound(this.current));
  }
}
