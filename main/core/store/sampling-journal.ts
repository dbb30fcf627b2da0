// The sampling journal: an append-only file per open store and process, in a folder beside the database. A round on its
// way to the model is appended here (one write, no transaction) and its indexed row follows within moments; a later
// Steward reads back the files of a process that is gone. A write is in the OS before the model is asked, so it
// survives the process, not the machine: the same promise as a WAL commit under synchronous=NORMAL.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface JournalOwner {
  pid: number | null;
  started: string | null;
}

/** `<pid>.<started, hex>.<instance>.jsonl`, and while another process reads it back, `….taken.<pid>.<started, hex>`. */
const NAME = /^(\d+)\.([0-9a-f]*)\.([0-9a-f]+)\.jsonl(?:\.taken\.(\d+)\.([0-9a-f]*))?$/;

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
const unhex = (text: string) => Buffer.from(text, 'hex').toString('utf8');
const keyOf = (o: JournalOwner) => `${String(o.pid)}.${o.started === null ? '' : hex(o.started)}`;

interface OwnFile {
  path: string;
  fd: number;
  seq: number;
}

interface Listed {
  file: string;
  owner: JournalOwner;
  /** Who is reading it back, for a file taken by another process. */
  taker: JournalOwner | null;
}

/** What a take found: the entries (a damaged line as null), and how to let the files go once their rows are committed. */
export interface Taken {
  lines: (string | null)[];
  release(): void;
}

export class SamplingJournal {
  /** This store's own files, one per owner it wrote for (a process writes only for itself outside tests). */
  private readonly own = new Map<string, OwnFile>();
  private readonly instance = randomBytes(6).toString('hex');
  /** Without a folder (a database in memory) entries live in memory, as long as the process does. */
  private readonly memory = new Map<string, string[]>();
  /** The file key of each owner object seen, so an append does not encode the owner again. */
  private readonly keys = new WeakMap<JournalOwner, string>();

  constructor(private readonly dir: string | null) {}

  private keyFor(owner: JournalOwner): string {
    let key = this.keys.get(owner);
    if (key === undefined) {
      key = keyOf(owner);
      this.keys.set(owner, key);
    }
    return key;
  }

  /** Appends one line for the owner; returns its sequence in this store's file (never reused). */
  append(owner: JournalOwner, line: string): number {
    const key = this.keyFor(owner);
    if (this.dir === null) {
      const lines = this.memory.get(key) ?? [];
      lines.push(line);
      this.memory.set(key, lines);
      const file = this.own.get(key) ?? { path: '', fd: -1, seq: 0 };
      file.seq += 1;
      this.own.set(key, file);
      return file.seq;
    }
    let file = this.own.get(key);
    if (!file) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const path = join(this.dir, `${key}.${this.instance}.jsonl`);
      file = { path, fd: openSync(path, 'a', 0o600), seq: 0 };
      this.own.set(key, file);
    }
    writeSync(file.fd, `${line}\n`);
    file.seq += 1;
    return file.seq;
  }

  /** Empties this store's file for the owner when every entry up to `upTo` is the last one written (all rows are on record). */
  clear(owner: JournalOwner, upTo: number): void {
    const key = this.keyFor(owner);
    const file = this.own.get(key);
    if (!file || upTo < file.seq) return;
    if (this.dir === null) this.memory.delete(key);
    else ftruncateSync(file.fd, 0);
  }

  /** The owners with a file here (taken ones included: their reader may be gone too). */
  owners(): JournalOwner[] {
    const seen = new Map<string, JournalOwner>();
    if (this.dir === null) for (const key of this.memory.keys()) seen.set(key, ownerFromKey(key));
    else for (const listed of this.list()) seen.set(keyOf(listed.owner), listed.owner);
    return [...seen.values()];
  }

  /**
   * Takes the owner's entries for reading back: each file is first renamed to a name that says who takes it, which only
   * one process can do, so two processes never both read it back. A file taken by a process that is gone (`gone`) is
   * taken again. `release()` deletes what was taken, once its rows are committed; until then a failure leaves it there.
   */
  take(owner: JournalOwner, gone: (o: JournalOwner) => boolean, taker: JournalOwner): Taken {
    const key = keyOf(owner);
    if (this.dir === null) {
      const lines = this.memory.get(key) ?? [];
      return { lines: [...lines], release: () => this.memory.delete(key) };
    }
    const lines: (string | null)[] = [];
    const done: Array<() => void> = [];
    for (const listed of this.list()) {
      if (keyOf(listed.owner) !== key) continue;
      const from = join(this.dir, listed.file);
      const ownFile = [...this.own.values()].find((f) => f.path === from);
      if (ownFile) {
        // This store's own file (tests read back their own process): read it, and empty it once released.
        lines.push(...split(readFileSync(from, 'utf8')));
        done.push(() => ftruncateSync(ownFile.fd, 0));
        continue;
      }
      // A claim by a reader still alive is that reader's; one this reader made and did not release (its rows failed) is its own to retry.
      if (listed.taker && keyOf(listed.taker) !== keyOf(taker) && !gone(listed.taker)) continue;
      const base = listed.file.replace(/\.taken\..*$/, '');
      const to = join(this.dir, `${base}.taken.${keyOf(taker)}`);
      try {
        if (from !== to) renameSync(from, to);
      } catch {
        // Another process took it first.
        continue;
      }
      lines.push(...split(readFileSync(to, 'utf8')));
      done.push(() => unlinkSync(to));
    }
    return { lines, release: () => done.forEach(quietly) };
  }

  /** Every line of every file here, file by file (for tests and diagnostics). */
  all(): (string | null)[] {
    if (this.dir === null) return [...this.memory.values()].flat();
    return this.list().flatMap((listed) => split(readFileSync(join(this.dir ?? '', listed.file), 'utf8')));
  }

  /** Closes this store's files; an empty one is deleted, one with entries stays for the next start to read back. */
  close(): void {
    for (const file of this.own.values()) {
      if (file.fd < 0) continue;
      const empty = fstatSync(file.fd).size === 0;
      closeSync(file.fd);
      if (empty) unlinkSync(file.path);
    }
    this.own.clear();
  }

  private list(): Listed[] {
    let names: string[];
    try {
      names = readdirSync(this.dir ?? '').sort();
    } catch {
      return [];
    }
    const out: Listed[] = [];
    for (const file of names) {
      const m = NAME.exec(file);
      if (!m) continue;
      const owner = { pid: Number(m[1]), started: unhex(m[2] ?? '') };
      const taker = m[4] === undefined ? null : { pid: Number(m[4]), started: unhex(m[5] ?? '') };
      out.push({ file, owner, taker });
    }
    return out;
  }
}

/** Letting a file go that is already gone (or cannot be removed) leaves nothing to read back twice: its rows are committed. */
function quietly(step: () => void): void {
  try {
    step();
  } catch {
    // A later start reads it back again, to no effect.
  }
}

function ownerFromKey(key: string): JournalOwner {
  const [pid, started] = key.split('.');
  return { pid: pid === 'null' ? null : Number(pid), started: started ? unhex(started) : null };
}

/** A file's lines; a last line without its newline (a write cut short) is damaged, as is any line that is not JSON. */
function split(text: string): (string | null)[] {
  const parts = text.split('\n');
  const last = parts.pop();
  const lines: (string | null)[] = parts.filter((l) => l !== '');
  if (last) lines.push(null);
  return lines;
}
