// A stdio server on `auto` that spoke 2025 is started straight into initialize the next time (no server/discover probe),
// across Steward processes; one that changed under the same command is asked afresh and still comes up.
// Hostile input tried: a verdict kept for another launch, a damaged or foreign value under the key, a server that now
// refuses the 2025 handshake, one that names itself differently, and a server removed with its verdict.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../../main/core/host.js';
import { eraKey, recallEra, settleEra, type EraVerdict } from '../../../main/core/servers/era-memory.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { addApproved, hostOn, tempDir } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';

const ERA_SERVER = join(FIXTURES, 'era-server.mjs');
const undo = undoAfterEach();

describe('the kept verdict (pure)', () => {
  const kept: EraVerdict = { hash: 'h1', era: 'legacy', server: 'era-legacy 1.0.0' };

  it('is recalled only for exactly the launch it was kept for, and only when it reads as one', () => {
    const cases: [unknown, string, EraVerdict | undefined][] = [
      [kept, 'h1', kept],
      [kept, 'h2', undefined],
      [{ ...kept, era: 'modern' }, 'h1', undefined],
      [{ hash: '', era: 'legacy', server: null }, '', undefined],
      ['legacy', 'h1', undefined],
      [null, 'h1', undefined],
      [undefined, 'h1', undefined],
      [[kept], 'h1', undefined],
      [{ hash: 'h1', era: 'legacy' }, 'h1', undefined],
    ];
    for (const [stored, hash, expected] of cases) expect(recallEra(stored, hash)).toEqual(expected);
  });

  it('changes what is kept only when the outcome says something new', () => {
    const cases: [EraVerdict | undefined, { era: 'legacy' | 'modern' | null; server: string | null }, EraVerdict | null | undefined][] = [
      [undefined, { era: 'legacy', server: 'era-legacy 1.0.0' }, { hash: 'h1', era: 'legacy', server: 'era-legacy 1.0.0' }],
      [undefined, { era: 'modern', server: 'x 1' }, undefined],
      [undefined, { era: null, server: null }, undefined],
      [kept, { era: 'legacy', server: 'era-legacy 1.0.0' }, undefined],
      [kept, { era: 'legacy', server: 'era-dual 1.0.0' }, null],
      [kept, { era: 'legacy', server: null }, null],
      [kept, { era: 'modern', server: 'era-legacy 1.0.0' }, null],
    ];
    for (const [before, outcome, expected] of cases) expect(settleEra(before, 'h1', outcome)).toEqual(expected);
  });
});

async function setUp(era: string) {
  const dir = tempDir();
  undo(() => rmSync(dir, { recursive: true, force: true }));
  const eraFile = join(dir, 'era.txt');
  writeFileSync(eraFile, era);
  const data = join(dir, 'data');
  const host = await hostOn(data, undo);
  const { view, approve } = await addApproved(host, 'changing', NODE, [ERA_SERVER, `--era-from=${eraFile}`]);
  await approve();
  return { host, data, eraFile, serverId: view.id };
}

const probes = (host: Host, serverId: string) =>
  host.servers.wire(serverId, { method: 'server/discover', limit: 100 }).messages.filter((m) => m.direction === 'out').length;
const handshakes = (host: Host, serverId: string) =>
  host.servers.wire(serverId, { method: 'initialize', limit: 100 }).messages.filter((m) => m.direction === 'out').length;

async function startStop(host: Host, serverId: string): Promise<void> {
  await host.servers.ensureRunning(serverId);
  await host.servers.stop(serverId);
}

