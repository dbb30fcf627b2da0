// What lands on disk is exactly what the ZIP check read and held to the caps: one central directory, each entry's bytes
// inflated to its declared size and CRC-32, nothing else. Tried, each against a bundle that would pass a check of the
// central directory alone: stored entries whose data is larger than the size they declare (one record and many directory
// entries pointing at it), a deflated entry that inflates past its declared size, a wrong CRC, an EOCD whose two entry
// counts differ, an entry whose own header names another file, a record hidden inside another's data, an unknown
// compression method, an encrypted entry, a file and a folder of the same name, and two archives in one file (a second
// signature block, and a ZIP64 locator pointing at another directory). Directory entries ("server/", as zip -r and
// Finder write them) are unpacked as folders.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ZipCaps } from '../../../main/core/bundles/index.js';
import { makeHost, type TestHost } from '../../helpers/host.js';
import { helloManifest } from '../../helpers/zip.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const MANIFEST = helloManifest();

interface Rec {
  name: string;
  data?: Buffer | string;
  method?: number;
  mode?: number;
  flags?: number;
  /** What the central directory says where it lies about the record. */
  cd?: Partial<{ name: string; size: number; compressedSize: number; crc: number; offset: number }>;
}

interface Written {
  rec: Rec;
  offset: number;
  body: Buffer;
  data: Buffer;
}

function localRecord(rec: Rec, offset: number): Written {
  const data = Buffer.from(rec.data ?? '');
  const body = rec.method === 8 ? deflateRawSync(data) : data;
  const name = Buffer.from(rec.name);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(rec.flags ?? 0, 6);
  h.writeUInt16LE(rec.method ?? 0, 8);
  h.writeUInt32LE(crc32(data), 14);
  h.writeUInt32LE(body.length, 18);
  h.writeUInt32LE(data.length, 22);
  h.writeUInt16LE(name.length, 26);
  return { rec, offset, body: Buffer.concat([h, name, body]), data };
}

