// The sampling journal's files: appends that survive the process, emptied only when every entry's row is committed,
// read back by exactly one process (claimed by renaming), a claim whose reader died taken over, and whatever else is in
// the folder (foreign names, a write cut short, lines that are not JSON) read as damaged or ignored, never fatal.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SamplingJournal } from '../../../main/core/store/sampling-journal.js';
import { tempDir } from '../../helpers/host.js';

const steps: Array<() => void> = [];
const cleanup = (step: () => void) => steps.push(step);
afterEach(() => {
  for (const step of steps.splice(0).reverse()) step();
});

const A = { pid: 101, started: 'a-start 09:00' };
const B = { pid: 202, started: 'b/start' };
const C = { pid: 303, started: 'c' };
const never = () => false;

function folder(): string {
  const dir = tempDir('steward-journal-files-');
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'sampling-journal');
}

function journal(dir: string): SamplingJournal {
  const j = new SamplingJournal(dir);
  cleanup(() => j.close());
  return j;
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('the sampling journal files', () => {
  it('appends lines that are on disk at once, in a folder and files only the user can read', () => {
    const dir = folder();
    const j = journal(dir);
    expect(j.append(A, '{"n":1}')).toBe(1);
    expect(j.append(A, '{"n":2}')).toBe(2);
    const [name] = files(dir);
    expect(files(dir)).toHaveLength(1);
    // Another reader sees them without any close or flush: the writes are in the OS.
    expect(readFileSync(join(dir, name!), 'utf8')).toBe('{"n":1}\n{"n":2}\n');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, name!)).mode & 0o777).toBe(0o600);
    expect(j.owners()).toEqual([A]);
  });

  it('empties its file only when told every entry up to the last is written, and never reuses a sequence', () => {
    const dir = folder();
    const j = journal(dir);
    for (let i = 1; i <= 3; i++) j.append(A, `{"n":${i}}`);
    j.clear(A, 2);
    expect(j.all()).toHaveLength(3);
    j.clear(A, 3);
    expect(j.all()).toEqual([]);
    expect(j.append(A, '{"n":4}')).toBe(4);
    expect(j.all()).toEqual(['{"n":4}']);
  });

  it('deletes an empty file when the store closes and keeps one with entries for the next start', () => {
    const dir = folder();
    const emptied = new SamplingJournal(dir);
    emptied.append(A, '{}');
    emptied.clear(A, 1);
    emptied.close();
    expect(files(dir)).toEqual([]);
    const kept = new SamplingJournal(dir);
    kept.append(B, '{"kept":true}');
    kept.close();
    expect(new SamplingJournal(dir).all()).toEqual(['{"kept":true}']);
  });

  it('lets exactly one reader take a gone process’s entries, deletes them only on release, and leaves other owners alone', () => {
    const dir = folder();
    const gone = new SamplingJournal(dir);
    gone.append(A, '{"a":1}');
    gone.append(A, '{"a":2}');
    gone.close();
    const other = journal(dir);
    other.append(B, '{"b":1}');

    const first = journal(dir).take(A, never, C);
    const second = journal(dir).take(A, never, { pid: 404, started: 'd' });
    expect(first.lines).toEqual(['{"a":1}', '{"a":2}']);
    expect(second.lines).toEqual([]);
    // Until released (its rows committed), the claimed file stays, under a name that says who reads it.
    expect(files(dir).some((f) => f.includes('.taken.'))).toBe(true);
    first.release();
    expect(files(dir).some((f) => f.includes('.taken.'))).toBe(false);
    expect(new SamplingJournal(dir).all()).toEqual(['{"b":1}']);
    // Released twice (a file someone removed meanwhile): nothing to do, no error for the recovery to stop on.
    expect(() => first.release()).not.toThrow();
  });

  it('takes over a claim whose reader died before it released, and leaves a live reader’s claim alone', () => {
    const dir = folder();
    const gone = new SamplingJournal(dir);
    gone.append(A, '{"a":1}');
    gone.close();
    // C claims the file and dies before its rows are committed.
    expect(journal(dir).take(A, never, C).lines).toEqual(['{"a":1}']);
    expect(journal(dir).owners()).toEqual([A]);
    // While C counts as alive, nobody else reads it back; once C is gone, the next reader does.
    expect(journal(dir).take(A, never, B).lines).toEqual([]);
    const taken = journal(dir).take(A, (o) => o.pid === C.pid, B);
    expect(taken.lines).toEqual(['{"a":1}']);
    taken.release();
    expect(files(dir)).toEqual([]);
  });

  it('reads a write cut short as damaged, ignores names it did not write, and survives a missing folder', () => {
    const dir = folder();
    expect(journal(dir).owners()).toEqual([]);
    expect(journal(dir).take(A, never, B).lines).toEqual([]);
    const j = new SamplingJournal(dir);
    j.append(A, '{"whole":true}');
    j.close();
    const [name] = files(dir);
    writeFileSync(join(dir, name!), '{"whole":true}\n{"cut', { flag: 'w' });
    writeFileSync(join(dir, 'notes.txt'), 'not a journal');
    writeFileSync(join(dir, '12.zz.1.jsonl'), '{"hex":"no"}\n');
    writeFileSync(join(dir, '../escape.jsonl'), '{}\n');
    const read = journal(dir).take(A, never, B);
    expect(read.lines).toEqual(['{"whole":true}', null]);
    read.release();
    expect(files(dir)).toEqual(['12.zz.1.jsonl', 'notes.txt']);
  });

  it('keeps entries in memory for a database in memory', () => {
    const j = new SamplingJournal(null);
    j.append(A, '{"m":1}');
    expect(j.owners()).toEqual([A]);
    expect(j.all()).toEqual(['{"m":1}']);
    j.clear(A, 1);
    expect(j.all()).toEqual([]);
  });
});
