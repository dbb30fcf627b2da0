// A real host on a temp data dir, with the sandbox on or off, cleaned up after each test.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createHost, type Host, type HostOptions } from '../../main/core/host.js';
import { FileSecretStore } from '../../main/core/node/index.js';
import type { SandboxRunner } from '../../main/core/security/index.js';
import type { Undo } from './cleanup.js';

export const noSandbox: SandboxRunner = {
  support: () => Promise.resolve({ kind: 'unsupported' }),
  wrap: () => Promise.reject(new Error('no sandbox in this test')),
  dispose: () => Promise.resolve(),
};

export interface TestHost {
  host: Host;
  dir: string;
  opened: string[];
  close(): Promise<void>;
}

/** Every folder made here by this test file; they go after its last test, whether or not a test removed its own. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 300_000);

export function tempDir(prefix = 'steward-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** The options every test host shares: a data folder, secrets in it, a browser that only records, no sandbox. */
function testOptions(data: string, opened: string[], overrides: Partial<HostOptions>): HostOptions {
  return {
    dataDir: { path: data },
    secrets: FileSecretStore.inDataDir(data),
    browser: {
      open: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    },
    sandbox: noSandbox,
    backoff: { baseMs: 50, maxMs: 200, maxRestarts: 2, healthyAfterMs: 60_000 },
    stopGraceMs: 500,
    connectTimeoutMs: 15_000,
    ...overrides,
  };
}

export async function makeHost(overrides: Partial<HostOptions> = {}): Promise<TestHost> {
  const dir = tempDir();
  const opened: string[] = [];
  const host = await createHost(testOptions(join(dir, 'data'), opened, overrides));
  return {
    host,
    dir,
    opened,
    close: async () => {
      await host.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A host on an existing data folder (the same folder again is the same Steward data, as after a restart), disposed after the test. */
export async function hostOn(data: string, cleanup: Undo, overrides: Partial<HostOptions> = {}): Promise<Host> {
  const host = await createHost(testOptions(data, [], overrides));
  cleanup(() => host.dispose());
  return host;
}

/** A test host closed (and its folder removed) after the test that made it. */
export async function makeHostFor(cleanup: Undo, overrides: Partial<HostOptions> = {}): Promise<TestHost> {
  const t = await makeHost(overrides);
  cleanup(() => t.close());
  return t;
}

/** Adds a stdio server and approves exactly the launch the consent request shows. */
export async function addApproved(
  host: Host,
  name: string,
  command: string,
  args: string[],
  extra: { env?: Record<string, string>; cwd?: string; sandbox?: Record<string, unknown> } = {},
) {
  const view = await host.servers.add({
    name,
    config: { transport: 'stdio', command, args, env: extra.env ?? {}, ...(extra.cwd ? { cwd: extra.cwd } : {}) },
    ...(extra.sandbox ? { sandbox: extra.sandbox } : {}),
  });
  const request = await host.servers.consentRequest(view.id);
  return { view, request, approve: () => host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user') };
}
