// What a start writes: the session record (which process holds a session with the server) is written when that
// changes, once on coming up and once on stopping, not on each status a start passes through; and a second process
// sees it while the server runs.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { addApproved, makeHostFor } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';

const undo = undoAfterEach();

describe('the records a start writes', () => {
  it('writes the session record once when the server comes up and removes it once when it stops', async () => {
    const { host } = await makeHostFor(undo);
    const { view, approve } = await addApproved(host, 'probe', NODE, [join(FIXTURES, 'probe-server.mjs')]);
    const owners = host.store.owners;
    const calls: string[] = [];
    const hold = owners.holdSession.bind(owners);
    const release = owners.releaseSession.bind(owners);
    owners.holdSession = (...args) => {
      calls.push('hold');
      hold(...args);
    };
    owners.releaseSession = (...args) => {
      calls.push('release');
      release(...args);
    };
    await approve();
    await host.servers.ensureRunning(view.id);
    expect(calls).toEqual(['hold']);
    expect(owners.sessions(view.id)).toHaveLength(1);
    await host.servers.stop(view.id);
    await host.servers.ensureRunning(view.id);
    await host.servers.stop(view.id);
    expect(calls).toEqual(['hold', 'release', 'hold', 'release']);
    expect(owners.sessions(view.id)).toHaveLength(0);
  });
});
