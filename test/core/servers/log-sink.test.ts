// The log sink under a flood: each server has its own bounded queue, so one server writing 10,000 lines between two
// writes loses only its own oldest unwritten lines (with a note saying how many), never another server's, and a single
// line of megabytes is cut to a bounded length.
import { afterEach, describe, expect, it } from 'vitest';
import { LogSink } from '../../../main/core/servers/log-sink.js';
import { SERVER_LIMITS } from '../../../main/core/limits.js';
import { openStore, type Store } from '../../../main/core/store/index.js';
import type { Clock } from '../../../main/core/ports.js';
import { serverRecord, tempDbDir, type TempDir } from '../store/temp-store.js';

let tmp: TempDir | undefined;
let store: Store | undefined;
afterEach(() => {
  store?.close();
  tmp?.cleanup();
  store = undefined;
  tmp = undefined;
});

/** A clock whose timers never fire: the test flushes by hand. */
const stillClock: Clock = { now: () => Date.parse('2026-01-01T00:00:00Z'), setTimeout: () => ({ cancel: () => undefined }) };

describe('LogSink', () => {
  it('bounds each server’s queue on its own, and notes what it dropped', () => {
    tmp = tempDbDir();
    store = openStore(tmp.file, { logLinesPerServer: 50_000 });
    store.servers.insert(serverRecord('loud'));
    store.servers.insert(serverRecord('quiet'));
    const written = new Map<string, number>();
    const sink = new LogSink(store, stillClock, (id, lines) => written.set(id, (written.get(id) ?? 0) + lines.length));
    sink.add('quiet', 'stderr', 'info', 'quiet 0');
    for (let i = 0; i < 10_000; i++) sink.add('loud', 'stderr', 'info', `loud ${i}`);
    sink.add('quiet', 'stderr', 'info', 'quiet 1');
    sink.flush();
    const loud = store.logs.page('loud', 100_000).map((l) => l.text);
    expect(loud).toHaveLength(SERVER_LIMITS.logLines + 1);
    expect(loud[0]).toBe('loud 9999');
    expect(loud).toContain(`${10_000 - SERVER_LIMITS.logLines} log lines dropped: the server wrote faster than they could be stored.`);
    expect(store.logs.page('quiet', 100).map((l) => l.text)).toEqual(['quiet 1', 'quiet 0']);
    expect(written.get('loud')).toBe(SERVER_LIMITS.logLines + 1);
  });

  it('cuts a line of megabytes to a bounded length', () => {
    tmp = tempDbDir();
    store = openStore(tmp.file);
    store.servers.insert(serverRecord('a'));
    const sink = new LogSink(store, stillClock, () => undefined);
    sink.add('a', 'protocol', 'info', 'y'.repeat(5 * 1024 * 1024));
    sink.flush();
    const [line] = store.logs.page('a', 1);
    expect(line!.text.length).toBeLessThan(SERVER_LIMITS.logLineChars + 100);
    expect(line!.text).toMatch(/more characters not kept\)$/);
  });
});