describe('remembering the era a server negotiated', () => {
  it('probes a 2025 server once: its next start, here and in the next Steward, goes straight to initialize', async () => {
    const { host, data, serverId } = await setUp('legacy');
    await host.servers.ensureRunning(serverId);
    expect(host.servers.get(serverId)).toMatchObject({ status: 'running', era: 'legacy', protocolVersion: '2025-11-25' });
    expect(probes(host, serverId)).toBe(1);
    await host.servers.stop(serverId);
    await host.servers.ensureRunning(serverId);
    expect(host.servers.get(serverId)).toMatchObject({ status: 'running', era: 'legacy' });
    expect([probes(host, serverId), handshakes(host, serverId)]).toEqual([1, 2]);
    await host.dispose();

    const next = await hostOn(data, undo);
    await next.servers.ensureRunning(serverId);
    expect(next.servers.get(serverId)).toMatchObject({ status: 'running', era: 'legacy' });
    expect([probes(next, serverId), handshakes(next, serverId)]).toEqual([0, 1]);
  });

  it('asks afresh when the server refuses the 2025 handshake it took last time, and comes up in 2026-07-28', async () => {
    const { host, eraFile, serverId } = await setUp('legacy');
    await startStop(host, serverId);
    writeFileSync(eraFile, 'modern');
    await host.servers.ensureRunning(serverId);
    expect(host.servers.get(serverId)).toMatchObject({ status: 'running', era: 'modern', protocolVersion: '2026-07-28', lastError: null });
    // The straight handshake was tried once and refused; the relaunch probed.
    expect([probes(host, serverId), handshakes(host, serverId)]).toEqual([2, 2]);
    expect(host.servers.logsPage(serverId, 50).some((l) => l.text.includes('did not take the 2025 handshake it took last time'))).toBe(true);
    expect(host.store.settings.get(eraKey(serverId))).toBeUndefined();
    await host.servers.stop(serverId);
    await host.servers.ensureRunning(serverId);
    expect(host.servers.get(serverId)).toMatchObject({ era: 'modern' });
    expect(probes(host, serverId)).toBe(3);
  });

  it('asks afresh next time when a server replaced in place names itself differently', async () => {
    const { host, eraFile, serverId } = await setUp('legacy');
    await startStop(host, serverId);
    writeFileSync(eraFile, 'dual');
    // This start goes straight to initialize, which a dual server takes: it comes up in 2025 as before.
    await host.servers.ensureRunning(serverId);
    expect(host.servers.get(serverId)).toMatchObject({ status: 'running', era: 'legacy' });
    expect(probes(host, serverId)).toBe(1);
    await host.servers.stop(serverId);
    await host.servers.ensureRunning(serverId);
    expect(host.servers.get(serverId)).toMatchObject({ status: 'running', era: 'modern' });
    expect(probes(host, serverId)).toBe(2);
  });

  it('ignores a verdict kept for another launch or damaged, and forgets it with the server', async () => {
    const { host, serverId } = await setUp('legacy');
    host.store.settings.put(eraKey(serverId), { hash: 'another launch', era: 'legacy', server: null });
    await startStop(host, serverId);
    expect(probes(host, serverId)).toBe(1);
    host.store.settings.put(eraKey(serverId), 'legacy, trust me');
    await startStop(host, serverId);
    expect(probes(host, serverId)).toBe(2);
    expect(host.store.settings.get(eraKey(serverId))).toMatchObject({ era: 'legacy' });
    await host.servers.remove(serverId);
    expect(host.store.settings.get(eraKey(serverId))).toBeUndefined();
  });

  it('keeps nothing for a server pinned to an era (it never probes)', async () => {
    const dir = tempDir();
    undo(() => rmSync(dir, { recursive: true, force: true }));
    const host = await hostOn(join(dir, 'data'), undo);
    const view = await host.servers.add({
      name: 'pinned',
      config: { transport: 'stdio', command: NODE, args: [ERA_SERVER, '--era=legacy'], env: {} },
      options: { protocolEra: 'legacy' },
    });
    const request = await host.servers.consentRequest(view.id);
    await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    await startStop(host, view.id);
    expect([probes(host, view.id), handshakes(host, view.id)]).toEqual([0, 1]);
    expect(host.store.settings.get(eraKey(view.id))).toBeUndefined();
  });
});
