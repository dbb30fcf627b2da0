// The OAuthClientProvider the SDK's auth() drives for one server: it reads and writes that server's records only, and
// hands the browser step to the host (which shows the page and waits for the user's click) instead of opening anything.
// Registrations and tokens are kept per issuer; DPoP is used where the authorization server offers it.
import type {
  DpopSession,
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { AuthConfig } from '../../../shared/domain/auth.js';
import { advertisedDpopAlgs, DpopKeys, isDpopBound } from './dpop.js';
import { issuerMoved, pinnedIssuer, sameIssuer } from './issuer.js';
import type { AuthRecords, Registration } from './records.js';

export interface ProviderHooks {
  /** The user must visit this page to sign in (or to grant more scopes). */
  redirect(url: URL): Promise<void>;
  /** A fresh `state` for an authorization request, remembered until the callback (the redirect listener opens for it). */
  newState(): Promise<string>;
  /** A sign-in of this server waits for the browser (or its code is being exchanged). */
  signInUnderWay(): boolean;
}

export interface ProviderOptions {
  serverId: string;
  serverName: string;
  config: AuthConfig;
  /** The pre-registered client's secret, when there is one. */
  clientSecret: string | undefined;
  /** Where the browser comes back: the loopback listener's current redirect URI, and every one it may use. */
  redirect: { readonly url: string; readonly urls: string[] };
  /** Steward's client ID metadata document (CIMD), used when the authorization server supports it. */
  clientMetadataUrl: string | undefined;
  clientMetadata: OAuthClientMetadata;
  records: AuthRecords;
  hooks: ProviderHooks;
  /** The server's address as configured now: tokens are handed out only for the address they were issued for. */
  resource(): string;
  /** For a legacy server whose metadata is not checked: the one issuer accepted for it (see AuthService.legacyIssuer). */
  legacyIssuer?: string | undefined;
}

const ANY_ISSUER = '*';

export class StewardOAuthProvider implements OAuthClientProvider {
  readonly clientMetadataUrl: string | undefined;
  /** The last authorization URL's scope, for the sign-in prompt and the auth view. */
  requestedScope: string | undefined;
  private readonly keys: DpopKeys;

  constructor(private readonly o: ProviderOptions) {
    // A pre-registered client comes first; the metadata document only when there is none.
    this.clientMetadataUrl = o.config.clientId ? undefined : o.clientMetadataUrl;
    this.keys = new DpopKeys({
      load: async () => (await o.records.load(o.serverId)).dpop,
      save: async (key) => {
        await o.records.update(o.serverId, (r) => {
          r.dpop = key;
        });
      },
    });
  }

  get redirectUrl(): string {
    return this.o.redirect.url;
  }

  /** Registration names every redirect URI a sign-in may use, so a later sign-in on another listed port still matches. */
  get clientMetadata(): OAuthClientMetadata {
    return { ...this.o.clientMetadata, redirect_uris: this.o.redirect.urls };
  }

  state(): Promise<string> {
    return this.o.hooks.newState();
  }

  private issuerOf(ctx?: OAuthClientInformationContext): string {
    return ctx?.issuer ?? ANY_ISSUER;
  }

  get legacyIssuer(): string | undefined {
    return this.o.legacyIssuer;
  }

  async clientInformation(ctx?: OAuthClientInformationContext): Promise<StoredOAuthClientInformation | undefined> {
    // With the metadata unchecked, an issuer other than the one accepted is only the server's claim: nothing goes there.
    const legacy = this.o.legacyIssuer;
    if (legacy && ctx && !sameIssuer(legacy, ctx.issuer)) throw issuerMoved(this.o.serverName, legacy, ctx.issuer);
    const record = await this.o.records.load(this.o.serverId);
    if (this.o.config.clientId) {
      // A configured client belongs to one authorization server: another one named later gets nothing of it.
      const pinned = pinnedIssuer(this.o.config, record);
      if (pinned && ctx && !sameIssuer(pinned, ctx.issuer)) throw issuerMoved(this.o.serverName, pinned, ctx.issuer);
      return {
        client_id: this.o.config.clientId,
        ...(this.o.clientSecret ? { client_secret: this.o.clientSecret } : {}),
        ...(this.o.clientSecret ? {} : { token_endpoint_auth_method: 'none' }),
        ...(pinned ? { issuer: pinned } : {}),
      };
    }
    return record.issuers[this.issuerOf(ctx)]?.client;
  }

  async saveClientInformation(client: StoredOAuthClientInformation, ctx?: OAuthClientInformationContext): Promise<void> {
    const clientId = this.o.config.clientId;
    if (clientId) {
      // The SDK stamps a configured client with the issuer it is first used at: that issuer holds from then on.
      const issuer = client.issuer ?? ctx?.issuer;
      if (issuer && !this.o.config.issuer) {
        await this.o.records.update(this.o.serverId, (r) => {
          if (r.issuerPin?.clientId !== clientId) r.issuerPin = { clientId, issuer };
        });
      }
      return;
    }
    const registration: Registration = client.client_id === this.clientMetadataUrl ? 'metadata-document' : 'dynamic';
    await this.o.records.update(this.o.serverId, (r) => {
      const issuer = this.issuerOf(ctx);
      r.issuers[issuer] = { ...r.issuers[issuer], client, registration };
    });
  }

  async tokens(ctx?: OAuthClientInformationContext): Promise<StoredOAuthTokens | undefined> {
    const record = await this.o.records.load(this.o.serverId);
    const issuer = ctx?.issuer ?? record.lastIssuer;
    const entry = issuer ? record.issuers[issuer] : undefined;
    // Tokens for the server's earlier address are never sent to its new one (nor refreshed for it): a sign-in asks anew.
    if (entry?.resource !== undefined && entry.resource !== this.o.resource()) return undefined;
    return entry?.tokens;
  }

  async saveTokens(tokens: StoredOAuthTokens, ctx?: OAuthClientInformationContext): Promise<void> {
    await this.o.records.update(this.o.serverId, (r) => {
      const issuer = ctx?.issuer ?? r.lastIssuer ?? ANY_ISSUER;
      const entry = r.issuers[issuer];
      // A refresh token kept for the server's earlier address is not carried over to its new one.
      const previous = entry?.resource === undefined || entry.resource === this.o.resource() ? entry?.tokens : undefined;
      // A refresh that returns no new refresh token keeps the old one; a rotated one always replaces it.
      const merged = { ...tokens, ...(!tokens.refresh_token && previous?.refresh_token ? { refresh_token: previous.refresh_token } : {}) };
      r.issuers[issuer] = { ...r.issuers[issuer], tokens: merged, savedAt: new Date().toISOString(), resource: this.o.resource() };
      r.lastIssuer = issuer;
    });
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.requestedScope = url.searchParams.get('scope') ?? undefined;
    await this.o.hooks.redirect(url);
  }

  async saveCodeVerifier(verifier: string): Promise<void> {
    await this.o.records.update(this.o.serverId, (r) => {
      r.verifier = verifier;
    });
  }

  async codeVerifier(): Promise<string> {
    const verifier = (await this.o.records.load(this.o.serverId)).verifier;
    if (!verifier) throw new Error('No sign-in is under way for this server.');
    return verifier;
  }

  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    await this.o.records.update(this.o.serverId, (r) => {
      r.discovery = state;
    });
  }

  /**
   * Discovery is handed back only across a sign-in's browser round trip (the SDK checks the callback against the issuer
   * it started with). Every other authorization reads the resource's metadata afresh, so a server whose authorization
   * server changed is followed to the new one, where Steward registers and signs in anew.
   */
  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    if (!this.o.hooks.signInUnderWay()) return undefined;
    return (await this.o.records.load(this.o.serverId)).discovery;
  }

  /** DPoP where the authorization server offers it, or where the token in use is bound to Steward's key already. */
  async dpop(): Promise<DpopSession | undefined> {
    const record = await this.o.records.load(this.o.serverId);
    const current = record.lastIssuer ? record.issuers[record.lastIssuer]?.tokens : undefined;
    return this.keys.session(advertisedDpopAlgs(record.discovery), isDpopBound(current));
  }

  /** The sign-in ended (either way): its verifier is of no further use. */
  async endSignIn(): Promise<void> {
    await this.o.records.update(this.o.serverId, (r) => {
      delete r.verifier;
    });
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    await this.o.records.update(this.o.serverId, (r) => {
      const issuers = Object.values(r.issuers);
      if (scope === 'all') {
        r.issuers = {};
        delete r.lastIssuer;
        delete r.verifier;
        delete r.discovery;
      } else if (scope === 'client') for (const i of issuers) delete i.client;
      else if (scope === 'tokens') for (const i of issuers) delete i.tokens;
      else if (scope === 'verifier') delete r.verifier;
      else delete r.discovery;
    });
  }
}
