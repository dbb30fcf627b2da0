// Which OS process is which: a pid's start token (so a reused pid is never taken for the one Steward recorded), whether
// it runs, its /proc facts on Linux, and the page size the kernel counts memory in.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** Start time in clock ticks since boot (field 22). */
  starttime: string;
  rssPages: number;
}

let bootIdCache: string | undefined;

/** The kernel's id for this boot: start times count from boot, so a token must say which boot it is from. */
function bootId(): string {
  bootIdCache ??= (() => {
    try {
      return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().slice(0, 8);
    } catch {
      return 'boot';
    }
  })();
  return bootIdCache;
}

/**
 * One buffer for every /proc/<pid>/stat read: the file is a few hundred bytes (the command name in it is at most 15),
 * and a table of every process on a desktop reads hundreds of them in a row, where readFileSync would also stat each
 * file and allocate a buffer for it.
 */
const STAT_BUFFER = Buffer.alloc(4096);

/** /proc/<pid>/stat, parsed; undefined when the process is gone or already exited (a zombie). */
export function readProcStat(pid: number): ProcStat | undefined {
  let stat: string;
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
    const length = readSync(fd, STAT_BUFFER, 0, STAT_BUFFER.length, 0);
    // Only the fields after the command name are read, and they are ASCII: latin1 decodes any byte without a check.
    stat = STAT_BUFFER.toString('latin1', 0, length);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  // The command name sits in parentheses and may itself contain spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is state (field 3); ppid is field 4, pgrp 5, session 6, starttime 22, rss 24 (in pages).
  const state = fields[0] ?? '';
  if (state === 'Z' || state === 'X') return undefined;
  return {
    pid,
    state,
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    starttime: fields[19] ?? '',
    rssPages: Number(fields[21] ?? 0),
  };
}

/** The token a start time becomes (Linux: the boot and the tick count; elsewhere: `ps`'s lstart text). */
export function linuxToken(starttime: string): string {
  return `${bootId()}:${starttime}`;
}

export function psToken(lstart: string): string {
  return lstart.trim().replace(/\s+/g, ' ');
}

/**
 * Start token of one process; undefined when it is not running (or the OS cannot say). Outside Linux it is `ps`'s start
 * time, which `ps` writes in the local time and language of whoever runs it: the app started from the desktop and a
 * command in a terminal with another TZ or LANG would each write a different token for the same process, and take a
 * live Steward for a dead one. So `ps` always runs in UTC and the C locale here, whoever asks.
 */
export function startTokenOf(pid: number, platform: NodeJS.Platform = process.platform): string | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (platform === 'linux') {
    const stat = readProcStat(pid);
    return stat ? linuxToken(stat.starttime) : undefined;
  }
  if (platform === 'win32') return undefined;
  return psStart(pid, { PATH: process.env.PATH ?? '/bin:/usr/bin', TZ: 'UTC', LC_ALL: 'C' });
}

/** `ps`'s start time of one process, asked in the environment given (undefined when it is not running or ps fails). */
function psStart(pid: number, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'], env });
    return out.trim() ? psToken(out) : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process Steward recorded (pid and start token) is still the one running under that pid. Only a token that
 * differs, or a pid nothing runs under, says it is gone: on Linux a missing token means the process is gone (or a
 * zombie), but elsewhere it can mean `ps` failed (timed out, could not start under load), and a live Steward taken for
 * a dead one would have everything it holds taken over. There, and on Windows (no tokens), a running pid counts.
 */
export function isSameProcess(pid: number, started: string | null, platform: NodeJS.Platform = process.platform): boolean {
  if (started === null || started === '') return isAlive(pid);
  const now = startTokenOf(pid, platform);
  if (now === undefined) return platform !== 'linux' && isAlive(pid);
  if (now === started) return true;
  // A token an earlier Steward wrote outside Linux was in its own local time: read the way it was written (in this
  // process's environment, as that Steward did), it still names the same process for one that shares it.
  return platform !== 'linux' && platform !== 'win32' && psStart(pid, process.env) === started;
}

let pageSizeCache: number | undefined;

/** The memory page size, from the kernel's auxiliary vector (AT_PAGESZ), else getconf; 4 KiB only when neither answers. */
export function pageSize(): number {
  pageSizeCache ??= auxvPageSize() ?? getconfPageSize() ?? 4096;
  return pageSizeCache;
}

const AT_PAGESZ = 6;
const WIDE = new Set(['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el']);

/** Reads AT_PAGESZ out of an auxiliary vector (pairs of machine words); exported for tests. */
export function pageSizeFromAuxv(auxv: Buffer, wordBytes: 4 | 8, littleEndian: boolean): number | undefined {
  const pair = wordBytes * 2;
  for (let offset = 0; offset + pair <= auxv.length; offset += pair) {
    const read = (at: number) =>
      wordBytes === 8
        ? Number(littleEndian ? auxv.readBigUInt64LE(at) : auxv.readBigUInt64BE(at))
        : littleEndian
          ? auxv.readUInt32LE(at)
          : auxv.readUInt32BE(at);
    const key = read(offset);
    if (key === 0) return undefined;
    if (key === AT_PAGESZ) {
      const value = read(offset + wordBytes);
      return value > 0 && (value & (value - 1)) === 0 ? value : undefined;
    }
  }
  return undefined;
}

function auxvPageSize(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return pageSizeFromAuxv(readFileSync('/proc/self/auxv'), WIDE.has(process.arch) ? 8 : 4, process.arch !== 's390x' && process.arch !== 'ppc64');
  } catch {
    return undefined;
  }
}

function getconfPageSize(): number | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const value = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
