// Telling processes apart and measuring them: start tokens that change with a reused pid, liveness, and the page size
// memory is counted in, read from the kernel rather than assumed.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, isSameProcess, pageSize, pageSizeFromAuxv, readProcStat, startTokenOf } from '../../../main/core/owners/index.js';
import { readProcessTable } from '../../../main/core/servers/process-tree.js';
import { exitOf, waitFor } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/host.js';
import { DIST, NODE } from '../../helpers/paths.js';

function auxv(pairs: Array<[number, number]>, word: 4 | 8, littleEndian: boolean): Buffer {
  const buffer = Buffer.alloc(pairs.length * word * 2);
  pairs.forEach(([key, value], i) => {
    for (const [offset, n] of [
      [i * word * 2, key],
      [i * word * 2 + word, value],
    ] as const) {
      if (word === 8 && littleEndian) buffer.writeBigUInt64LE(BigInt(n), offset);
      else if (word === 8) buffer.writeBigUInt64BE(BigInt(n), offset);
      else if (littleEndian) buffer.writeUInt32LE(n, offset);
      else buffer.writeUInt32BE(n, offset);
    }
  });
  return buffer;
}

describe('page size', () => {
  it.each([
    ['x86-64, 4 KiB', 8, true, 4096],
    ['arm64 with 16 KiB pages', 8, true, 16384],
    ['ppc64 big-endian, 64 KiB', 8, false, 65536],
    ['32-bit arm, 4 KiB', 4, true, 4096],
  ] as const)('reads AT_PAGESZ from an auxiliary vector (%s)', (_name, word, le, size) => {
    expect(
      pageSizeFromAuxv(
        auxv(
          [
            [33, 0x7fff0000],
            [6, size],
            [17, 100],
            [0, 0],
          ],
          word,
          le,
        ),
        word,
        le,
      ),
    ).toBe(size);
  });

  it('gives up on a vector without it, or with a value that is no page size', () => {
    expect(
      pageSizeFromAuxv(
        auxv(
          [
            [33, 1],
            [0, 0],
          ],
          8,
          true,
        ),
        8,
        true,
      ),
    ).toBeUndefined();
    expect(
      pageSizeFromAuxv(
        auxv(
          [
            [6, 12345],
            [0, 0],
          ],
          8,
          true,
        ),
        8,
        true,
      ),
    ).toBeUndefined();
    expect(pageSizeFromAuxv(Buffer.alloc(3), 8, true)).toBeUndefined();
  });

  it('is what the OS says, and memory in the process table agrees with the kernel’s own RSS figure', async () => {
    expect(pageSize()).toBe(Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()));
    // A sleeping process's resident set does not move between the two reads.
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await waitFor('the sleeper', () => readProcStat(sleeper.pid!)?.state === 'S');
      // VmRSS is in kB, whatever the page size; the stat counter it is compared with may lag it by a few pages.
      const vmRss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${sleeper.pid}/status`, 'utf8'))![1]) * 1024;
      const measured = readProcessTable().rssBytes([sleeper.pid!]);
      expect(Math.abs(measured - vmRss) / vmRss).toBeLessThan(0.15);
    } finally {
      sleeper.kill('SIGKILL');
      await exitOf(sleeper);
    }
  });
});

describe('process identity', () => {
  it.runIf(process.platform === 'linux')('reads the fields after a command name that holds spaces and parentheses', async () => {
    // The kernel's name for a process is its program's file name: a copy of sleep named like the fields around it.
    const dir = tempDir('steward-comm-');
    const program = join(dir, 'x) S 1 (y z');
    copyFileSync(execFileSync('which', ['sleep'], { encoding: 'utf8' }).trim(), program);
    chmodSync(program, 0o755);
    const sleeper = spawn(program, ['30'], { stdio: 'ignore' });
    try {
      await waitFor('the sleeper', () => readProcStat(sleeper.pid!)?.state === 'S');
      expect(readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8')).toContain('(x) S 1 (y z)');
      expect(readProcStat(sleeper.pid!)).toMatchObject({
        pid: sleeper.pid,
        state: 'S',
        ppid: process.pid,
        starttime: expect.stringMatching(/^\d+$/) as unknown,
      });
      expect(startTokenOf(sleeper.pid!)).toBe(readProcessTable().startToken(sleeper.pid!));
    } finally {
      sleeper.kill('SIGKILL');
      await exitOf(sleeper);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a start token names one process: the same pid running something else does not match, a gone one is dead', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const token = startTokenOf(child.pid!)!;
    expect(token).toMatch(/^[0-9a-f]{8}:\d+$/);
    expect(isSameProcess(child.pid!, token)).toBe(true);
    expect(isSameProcess(child.pid!, `${token}0`)).toBe(false);
    child.kill('SIGKILL');
    await exitOf(child);
    await waitFor('the pid to be free', () => !isAlive(child.pid!) || readProcStat(child.pid!) === undefined);
    expect(isSameProcess(child.pid!, token)).toBe(false);
    expect(startTokenOf(process.pid)).toBe(readProcessTable().startToken(process.pid));
  });

  // The path taken on macOS and the BSDs, run here with this machine's `ps`.
  it('outside Linux, a start token is the same whoever asks, whatever their time zone and language', () => {
    const here = startTokenOf(process.pid, 'darwin');
    expect(here).toMatch(/\d{4}$/);
    const osProcess = join(DIST, 'main', 'core', 'owners', 'os-process.js');
    const script = `import { startTokenOf } from ${JSON.stringify(osProcess)}; process.stdout.write(startTokenOf(${process.pid}, 'darwin') ?? '')`;
    for (const env of [{ TZ: 'Asia/Tokyo' }, { TZ: 'America/Los_Angeles', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }]) {
      // Tried: before, `ps` wrote the start time in the asker's own time zone, and these differed by hours.
      expect(execFileSync(NODE, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' })).toBe(here);
    }
  });

  it('outside Linux, a `ps` that cannot run leaves a live process alive; a token that differs or a gone pid is still dead', async () => {
    const token = startTokenOf(process.pid, 'darwin')!;
    expect(isSameProcess(process.pid, token, 'darwin')).toBe(true);
    expect(isSameProcess(process.pid, 'Mon Jan 1 00:00:00 2024', 'darwin')).toBe(false);
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const gone = startTokenOf(child.pid!, 'darwin')!;
    child.kill('SIGKILL');
    await exitOf(child);
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent/steward-test-no-ps';
    try {
      expect(startTokenOf(process.pid, 'darwin')).toBeUndefined();
      // Tried: before, a failed `ps` made every Steward, this one included, dead to whoever asked.
      expect(isSameProcess(process.pid, token, 'darwin')).toBe(true);
      expect(isSameProcess(child.pid!, gone, 'darwin')).toBe(false);
    } finally {
      process.env.PATH = path;
    }
  });

  it('outside Linux, still knows a process by the token an earlier Steward wrote in its local time', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      // As an earlier Steward asked: `ps` in its own environment, in its own time zone.
      const legacy = execFileSync('ps', ['-o', 'lstart=', '-p', String(process.pid)], { encoding: 'utf8' })
        .trim()
        .replace(/\s+/g, ' ');
      expect(legacy).not.toBe(startTokenOf(process.pid, 'darwin'));
      // Tried: before, only the UTC token counted, and every Steward an earlier version had recorded was taken for dead.
      expect(isSameProcess(process.pid, legacy, 'darwin')).toBe(true);
      expect(isSameProcess(process.pid, legacy.replace(/\d{4}$/, '1999'), 'darwin')).toBe(false);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('refuses nonsense pids without touching anything', () => {
    for (const pid of [0, -1, -process.pid, Number.NaN, 2 ** 53]) {
      expect(isAlive(pid)).toBe(false);
      expect(startTokenOf(pid)).toBeUndefined();
    }
  });
});
