// Read-only access to the shared folders: every path is resolved for real and must stay inside one of them.
import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '__pycache__', '.venv', 'dist', 'build', '.cache']);
const MAX_TEXT_FILE = 2 * 1024 * 1024;

export class OutsideFolders extends Error {}

export class Folders {
  private roots: string[] = [];

  async set(paths: string[]): Promise<void> {
    const out: string[] = [];
    for (const p of paths) {
      try {
        const real = await realpath(p);
        if ((await stat(real)).isDirectory() && !out.includes(real)) out.push(real);
      } catch {
        // a root that does not exist is simply not offered
      }
    }
    this.roots = out;
  }

  list(): string[] {
    return [...this.roots];
  }

  /** The real path of `p` (absolute, or relative to the first folder), if it lies inside a shared folder. */
  async inside(p: string): Promise<string> {
    const first = this.roots[0];
    if (first === undefined) throw new OutsideFolders('No folder is shared with this server yet. Share one in Steward (Roots) first.');
    const candidate = resolve(first, p);
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      throw new OutsideFolders(`"${p}" does not exist.`);
    }
    if (!this.roots.some((root) => real === root || real.startsWith(root + sep))) {
      throw new OutsideFolders(`"${p}" is outside the shared folders.`);
    }
    return real;
  }

  display(real: string): string {
    const root = this.roots.find((r) => real === r || real.startsWith(r + sep));
    return root && this.roots.length === 1 ? relative(root, real) || '.' : real;
  }

  async *walk(start: string, limit: number): AsyncGenerator<{ path: string; size: number; dir: boolean }> {
    const queue = [start];
    let count = 0;
    for (let dir = queue.shift(); dir !== undefined && count < limit; dir = queue.shift()) {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (count >= limit) return;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (SKIP_DIRS.has(entry.name)) continue;
          queue.push(full);
          count++;
          yield { path: full, size: 0, dir: true };
        } else if (entry.isFile()) {
          count++;
          const size = await stat(full).then(
            (s) => s.size,
            () => 0,
          );
          yield { path: full, size, dir: false };
        }
      }
    }
  }

  async readText(real: string, offset: number, maxBytes: number): Promise<{ text: string; size: number; truncated: boolean }> {
    const info = await stat(real);
    if (!info.isFile()) throw new OutsideFolders('That is not a file.');
    const handle = await open(real, 'r');
    try {
      const length = Math.max(0, Math.min(maxBytes, info.size - offset));
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, offset);
      if (buffer.includes(0)) throw new OutsideFolders('That file is binary; only text files can be read.');
      return { text: buffer.toString('utf8'), size: info.size, truncated: offset + length < info.size };
    } finally {
      await handle.close();
    }
  }

  async search(start: string, query: RegExp, maxResults: number): Promise<{ file: string; line: number; text: string }[]> {
    const hits: { file: string; line: number; text: string }[] = [];
    for await (const entry of this.walk(start, 20_000)) {
      if (entry.dir || entry.size > MAX_TEXT_FILE || hits.length >= maxResults) continue;
      const lines = createInterface({ input: createReadStream(entry.path, { encoding: 'utf8' }), crlfDelay: Infinity });
      let n = 0;
      for await (const line of lines) {
        n++;
        if (line.includes('\u0000')) break;
        if (query.test(line)) {
          hits.push({ file: entry.path, line: n, text: line.length > 300 ? `${line.slice(0, 300)}…` : line });
          if (hits.length >= maxResults) break;
        }
      }
      lines.close();
    }
    return hits;
  }
}
