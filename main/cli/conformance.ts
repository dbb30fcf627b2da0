// The client the official MCP conformance suite drives: the real host core, one HTTP server, one scenario.
// Usage (by the suite): node conformance.js <server-url>, with MCP_CONFORMANCE_SCENARIO set.
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallResult } from '../../shared/domain/mcp.js';
import { createHost, type Host } from '../core/host.js';
import { FileSecretStore } from '../core/node/index.js';
import type { SandboxRunner } from '../core/security/index.js';

/** The tool each scenario's server watches for, with the arguments it checks. */
const SCENARIO_CALLS: Readonly<Record<string, { tool: string; arguments: Record<string, unknown> }>> = {
  tools_call: { tool: 'add_numbers', arguments: { a: 5, b: 3 } },
  'sse-retry': { tool: 'test_reconnection', arguments: {} },
};

/**
 * Scenarios whose checks measure time. The suite runs every scenario at once, and sse-retry times the client's
 * reconnection to within 200 ms; on a small machine the other clients' start-up would starve it (and the suite).
 */
const TIMED_SCENARIOS: ReadonlySet<string> = new Set(['sse-retry']);

// Only HTTP servers are used here, so nothing is ever launched or sandboxed.
const noSandbox: SandboxRunner = {
  support: async () => ({ kind: 'unsupported' }),
  wrap: async () => {
    throw new Error('The conformance client launches no local servers.');
  },
  dispose: async () => undefined,
};

/**
 * The user, as the scenarios need one: a form is accepted as shown, so every field keeps its pre-filled default
 * (SEP-1034). Other questions are left alone; no scenario asks them.
 */
function acceptFormsAsShown(host: Host): void {
  const answered = new Set<string>();
  host.events.on('inbox:changed', (items) => {
    for (const item of items) {
      if (item.kind !== 'elicitation' || answered.has(item.id)) continue;
      answered.add(item.id);
      void host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: {} }).catch((error: Error) => process.stderr.write(`conformance: ${error.message}\n`));
    }
  });
}

async function runScenario(host: Host, url: string, scenario: string): Promise<void> {
  acceptFormsAsShown(host);
  const view = await host.servers.add({ name: 'conformance', config: { transport: 'http', url, headers: {} } });
  const session = await host.servers.ensureRunning(view.id);
  const tools = await session.listTools();
  const planned = SCENARIO_CALLS[scenario];
  const name = planned?.tool ?? tools[0]?.name;
  if (name === undefined) return;
  if (!tools.some((t) => t.name === name)) throw new Error(`The server does not offer the tool "${name}" that scenario "${scenario}" needs.`);
  const result = await host.runTool({ serverId: view.id, name, arguments: planned?.arguments ?? {} });
  if (result.isError) throw new Error(`The tool "${name}" reported an error: ${textOf(result)}`);
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
    process.stderr.write('Usage: conformance <server-url> (with MCP_CONFORMANCE_SCENARIO set)\n');
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
      browser: { open: async () => undefined },
      sandbox: noSandbox,
      autostart: false,
    });
    await runScenario(host, url, scenario);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`conformance ${scenario || '(no scenario)'}: ${message.replace(/\s+/g, ' ')}\n`);
    return 1;
  } finally {
    await host?.dispose();
    rmSync(home, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
