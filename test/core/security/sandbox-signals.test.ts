// The sandbox runtime registers SIGINT and SIGTERM listeners of its own when it starts (to tidy up without exiting):
// with them a first Ctrl+C would be swallowed. Steward's runner takes them off; the host disposes the sandbox itself.
import { describe, expect, it, vi } from 'vitest';
import { createOsSandbox } from '../../../main/core/security/index.js';
import { EXIT_NOW_REQUEST } from '../../helpers/sandbox.js';

describe('the OS sandbox and signals', () => {
  it('leaves the process with exactly the SIGINT and SIGTERM listeners it had before the runtime started', async () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const sandbox = createOsSandbox();
    try {
      expect((await sandbox.support()).kind).toBe('available');
      const wrapped = await sandbox.wrap(EXIT_NOW_REQUEST);
      wrapped.release();
      expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
      // Its bridge to the proxies is named, so the supervisor can record it.
      expect(sandbox.bridges?.().length).toBeGreaterThan(0);
    } finally {
      await sandbox.dispose();
    }
  });

  it('starts the runtime on prepare, with no wrap: its bridges are named, and the signal listeners stay as they were', async () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const sandbox = createOsSandbox();
    try {
      expect((await sandbox.support()).kind).toBe('available');
      expect(sandbox.bridges?.()).toEqual([]);
      sandbox.prepare?.();
      await vi.waitFor(() => expect(sandbox.bridges?.().length).toBeGreaterThan(0), { timeout: 30_000, interval: 50 });
      expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
    } finally {
      await sandbox.dispose();
    }
  });
});
