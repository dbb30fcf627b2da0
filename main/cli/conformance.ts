// The client the official MCP conformance suite drives: the real host core, one HTTP server, one scenario.
// Usage (by the suite): node conformance.js <server-url>, with MCP_CONFORMANCE_SCENARIO set.
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallResult } from '../../shared/domain/mcp.js';
import { createHost, type Host } from '../core/host.js';
import { FileSecretStore } from '../core/node/index.js';
import type { BrowserOpener } from '../core/ports.js';
import { StewardError } from '../../shared/errors.js';
import type { SandboxRunner } from '../core/security/index.js';
import { terminalSafe } from '../core/node/index.js';
import { printLine } from './context.js';

/** The tool each scenario's server watches for, with the arguments it checks. */
const SCENARIO_CALLS: Readonly<Record<string, { tool: string; arguments: Record<string, unknown> }>> = {
  tools_call: { tool: 'add_numbers', arguments: { a: 5, b: 3 } },
  'sse-retry': { tool: 'test_reconnection', arguments: {} },
};

/** The tool json-schema-2020-12-preservation offers to echo a schema back. */
const SCHEMA_ECHO = 'json_schema_echo';

/** Scenarios whose server checks what the client does across all of its tools (MRTR state kept per request). */
const CALL_EVERY_TOOL: ReadonlySet<string> = new Set(['sep-2322-client-request-state']);

/**
 * Scenarios whose checks measure time. The suite runs every scenario at once, and sse-retry times the client's
 * reconnection to within 200 ms; on a small machine the other clients' start-up would starve it (and the suite).
 */
const TIMED_SCENARIOS: ReadonlySet<string> = new Set(['sse-retry']);

// Only HTTP servers are used here, so nothing is ever launched or sandboxed.
const noSandbox: SandboxRunner = {
  support: () => Promise.resolve({ kind: 'unsupported' }),
  wrap: () => Promise.reject(new Error('The conformance client launches no local servers.')),
  dispose: () => Promise.resolve(),
};

/**
 * The user, as the scenarios need one: a form is accepted as shown, so every field keeps its pre-filled default
 * (SEP-1034). Other questions are left alone; no scenario asks them.
 */
function acceptFormsAsShown(host: Host): void {
  const answered = new Set<string>();
  host.events.on('inbox:changed', (change) => {
    if (change.change !== 'added') return;
    const item = change.item;
    if (item.kind !== 'elicitation' || answered.has(item.id)) return;
    answered.add(item.id);
    void host.inbox
      .decide(item.id, { kind: 'elicitation', action: 'accept', content: {} })
      .catch((error: unknown) => printLine(process.stderr, `conformance: ${terminalSafe(String(error))}`));
  });
}

/**
 * The user's browser, as the scenarios need one: each authorization server answers /authorize with a redirect straight
 * back, so the page is fetched without following it and the redirect is delivered to Steward's loopback listener.
 */
const headlessBrowser: BrowserOpener = {
  async open(url) {
    const page = await fetch(url, { redirect: 'manual' });
    const location = page.headers.get('location');
    if (!location) throw new Error(`The authorization page answered ${page.status} without sending the browser back.`);
    await fetch(new URL(location, url));
  },
};

/** The user signs in whenever a server asks. */
function signInWhenAsked(host: Host): void {
  const answered = new Set<string>();
  host.events.on('inbox:changed', (change) => {
    if (change.change !== 'added') return;
    const item = change.item;
    if (item.kind !== 'auth' || item.request.stage !== 'consent' || answered.has(item.id)) return;
    answered.add(item.id);
    void host.inbox
      .decide(item.id, { kind: 'auth', action: 'open' })
      .catch((error: unknown) => printLine(process.stderr, `conformance: ${terminalSafe(String(error))}`));
  });
}

/**
 * Waits for a sign-in for the server to end, either way, for at most 20 s. `stop` ends the wait early: a wait left
 * running would hold the process open for its 20 s after the scenario is done.
 */
function signInEnded(host: Host, serverId: string): { ended: Promise<void>; stop: () => void } {
  let stop = (): void => undefined;
  const ended = new Promise<void>((resolve) => {
    const timer = setTimeout(finish, 20_000);
    const off = host.events.on('auth:changed', (view) => {
      if (view.serverId === serverId && !view.pending) finish();
    });
    function finish() {
      clearTimeout(timer);
      off();
      resolve();
    }
    stop = finish;
  });
  return { ended, stop };
}

/** Runs an operation; when it needs a sign-in, waits for it (the bot user signs in) and tries again. */
async function signedIn<T>(host: Host, serverId: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const signIn = signInEnded(host, serverId);
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof StewardError && error.code === 'auth_required') || attempt >= 6) throw error;
      await signIn.ended;
    } finally {
      signIn.stop();
    }
  }
}

interface Context {
  client_id?: string;
  client_secret?: string;
  private_key_pem?: string;
  signing_algorithm?: string;
  idp_client_id?: string;
  idp_id_token?: string;
  idp_token_endpoint?: string;
  /** Workload identity federation: the workload's token, issued for the scenario's authorization server. */
  valid_jwt?: string;
  toolCalls?: { name: string; arguments?: Record<string, unknown> }[];
}

