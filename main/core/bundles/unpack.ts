// Unpacking a checked bundle with @anthropic-ai/mcpb, then its file modes made plain: the library copies each entry's
// permission bits from the ZIP, so a bundle could ship files others may write; only the owner's read/write and the
// execute bit (where the entry had one) are kept.
import { chmodSync, lstatSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StewardError } from '../../../shared/errors.js';

const EXECUTABLE = 0o111;

function plainModes(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, 0o700);
      plainModes(path);
    } else if (entry.isFile()) {
      chmodSync(path, lstatSync(path).mode & EXECUTABLE ? 0o700 : 0o600);
    }
  }
}

/** Unpacks `bundle` (already checked from its central directory) into `files`, which exists and is empty. */
export async function unpackBundle(bundle: Buffer, scratch: string, files: string): Promise<void> {
  const file = join(scratch, 'bundle.mcpb');
  writeFileSync(file, bundle);
  try {
    const { unpackExtension } = await import('@anthropic-ai/mcpb');
    if (!(await unpackExtension({ mcpbPath: file, outputDir: files, silent: true }))) {
      throw new StewardError('bundle_invalid', 'The bundle could not be unpacked: its ZIP data is damaged.');
    }
  } finally {
    rmSync(file, { force: true });
  }
  chmodSync(files, 0o700);
  plainModes(files);
}
