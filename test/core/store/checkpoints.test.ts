// WAL checkpoints off the commit path: a commit never copies the WAL back (nor waits for the disk); a thread does it once
// the WAL passes its size, for this process's writes and for another process's that never checkpoints itself.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../main/core/store/index.js';
import { waitFor } from '../../helpers/cli.js';
import { storesPerTest } from './temp-store.js';

const openTemp = storesPerTest();

const PAGES = 64;
const sizeOf = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
const failures: unknown[] = [];
/** The pages the last checkpoint found in the WAL, once it had copied them all. */
let complete = 0;

/** Which store `complete` is about: a thread of an earlier test's store may still report as it stops. */
let generation = 0;

function open(everyMs = 10): { store: Store; file: string } {
  complete = 0;
  const mine = ++generation;
  const done = (result: { wal: number; copied: number }) => {
    if (mine === generation && result.wal > 0 && result.copied === result.wal) complete = result.wal;
  };
  return openTemp({ checkpoints: { pages: PAGES, everyMs, failed: (error) => failures.push(error), done } });
}

/** Audit lines of about 3 KB each: `pages` pages' worth in one transaction. */
function writePages(s: Store, pages: number): void {
  const data = { text: 'x'.repeat(3000) };
  s.transaction(() => {
    for (let i = 0; i < pages; i++)
      s.audit.append({ ts: new Date().toISOString(), kind: 'server.added', serverId: null, serverName: null, actor: 'test', summary: 'filler', data });
  });
}

/**
 * A second process writing bursts of 400 pages into the store's file with SQLite's own checkpoints off, so only the
 * host's thread can copy them back: one at once, then one each time it is told. `after` is script text run after each
 * burst (with `fs` and `wal` in scope). Each burst ends with a line "wrote <the WAL's size>".
 */
function otherWriter(file: string, after = '') {
  const script = `
    const fs = require('node:fs');
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    db.pragma('wal_autocheckpoint = 0');
    const insert = db.prepare("INSERT INTO audit_events (ts, kind, actor, summary, data) VALUES ('t', 'server.added', 'other', 'filler', ?)");
    const data = JSON.stringify({ text: 'y'.repeat(3000) });
    const wal = process.argv[1] + '-wal';
    const burst = db.transaction(() => { for (let i = 0; i < 400; i++) insert.run(data); });
    const write = () => {
      burst();
      ${after}
      process.stdout.write('wrote ' + fs.statSync(wal).size + '\\n');
    };
    write();
    process.stdin.on('data', write);`;
  const child = spawn(process.execPath, ['-e', script, file], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
  let errors = '';
  let out = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return {
    child,
    errors: () => errors,
    /** The WAL's size after each burst written so far. */
    sizes: () => [...out.matchAll(/wrote (\d+)\n/g)].map((m) => Number(m[1])),
  };
}

describe('background checkpoints', () => {
  it('copies a WAL past its size back from a thread of its own, never inside the commit that grew it', async () => {
    const { store: s, file } = open();
    const before = sizeOf(file);
    // Past SQLite's own threshold (1000 pages), where a commit would otherwise checkpoint (and wait for the disk) itself.
    writePages(s, 1500);
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(1500 * 4096);
    expect(sizeOf(file)).toBe(before);
    await waitFor('the checkpoint thread to copy the WAL into the database', () => sizeOf(file) > 1500 * 4096, 20_000);
    expect(s.audit.list({ limit: 2000 })).toHaveLength(1500);
    expect(failures).toEqual([]);
  });

  it('keeps the WAL within one burst of writes however many come, and cuts it back once it is copied', async () => {
    const { store: s, file } = open();
    const frame = 4096 + 24;
    const sizes: number[] = [];
    // Ten bursts of 200 lines, each after the last was wholly copied: the WAL starts over each time instead of growing
    // with all ten. Without the thread, nothing would copy it back (SQLite's own checkpoints are off).
    for (let n = 0; n < 10; n++) {
      writePages(s, 200);
      const size = sizeOf(`${file}-wal`);
      sizes.push(size);
      // Copied up to the frame the burst ended on (a copy made while it was still being written does not count).
      const frames = Math.floor((size - 32) / frame);
      await waitFor(`burst ${n + 1} wholly copied into the database`, () => complete >= frames, 20_000);
      complete = 0;
    }
    // Each burst starts the WAL over: none leaves it longer than the first did.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(sizes[0]! + frame);
    // The next write after a complete copy starts the WAL over and cuts the file to half the checkpoint size.
    writePages(s, 1);
    expect(sizeOf(`${file}-wal`)).toBeLessThanOrEqual((PAGES / 2) * frame);
    expect(s.audit.list({ limit: 3000 })).toHaveLength(2001);
    expect(failures).toEqual([]);
  });

  it('checkpoints what another process writes, which never checkpoints itself', async () => {
    const { file } = open();
    // Six bursts from another process, each written once the last one is in the database.
    const { child, errors, sizes } = otherWriter(file);
    try {
      for (let n = 1; n <= 6; n++) {
        await waitFor(`burst ${n} written (${errors()})`, () => sizes().length >= n, 20_000);
        // The next burst starts the WAL over only if it begins after a checkpoint that copied every page.
        await waitFor(`burst ${n} wholly copied into the database`, () => complete >= 400, 20_000);
        complete = 0;
        if (n < 6) child.stdin.write('next\n');
      }
      expect(errors()).toBe('');
      expect(failures).toEqual([]);
    } finally {
      child.kill();
    }
  });

  it('copies a WAL that another process started over to the same size within one tick of the file clock', async () => {
    // Looks far apart (250 ms) against a burst written in a few: a look landing while the second burst is being written
    // would see the time move and copy it whatever the check, so this test could pass without it only that seldom.
    const { file } = open(250);
    // The second burst starts the WAL over (the first was wholly copied) and, of the same size, leaves the file as long
    // as it was; after each burst the writer sets the file's time to one fixed second, as a coarse file clock does for a
    // burst that follows the copy closely. Size and time alone would say nothing changed, and the burst would wait in
    // the WAL for the next write (the test above timed out so once, in a full run of the suite).
    const { child, errors, sizes } = otherWriter(file, 'fs.utimesSync(wal, 1700000000, 1700000000);');
    try {
      await waitFor(`the first burst written (${errors()})`, () => sizes().length >= 1, 20_000);
      await waitFor('the first burst wholly copied into the database', () => complete >= 400, 20_000);
      complete = 0;
      child.stdin.write('next\n');
      await waitFor(`the second burst written (${errors()})`, () => sizes().length >= 2, 20_000);
      // The WAL was started over, not grown: the same length as after the first burst.
      expect(sizes()[1]).toBe(sizes()[0]);
      await waitFor('the second burst wholly copied into the database', () => complete >= 400, 20_000);
      expect(errors()).toBe('');
      expect(failures).toEqual([]);
    } finally {
      child.kill();
    }
  });
});