/** Credentials a scenario hands the client, set the way a user sets them on the server's sign-in settings. */
async function configureAuth(host: Host, serverId: string, scenario: string, context: Context): Promise<void> {
  if (!context.client_id) return;
  if (scenario === 'auth/client-credentials-jwt') {
    await host.auth.configure(
      serverId,
      { mode: 'client_credentials', clientId: context.client_id, clientAuth: 'private_key_jwt', algorithm: (context.signing_algorithm ?? 'ES256') as 'ES256' },
      { privateKey: context.private_key_pem ?? null },
    );
  } else if (scenario === 'auth/client-credentials-basic') {
    await host.auth.configure(
      serverId,
      { mode: 'client_credentials', clientId: context.client_id, clientAuth: 'client_secret_basic' },
      { clientSecret: context.client_secret ?? null },
    );
  } else if (context.valid_jwt) {
    await host.auth.configure(serverId, { mode: 'workload', clientId: context.client_id }, { workloadToken: context.valid_jwt });
  } else if (context.idp_token_endpoint) {
    await host.auth.configure(
      serverId,
      { mode: 'enterprise', clientId: context.client_id, idpTokenEndpoint: context.idp_token_endpoint, idpClientId: context.idp_client_id ?? null },
      { clientSecret: context.client_secret ?? null, idToken: context.idp_id_token ?? null },
    );
  } else {
    await host.auth.configure(serverId, { mode: 'oauth', clientId: context.client_id }, { clientSecret: context.client_secret ?? null });
  }
}

async function runScenario(host: Host, url: string, scenario: string, context: Context): Promise<void> {
  acceptFormsAsShown(host);
  signInWhenAsked(host);
  const view = await host.servers.add({ name: 'conformance', config: { transport: 'http', url, headers: {} } });
  await configureAuth(host, view.id, scenario, context);
  const tools = await signedIn(host, view.id, async () => (await host.servers.ensureRunning(view.id)).listTools());
  const call = (name: string, args: Record<string, unknown>) => signedIn(host, view.id, () => host.runTool({ serverId: view.id, name, arguments: args }));
  if (context.toolCalls) {
    // The calls the scenario names, with its arguments (values the client must mirror into headers).
    for (const planned of context.toolCalls) await call(planned.name, planned.arguments ?? {});
    return;
  }
  if (scenario === 'json-schema-2020-12-preservation') {
    // The user's model sees the schema as Steward kept it; the echo tool sends it back for the suite to compare.
    const focal = tools.find((t) => t.name !== SCHEMA_ECHO);
    if (focal) await call(SCHEMA_ECHO, { schema: focal.inputSchema });
    return;
  }
  if (CALL_EVERY_TOOL.has(scenario)) {
    // Every tool at once, as a model would in parallel; a server that breaks the protocol fails its own call only.
    const outcomes = await Promise.allSettled(tools.map((t) => call(t.name, {})));
    for (const o of outcomes) if (o.status === 'rejected') printLine(process.stderr, `conformance: ${terminalSafe(String(o.reason))}`);
    return;
  }
  const planned = SCENARIO_CALLS[scenario];
  const name = planned?.tool ?? tools[0]?.name;
  if (name === undefined) return;
  if (!tools.some((t) => t.name === name)) throw new Error(`The server does not offer the tool "${name}" that scenario "${scenario}" needs.`);
  const result = await call(name, planned?.arguments ?? {});
  if (result.isError) throw new Error(`The tool "${name}" reported an error: ${textOf(result)}`);
}

function parseContext(raw: string | undefined): Context {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object') return {};
    const listed: unknown = (parsed as { toolCalls?: unknown }).toolCalls;
    const calls = Array.isArray(listed)
      ? (listed as unknown[]).filter(
          (c): c is { name: string; arguments?: Record<string, unknown> } => !!c && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string',
        )
      : undefined;
    const context = parsed as Context;
    return { ...context, ...(calls ? { toolCalls: calls } : {}) };
  } catch {
    return {};
  }
}

function textOf(result: CallResult): string {
  return result.content
    .map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .join(' ')
    .trim();
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const url = argv.at(-1);
  if (!url) {
    printLine(process.stderr, 'Usage: conformance <server-url> (with MCP_CONFORMANCE_SCENARIO set)');
    return 2;
  }
  const scenario = env.MCP_CONFORMANCE_SCENARIO ?? '';
  if (!TIMED_SCENARIOS.has(scenario)) setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  const home = mkdtempSync(join(tmpdir(), 'steward-conformance-'));
  let host: Host | undefined;
  try {
    const dataDir = join(home, 'data');
    host = await createHost({
      dataDir: { path: dataDir },
      secrets: FileSecretStore.inDataDir(dataDir),
      browser: headlessBrowser,
      sandbox: noSandbox,
      autostart: false,
      // The suite's client ID metadata document; any free port, since the scenarios run side by side.
      clientMetadataUrl: 'https://conformance-test.local/client-metadata.json',
      redirectPorts: [0],
    });
    await runScenario(host, url, scenario, parseContext(env.MCP_CONFORMANCE_CONTEXT));
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    printLine(process.stderr, `conformance ${terminalSafe(scenario || '(no scenario)')}: ${terminalSafe(message.replace(/\s+/g, ' '))}`);
    return 1;
  } finally {
    await host?.dispose();
    rmSync(home, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
