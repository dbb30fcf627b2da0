// Unpacking a checked bundle: the entries zip-check.ts read from the central directory, and nothing else, written under one
// folder. A deflated entry is inflated to at most the size it declares, and every file must come out at exactly that size
// and CRC-32, so the caps checked on the declarations hold for what is written. Files are created, never overwritten, and
// their modes are plain: the owner's read and write, and execute where the entry had it; nothing else the ZIP says.
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, inflateRaw } from 'node:zlib';
import { StewardError } from '../../../shared/errors.js';
import type { ZipEntry } from './zip-check.js';

const EXECUTABLE = 0o111;
const inflate = promisify(inflateRaw);

/** The entry's bytes, exactly as many as it declares, with the CRC-32 it declares. */
async function contents(bundle: Buffer, entry: ZipEntry): Promise<Buffer> {
  const raw = bundle.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  // Inflating on the thread pool keeps the host answering while a large bundle unpacks.
  const data = entry.method === 0 ? raw : await inflate(raw, { maxOutputLength: Math.max(entry.size, 1) }).catch(() => undefined);
  if (data?.length !== entry.size || crc32(data) !== entry.crc) {
    throw new StewardError('bundle_invalid', `"${entry.name}" is damaged: it does not unpack to the ${entry.size} bytes and the checksum it declares.`);
  }
  return data;
}

async function write(path: string, data: Buffer, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const file = await open(path, 'wx', mode);
  try {
    await file.writeFile(data);
    await file.chmod(mode);
  } finally {
    await file.close();
  }
}

/** Two entries that land on one path: a file and a folder of one name, or names equal on a case-insensitive disk. */
const collision = (error: unknown) => ['EEXIST', 'ENOTDIR', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/** Writes the checked `entries` of `bundle` into `files`, which exists and is empty. */
export async function unpackBundle(bundle: Buffer, entries: readonly ZipEntry[], files: string): Promise<void> {
  for (const entry of entries) {
    const path = join(files, ...entry.name.split('/'));
    try {
      if (entry.directory) await mkdir(path, { recursive: true, mode: 0o700 });
      else await write(path, await contents(bundle, entry), entry.mode & EXECUTABLE ? 0o700 : 0o600);
    } catch (error) {
      if (!collision(error)) throw error;
      throw new StewardError('bundle_invalid', `The bundle holds "${entry.name}" where it already has a file or folder of that name.`);
    }
  }
}
