// The server log's batched writes: a flush that fails on its timer is reported, and the next batch goes through.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../../shared/domain/servers.js';
import type { Clock } from '../../../main/core/ports.js';
import { LogSink } from '../../../main/core/servers/log-sink.js';
import { openStore, type Store } from '../../../main/core/store/index.js';
import { serverRecord, tempDbDir, type TempDir } from '../store/temp-store.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDbDir();
  store = openStore(tmp.file);
  store.servers.insert(serverRecord('a'));
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
    const sink = new LogSink(store, clock, written, (where, error) => reported.push({ where, error }));

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
});
