// The indexing work: walks a shared folder and reads every file in small chunks (sha256, lines, words), paced so a long
// run stays gentle on the machine, reporting each file as it goes and stopping as soon as its signal aborts.
import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setImmediate as yieldTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Folders } from '../folder-guide/folders.js';

export type Pace = 'thorough' | 'quick';

/** Thorough reads 64 KiB at a time with a pause after each chunk and spends at least FILE_FLOOR_MS per file. */
const PACING: Record<Pace, { chunkPauseMs: number; fileFloorMs: number }> = {
  thorough: { chunkPauseMs: 8, fileFloorMs: 180 },
  quick: { chunkPauseMs: 0, fileFloorMs: 0 },
};
const CHUNK = 64 * 1024;
const MAX_FILES = 100_000;
/** Larger files are hashed but not counted as text. */
const MAX_TEXT_BYTES = 16 * 1024 * 1024;
const MIN_WORD = 4;
const MAX_CARRY = 1024;
/** Past this many distinct words, words seen once are dropped so memory stays bounded on huge folders. */
const VOCABULARY_CAP = 200_000;
const STOP_WORDS = new Set(
  'that this with from have will your which there their were been when what into then than them they also only some more each such other about would should could these those where while after before because does here just like make over very most must upon being within without'.split(
    ' ',
  ),
);

export interface FileEntry {
  /** Relative to the indexed folder. */
  path: string;
  size: number;
  sha256: string;
  /** Line and word counts, for text files only. */
  text?: { lines: number; words: number };
}

export interface IndexRun {
  folder: string;
  files: FileEntry[];
  /** Files that vanished or could not be read while indexing. */
  unreadable: string[];
  vocabulary: Map<string, number>;
  /** True when the folder had more files than one index takes. */
  truncated: boolean;
  elapsedMs: number;
}

export interface IndexProgress {
  done: number;
  total: number;
  /** The file just indexed, relative to the folder. */
  current: string;
}

export interface IndexOptions {
  pace: Pace;
  signal: AbortSignal;
  /** Called once the file list is known (done 0) and after each file. */
  onProgress(progress: IndexProgress): Promise<void> | void;
}

/** Indexes every file under `start` (a real path inside a shared folder). Throws an AbortError when the signal aborts. */
export async function indexFolder(folders: Folders, start: string, options: IndexOptions): Promise<IndexRun> {
  const began = Date.now();
  const paths: string[] = [];
  let truncated = false;
  for await (const entry of folders.walk(start, Number.MAX_SAFE_INTEGER)) {
    options.signal.throwIfAborted();
    if (entry.dir) continue;
    if (paths.length === MAX_FILES) {
      truncated = true;
      break;
    }
    paths.push(entry.path);
  }

  const run: IndexRun = { folder: start, files: [], unreadable: [], vocabulary: new Map(), truncated, elapsedMs: 0 };
  await options.onProgress({ done: 0, total: paths.length, current: '' });
  const pacing = PACING[options.pace];
  for (const [i, path] of paths.entries()) {
    const fileStarted = Date.now();
    const shown = relative(start, path);
    try {
      run.files.push({ path: shown, ...(await readFile(path, run.vocabulary, pacing.chunkPauseMs, options.signal)) });
    } catch (error) {
      if (options.signal.aborted) throw error;
      run.unreadable.push(shown);
    }
    const rest = pacing.fileFloorMs - (Date.now() - fileStarted);
    if (rest > 0) await sleep(rest, undefined, { signal: options.signal });
    await options.onProgress({ done: i + 1, total: paths.length, current: shown });
  }
  run.elapsedMs = Date.now() - began;
  return run;
}

async function readFile(path: string, vocabulary: Map<string, number>, pauseMs: number, signal: AbortSignal): Promise<Omit<FileEntry, 'path'>> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(CHUNK);
    const { size } = await handle.stat();
    let counter: TextCounter | undefined;
    let read = 0;
    for (;;) {
      signal.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, read);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      if (read === 0 && size <= MAX_TEXT_BYTES && !chunk.includes(0)) counter = new TextCounter(vocabulary);
      counter?.feed(chunk);
      read += bytesRead;
      if (pauseMs > 0) await sleep(pauseMs, undefined, { signal });
      else await yieldTurn(undefined, { signal });
    }
    return { size: read, sha256: hash.digest('hex'), ...(counter ? { text: counter.end() } : {}) };
  } finally {
    await handle.close();
  }
}

/** Counts lines and whitespace-separated words across chunk boundaries, and tallies longer words into a shared vocabulary. */
class TextCounter {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private lines = 0;
  private words = 0;
  private lastChar = '';

  constructor(private readonly vocabulary: Map<string, number>) {}

  feed(chunk: Buffer): void {
    this.take(this.decoder.write(chunk), false);
  }

  end(): { lines: number; words: number } {
    this.take(this.decoder.end(), true);
    // A last line without a newline still counts.
    return { lines: this.lines + (this.lastChar !== '' && this.lastChar !== '\n' ? 1 : 0), words: this.words };
  }

  private take(text: string, last: boolean): void {
    this.lastChar = text.at(-1) ?? this.lastChar;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.lines++;
    const joined = this.carry + text;
    // An unfinished word at the end of a chunk waits for the next one (unless it is absurdly long, as in minified files).
    let cut = joined.length;
    if (!last) while (cut > 0 && joined.length - cut < MAX_CARRY && !/\s/.test(joined.charAt(cut - 1))) cut--;
    this.carry = joined.slice(cut);
    const body = joined.slice(0, cut);
    for (const token of body.split(/\s+/)) {
      if (token === '') continue;
      this.words++;
      for (const word of token.toLowerCase().match(/\p{L}+/gu) ?? []) {
        if (word.length >= MIN_WORD && !STOP_WORDS.has(word)) this.vocabulary.set(word, (this.vocabulary.get(word) ?? 0) + 1);
      }
    }
    if (this.vocabulary.size > VOCABULARY_CAP) {
      for (const [word, count] of this.vocabulary) if (count === 1) this.vocabulary.delete(word);
    }
  }
}
