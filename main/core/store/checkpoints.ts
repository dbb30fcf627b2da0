// WAL checkpoints off the commit path: the host's connection never checkpoints inside a commit; a worker thread with
// its own connection copies the WAL back into the database (and waits for the disk) once the WAL passes a size.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.js';

export interface CheckpointOptions {
  /** A WAL longer than this many pages is checkpointed. */
  pages: number;
  /** How often the WAL's size is looked at. */
  everyMs: number;
  /** The thread failed: SQLite's own checkpoints (inside commits) are back on, so the WAL still stays bounded. */
  failed(error: unknown): void;
  /** Told after each checkpoint: the WAL's pages, and how many of them are in the database now. */
  done?: (result: { wal: number; copied: number }) => void;
}

/** SQLite's own threshold, restored when the thread cannot run. */
const SQLITE_AUTOCHECKPOINT = 1000;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/**
 * The thread's code, run from its source text (a worker cannot load a TypeScript file under the test runner, and the
 * packaged app loads nothing from its archive this way). It uses only what it is handed.
 */
function checkpointThread(threads: typeof import('node:worker_threads'), load: (id: string) => unknown): void {
  const { parentPort, workerData } = threads as { parentPort: import('node:worker_threads').MessagePort; workerData: { sqlite: string; file: string } };
  const Database = load(workerData.sqlite) as typeof import('better-sqlite3');
  // Opened once: opening reads the schema, and a reader at the moment a writer begins keeps the WAL from starting over.
  const db = new Database(workerData.file);
  parentPort.on('message', () => {
    // PASSIVE never waits for writers or readers: it copies what it can and a later turn does the rest.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    parentPort.postMessage({ wal: result?.log ?? 0, copied: result?.checkpointed ?? 0 });
  });
}

/**
 * What tells one state of the WAL file from another. Size and modification time alone do not: a writer that starts the
 * WAL over after a complete copy rewrites it from the top, and the same number of pages leaves the size as it was, while
 * the file clock is coarse (a few milliseconds), so a burst soon after the copy can leave the time as it was too. The
 * header's checkpoint sequence number and salts change at every start-over.
 */
interface WalState {
  size: number;
  mtimeMs: number;
  header: string;
}

function sameWal(a: WalState, b: WalState): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.header === b.header;
}

/** The WAL header's checkpoint sequence number and salts (bytes 12 to 24), as hex; empty when it cannot be read. */
function walHeader(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const bytes = Buffer.alloc(12);
    return readSync(fd, bytes, 0, 12, 12) === 12 ? bytes.toString('hex') : '';
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class BackgroundCheckpoints {
  private worker: Worker | undefined;
  private busy = false;
  /** The WAL file as it was when the last checkpoint that copied every page began: unchanged since, nothing is new. */
  private copiedAt: WalState | undefined;
  private pending: WalState | undefined;
  private stopped = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly walFile: string;
  private readonly frameBytes: number;

  constructor(
    private readonly db: Db,
    private readonly options: CheckpointOptions,
  ) {
    this.walFile = `${db.name}-wal`;
    this.frameBytes = (db.pragma('page_size', { simple: true }) as number) + FRAME_HEADER;
    // A WAL reset (the first write after a complete checkpoint) cuts the file back below the threshold, so the file's
    // size tells how much of it is in use: past the threshold, at least that many pages wait.
    db.pragma(`journal_size_limit = ${Math.floor((options.pages * this.frameBytes) / 2)}`);
    db.pragma('wal_autocheckpoint = 0');
    this.timer = setInterval(() => this.look(), options.everyMs);
    this.timer.unref();
  }

  private look(): void {
    if (this.busy || this.stopped) return;
    const stat = statSync(this.walFile, { throwIfNoEntry: false });
    const size = stat?.size ?? 0;
    if ((size - WAL_HEADER) / this.frameBytes < this.options.pages) return;
    const now: WalState = { size, mtimeMs: stat?.mtimeMs ?? 0, header: walHeader(this.walFile) };
    if (this.copiedAt && sameWal(now, this.copiedAt)) return;
    this.busy = true;
    // Taken before the checkpoint: a write landing while it runs changes the file, and a later look copies it.
    this.pending = now;
    this.thread().postMessage('checkpoint');
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const source = `(${checkpointThread.toString()})(require('node:worker_threads'), require);`;
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(source, { eval: true, workerData: { sqlite, file: this.db.name } });
    worker.unref();
    worker.on('message', (result: { wal: number; copied: number }) => {
      this.busy = false;
      // A reader holding old pages leaves some behind: the next look tries again.
      this.copiedAt = result.copied === result.wal ? this.pending : undefined;
      this.options.done?.(result);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.stopped) this.fail(new Error(`The checkpoint thread stopped (exit code ${code}).`));
    });
    this.worker = worker;
    return worker;
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`);
    this.options.failed(error);
  }

  /**
   * Stops looking, and the thread (a checkpoint under way finishes first: the thread stops between calls). Its
   * connection closes as it ends; when it is the last one, SQLite checkpoints and removes the WAL then.
   */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    void this.worker?.terminate();
  }
}
