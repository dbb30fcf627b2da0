// Credentials belong to one authorization server (its issuer): a configured client, a workload's token and every
// registration and token Steward keeps are only ever presented to the issuer they came from. A server that starts
// naming another issuer gets a fresh registration there (browser sign-in), or a clear refusal (configured credentials).
import { StewardError } from '../../../shared/errors.js';
import type { AuthConfig } from '../../../shared/domain/auth.js';
import type { ServerAuthRecord } from './records.js';

/** The same issuer, allowing only a trailing slash of difference (as the SDK does where it builds one from a URL). */
export function sameIssuer(a: string, b: string): boolean {
  return a === b || (a.endsWith('/') && a.slice(0, -1) === b) || (b.endsWith('/') && b.slice(0, -1) === a);
}

/** The issuer a configured client belongs to: the one in the settings, else the one it was first used with. */
export function pinnedIssuer(config: AuthConfig, record: ServerAuthRecord): string | undefined {
  if (config.issuer) return config.issuer;
  return config.clientId && record.issuerPin?.clientId === config.clientId ? record.issuerPin.issuer : undefined;
}

/** A server that now names another authorization server than the one its configured credentials belong to. */
export function issuerMoved(serverName: string, pinned: string, named: string): StewardError {
  return new StewardError(
    'auth_failed',
    `"${serverName}" now sends Steward to sign in at ${named}, but the credentials in its sign-in settings belong to ${pinned}; Steward sent them nowhere. If the server really moved, set the new authorization server in its sign-in settings.`,
    { issuerMismatch: { kind: 'credentials', expected: pinned, received: named } },
  );
}
