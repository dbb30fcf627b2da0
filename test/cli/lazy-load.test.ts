// What a command loads: help and the version print without the host or the MCP SDK, and a command that runs opens the
// host. Each run records every ES module the CLI process loads (test/fixtures/record-modules.mjs) and the test reads the
// list.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/host.js';
import { CLI, FIXTURES, NODE } from '../helpers/paths.js';

let home: string;
let runs = 0;
beforeAll(() => {
  home = tempDir('steward-lazy-');
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Runs the CLI with the module recorder; resolves to its exit code and the module URLs it loaded. */
function loaded(...args: string[]): Promise<{ code: number; modules: string[] }> {
  const file = join(home, `modules-${++runs}.txt`);
  return new Promise((resolve) => {
    execFile(
      NODE,
      ['--import', join(FIXTURES, 'record-modules.mjs'), CLI, ...args],
      { env: { ...process.env, STEWARD_HOME: join(home, 'data'), STEWARD_TEST_MODULES_FILE: file }, cwd: home, timeout: 60_000 },
      (error) => {
        let modules: string[] = [];
        try {
          modules = readFileSync(file, 'utf8').split('\n').filter(Boolean);
        } catch {
          // nothing recorded: the assertions below say so
        }
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, modules });
      },
    );
  });
}

const sdk = (modules: string[]) => modules.filter((url) => url.includes('/node_modules/@modelcontextprotocol/'));
const ours = (modules: string[], path: string) => modules.some((url) => url.endsWith(path));

describe('the steward command loads what the command needs', () => {
  it('prints help and the version without the host or the MCP SDK', async () => {
    for (const args of [['--help'], ['--version']]) {
      const run = await loaded(...args);
      expect(run.code).toBe(0);
      expect(ours(run.modules, '/dist/main/cli/index.js')).toBe(true);
      expect(ours(run.modules, '/dist/main/core/host.js')).toBe(false);
      expect(sdk(run.modules)).toEqual([]);
    }
  });

  it('opens the host for a command that runs', async () => {
    const run = await loaded('servers', 'list', '--json');
    expect(run.code).toBe(0);
    // Tried: what help and the version must not show (the host, packages' modules), so the recorder is seen to record.
    expect(ours(run.modules, '/dist/main/core/host.js')).toBe(true);
    expect(run.modules.some((url) => url.includes('/node_modules/'))).toBe(true);
  });
});
