// Authorization for remote servers on the SDK's auth(): what each server's transport authenticates with, the sign-in
// that waits in the inbox until the user clicks, the loopback callback (state checked), step-up with a cap, sign-out,
// and the per-server view. Client credentials and enterprise (cross-app access) use the SDK's own providers.
import { randomBytes } from 'node:crypto';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  AuthConfigSchema,
  DEFAULT_AUTH_CONFIG,
  type AuthConfig,
  type AuthSecrets,
  type AuthView,
  type SignInRequestView,
} from '../../../shared/domain/auth.js';
import type { InboxDecision, InboxItem } from '../../../shared/domain/inbox.js';
import { StewardError } from '../../../shared/errors.js';
import type { Audit } from '../audit/index.js';
import type { Inbox } from '../inbox/index.js';
import { detached, guarded } from '../background.js';
import type { Clock, Unexpected } from '../ports.js';
import type { HttpAuth } from '../sessions/index.js';
import type { SettingsRepo } from '../store/index.js';
import { guardedFetch, judgeAuthUrl, serverIsLocal, signInFetch } from './guard.js';
import { isDpopBound } from './dpop.js';
import { pinnedIssuer } from './issuer.js';
import { LoopbackRedirect, REDIRECT_PORTS, type CallbackAnswer } from './loopback.js';
import { machineProvider } from './machine.js';
import { CLIENT_METADATA, DEFAULT_CLIENT_METADATA_URL } from './metadata.js';
import { StewardOAuthProvider } from './provider.js';
import type { AuthRecords } from './records.js';
import { forgetting, movedDestinations, SECRET_NAMES, unboundSecrets } from './secret-binding.js';
import { tokenFileRefusal, type TokenFileRules } from './token-file.js';

/** Automatic sign-in prompts per server within the window before Steward stops asking (a server that never accepts). */
const MAX_PROMPTS = 3;
const PROMPT_WINDOW_MS = 10 * 60_000;
/** A sign-in link not used within this time is forgotten; its callback is then refused. */
const STATE_TTL_MS = 15 * 60_000;
const MAX_REFUSALS_RECORDED = 3;

export interface AuthDeps {
  /** Per-server sign-in settings and what was learnt of legacy servers. */
  settings: Pick<SettingsRepo, 'get' | 'put'>;
  records: AuthRecords;
  inbox: Inbox;
  audit: Audit;
  clock: Clock;
  /** Opens the sign-in page in the system browser (the gate judged it already). */
  open(url: string): Promise<void>;
  changed(view: AuthView): void;
  server(serverId: string): { name: string; url: string } | undefined;
  /** Connect (again) after a sign-in; nothing when the server is connected already (step-up). */
  reconnect(serverId: string): Promise<void>;
  /** Drop the connection after sign-out, so the next use asks again. */
  disconnect(serverId: string): Promise<void>;
  /** Steward's client ID metadata document URL; undefined turns CIMD off. */
  clientMetadataUrl?: string | null | undefined;
  redirectPorts?: readonly number[];
  /** How long one request of a sign-in (the token exchange, its discovery) may take, body included (SIGN_IN_REQUEST_MS). */
  signInRequestMs?: number | undefined;
  /** Where a workload token file may be read from. */
  tokenFiles: TokenFileRules;
  /** Errors nobody waits for: views sent in the background, the redirect listener's answers. */
  unexpected: Unexpected;
}

interface SignIn {
  serverId: string;
  url: string;
  reason: SignInRequestView['reason'];
  scopes: string[];
  itemId: string;
  stage: SignInRequestView['stage'];
  /** When the page was opened in the browser (stage waiting). */
  openedAt?: number;
}

export class AuthService {
  private readonly listener: LoopbackRedirect;
  /** Sign-ins under way by the `state` they sent: the only callbacks Steward accepts. */
  private readonly states = new Map<string, { serverId: string; at: number }>();
  private readonly signIns = new Map<string, SignIn>();
  private readonly prompts = new Map<string, number[]>();
  private readonly errors = new Map<string, string>();
  private readonly providers = new Map<string, StewardOAuthProvider>();