function centralRecord(w: Written): Buffer {
  const cd = w.rec.cd ?? {};
  const name = Buffer.from(cd.name ?? w.rec.name);
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(0x031e, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(w.rec.flags ?? 0, 8);
  h.writeUInt16LE(w.rec.method ?? 0, 10);
  h.writeUInt32LE(cd.crc ?? crc32(w.data), 16);
  h.writeUInt32LE(cd.compressedSize ?? w.body.length - 30 - Buffer.byteLength(w.rec.name), 20);
  h.writeUInt32LE(cd.size ?? w.data.length, 24);
  h.writeUInt16LE(name.length, 28);
  h.writeUInt32LE(((w.rec.mode ?? 0o100644) << 16) >>> 0, 38);
  h.writeUInt32LE(cd.offset ?? w.offset, 42);
  return Buffer.concat([h, name]);
}

function endRecord(count: number, cd: Buffer, cdOffset: number, onDisk = count): Buffer {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(onDisk, 8);
  e.writeUInt16LE(count, 10);
  e.writeUInt32LE(cd.length, 12);
  e.writeUInt32LE(cdOffset, 16);
  return e;
}

/** Local records in order, then the central directory of `listed` (all of them unless given), then the EOCD. */
function layout(recs: readonly Rec[], listed?: readonly Rec[]) {
  const written: Written[] = [];
  let offset = 0;
  for (const rec of recs) {
    const w = localRecord(rec, offset);
    written.push(w);
    offset += w.body.length;
  }
  const body = Buffer.concat(written.map((w) => w.body));
  const centrals = (listed ?? recs).map((r) => centralRecord(written.find((w) => w.rec === r) ?? localRecord(r, 0)));
  return { body, cd: Buffer.concat(centrals), count: centrals.length };
}

function zip(recs: readonly Rec[], eocd: { onDisk?: number; count?: number } = {}): Buffer {
  const { body, cd, count } = layout(recs);
  return Buffer.concat([body, cd, endRecord(eocd.count ?? count, cd, body.length, eocd.onDisk ?? eocd.count ?? count)]);
}

const manifest: Rec = { name: 'manifest.json', data: MANIFEST };
const extras: Rec[] = Array.from({ length: 5 }, (_, i) => ({ name: `extra${i}.txt`, data: `extra ${i}` }));

async function inspect(data: Buffer, caps: Partial<ZipCaps> = {}) {
  t ??= await makeHost({ bundleCaps: caps });
  return t.host.dispatch('bundles:inspect', { fileName: 'x.mcpb', data: data.toString('base64') });
}

async function preview(data: Buffer, caps: Partial<ZipCaps> = {}) {
  t ??= await makeHost({ bundleCaps: caps });
  return t.host.bundles.inspect('x.mcpb', data);
}

/** Every path under the staging folders (files and folders), relative to its bundle's files. */
function staged(): string[] {
  const root = join(t!.dir, 'data', 'bundles', '.staging');
  return readdirSync(root).flatMap((id) =>
    readdirSync(join(root, id, 'files'), { recursive: true })
      .map(String)
      .sort(),
  );
}

function stagedBytes(): number {
  const root = join(t!.dir, 'data', 'bundles', '.staging');
  if (!existsSync(root)) return 0;
  return readdirSync(root, { recursive: true })
    .map((p) => statSync(join(root, String(p))))
    .filter((s) => s.isFile())
    .reduce((n, s) => n + s.size, 0);
}

describe('the archive that is checked is the archive that is unpacked', () => {
  const blob = Buffer.alloc(64 * 1024, 0x41);

  it.each<{ name: string; data: () => Buffer; caps?: Partial<ZipCaps>; says: string }>([
    {
      name: 'a stored entry whose data is larger than the size it declares',
      data: () => zip([manifest, { name: 'big.bin', data: blob, cd: { size: 0 } }]),
      caps: { maxUnpackedBytes: 16 * 1024 },
      says: 'big.bin',
    },
    {
      name: 'twenty-one central-directory entries, each declaring 0 bytes, pointing at one stored record of 64 KiB',
      data: () => {
        const big: Rec = { name: 'f0', data: blob, cd: { size: 0 } };
        const { body } = layout([manifest, big]);
        const offset = layout([manifest]).body.length;
        const others: Rec[] = Array.from({ length: 20 }, (_, i) => ({ name: `f${i + 1}`, data: blob, cd: { size: 0, offset } }));
        const cd = Buffer.concat([manifest, big, ...others].map((r, i) => centralRecord(localRecord(r, i === 0 ? 0 : offset))));
        return Buffer.concat([body, cd, endRecord(22, cd, body.length)]);
      },
      caps: { maxUnpackedBytes: 16 * 1024 },
      says: 'f0',
    },
    {
      name: 'a deflated entry that inflates past its declared size',
      data: () => zip([manifest, { name: 'bomb.bin', data: blob, method: 8, cd: { size: 100 } }]),
      caps: { maxUnpackedBytes: 16 * 1024 },
      says: 'bomb.bin',
    },
    {
      name: 'an entry whose CRC-32 is wrong',
      data: () => zip([manifest, { name: 'server/index.js', data: 'console.log(1)', method: 8, cd: { crc: 1234 } }]),
      says: 'server/index.js',
    },
    {
      name: 'an EOCD that counts 1 entry in one field and 3 in the other',
      data: () => zip([manifest, ...extras.slice(0, 2)], { count: 1, onDisk: 3 }),
      says: 'two different counts',
    },
    {
      name: 'an entry whose own header names another file',
      data: () => zip([manifest, { name: 'a.txt', data: 'x', cd: { name: 'b.txt' } }]),
      says: 'b.txt',
    },
    {
      name: 'a record hidden inside the data of another',
      data: () => {
        const inner = localRecord({ name: 'inner.txt', data: 'hidden' }, 0).body;
        const m = layout([manifest]).body.length;
        const outerHeader = 30 + 'outer.bin'.length;
        return zip([manifest, { name: 'outer.bin', data: inner }, { name: 'inner.txt', data: 'hidden', cd: { offset: m + outerHeader } }]);
      },
      says: 'inner.txt',
    },
    {
      name: 'a compression method Steward does not unpack',
      data: () => zip([manifest, { name: 'a.bz2', data: 'x', method: 12 }]),
      says: 'compression method 12',
    },
    { name: 'an encrypted entry', data: () => zip([manifest, { name: 'secret.txt', data: 'x', flags: 1 }]), says: 'encrypted' },
    {
      name: 'a file and a folder of the same name',
      data: () => zip([manifest, { name: 'server', data: 'x' }, { name: 'server/index.js', data: 'y' }]),
      says: 'server',
    },
  ])('refuses $name, and writes nothing', async ({ data, caps, says }) => {
    const outcome = await inspect(data(), caps);
    expect(outcome).toMatchObject({ ok: false, code: 'bundle_invalid' });
    expect(outcome.ok ? '' : outcome.message).toContain(says);
    expect(stagedBytes()).toBe(0);
  });

  it('unpacks only the directory it checked when a second signature block hides another archive in front', async () => {
    // The outer signature block is stripped once; what is left is archive A (six files), a signature block, then a
    // directory listing only A's manifest. A second strip would leave archive A with every file in it.
    const sig = Buffer.concat([Buffer.from('MCPB_SIG_V1'), Buffer.alloc(4), Buffer.from('MCPB_SIG_END')]);
    const a = zip([manifest, ...extras]);
    const front = Buffer.concat([a, sig]);
    const cd = centralRecord(localRecord(manifest, 0));
    expect(await preview(Buffer.concat([front, cd, endRecord(1, cd, front.length), sig]), { maxEntries: 2 })).toMatchObject({ files: 1 });
    expect(staged()).toEqual(['manifest.json']);
  });

  it('unpacks only the directory it checked when a ZIP64 locator points at another', async () => {
    // Records for six files, their full directory (A), then a directory listing only the manifest (B); the EOCD names B,
    // a ZIP64 end record and locator in front of it name A.
    const { body, cd: all } = layout([manifest, ...extras]);
    const { cd: one } = layout([manifest, ...extras], [manifest]);
    const z64 = Buffer.alloc(56);
    z64.writeUInt32LE(0x06064b50, 0);
    z64.writeBigUInt64LE(44n, 4);
    z64.writeBigUInt64LE(6n, 24);
    z64.writeBigUInt64LE(6n, 32);
    z64.writeBigUInt64LE(BigInt(all.length), 40);
    z64.writeBigUInt64LE(BigInt(body.length), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(body.length + all.length + one.length), 8);
    locator.writeUInt32LE(1, 16);
    const file = Buffer.concat([body, all, one, z64, locator, endRecord(1, one, body.length + all.length)]);
    expect(await preview(file, { maxEntries: 2 })).toMatchObject({ files: 1 });
    expect(staged()).toEqual(['manifest.json']);
  });
});

describe('folders in the archive', () => {
  it('unpacks directory entries as folders, as zip -r and Finder write them, and installs the bundle', async () => {
    const file = zip([
      manifest,
      { name: 'server/', mode: 0o40755 },
      { name: 'server/index.js', data: 'console.log(1)', method: 8 },
      { name: 'server/data/', mode: 0o40755 },
    ]);
    const shown = await preview(file);
    expect(shown).toMatchObject({ files: 2, bytes: MANIFEST.length + 'console.log(1)'.length });
    expect(staged()).toEqual(['manifest.json', 'server', 'server/data', 'server/index.js']);
    const { bundle } = await t!.host.bundles.install(shown.stagingId, { config: {} });
    const dir = t!.host.store.bundles.get(bundle.id)!.dir;
    expect(statSync(join(dir, 'server', 'data')).isDirectory()).toBe(true);
    expect(statSync(join(dir, 'server')).mode & 0o7777).toBe(0o700);
  });
});
