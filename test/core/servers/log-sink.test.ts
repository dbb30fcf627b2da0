// The server log's batched writes: a flush that fails on its timer is reported and the next batch goes through; under
// a flood each server has its own bounded queue, so one server writing 10,000 lines between two writes loses only its
// own oldest unwritten lines (with a note saying how many), never another server's; a line of megabytes is cut short.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../../shared/domain/servers.js';
import { SERVER_LIMITS } from '../../../main/core/limits.js';
import type { Clock } from '../../../main/core/ports.js';
import { LogSink } from '../../../main/core/servers/log-sink.js';
import { openStore, type Store } from '../../../main/core/store/index.js';
import { serverRecord, tempDbDir, type TempDir } from '../store/temp-store.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDbDir();
  store = openStore(tmp.file, { logLinesPerServer: 50_000 });
  store.servers.insert(serverRecord('a'));
  store.servers.insert(serverRecord('b'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

/** A clock whose timers run when the test says so. */
function manualClock() {
  let due: Array<() => void> = [];
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (fn) => {
      due.push(fn);
      return { cancel: () => (due = due.filter((f) => f !== fn)) };
    },
  };
  const tick = () => {
    const now = due;
    due = [];
    for (const fn of now) fn();
  };
  return { clock, tick };
}

const unexpected = (where: string, error: unknown) => {
  throw new Error(`unexpected in ${where}: ${String(error)}`);
};

describe('LogSink', () => {
  it('reports a timer flush whose listener throws, and delivers the next batch', () => {
    const { clock, tick } = manualClock();
    const reported: Array<{ where: string; error: unknown }> = [];
    const delivered: string[][] = [];
    const boom = new Error('the window went away');
    let calls = 0;
    const written = (_serverId: string, lines: LogLine[]) => {
      calls++;
      if (calls === 1) throw boom;
      delivered.push(lines.map((l) => l.text));
    };
    const sink = new LogSink(store.logs, clock, written, (where, error) => reported.push({ where, error }));

    sink.add('a', 'stderr', 'info', 'first');
    tick();
    expect(reported).toEqual([{ where: 'writing server logs', error: boom }]);

    sink.add('a', 'stderr', 'info', 'second');
    tick();
    expect(delivered).toEqual([['second']]);
    expect(reported).toHaveLength(1);
    // The line whose listener failed was stored all the same; only the notice of it was lost.
    expect(store.logs.page('a', 10).map((l) => l.text)).toEqual(['second', 'first']);
  });

  it('bounds each server’s queue on its own, and notes what it dropped', () => {
    const { clock } = manualClock();
    const written = new Map<string, number>();
    const sink = new LogSink(store.logs, clock, (id, lines) => written.set(id, (written.get(id) ?? 0) + lines.length), unexpected);
    sink.add('b', 'stderr', 'info', 'quiet 0');
    for (let i = 0; i < 10_000; i++) sink.add('a', 'stderr', 'info', `loud ${i}`);
    sink.add('b', 'stderr', 'info', 'quiet 1');
    sink.flush();
    const loud = store.logs.page('a', 100_000).map((l) => l.text);
    expect(loud).toHaveLength(SERVER_LIMITS.logLines + 1);
    expect(loud[0]).toBe('loud 9999');
    expect(loud).toContain(`${10_000 - SERVER_LIMITS.logLines} log lines dropped: the server wrote faster than they could be stored.`);
    expect(store.logs.page('b', 100).map((l) => l.text)).toEqual(['quiet 1', 'quiet 0']);
    expect(written.get('a')).toBe(SERVER_LIMITS.logLines + 1);
  });

  it('cuts a line of megabytes to a bounded length', () => {
    const { clock } = manualClock();
    const sink = new LogSink(store.logs, clock, () => undefined, unexpected);
    sink.add('a', 'protocol', 'info', 'y'.repeat(5 * 1024 * 1024));
    sink.flush();
    const text = store.logs.page('a', 1).map((l) => l.text)[0] ?? '';
    expect(text.length).toBeLessThan(SERVER_LIMITS.logLineChars + 100);
    expect(text).toMatch(/more characters not kept\)$/);
  });
});
