// What Steward keeps per server to stay signed in: client registrations and tokens per authorization server (issuer),
// the authorization server a configured client belongs to, the server's DPoP key, the PKCE verifier of a sign-in under
// way, and discovery results. All of it lives in the SecretStore (sealed with the OS
// keychain in the app), one entry per server: a token is only ever read back for the server it was issued for.
import type { OAuthDiscoveryState, StoredOAuthClientInformation, StoredOAuthTokens } from '@modelcontextprotocol/client';
import type { SecretStore } from '../ports.js';
import type { StoredDpopKey } from './dpop.js';

export type Registration = 'pre-registered' | 'metadata-document' | 'dynamic';

export interface IssuerRecord {
  client?: StoredOAuthClientInformation;
  registration?: Registration;
  tokens?: StoredOAuthTokens;
  /** When the tokens were saved; expires_in counts from here. */
  savedAt?: string;
  /**
   * The server address the tokens were issued for. They are sent to that address only: after the user points the server
   * at another address, its tokens (and the refresh token that would get new ones) stay unused. Absent on tokens an
   * earlier Steward saved, which count as the current address's.
   */
  resource?: string;
}

export interface ServerAuthRecord {
  issuers: Record<string, IssuerRecord>;
  /** The issuer whose tokens the transport sends (the one saved last). */
  lastIssuer?: string;
  verifier?: string;
  /** The last discovery; handed back to the SDK only across a sign-in's browser round trip (see the provider). */
  discovery?: OAuthDiscoveryState;
  /** The issuer a configured client ID was first used with, when the settings name none: it holds from then on. */
  issuerPin?: { clientId: string; issuer: string };
  /** The private key DPoP proofs are signed with. */
  dpop?: StoredDpopKey;
}

const key = (serverId: string) => `oauth:${serverId}`;
const secretKey = (serverId: string, name: string) => `auth-secret:${serverId}:${name}`;

export class AuthRecords {
  /** Read once per server, then kept: the SecretStore is the copy on disk. */
  private readonly cache = new Map<string, ServerAuthRecord>();

  constructor(private readonly secrets: SecretStore) {}

  async load(serverId: string): Promise<ServerAuthRecord> {
    const cached = this.cache.get(serverId);
    if (cached) return cached;
    let record: ServerAuthRecord = { issuers: {} };
    const raw = await this.secrets.get(key(serverId));
    if (raw) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed === 'object' && parsed !== null && 'issuers' in parsed && typeof parsed.issuers === 'object' && parsed.issuers !== null) {
          record = parsed as ServerAuthRecord;
        }
      } catch {
        // A damaged entry is treated as signed out; the next sign-in writes a good one.
      }
    }
    this.cache.set(serverId, record);
    return record;
  }

  async update(serverId: string, change: (record: ServerAuthRecord) => void): Promise<ServerAuthRecord> {
    const record = await this.load(serverId);
    change(record);
    await this.secrets.set(key(serverId), JSON.stringify(record));
    return record;
  }

  async clear(serverId: string): Promise<void> {
    this.cache.set(serverId, { issuers: {} });
    await this.secrets.delete(key(serverId));
  }

  secret(serverId: string, name: string): Promise<string | undefined> {
    return this.secrets.get(secretKey(serverId, name));
  }

  async setSecret(serverId: string, name: string, value: string | null): Promise<void> {
    if (value === null) await this.secrets.delete(secretKey(serverId, name));
    else await this.secrets.set(secretKey(serverId, name), value);
  }

  /** Everything about a server, when it is removed. */
  async forget(serverId: string): Promise<void> {
    await this.clear(serverId);
    for (const k of await this.secrets.keys(`auth-secret:${serverId}:`)) await this.secrets.delete(k);
    this.cache.delete(serverId);
  }
}
