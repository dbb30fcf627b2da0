// The round log against a real SQLite file: journal entries outlive their rows and are cleared in bulk, a batch that
// fails keeps its rounds' entries, and reading the journal back after a crash is idempotent (rows written since, or
// newer than the entry, are left as they are; a loop's summary never goes back).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLEAR_EVERY, RoundLog, type LoggedRound } from '../../../main/core/sampling/round-log.js';
import { openStore, type LoopSummary, type RoundRow, type Store } from '../../../main/core/store/index.js';
import { tempDir } from '../../helpers/host.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

const AT = '2026-03-01T09:00:00.000Z';
/** The process writing (owner of the rounds and the journal entries); recovery reads the journal of the owner it is given. */
const ME = { pid: 4242, started: 'test-start' };

function logOn(s: Store, loopOf: (id: string) => LoopSummary | undefined = () => undefined): RoundLog {
  return new RoundLog({ records: s, owner: ME, loopOf, written: () => undefined, unexpected: () => undefined });
}

function store(): { store: Store; file: string } {
  const dir = tempDir('steward-round-log-');
  const file = join(dir, 'steward.db');
  const opened = openStore(file);
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => opened.close());
  // Loops belong to no server row here: the log does not care, and foreign keys would only make the fixture longer.
  opened.db.pragma('foreign_keys = OFF');
  return { store: opened, file };
}

const STEPS = ['received', 'checked', 'sent', 'replied'] as const;

/** A round whose row reads as it would after `steps` steps (1: received ... 4: replied). */
function round(id: string, loopId: string, steps: number): LoggedRound & { steps: number } {
  const r = {
    id,
    loopId,
    steps,
    row: (): RoundRow => ({
      id,
      loop_id: loopId,
      server_id: 's-1',
      round: 1,
      received_at: AT,
      status: STEPS[r.steps - 1] ?? 'received',
      decided_by: r.steps >= 3 ? 'policy' : null,
      model: r.steps >= 3 ? 'claude-sonnet-5-5' : null,
      input_tokens: r.steps >= 4 ? 12 : 0,
      output_tokens: r.steps >= 4 ? 3 : 0,
      latency_ms: null,
      stop_reason: null,
      request: '{"messages":[],"maxTokens":10}',
      reply: r.steps >= 4 ? '[{"type":"text","text":"ok"}]' : null,
      error: null,
      edits: null,
      sent: r.steps >= 3 ? '{"model":"claude-sonnet-5-5"}' : null,
      reply_returned: r.steps >= 4 ? '[{"type":"text","text":"ok"}]' : null,
      steps: JSON.stringify(STEPS.slice(0, r.steps).map((to) => ({ at: AT, to, by: 'host', why: to }))),
      params_report: null,
      owner_pid: ME.pid,
      owner_started: ME.started,
    }),
  };
  return r;
}

function loops(): { of: (id: string) => LoopSummary; bump: (id: string) => void } {
  const all = new Map<string, LoopSummary>();
  const of = (id: string): LoopSummary => {
    let loop = all.get(id);
    if (!loop) {
      loop = { id, serverId: 's-1', serverName: 'sampler', toolCall: null, startedAt: AT, updatedAt: AT, rounds: 1, inputTokens: 0, outputTokens: 0 };
      all.set(id, loop);
    }
    return loop;
  };
  return { of, bump: (id) => void (of(id).rounds += 1) };
}

