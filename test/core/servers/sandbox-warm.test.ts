// A host that lives on starts the sandbox runtime as soon as a sandboxed launch is planned (the consent the user reads
// comes first, the start after), so the first start does not wait for the runtime's proxies and bridges. The CLI, and
// a launch outside the sandbox, leave it alone.
import { describe, expect, it } from 'vitest';
import type { SandboxRunner } from '../../../main/core/security/index.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { addApproved, makeHostFor } from '../../helpers/host.js';
import { NODE } from '../../helpers/paths.js';

const undo = undoAfterEach();

/** A sandbox that says it is there and counts how often it was asked to start; it never wraps (nothing starts here). */
function countingSandbox(): SandboxRunner & { prepared: number } {
  const runner = {
    prepared: 0,
    support: () => Promise.resolve({ kind: 'available' as const }),
    wrap: () => Promise.reject(new Error('not in this test')),
    prepare: () => {
      runner.prepared += 1;
    },
    dispose: () => Promise.resolve(),
  };
  return runner;
}

describe('warming the sandbox', () => {
  it('starts the runtime when a sandboxed launch is planned, before any start', async () => {
    const sandbox = countingSandbox();
    const { host } = await makeHostFor(undo, { sandbox });
    const { request } = await addApproved(host, 'boxed', NODE, ['-e', '']);
    expect(request.spec.sandbox.mode).toBe('enforced');
    expect(sandbox.prepared).toBeGreaterThan(0);
  });

  it('leaves it alone for a launch outside the sandbox, and in a host told not to (the CLI)', async () => {
    const open = countingSandbox();
    const { host } = await makeHostFor(undo, { sandbox: open });
    const { request } = await addApproved(host, 'open', NODE, ['-e', ''], { sandbox: { enabled: false } });
    expect(request.spec.sandbox.mode).toBe('off');
    expect(open.prepared).toBe(0);

    const cli = countingSandbox();
    const other = await makeHostFor(undo, { sandbox: cli, warmSandbox: false });
    const boxed = await addApproved(other.host, 'boxed', NODE, ['-e', '']);
    expect(boxed.request.spec.sandbox.mode).toBe('enforced');
    expect(cli.prepared).toBe(0);
  });
});
