// When the trees of servers that came up are read: in one read once starts have been quiet for 250 ms, at the latest 2 s
// after the first was due however many keep coming, never after close; and with real servers, that the read still
// records every process of their trees (a grandchild in the server's group, one in a session of its own) and their
// memory without the periodic sample, and a stop still takes them all down.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProcStat } from '../../../main/core/owners/index.js';
import type { Clock } from '../../../main/core/ports.js';
import { TREE_QUIET_MS, TREE_WAIT_MS, TreeReads } from '../../../main/core/servers/tree-reads.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { addApproved, makeHostFor } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { textOf } from '../../helpers/results.js';

/** A clock whose timers fire only when the test moves time on. */
function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const timer = { at: now + ms, fn, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const next = timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      now = next.at;
      next.cancelled = true;
      next.fn();
    }
    now = end;
    timers = timers.filter((t) => !t.cancelled);
  };
  return { clock, advance, pending: () => timers.filter((t) => !t.cancelled).length };
}

function reads() {
  const { clock, advance, pending } = manualClock();
  const seen: { at: number; ids: string[]; helpers: boolean }[] = [];
  const trees = new TreeReads(clock, (ids, helpers) => seen.push({ at: clock.now(), ids, helpers }));
  return { trees, advance, pending, seen };
}

describe('TreeReads', () => {
  it('reads servers that come up together once, when starts have been quiet for 250 ms', () => {
    const { trees, advance, seen } = reads();
    trees.soon('a');
    advance(100);
    trees.soon('b');
    advance(100);
    trees.soon('c');
    advance(TREE_QUIET_MS - 1);
    expect(seen).toEqual([]);
    advance(1);
    expect(seen).toEqual([{ at: 200 + TREE_QUIET_MS, ids: ['a', 'b', 'c'], helpers: false }]);
    // A server that comes up again later is read again, on its own.
    trees.soon('a');
    advance(TREE_QUIET_MS);
    expect(seen.at(-1)).toEqual({ at: 200 + 2 * TREE_QUIET_MS, ids: ['a'], helpers: false });
    expect(seen).toHaveLength(2);
  });

  it('reads at the latest 2 s after the first came up while starts keep coming, then starts a new batch', () => {
    const { trees, advance, seen } = reads();
    let n = 0;
    for (let at = 0; at <= TREE_WAIT_MS + 400; at += 200) {
      trees.soon(`s${n++}`);
      advance(200);
    }
    expect(seen[0]).toEqual({ at: TREE_WAIT_MS, ids: Array.from({ length: TREE_WAIT_MS / 200 }, (_, i) => `s${i}`), helpers: false });
    expect(seen).toHaveLength(1);
    advance(TREE_QUIET_MS);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.ids).toEqual(['s10', 's11', 's12']);
    expect(new Set([...seen[0]!.ids, ...seen[1]!.ids]).size).toBe(n);
  });

  it('looks for the sandbox helpers in the same read, or in one of their own', () => {
    const { trees, advance, seen } = reads();
    trees.soon(undefined, true);
    advance(TREE_QUIET_MS);
    trees.soon('a');
    trees.soon(undefined, true);
    trees.soon('b');
    advance(TREE_QUIET_MS);
    expect(seen).toEqual([
      { at: TREE_QUIET_MS, ids: [], helpers: true },
      { at: 2 * TREE_QUIET_MS, ids: ['a', 'b'], helpers: true },
    ]);
  });

  it('reads nothing once closed, neither what was due nor what comes after', () => {
    const { trees, advance, pending, seen } = reads();
    trees.soon('a');
    trees.close();
    trees.soon('b', true);
    advance(TREE_WAIT_MS * 2);
    expect(seen).toEqual([]);
    expect(pending()).toBe(0);
  });
});

describe('servers coming up together', () => {
  const cleanup = undoAfterEach();

  it('have every process of their trees and their memory on record soon after, without the periodic sample, and stop whole', async () => {
    const { host } = await makeHostFor(cleanup, { stopGraceMs: 300, sampleIntervalMs: 3_600_000 });
    const servers = await Promise.all(
      [false, true, false].map(async (setsid, i) => {
        const { view, approve } = await addApproved(host, `stubborn-${i}`, NODE, [join(FIXTURES, 'stubborn-server.mjs'), ...(setsid ? ['--setsid'] : [])]);
        expect((await approve()).status).toBe('running');
        const pids = JSON.parse(textOf(await host.tools.call({ serverId: view.id, name: 'pids', arguments: {} }))) as { self: number; grandchild: number };
        return { id: view.id, ...pids };
      }),
    );
    const recorded = (id: string) => host.store.processes.ofServer(id).map((p) => [p.role, p.pid]);
    await expect
      .poll(() => servers.map((s) => recorded(s.id)))
      .toEqual(
        servers.map((s) => [
          ['server', s.self],
          ['member', s.grandchild],
        ]),
      );
    for (const s of servers) expect(host.servers.get(s.id).rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    for (const s of servers) await host.servers.stop(s.id);
    // No stat for a process that is gone or a zombie (it has exited; its parent has yet to reap it).
    const alive = (pid: number) => readProcStat(pid) !== undefined;
    await expect.poll(() => servers.flatMap((s) => [s.self, s.grandchild]).filter(alive)).toEqual([]);
    for (const s of servers) expect(host.store.processes.ofServer(s.id)).toEqual([]);
  });
});
