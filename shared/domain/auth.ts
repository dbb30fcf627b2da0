// Authorization for remote servers as the user sees and configures it. Secrets (client secret, private key, ID token)
// go in and never come back out: a view only says whether one is set.
import { z } from 'zod';
import { UrlVerdictSchema } from './elicitation.js';

/**
 * oauth: sign in through the browser (the default); client_credentials: machine to machine; enterprise: cross-app access;
 * workload: workload identity federation (a JWT the machine's identity provider issued, traded in a JWT bearer grant).
 */
export const AuthModeSchema = z.enum(['oauth', 'client_credentials', 'enterprise', 'workload']);
export type AuthMode = z.infer<typeof AuthModeSchema>;

const Text = (max: number) => z.string().trim().min(1).max(max);

export const AuthConfigSchema = z.object({
  mode: AuthModeSchema,
  /** A client registered with the server's authorization server beforehand (tried before CIMD and DCR). */
  clientId: Text(500).nullable(),
  /** client_credentials: how the client proves itself. */
  clientAuth: z.enum(['client_secret_basic', 'private_key_jwt']),
  /** private_key_jwt: the signing algorithm of the private key. */
  algorithm: z.enum(['RS256', 'ES256', 'PS256', 'EdDSA']),
  /** Scopes to ask for instead of what the server suggests. */
  scope: Text(1000).nullable(),
  /** enterprise: the company identity provider's token endpoint, and Steward's client there. */
  idpTokenEndpoint: z.url().max(2000).nullable(),
  idpClientId: Text(500).nullable(),
  /**
   * The authorization server (its issuer) the client ID and credentials belong to: they are never sent to another.
   * Empty: the first one the server names is recorded and holds from then on.
   */
  issuer: z.url().max(2000).nullable(),
  /** workload: a file holding the workload's identity token, read for every token request (instead of a stored token). */
  workloadTokenFile: Text(1000).nullable(),
});
export type AuthConfig = z.infer<typeof AuthConfigSchema>;

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  mode: 'oauth',
  clientId: null,
  clientAuth: 'client_secret_basic',
  algorithm: 'RS256',
  scope: null,
  idpTokenEndpoint: null,
  idpClientId: null,
  issuer: null,
  workloadTokenFile: null,
};

/** Write-only secrets; null removes one. */
export const AuthSecretsSchema = z.object({
  clientSecret: z.string().min(1).max(10_000).nullable().optional(),
  privateKey: z.string().min(1).max(20_000).nullable().optional(),
  idpClientSecret: z.string().min(1).max(10_000).nullable().optional(),
  idToken: z.string().min(1).max(20_000).nullable().optional(),
  /** workload: the workload's identity token (a JWT whose audience is the authorization server). */
  workloadToken: z.string().min(1).max(20_000).nullable().optional(),
});
export type AuthSecrets = z.infer<typeof AuthSecretsSchema>;

export const AuthViewSchema = z.object({
  serverId: z.string(),
  config: AuthConfigSchema,
  secretsSet: z.object({
    clientSecret: z.boolean(),
    privateKey: z.boolean(),
    idpClientSecret: z.boolean(),
    idToken: z.boolean(),
    workloadToken: z.boolean(),
  }),
  signedIn: z.boolean(),
  issuer: z.string().nullable(),
  /** Scopes the current token was granted (or asked for, when the server did not say). */
  scopes: z.array(z.string()),
  expiresAt: z.string().nullable(),
  /** How Steward is known to the authorization server. */
  registration: z.enum(['pre-registered', 'metadata-document', 'dynamic']).nullable(),
  clientId: z.string().nullable(),
  /** The access token is bound to Steward's key for this server (DPoP): a copy of it is useless without the key. */
  dpop: z.boolean(),
  /** A sign-in is waiting for the user. */
  pending: z.boolean(),
  lastError: z.string().nullable(),
});
export type AuthView = z.infer<typeof AuthViewSchema>;

export const SignInRequestViewSchema = z.object({
  serverUrl: z.string(),
  /** The authorization server's page, shown in full before the click. */
  authorizationUrl: z.string(),
  verdict: UrlVerdictSchema,
  /** sign_in: first time or after sign-out/expiry; step_up: the server needs more scopes for an operation. */
  reason: z.enum(['sign_in', 'step_up']),
  scopes: z.array(z.string()),
  stage: z.enum(['consent', 'waiting']),
});
export type SignInRequestView = z.infer<typeof SignInRequestViewSchema>;
