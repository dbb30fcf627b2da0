// How signing in reads on screen: the inbox items, when a remote server needs the user, how Steward is known to an
// authorization server, when a token runs out, and which setting a refusal from the host is about.
import type { AuthConfig, AuthView } from '../../../shared/domain/auth.js';
import type { InboxItem } from '../../../shared/domain/inbox.js';
import type { ServerView } from '../../../shared/domain/servers.js';
import { formatDuration } from './format.js';

export type SignInItem = Extract<InboxItem, { kind: 'auth' }>;

export function isSignIn(item: InboxItem): item is SignInItem {
  return item.kind === 'auth';
}

const AUTH_ERRORS = new Set(['auth_required', 'auth_failed']);

/** A remote server that stopped short of connecting because it wants the user to sign in (or the sign-in failed). */
export function needsSignIn(server: ServerView): boolean {
  return (
    server.transport === 'http' &&
    server.status !== 'running' &&
    server.status !== 'starting' &&
    server.lastError !== null &&
    AUTH_ERRORS.has(server.lastError.code)
  );
}

export const REGISTRATION_WORDS: Record<NonNullable<AuthView['registration']>, string> = {
  'pre-registered': 'a client registered beforehand (the client ID in the settings below)',
  'metadata-document': 'Steward’s published client metadata document',
  dynamic: 'a client Steward registered for itself (dynamic registration)',
};

export const MODE_WORDS: Record<AuthConfig['mode'], { label: string; hint: string }> = {
  oauth: { label: 'Sign in through the browser', hint: 'You sign in on the authorization server’s page; the usual choice.' },
  client_credentials: { label: 'Client credentials', hint: 'Steward signs in as a registered client, with no person involved: for service accounts.' },
  enterprise: { label: 'Enterprise sign-in', hint: 'Your company’s identity provider vouches for you (cross-app access with an ID token).' },
  workload: {
    label: 'Workload identity',
    hint: 'This machine’s identity provider vouches for Steward with a token it issues (workload identity federation).',
  },
};

/** "in 59 min 58 s" or "expired 3 min 0 s ago". */
export function formatExpiry(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return iso;
  return ms > 0 ? `in ${formatDuration(ms)}` : `expired ${formatDuration(-ms)} ago`;
}

/** The scopes asked for that the current token does not have: what a step-up adds. */
export function addedScopes(asked: readonly string[], held: readonly string[]): string[] {
  const have = new Set(held);
  return asked.filter((s) => !have.has(s));
}

/** Where the authorization server sends the browser back to, as the sign-in page's address says. */
export function returnAddress(authorizationUrl: string): string | null {
  try {
    return new URL(authorizationUrl).searchParams.get('redirect_uri');
  } catch {
    return null;
  }
}

/** The part of a displayed address before its query: the page itself, without the parameters. */
export function pageOf(display: string): string {
  const cut = display.search(/[?#]/);
  return cut < 0 ? display : display.slice(0, cut);
}

export const SETTING_NAMES = [
  'mode',
  'clientId',
  'clientAuth',
  'algorithm',
  'scope',
  'idpTokenEndpoint',
  'idpClientId',
  'issuer',
  'workloadTokenFile',
  'clientSecret',
  'privateKey',
  'idpClientSecret',
  'idToken',
  'workloadToken',
] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

/**
 * The host refuses a setting with "…is not valid: config.idpTokenEndpoint: Invalid URL; …": the problem per setting, so
 * each shows next to its field. Problems about anything else are left in the whole sentence.
 */
export function settingIssues(message: string): Partial<Record<SettingName, string>> {
  const at = message.indexOf('not valid: ');
  if (at < 0) return {};
  const issues: Partial<Record<SettingName, string>> = {};
  for (const part of message.slice(at + 'not valid: '.length).split('; ')) {
    const [, name, text] = /^(?:config\.|secrets\.)?([A-Za-z]+): (.+?)\.?$/.exec(part.trim()) ?? [];
    if (name && text !== undefined && (SETTING_NAMES as readonly string[]).includes(name)) issues[name as SettingName] = text;
  }
  return issues;
}
