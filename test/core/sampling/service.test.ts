// The sampling service's queued writes: a flush that fails on its timer is reported, the round it lost stays in the
// journal, and the next round is written as usual.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { samplingRig, textRequest, type SamplingRig } from '../../helpers/sampling.js';

let rig: SamplingRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('queued sampling writes', () => {
  it('reports a timer flush that fails, and the next round still reaches the record on its own timer', async () => {
    const reported: Array<{ where: string; error: unknown }> = [];
    rig = await samplingRig({ onUnexpected: (where, error) => reported.push({ where, error }) });
    const { host } = rig.t;
    // A remote server is never contacted here: the service is asked directly, as a session would ask it.
    const server = await host.servers.add({ name: 'remote', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
    host.sampling.setPolicy(server.id, server.name, { mode: 'allow' });
    const ask = () =>
      host.sampling.handle(
        { serverId: server.id, serverName: server.name, sessionKey: 'session', toolsDeclared: false, signal: new AbortController().signal },
        textRequest('Say hello.'),
      );
    // Read straight from the store: listing loops through the service would flush, and the timer must have done it.
    const statuses = () =>
      host.store.sampling
        .loops(server.id, null, 10)
        .flatMap((loop) => host.store.sampling.rounds(loop.id))
        .map((round) => round.status);

    const journaled = () => host.store.sampling.journaled().map((e) => e.entry?.round);

    const boom = new Error('disk I/O error');
    let failing = true;
    const putRound = host.store.sampling.putRound.bind(host.store.sampling);
    vi.spyOn(host.store.sampling, 'putRound').mockImplementation((row) => {
      if (failing) throw boom;
      putRound(row);
    });
    await expect(ask()).resolves.toMatchObject({ role: 'assistant' });
    // The round's last state is queued now (its batch runs on a timer): that batch fails and is reported.
    const before = reported.length;
    await expect.poll(() => reported.length).toBeGreaterThan(before);
    failing = false;
    expect(reported.every((r) => r.where === 'writing 1 queued sampling round(s)' && r.error === boom)).toBe(true);
    // The lost batch held the first round's row; its journal entry (written before the model was asked) stays.
    expect(statuses()).toEqual([]);
    const [first] = journaled();
    expect(first).toMatchObject({ status: 'sent', decided_by: 'policy' });

    const failures = reported.length;
    await expect(ask()).resolves.toMatchObject({ role: 'assistant' });
    await expect.poll(statuses).toEqual(['replied']);
    expect(reported).toHaveLength(failures);
    // Kept for the next start to read back, however many batches follow.
    expect(journaled().map((r) => r?.id)).toContain(first!.id);
  });

  it('writes the audit lines of a round let through by policy as the round stood at each step, within the batch', async () => {
    rig = await samplingRig();
    const { host } = rig.t;
    rig.api.script([{ text: 'Hello.' }]);
    const server = await host.servers.add({ name: 'remote', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
    host.sampling.setPolicy(server.id, server.name, { mode: 'allow' });
    await host.sampling.handle(
      { serverId: server.id, serverName: server.name, sessionKey: 'session', toolsDeclared: false, signal: new AbortController().signal },
      textRequest('Say hello.'),
    );
    // Read straight from the store once the batch's timer has written them.
    await expect.poll(() => host.store.audit.list({ limit: 10, kind: 'sampling.replied' })).toHaveLength(1);
    const [approved] = host.store.audit.list({ limit: 1, kind: 'sampling.approved' });
    const [replied] = host.store.audit.list({ limit: 1, kind: 'sampling.replied' });
    expect(approved).toMatchObject({ actor: 'policy', serverName: 'remote', data: { decidedBy: 'policy', edited: false, manual: false } });
    expect(replied).toMatchObject({
      actor: 'host',
      data: { decidedBy: 'policy', inputTokens: expect.any(Number) as number, latencyMs: expect.any(Number) as number, edited: false },
    });
    expect(replied!.summary).toMatch(/^Model \S+ answered "remote" \(round 1\): \d+ in, \d+ out, \d+ ms\. The model answered\.$/);
    expect(approved!.ts <= replied!.ts).toBe(true);
  });

  // The round's steps are queued and written by a timer, so a model slower than the timer splits them over two batches:
  // the approval goes with the row as it stood then ('sent'), the reply with the row's last state. Both ways are tried,
  // the second with the model held past the timer; either way no audit line is written without the row it speaks of.
  it.each([
    { model: 'answering at once', latencyMs: 0 },
    { model: 'slower than the batch timer', latencyMs: 100 },
  ])('writes the audit lines of a round let through by policy in the same transaction as its row, the model $model', async ({ latencyMs }) => {
    rig = await samplingRig();
    const { host } = rig.t;
    rig.api.setLatency(latencyMs);
    const server = await host.servers.add({ name: 'remote', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
    host.sampling.setPolicy(server.id, server.name, { mode: 'allow' });
    // What the store holds of the round each time audit lines are written: the same connection sees its own transaction.
    const seen: string[][] = [];
    const appendAll = host.store.audit.appendAll.bind(host.store.audit);
    vi.spyOn(host.store.audit, 'appendAll').mockImplementation((events) => {
      seen.push([
        ...events.map((e) => e.kind),
        ...host.store.sampling
          .loops(server.id, null, 10)
          .flatMap((loop) => host.store.sampling.rounds(loop.id))
          .map((round) => `row:${round.status}`),
      ]);
      appendAll(events);
    });
    await host.sampling.handle(
      { serverId: server.id, serverName: server.name, sessionKey: 'session', toolsDeclared: false, signal: new AbortController().signal },
      textRequest('Say hello.'),
    );
    await expect.poll(() => seen.flat()).toContain('sampling.replied');
    expect(seen.flatMap((batch) => batch.filter((x) => !x.startsWith('row:')))).toEqual(['sampling.approved', 'sampling.replied']);
    for (const batch of seen) {
      const rows = batch.filter((x) => x.startsWith('row:'));
      expect(rows, `the batch ${batch.join(', ')}`).toEqual(
        batch.includes('sampling.replied') ? ['row:replied'] : [expect.stringMatching(/^row:(sent|replied)$/)],
      );
    }
    if (latencyMs > 0)
      expect(seen).toEqual([
        ['sampling.approved', 'row:sent'],
        ['sampling.replied', 'row:replied'],
      ]);
  });
});