  /** Callbacks refused while the listener was open; only the first few are recorded, so a page cannot flood the audit. */
  private refusedCallbacks = 0;
  private expiry: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: AuthDeps) {
    this.listener = new LoopbackRedirect((params) => this.callback(params), deps.unexpected, deps.redirectPorts ?? REDIRECT_PORTS);
    deps.inbox.handle('auth', (item, decision) => this.decide(item, decision));
  }

  config(serverId: string): AuthConfig {
    const stored = this.deps.settings.get(`auth.${serverId}`);
    const parsed = AuthConfigSchema.safeParse({ ...DEFAULT_AUTH_CONFIG, ...(stored && typeof stored === 'object' ? stored : {}) });
    return parsed.success ? parsed.data : DEFAULT_AUTH_CONFIG;
  }

  /**
   * Changes the sign-in settings. A stored secret is sent only where it was entered for: settings that move it (the
   * client, the authorization server, the identity provider's endpoint or client) delete it, unless this change
   * supplies it again.
   */
  async configure(serverId: string, patch: Partial<AuthConfig>, secrets: AuthSecrets = {}): Promise<AuthView> {
    const server = this.server(serverId);
    const before = this.config(serverId);
    const next = AuthConfigSchema.safeParse({ ...before, ...patch });
    const invalid = (problems: string) => new StewardError('invalid_payload', `That sign-in setting is not valid: ${problems}`);
    if (!next.success) throw invalid(next.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const file = next.data.workloadTokenFile;
    const fileRefused = file !== null && file !== before.workloadTokenFile ? tokenFileRefusal(file, this.deps.tokenFiles) : null;
    if (fileRefused) throw invalid(`workloadTokenFile: Steward will not read a token from this file, as ${fileRefused}`);
    const moved = movedDestinations(before, next.data, await this.deps.records.load(serverId));
    const stored = await Promise.all(unboundSecrets(moved, secrets).map(async (n) => ((await this.deps.records.secret(serverId, n)) ? n : null)));
    const forgotten = stored.filter((n) => n !== null);
    // Deleted before the new settings are stored: should a step fail, no secret has gone anywhere new.
    for (const name of forgotten) await this.deps.records.setSecret(serverId, name, null);
    this.deps.settings.put(`auth.${serverId}`, next.data);
    for (const name of SECRET_NAMES) {
      const value = secrets[name];
      if (value !== undefined) await this.deps.records.setSecret(serverId, name, value);
    }
    this.providers.delete(serverId);
    const { because, sentence } = forgetting(forgotten, moved);
    this.deps.audit.record('auth.configured', {
      serverId,
      serverName: server.name,
      actor: 'user',
      summary: `Changed how Steward signs in to "${server.name}" (${next.data.mode}${next.data.clientId ? ', pre-registered client' : ''}).${sentence}`,
      // Which secrets changed, never their values.
      data: {
        mode: next.data.mode,
        clientId: next.data.clientId,
        secretsChanged: SECRET_NAMES.filter((n) => secrets[n] !== undefined),
        ...(forgotten.length ? { secretsDeleted: forgotten, because } : {}),
      },
    });
    return this.emit(serverId);
  }

  /** What the server's transport authenticates with: a provider for its mode, and fetch behind the URL checks. */
  async transportAuth(serverId: string, serverUrl: string): Promise<HttpAuth> {
    const config = this.config(serverId);
    const fetch = guardedFetch(serverUrl);
    const legacyIssuer = this.legacyIssuer(serverId, serverUrl);
    const legacy = legacyIssuer !== undefined;
    const relaxed = legacy ? { skipIssuerMetadataValidation: true } : {};
    if (config.mode !== 'oauth') {
      const server = this.server(serverId);
      const authProvider = await machineProvider({
        serverId,
        serverName: server.name,
        serverUrl,
        config,
        records: this.deps.records,
        // Its own requests (discovery, the identity provider, tokens) are bounded in size and time like every sign-in
        // request: the first start of a server in a machine mode waited on them before any connect timeout applied.
        fetch: signInFetch(serverUrl, { ms: this.deps.signInRequestMs }),
        skipIssuerMetadataValidation: legacy,
        legacyIssuer,
        secret: (name) => this.deps.records.secret(serverId, name),
        tokenFiles: this.deps.tokenFiles,
        pinned: (issuer) => this.pinned(serverId, issuer),
        now: () => this.deps.clock.now(),
      });
      return { authProvider, fetch, ...relaxed };
    }
    return { authProvider: await this.provider(serverId, legacyIssuer), fetch, ...relaxed };
  }

  /**
   * The issuer a legacy server's own metadata was accepted under, while the server is still at that origin. With the
   * check relaxed nothing vouches for what its metadata claims later, so that issuer is the only one it may name: one
   * claiming the issuer a configured client belongs to would otherwise be handed the client's secret.
   */
  private legacyIssuer(serverId: string, serverUrl: string): string | undefined {
    const stored = this.deps.settings.get(`auth.legacyIssuer.${serverId}`);
    if (typeof stored !== 'object' || stored === null) return undefined;
    const { issuer, origin } = stored as { issuer?: unknown; origin?: unknown };
    return typeof issuer === 'string' && origin === new URL(serverUrl).origin ? issuer : undefined;
  }

  /** A configured client was used for the first time, at this issuer: recorded, and it holds from now on. */
  private pinned(serverId: string, issuer: string): void {
    const server = this.server(serverId);
    this.deps.audit.record('auth.configured', {
      serverId,
      serverName: server.name,
      actor: 'host',
      summary: `The credentials for "${server.name}" are now tied to the authorization server ${issuer}; Steward will not present them anywhere else.`,
      data: { issuer },
    });
  }

  /**
   * A 2025-03-26 server has no protected-resource metadata; its authorization server metadata sits at the server's
   * origin. When that metadata names an issuer on the same origin but with a path, RFC 8414's echo check fails though
   * nothing points anywhere else. Only then, and only for that server at that origin and that issuer, is the check
   * relaxed (and recorded).
   */
  async legacyFallback(serverId: string, serverUrl: string, error: StewardError): Promise<boolean> {
    const mismatch = error.details?.issuerMismatch as { kind: string; expected: string | null; received: string | null } | undefined;
    if (!mismatch || mismatch.kind !== 'metadata' || !mismatch.expected || !mismatch.received) return false;
    if (this.legacyIssuer(serverId, serverUrl) !== undefined) return false;
    const origin = new URL(serverUrl).origin;
    let sameOrigin = false;
    try {
      sameOrigin = new URL(mismatch.expected).origin === origin && new URL(mismatch.received).origin === origin;
    } catch {
      sameOrigin = false;
    }
    if (!sameOrigin) return false;
    const path = new URL(serverUrl).pathname.replace(/\/$/, '');
    const fetch = signInFetch(serverUrl, { ms: this.deps.signInRequestMs });
    for (const candidate of [`${origin}/.well-known/oauth-protected-resource${path}`, `${origin}/.well-known/oauth-protected-resource`]) {
      const answer = await fetch(candidate).catch(() => undefined);
      // Only the status counts here: the body is let go unread.
      await answer?.body?.cancel().catch(() => undefined);
      if (answer?.ok) return false;
    }
    const server = this.server(serverId);
    // Kept with the issuer accepted and the origin it came from (a server moved elsewhere is checked in full again).
    this.deps.settings.put(`auth.legacyIssuer.${serverId}`, { issuer: mismatch.received, origin });
    this.providers.delete(serverId);
    this.deps.audit.record('auth.configured', {
      serverId,
      serverName: server.name,
      actor: 'host',
      summary: `"${server.name}" signs in the 2025-03-26 way (no resource metadata; its authorization server on the same origin names the issuer ${mismatch.received}); Steward accepts that issuer for this server only.`,
      data: { legacyIssuer: mismatch.received },
    });
    return true;
  }

  private async provider(serverId: string, legacyIssuer = this.legacyIssuer(serverId, this.server(serverId).url)): Promise<StewardOAuthProvider> {
    const cached = this.providers.get(serverId);
    if (cached && cached.legacyIssuer === legacyIssuer) return cached;
    const config = this.config(serverId);
    const setting = this.deps.settings.get('auth.clientMetadataUrl');
    const metadataUrl =
      this.deps.clientMetadataUrl === undefined ? (typeof setting === 'string' ? setting : DEFAULT_CLIENT_METADATA_URL) : this.deps.clientMetadataUrl;
    const provider = new StewardOAuthProvider({
      serverId,
      serverName: this.server(serverId).name,
      config,
      clientSecret: await this.deps.records.secret(serverId, 'clientSecret'),
      redirect: this.listener,
      clientMetadataUrl: metadataUrl ?? undefined,
      clientMetadata: { ...CLIENT_METADATA, ...(config.scope ? { scope: config.scope } : {}) },
      records: this.deps.records,
      legacyIssuer,
      resource: () => this.server(serverId).url,
      hooks: {
        redirect: (url) => this.redirect(serverId, url),
        newState: () => this.newState(serverId),
        signInUnderWay: () => this.signIns.has(serverId),
      },
    });
    this.providers.set(serverId, provider);
    return provider;
  }

  private server(serverId: string): { name: string; url: string } {
    const server = this.deps.server(serverId);
    if (!server) throw new StewardError('not_found', 'There is no such server.');
    return server;
  }

  private async newState(serverId: string): Promise<string> {
    // The SDK asks for a state before it saves a new PKCE verifier: refusing here keeps the verifier of the page the
    // user already opened, so a second connection attempt meanwhile cannot spoil the sign-in under way (until the
    // page's state would have expired anyway).
    const underWay = this.signIns.get(serverId);
    if (underWay?.stage === 'waiting' && this.deps.clock.now() - (underWay.openedAt ?? 0) < STATE_TTL_MS) {
      throw new StewardError('auth_required', `Signing in to "${this.server(serverId).name}" is waiting for the browser; finish or cancel it first.`);
    }
    // The redirect listener opens now, before the authorization URL names its port, and closes when no sign-in waits.
    if (!this.listener.listening) this.refusedCallbacks = 0;
    await this.listener.open();
    // A new authorization replaces the server's earlier one (the SDK saves a new verifier): its old state is useless.
    for (const [old, entry] of this.states) if (entry.serverId === serverId) this.states.delete(old);
    const state = randomBytes(24).toString('base64url');
    this.states.set(state, { serverId, at: this.deps.clock.now() });
    this.settle();
    return state;
  }

  /** Forgets expired states; the listener stays open only while a state is outstanding, and closes when the last expires. */
  private settle(): void {
    const now = this.deps.clock.now();
    for (const [state, entry] of this.states) if (now - entry.at > STATE_TTL_MS) this.states.delete(state);
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = undefined;
    if (this.states.size === 0) {
      detached(this.deps.unexpected, 'closing the sign-in redirect listener', this.listener.close());
      return;
    }
    const next = Math.min(...[...this.states.values()].map((e) => e.at + STATE_TTL_MS)) - now;
    this.expiry = setTimeout(() => guarded(this.deps.unexpected, 'expiring sign-in states', () => this.settle()), Math.max(1000, next + 1));
    this.expiry.unref();
  }

  /** The SDK wants the user at the authorization page: the page waits in the inbox for the click. */
  private async redirect(serverId: string, url: URL): Promise<void> {
    const server = this.server(serverId);
    const now = this.deps.clock.now();
    const recent = (this.prompts.get(serverId) ?? []).filter((at) => now - at < PROMPT_WINDOW_MS);
    if (recent.length >= MAX_PROMPTS) {
      const message = `"${server.name}" kept asking for sign-in (${MAX_PROMPTS} times in a row); Steward stopped asking. Sign in again from the server's page when you are ready.`;
      this.errors.set(serverId, message);
      this.deps.audit.record('auth.failed', { serverId, serverName: server.name, actor: 'host', summary: message, data: { prompts: recent.length } });
      // The state made for this authorization will never be used: the listener need not wait for it.
      for (const [state, entry] of this.states) if (entry.serverId === serverId) this.states.delete(state);
      this.settle();
      this.announce(serverId);
      throw new StewardError('auth_failed', message);
    }
    recent.push(now);
    this.prompts.set(serverId, recent);
    const held = await (await this.provider(serverId)).tokens();
    const scopes = (url.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
    const granted = new Set((held?.scope ?? '').split(' ').filter(Boolean));
    // Step-up: signed in, and the server now wants scopes the token does not have.
    const reason = held?.access_token && scopes.some((s) => !granted.has(s)) ? 'step_up' : 'sign_in';
    const signIn: SignIn = { serverId, url: url.href, reason, scopes, itemId: '', stage: 'consent' };
    this.signIns.set(serverId, signIn);
    this.show(signIn);
    this.deps.audit.record('auth.requested', {
      serverId,
      serverName: server.name,
      actor: 'host',
      summary: `"${server.name}" needs you to sign in at ${url.host}${scopes.length ? ` (${scopes.join(' ')})` : ''}.`,
      data: { authorizationHost: url.host, scopes, reason: signIn.reason },
    });
    this.announce(serverId);
  }

  private show(signIn: SignIn): void {
    const server = this.server(signIn.serverId);
    signIn.itemId = `auth-${randomBytes(8).toString('hex')}`;
    const request: SignInRequestView = {
      serverUrl: server.url,
      authorizationUrl: signIn.url,
      verdict: judgeAuthUrl(signIn.url, server.url),
      reason: signIn.reason,
      scopes: signIn.scopes,
      stage: signIn.stage,
    };
    this.deps.inbox.put<'auth'>(`auth:${signIn.serverId}`, { kind: 'auth', serverId: signIn.serverId, serverName: server.name, request }, signIn.itemId);
  }

  private async decide(item: InboxItem, decision: InboxDecision): Promise<void> {
    if (decision.kind !== 'auth' || item.kind !== 'auth') throw new StewardError('invalid_payload', 'That question needs a sign-in answer.');
    const signIn = this.signIns.get(item.serverId);
    if (!signIn || signIn.itemId !== item.id) throw new StewardError('not_found', 'That sign-in is no longer waiting.');
    const server = this.server(item.serverId);
    if (decision.action === 'cancel') {
      this.drop(item.serverId);
      this.deps.audit.record('auth.failed', {
        serverId: item.serverId,
        serverName: server.name,
        actor: 'user',
        summary: `You did not sign in to "${server.name}".`,
        data: {},
      });
      this.announce(item.serverId);
      return;
    }
    const verdict = judgeAuthUrl(signIn.url, server.url);
    if (!verdict.allowed) throw new StewardError('invalid_payload', `Steward will not open this sign-in page: ${verdict.problems.join(' ')}`);
    await this.deps.open(signIn.url);
    signIn.stage = 'waiting';
    signIn.openedAt = this.deps.clock.now();
    this.show(signIn);
  }

  private drop(serverId: string): void {
    this.signIns.delete(serverId);
    this.deps.inbox.removeKey(`auth:${serverId}`);
    for (const [state, entry] of this.states) if (entry.serverId === serverId) this.states.delete(state);
    this.settle();
  }

  /** The browser came back to the loopback listener. Only a `state` Steward sent is accepted. */
  private async callback(params: URLSearchParams): Promise<CallbackAnswer> {
    const state = params.get('state') ?? '';
    const entry = this.states.get(state);
    if (!entry || this.deps.clock.now() - entry.at > STATE_TTL_MS) {
      this.refusedCallbacks += 1;
      if (this.refusedCallbacks <= MAX_REFUSALS_RECORDED) {
        this.deps.audit.record('auth.refused', {
          serverId: null,
          serverName: null,
          actor: 'host',
          summary: `Refused a sign-in callback that Steward did not start (unknown or expired state)${this.refusedCallbacks === MAX_REFUSALS_RECORDED ? '; more like it while this sign-in waits are not recorded' : ''}.`,
          data: {},
        });
      }
      return { ok: false, title: 'Sign-in not recognised', message: 'Steward did not start this sign-in, or it has expired. Start it again from Steward.' };
    }
    this.states.delete(state);
    try {
      return await this.complete(entry.serverId, params);
    } finally {
      this.settle();
    }
  }

  private async complete(serverId: string, params: URLSearchParams): Promise<CallbackAnswer> {
    const server = this.server(serverId);
    const error = params.get('error');
    if (error) {
      const message = `The authorization server refused: ${params.get('error_description') ?? error}`;
      return this.failed(serverId, server.name, message);
    }
    const provider = await this.provider(serverId);
    try {
      const transport = new StreamableHTTPClientTransport(new URL(server.url), {
        authProvider: provider,
        fetch: signInFetch(server.url, { ms: this.deps.signInRequestMs }),
      });
      await transport.finishAuth(params);
      await transport.close().catch(() => undefined);
    } catch (e) {
      await provider.endSignIn();
      return this.failed(serverId, server.name, `Signing in to "${server.name}" failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    await provider.endSignIn();
    this.drop(serverId);
    this.errors.delete(serverId);
    const view = await this.view(serverId);
    this.deps.audit.record('auth.signed_in', {
      serverId,
      serverName: server.name,
      actor: 'user',
      summary: `Signed in to "${server.name}"${view.issuer ? ` at ${new URL(view.issuer).host}` : ''}${view.scopes.length ? ` (${view.scopes.join(' ')})` : ''}.`,
      data: { issuer: view.issuer, scopes: view.scopes, registration: view.registration },
    });
    this.deps.changed(view);
    // A failed connection shows on the server itself (its status and last error); only a fault of Steward's own is logged.
    this.deps.reconnect(serverId).catch((error: unknown) => {
      if (!(error instanceof StewardError)) this.deps.unexpected(`connecting to server ${serverId} after sign-in`, error);
    });
    return { ok: true, title: `Signed in to ${server.name}`, message: 'You can close this tab and go back to Steward.' };
  }

  private failed(serverId: string, serverName: string, message: string): CallbackAnswer {
    this.drop(serverId);
    this.errors.set(serverId, message);
    this.deps.audit.record('auth.failed', { serverId, serverName, actor: 'host', summary: message, data: {} });
    this.announce(serverId);
    return { ok: false, title: 'Sign-in failed', message };
  }

  /**
   * The user asks to sign in: the prompt cap starts over and the server connects, which asks when it must. `again`
   * (re-authorization, e.g. as another account) drops the current tokens first, keeping the client registration, so
   * the connection asks whatever the tokens would still have allowed.
   */
  async signIn(serverId: string, again = false): Promise<AuthView> {
    const server = this.server(serverId);
    this.prompts.delete(serverId);
    this.errors.delete(serverId);
    if (again && this.config(serverId).mode === 'oauth') {
      // Disconnected first, so no refresh in flight saves new tokens after they are gone.
      this.drop(serverId);
      await this.deps.disconnect(serverId);
      await (await this.provider(serverId)).invalidateCredentials('tokens');
      this.deps.audit.record('auth.signed_out', {
        serverId,
        serverName: server.name,
        actor: 'user',
        summary: `Signing in to "${server.name}" again; its tokens were deleted.`,
        data: { again: true },
      });
    }
    await this.deps.reconnect(serverId).catch((error: unknown) => {
      if (!(error instanceof StewardError && error.code === 'auth_required')) throw error;
    });
    return this.emit(serverId);
  }

  async signOut(serverId: string): Promise<AuthView> {
    const server = this.server(serverId);
    this.drop(serverId);
    // Disconnected first, so no refresh in flight saves new tokens after they are gone.
    await this.deps.disconnect(serverId);
    await this.deps.records.clear(serverId);
    this.providers.delete(serverId);
    this.prompts.delete(serverId);
    this.deps.audit.record('auth.signed_out', {
      serverId,
      serverName: server.name,
      actor: 'user',
      summary: `Signed out of "${server.name}"; its tokens were deleted.`,
      data: {},
    });
    return this.emit(serverId);
  }

  /** Everything about a server, when it is removed. */
  async forget(serverId: string): Promise<void> {
    this.drop(serverId);
    this.providers.delete(serverId);
    await this.deps.records.forget(serverId);
  }

  async view(serverId: string): Promise<AuthView> {
    const config = this.config(serverId);
    const record = await this.deps.records.load(serverId);
    const issuer = (record.lastIssuer && record.lastIssuer !== '*' ? record.lastIssuer : pinnedIssuer(config, record)) ?? null;
    const current = record.lastIssuer ? record.issuers[record.lastIssuer] : undefined;
    // Tokens issued for the server's earlier address are not used: the server is not signed in at this one.
    const tokens = current?.resource === undefined || current.resource === this.server(serverId).url ? current?.tokens : undefined;
    const expiresAt =
      tokens?.expires_in !== undefined && current?.savedAt ? new Date(Date.parse(current.savedAt) + tokens.expires_in * 1000).toISOString() : null;
    const secretsSet = Object.fromEntries(
      await Promise.all(SECRET_NAMES.map(async (n) => [n, Boolean(await this.deps.records.secret(serverId, n))])),
    ) as AuthView['secretsSet'];
    const registration = config.clientId ? 'pre-registered' : (current?.registration ?? null);
    return {
      serverId,
      config,
      secretsSet,
      signedIn: Boolean(tokens?.access_token),
      issuer,
      scopes: (tokens?.scope ?? this.providers.get(serverId)?.requestedScope ?? '').split(' ').filter(Boolean),
      expiresAt,
      registration,
      clientId: config.clientId ?? current?.client?.client_id ?? null,
      dpop: isDpopBound(tokens),
      pending: this.signIns.has(serverId),
      lastError: this.errors.get(serverId) ?? null,
    };
  }

  private emit(serverId: string): Promise<AuthView> {
    return this.view(serverId).then((view) => {
      this.deps.changed(view);
      return view;
    });
  }

  /** The new view for the UI, sent without holding up the flow that changed it. */
  private announce(serverId: string): void {
    detached(this.deps.unexpected, `showing the sign-in state of server ${serverId}`, this.emit(serverId));
  }

  /** A server on this computer may use plain http and loopback addresses for its sign-in pages. */
  static isLocal(serverUrl: string): boolean {
    return serverIsLocal(serverUrl);
  }

  dispose(): Promise<void> {
    if (this.expiry) clearTimeout(this.expiry);
    return this.listener.close();
  }
}
