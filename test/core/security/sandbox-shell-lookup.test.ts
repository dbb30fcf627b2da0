// On Linux the sandbox runtime looks the shell up at every wrap by running `which bash`, with a one-second limit. On a
// machine too busy to finish that in time the wrap failed with "Shell 'bash' not found in PATH", so a server that ran a
// minute before failed to start for a reason that was not true. These tests put a `which` first on PATH that fails its
// first lookups of bash (as a timed-out one does) and then answers as the real one, and run the real runtime with it.
import { readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOsSandbox, type SandboxRunner } from '../../../main/core/security/index.js';
import { SHELL_LOOKUP_ATTEMPTS } from '../../../main/core/security/sandbox-runner.js';
import { tempDir } from '../../helpers/host.js';
import { EXIT_NOW_REQUEST } from '../../helpers/sandbox.js';

const REAL_WHICH = ['/usr/bin/which', '/bin/which'].find((p) => existsSync(p));
const WC = ['/usr/bin/wc', '/bin/wc'].find((p) => existsSync(p)) ?? 'wc';
const savedPath = process.env.PATH;
let bin = '';
let log = '';

beforeAll(() => {
  bin = tempDir('steward-which-');
  log = join(bin, 'lookups.log');
  // Fails the first $STEWARD_TEST_WHICH_FAILS lookups of bash (each one logged), and answers every other as `which` does.
  writeFileSync(
    join(bin, 'which'),
    `#!/bin/sh
if [ "$1" = bash ]; then
  echo bash >> "${log}"
  if [ "$(${WC} -l < "${log}")" -le "$STEWARD_TEST_WHICH_FAILS" ]; then exit 1; fi
fi
exec ${REAL_WHICH} "$@"
`,
  );
  chmodSync(join(bin, 'which'), 0o755);
  process.env.PATH = `${bin}:${savedPath}`;
});

afterAll(() => {
  process.env.PATH = savedPath;
  delete process.env.STEWARD_TEST_WHICH_FAILS;
});

let sandbox: SandboxRunner | undefined;
afterEach(async () => {
  await sandbox?.dispose();
  sandbox = undefined;
});

const request = EXIT_NOW_REQUEST;

/** Lookups of bash since the log was emptied. */
const lookups = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);

function failFirst(n: number) {
  writeFileSync(log, '');
  process.env.STEWARD_TEST_WHICH_FAILS = String(n);
}

describe.runIf(process.platform === 'linux' && REAL_WHICH !== undefined)('the sandbox when the runtime cannot look up the shell', () => {
  it('wraps anyway when the lookup fails and bash is on PATH: the wrap is tried again, up to three times', async () => {
    sandbox = createOsSandbox();
    expect((await sandbox.support()).kind).toBe('available');
    failFirst(SHELL_LOOKUP_ATTEMPTS - 1);
    // Without the retry this wrap rejected with the runtime's "Shell 'bash' not found in PATH".
    const wrapped = await sandbox.wrap(request);
    wrapped.release();
    expect(lookups()).toBe(SHELL_LOOKUP_ATTEMPTS);
    expect(wrapped.file.length).toBeGreaterThan(0);
  });

  it('ends a lookup that keeps failing in sandbox_unavailable, naming the shell, after exactly three attempts; the next wrap works', async () => {
    sandbox = createOsSandbox();
    failFirst(1000);
    await expect(sandbox.wrap(request)).rejects.toMatchObject({
      code: 'sandbox_unavailable',
      message: expect.stringMatching(/lookup of bash \(at \/.+\) failed 3 times in a row/) as unknown,
    });
    expect(lookups()).toBe(SHELL_LOOKUP_ATTEMPTS);
    failFirst(0);
    const wrapped = await sandbox.wrap(request);
    wrapped.release();
    expect(lookups()).toBe(1);
  });

  it('does not try again when bash is not on PATH at all, and says so', async () => {
    sandbox = createOsSandbox();
    // The runtime started with the usual PATH (it looks its tools up once, at start).
    failFirst(0);
    (await sandbox.wrap(request)).release();
    // Then a PATH of the `which` and ripgrep (run at every wrap) only: no folder on it holds bash.
    const tools = tempDir('steward-nobash-');
    const rg = ['/usr/bin/rg', '/bin/rg'].find((p) => existsSync(p));
    if (rg) writeFileSync(join(tools, 'rg'), `#!/bin/sh\nexec ${rg} "$@"\n`, { mode: 0o755 });
    failFirst(0);
    process.env.PATH = `${bin}:${tools}`;
    try {
      await expect(sandbox.wrap(request)).rejects.toMatchObject({
        code: 'sandbox_unavailable',
        message: 'The sandbox needs bash to start a server, and bash is not on PATH.',
      });
    } finally {
      process.env.PATH = `${bin}:${savedPath}`;
    }
    expect(lookups()).toBe(1);
  });
});
