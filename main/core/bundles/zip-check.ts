// A bundle's ZIP, read from its central directory before anything is inflated: every name safe to write under one folder
// (no zip slip, no absolute or drive paths, no links), the file count and declared sizes under caps, and each entry's own
// record found where the directory says, under the same name, apart from every other. unpack.ts writes exactly these
// entries and nothing else, each checked against its declared size and CRC-32, so the caps bound what lands on disk.
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
  /** A folder ("server/"): made, nothing inflated. */
  directory: boolean;
  size: number;
  compressedSize: number;
  /** 0 stored, 8 deflated: the only two unpacked. */
  method: 0 | 8;
  crc: number;
  /** Where the entry's bytes start, past its own header. */
  dataOffset: number;
  /** Unix mode bits from the external attributes (0 when the archive has none). */
  mode: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
/** General-purpose flags: encrypted, and strongly encrypted. */
const ENCRYPTED = 0x0001 | 0x0040;

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

/** The entry's own (local) record: where the directory says, under the same name, its bytes ending before the directory. */
function localRecord(buf: Buffer, at: number, name: string, compressedSize: number, cdOffset: number): { offset: number; dataOffset: number } {
  const offset = buf.readUInt32LE(at + 42);
  if (offset + 30 > cdOffset || buf.readUInt32LE(offset) !== LOCAL) {
    throw bad(`The bundle’s ZIP directory points "${name}" at something that is not its record.`);
  }
  const nameLength = buf.readUInt16LE(at + 28);
  const localNameLength = buf.readUInt16LE(offset + 26);
  const dataOffset = offset + 30 + localNameLength + buf.readUInt16LE(offset + 28);
  if (dataOffset + compressedSize > cdOffset) throw bad(`"${name}" runs past the end of the bundle’s ZIP data.`);
  if (localNameLength !== nameLength || buf.compare(buf, at + 46, at + 46 + nameLength, offset + 30, offset + 30 + nameLength) !== 0) {
    throw bad(`The record the bundle’s ZIP directory gives for "${name}" names another file.`);
  }
  return { offset, dataOffset };
}

export function readZipEntries(buf: Buffer, caps: ZipCaps): ZipEntry[] {
  if (buf.length > caps.maxFileBytes) throw bad(`The bundle is ${buf.length} bytes; Steward installs bundles up to ${caps.maxFileBytes} bytes.`);
  const eocd = endOfCentralDirectory(buf);
  const onDisk = buf.readUInt16LE(eocd + 8);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw bad('The bundle uses ZIP64, which Steward does not unpack (it is far over the size cap).');
  }
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) throw bad('The bundle’s ZIP is split across several files.');
  if (onDisk !== count) throw bad(`The bundle’s ZIP directory gives two different counts of its entries (${onDisk} and ${count}).`);
  if (count > caps.maxEntries) throw bad(`The bundle holds ${count} files; Steward installs bundles of up to ${caps.maxEntries}.`);
  const cdEnd = cdOffset + cdSize;
  if (cdEnd > eocd) throw bad('The bundle’s ZIP directory points outside the file.');
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  const spans: { name: string; start: number; end: number }[] = [];
  let total = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cdEnd || buf.readUInt32LE(at) !== CENTRAL) throw bad('The bundle’s ZIP directory is damaged.');
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const compressedSize = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (next > cdEnd) throw bad('The bundle’s ZIP directory is damaged.');
    const mode = (buf.readUInt32LE(at + 38) >>> 16) & 0xffff;
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    if (!safeEntryName(name)) throw bad(`The bundle holds a file named "${name.slice(0, 200)}", which would land outside its folder.`);
    if ((mode & S_IFMT) === S_IFLNK) throw bad(`The bundle holds a symbolic link (${name}); Steward does not unpack links.`);
    if (names.has(name)) throw bad(`The bundle holds "${name}" twice.`);
    names.add(name);
    if (flags & ENCRYPTED) throw bad(`"${name}" is encrypted; Steward does not unpack encrypted bundles.`);
    if (method !== 0 && method !== 8) throw bad(`"${name}" uses compression method ${method}; Steward unpacks only stored and deflated files.`);
    if (size === 0xffffffff || size > caps.maxEntryBytes) throw bad(`"${name}" unpacks to ${size} bytes; the cap for one file is ${caps.maxEntryBytes}.`);
    if (method === 0 && compressedSize !== size) throw bad(`"${name}" is stored as ${compressedSize} bytes but declares ${size}.`);
    const directory = name.endsWith('/');
    if (directory && size !== 0) throw bad(`The folder "${name}" declares ${size} bytes of content.`);
    total += size;
    if (total > caps.maxUnpackedBytes) throw bad(`The bundle unpacks to more than ${caps.maxUnpackedBytes} bytes.`);
    const { offset, dataOffset } = localRecord(buf, at, name, compressedSize, cdOffset);
    spans.push({ name, start: offset, end: dataOffset + compressedSize });
    entries.push({ name, directory, size, compressedSize, method: method === 0 ? 0 : 8, crc, dataOffset, mode });
    at = next;
  }
  // Records that overlap would let one stretch of bytes be unpacked under several names, or hide one inside another.
  let end = 0;
  for (const span of spans.sort((a, b) => a.start - b.start)) {
    if (span.start < end) throw bad(`The record of "${span.name}" overlaps another in the bundle’s ZIP data.`);
    end = span.end;
  }
  return entries;
}
