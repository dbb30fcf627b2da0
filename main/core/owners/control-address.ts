// Where a process's control channel listens: a Unix socket in a 0700 folder of the data folder (or, when that path is
// too long for a socket, a 0700 folder of the temp dir that only this user owns), or a named pipe on Windows.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './os-process.js';

/** sun_path is 104 bytes on macOS and 108 on Linux, terminator included. */
const MAX_SOCKET_PATH = 100;

export type AddressChoice = { ok: true; address: string } | { ok: false; reason: string };

const short = (dataDir: string) => createHash('sha256').update(dataDir).digest('hex').slice(0, 16);

/** Where the process `pid` of this data folder listens (nothing is created). */
export function addressFor(dataDir: string, pid: number, platform: NodeJS.Platform = process.platform): { dir: string | null; address: string } {
  if (platform === 'win32') return { dir: null, address: `\\\\.\\pipe\\steward-${short(dataDir)}-${pid}` };
  let dir = join(dataDir, 'control');
  if (join(dir, `${pid}.sock`).length > MAX_SOCKET_PATH) dir = join(tmpdir(), `steward-${process.getuid?.() ?? 'user'}-${short(dataDir)}`);
  return { dir, address: join(dir, `${pid}.sock`) };
}

/** Prepares the folder and returns the address for `pid`; a stale socket of a dead process with that pid is removed. */
export function controlAddress(dataDir: string, pid: number, platform: NodeJS.Platform = process.platform): AddressChoice {
  const { dir, address } = addressFor(dataDir, pid, platform);
  if (dir === null) return { ok: true, address };
  const problem = privateFolder(dir);
  if (problem) return { ok: false, reason: problem };
  if (address.length > MAX_SOCKET_PATH) return { ok: false, reason: `the socket path ${address} is too long` };
  removeStale(address);
  return { ok: true, address };
}

/** A folder only this user can enter; an existing one owned by someone else (or a symlink) is refused. */
function privateFolder(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return `${dir} is not a folder`;
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) return `${dir} belongs to another user`;
    if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return undefined;
  } catch (error) {
    return `${dir} cannot be used (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
}

/**
 * Removes the socket a dead process of this data folder left at its address (never any other path). The address is
 * named by the pid alone, so while any process runs under that pid the socket is left: it may be a later Steward's
 * that was given the same pid and listens there now. A socket left by a process that is really gone is harmless
 * meanwhile, and the next Steward with that pid replaces it when it starts to listen.
 */
export function removeStaleFor(dataDir: string, pid: number): void {
  if (isAlive(pid)) return;
  removeStale(addressFor(dataDir, pid).address);
}

function removeStale(address: string): void {
  if (address.startsWith('\\\\')) return;
  try {
    if (lstatSync(address).isSocket()) unlinkSync(address);
  } catch {
    // nothing there
  }
}