describe('the round log', () => {
  it('keeps journal entries after their rows are written, and clears them in bulk once there are enough', () => {
    const { store: s } = store();
    const l = loops();
    const log = logOn(s, l.of);
    for (let i = 0; i < CLEAR_EVERY - 1; i++) {
      const r = round(`r-${i}`, `l-${i}`, 3);
      log.queue(r);
      log.journal(r);
      log.flush();
    }
    // Every row is written, and every entry is still there: a delete per batch would be a second write per batch.
    expect(s.sampling.journaled()).toHaveLength(CLEAR_EVERY - 1);
    expect(s.sampling.round('r-0')?.status).toBe('sent');
    const last = round('r-last', 'l-last', 3);
    log.queue(last);
    log.journal(last);
    log.flush();
    expect(s.sampling.journaled()).toEqual([]);
    expect(s.sampling.round('r-last')?.status).toBe('sent');
    // And again: sequences are never reused once the journal was emptied, so the next bulk clear comes on time too.
    for (let i = 0; i < CLEAR_EVERY; i++) {
      const r = round(`r-again-${i}`, `l-again-${i}`, 3);
      log.queue(r);
      log.journal(r);
      log.flush();
    }
    expect(s.sampling.journaled()).toEqual([]);
  });

  it('writes the row of a round journaled after its row was written, before a bulk clear can take its entry', () => {
    const { store: s } = store();
    const l = loops();
    const log = logOn(s, l.of);
    // The user decided: the row is written at once, without the body (not prepared yet)...
    const decided = round('r-decided', 'l-decided', 2);
    log.queue(decided);
    log.flush();
    // ...then the body is prepared and the round journaled as it leaves for the model, which takes its time.
    decided.steps = 3;
    log.journal(decided);
    // Meanwhile enough other rounds come and go for a bulk clear (with this one's entry, CLEAR_EVERY of them).
    for (let i = 0; i < CLEAR_EVERY - 1; i++) {
      const r = round(`r-${i}`, `l-${i}`, 3);
      log.queue(r);
      log.journal(r);
      log.flush();
    }
    expect(s.sampling.journaled()).toEqual([]);
    // Tried: before, the round was not in any batch after its entry, and the clear left its row without the body.
    expect(s.sampling.round('r-decided')).toMatchObject({ status: 'sent', sent: '{"model":"claude-sonnet-5-5"}' });
  });

  it('clears only its own journal, in bulk and when it closes: another process’s entries stay for that process', () => {
    const { store: s } = store();
    const l = loops();
    const log = logOn(s, l.of);
    const other = { pid: 4343, started: 'other-start' };
    s.sampling.journal(other, { loop: l.of('l-other'), round: round('r-other', 'l-other', 3).row() });
    for (let i = 0; i < CLEAR_EVERY + 1; i++) {
      const r = round(`r-${i}`, `l-${i}`, 3);
      log.queue(r);
      log.journal(r);
      log.flush();
    }
    // This one's first CLEAR_EVERY entries (up to r-255) went in one clear; the other process's file is not touched.
    expect(
      s.sampling
        .journaled()
        .map((e) => e.entry?.round.id)
        .sort(),
    ).toEqual([`r-${CLEAR_EVERY}`, 'r-other']);
    log.close();
    expect(s.sampling.journaled().map((e) => e.entry?.round.id)).toEqual(['r-other']);
    expect(s.sampling.round(`r-${CLEAR_EVERY}`)?.status).toBe('sent');
  });

  it('keeps the entries of rounds whose batch failed, past the bulk clear, and the next start writes their rows', () => {
    const { store: s, file } = store();
    const l = loops();
    const log = logOn(s, l.of);
    const lost = round('r-lost', 'l-lost', 3);
    log.queue(lost);
    log.journal(lost);
    // The batch's transaction fails (a full disk, a lock held too long): its rows are not written.
    expect(() =>
      log.flush(() => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(s.sampling.round('r-lost')).toBeUndefined();
    for (let i = 0; i < CLEAR_EVERY + 10; i++) {
      const r = round(`r-${i}`, `l-${i}`, 3);
      log.queue(r);
      log.journal(r);
      log.flush();
    }
    const left = s.sampling.journaled().map((e) => e.entry?.round.id);
    expect(left[0]).toBe('r-lost');

    // Steward stops here without writing it; the next start reads the journal back.
    s.close();
    const again = openStore(file);
    cleanup.push(() => again.close());
    expect(logOn(again).recoverJournal(ME)).toEqual(['l-lost']);
    expect(again.sampling.round('r-lost')).toMatchObject({ status: 'sent', sent: '{"model":"claude-sonnet-5-5"}' });
    expect(again.sampling.round('r-3')).toMatchObject({ status: 'sent' });
    expect(again.sampling.journaled()).toEqual([]);
  });

  it('reads back a journal whose rows were already written without changing them, and a second time to the same effect', () => {
    const { store: s } = store();
    const l = loops();
    const log = logOn(s, l.of);
    // Written, then moved on and written again: the entry (sent) is older than the row (replied).
    const done = round('r-done', 'l-1', 3);
    log.queue(done);
    log.journal(done);
    done.steps = 4;
    l.of('l-1').inputTokens = 12;
    log.queue(done);
    // A later round of the same loop: the loop's summary on record is newer than the first entry's.
    l.bump('l-1');
    const second = round('r-second', 'l-1', 3);
    log.queue(second);
    log.journal(second);
    log.flush();
    // Journaled, and its row never written (Steward died in between).
    const orphan = round('r-orphan', 'l-2', 3);
    s.sampling.journal(ME, { loop: l.of('l-2'), round: orphan.row() });
    // A row older than its entry (fewer steps): hostile or left by an older Steward; the entry is the truth.
    const stale = round('r-stale', 'l-3', 3);
    s.sampling.putLoop(l.of('l-3'));
    s.sampling.putRound(round('r-stale', 'l-3', 2).row());
    s.sampling.journal(ME, { loop: l.of('l-3'), round: stale.row() });

    const before = { done: s.sampling.round('r-done'), loop: s.sampling.loop('l-1') };
    expect(before.done?.status).toBe('replied');
    expect(before.loop).toMatchObject({ rounds: 2, inputTokens: 12 });

    const reader = logOn(s);
    expect(reader.recoverJournal(ME).sort()).toEqual(['l-2', 'l-3']);
    expect(s.sampling.round('r-done')).toEqual(before.done);
    expect(s.sampling.loop('l-1')).toEqual(before.loop);
    expect(s.sampling.round('r-second')?.status).toBe('sent');
    expect(s.sampling.round('r-orphan')).toMatchObject({ status: 'sent', loop_id: 'l-2' });
    expect(s.sampling.loop('l-2')).toMatchObject({ rounds: 1 });
    expect(s.sampling.round('r-stale')?.status).toBe('sent');
    expect(s.sampling.journaled()).toEqual([]);

    // The same entries read back again (a second recoverer, or a crash during the first): nothing changes.
    const snapshot = ['r-done', 'r-second', 'r-orphan', 'r-stale'].map((id) => s.sampling.round(id));
    s.sampling.journal(ME, { loop: { ...l.of('l-1'), rounds: 1, inputTokens: 0 }, round: round('r-done', 'l-1', 3).row() });
    s.sampling.journal(ME, { loop: l.of('l-2'), round: orphan.row() });
    expect(reader.recoverJournal(ME)).toEqual([]);
    expect(['r-done', 'r-second', 'r-orphan', 'r-stale'].map((id) => s.sampling.round(id))).toEqual(snapshot);
    expect(s.sampling.loop('l-1')).toEqual(before.loop);
  });
});
