// A bundle's ZIP, read from its central directory before anything is inflated: every name safe to write under one folder
// (no zip slip, no absolute or drive paths, no links), and the file count and declared sizes under caps. The inflater
// never produces more than an entry declares, so checking the declarations bounds what unpacking can write.
import { StewardError } from '../../../shared/errors.js';

export interface ZipCaps {
  /** The .mcpb file itself. */
  maxFileBytes: number;
  maxEntries: number;
  /** All entries together, uncompressed. */
  maxUnpackedBytes: number;
  /** One entry, uncompressed. */
  maxEntryBytes: number;
}

export const DEFAULT_ZIP_CAPS: ZipCaps = {
  maxFileBytes: 200 * 1024 * 1024,
  maxEntries: 20_000,
  maxUnpackedBytes: 1024 * 1024 * 1024,
  maxEntryBytes: 512 * 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  /** Unix mode bits from the external attributes (0 when the archive has none). */
  mode: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

const bad = (message: string) => new StewardError('bundle_invalid', message);

function endOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw bad('The file is not a ZIP archive (no central directory).');
}

/** A name that is safe to write under the bundle folder: relative, forward slashes, no "..", no device or drive. */
export function safeEntryName(name: string): boolean {
  if (name.length === 0 || name.length > 1024) return false;
  if (/[\u0000-\u001f\\]/.test(name)) return false;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return false;
  return name.split('/').every((part, i, all) => part !== '..' && part !== '.' && (part !== '' || i === all.length - 1));
}

export function readZipEntries(buf: Buffer, caps: ZipCaps): ZipEntry[] {
  if (buf.length > caps.maxFileBytes) throw bad(`The bundle is ${buf.length} bytes; Steward installs bundles up to ${caps.maxFileBytes} bytes.`);
  const eocd = endOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw bad('The bundle uses ZIP64, which Steward does not unpack (it is far over the size cap).');
  if (count > caps.maxEntries) throw bad(`The bundle holds ${count} files; Steward installs bundles of up to ${caps.maxEntries}.`);
  if (cdOffset + cdSize > eocd) throw bad('The bundle’s ZIP directory points outside the file.');
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || buf.readUInt32LE(at) !== CENTRAL) throw bad('The bundle’s ZIP directory is damaged.');
    const compressedSize = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const mode = (buf.readUInt32LE(at + 38) >>> 16) & 0xffff;
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (!safeEntryName(name)) throw bad(`The bundle holds a file named "${name.slice(0, 200)}", which would land outside its folder.`);
    if ((mode & S_IFMT) === S_IFLNK) throw bad(`The bundle holds a symbolic link (${name}); Steward does not unpack links.`);
    if (names.has(name)) throw bad(`The bundle holds "${name}" twice.`);
    names.add(name);
    if (size === 0xffffffff || size > caps.maxEntryBytes) throw bad(`"${name}" unpacks to ${size} bytes; the cap for one file is ${caps.maxEntryBytes}.`);
    total += size;
    if (total > caps.maxUnpackedBytes) throw bad(`The bundle unpacks to more than ${caps.maxUnpackedBytes} bytes.`);
    entries.push({ name, size, compressedSize, mode });
  }
  return entries;
}
