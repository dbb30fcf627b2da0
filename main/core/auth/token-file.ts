// Reading a workload identity token from the file its identity provider keeps rotated: an absolute path to a regular
// file of a token's size, outside the locations Steward hides from servers. Refusals say why without quoting the file.
import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { StewardError } from '../../../shared/errors.js';
import { hiddenLocationOf, type HiddenLocation, type Platform } from '../security/index.js';

/** A token file larger than this is refused unread past it. */
export const MAX_TOKEN_FILE_BYTES = 20_000;

/** Read only, and without waiting for a writer (a FIFO) or taking a terminal; Windows has neither flag. */
const platformFlags: Partial<typeof constants> = constants;
const OPEN_FLAGS = constants.O_RDONLY | (platformFlags.O_NONBLOCK ?? 0) | (platformFlags.O_NOCTTY ?? 0);

/** Where token files may not be read from: other tools' credentials, keys and histories, and Steward's own data. */
export interface TokenFileRules {
  platform: Platform;
  hidden: readonly HiddenLocation[];
}

/** Why Steward will not read a token from this path, judged on the path alone; null when it may. */
export function tokenFileRefusal(file: string, rules: TokenFileRules): string | null {
  if (!isAbsolute(file)) return 'it is not an absolute path';
  const hidden = hiddenLocationOf(resolve(file), rules.hidden, rules.platform);
  return hidden ? `it is among ${hidden.what} (${hidden.path}), which Steward does not read for sign-in` : null;
}

/**
 * The token in the file, trimmed. Opened without blocking (a FIFO would hold the sign-in forever), checked to be a
 * regular file, and read to one byte past the cap at most (a device such as /dev/zero never ends).
 */
export async function readTokenFile(file: string, serverName: string, rules: TokenFileRules): Promise<string> {
  const refuse = (code: 'auth_required' | 'auth_failed', why: string) =>
    new StewardError(code, `Steward did not read the workload identity token of "${serverName}" from ${file}: ${why}.`);
  const early = tokenFileRefusal(file, rules);
  if (early) throw refuse('auth_failed', early);
  let handle: FileHandle;
  try {
    // The path it leads to counts too: a link into a hidden location is refused like the location itself.
    const real = await realpath(file);
    const late = tokenFileRefusal(real, rules);
    if (late) throw refuse('auth_failed', late);
    handle = await open(real, OPEN_FLAGS);
  } catch (error) {
    if (error instanceof StewardError) throw error;
    throw refuse('auth_required', openProblem(error));
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw refuse('auth_failed', 'it is not a regular file');
    const tooLarge = () => refuse('auth_failed', `it is larger than ${MAX_TOKEN_FILE_BYTES} bytes, too large to be a workload identity token`);
    if (stat.size > MAX_TOKEN_FILE_BYTES) throw tooLarge();
    const buffer = Buffer.alloc(MAX_TOKEN_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_TOKEN_FILE_BYTES) throw tooLarge();
    return buffer.subarray(0, length).toString('utf8').trim();
  } catch (error) {
    if (error instanceof StewardError) throw error;
    throw refuse('auth_required', 'it could not be read');
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Why a file would not open, from its error code only (the system's message is not repeated). */
function openProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'Steward is not allowed to read it';
  if (code === 'ELOOP') return 'its links go round in a loop';
  return 'it could not be opened';
}
