// The OS process table, read directly: descendants of a pid, a pid's start token, memory, and tree-wide signals.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  rssBytes: number;
  started: string;
}

const PAGE_SIZE = 4096;

function readLinuxTable(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readLinuxProc(Number(entry));
    if (info) out.push(info);
  }
  return out;
}

function readLinuxProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); ppid is field 4, pgrp 5, starttime 22, rss 24 (in pages).
    // A zombie has already exited; it only waits for its parent to reap it.
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      started: fields[19] ?? '',
      rssBytes: Number(fields[21] ?? 0) * PAGE_SIZE,
    };
  } catch {
    return undefined;
  }
}

function readPsTable(): ProcInfo[] {
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,rss=,lstart='], { encoding: 'utf8', timeout: 5000 });
  const out: ProcInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.+?)\s*$/.exec(line);
    const [, pid, ppid, pgid, rss, started] = m ?? [];
    if (started !== undefined) out.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), rssBytes: Number(rss) * 1024, started });
  }
  return out;
}

export interface ProcessTable {
  /** pid and every process below it, parents first. */
  tree(pid: number): number[];
  /** A token that changes if the pid is reused by another process; undefined when not running. */
  startToken(pid: number): string | undefined;
  rssBytes(pids: readonly number[]): number;
  members(pgid: number): number[];
}

export function readProcessTable(): ProcessTable {
  const rows = process.platform === 'linux' ? readLinuxTable() : process.platform === 'win32' ? [] : readPsTable();
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const children = new Map<number, number[]>();
  for (const r of rows) {
    const list = children.get(r.ppid) ?? [];
    list.push(r.pid);
    children.set(r.ppid, list);
  }
  return {
    tree(pid) {
      const out: number[] = [];
      const queue = [pid];
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        if (!byPid.has(next) || out.includes(next)) continue;
        out.push(next);
        queue.push(...(children.get(next) ?? []));
      }
      return out;
    },
    startToken: (pid) => byPid.get(pid)?.started,
    rssBytes: (pids) => pids.reduce((sum, p) => sum + (byPid.get(p)?.rssBytes ?? 0), 0),
    members: (pgid) => rows.filter((r) => r.pgid === pgid).map((r) => r.pid),
  };
}

/** Start token of one process without reading the whole table. */
export function startTokenOf(pid: number): string | undefined {
  if (process.platform === 'linux') return readLinuxProc(pid)?.started;
  return readProcessTable().startToken(pid);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A snapshot of a process tree whose members can be signalled later, skipping pids reused since the snapshot. */
export class TreeSnapshot {
  private readonly members = new Map<number, string>();

  constructor(readonly rootPid: number) {}

  /** Adds the current tree (and the root's process group) to the snapshot. */
  refresh(): void {
    if (process.platform === 'win32') return;
    const table = readProcessTable();
    for (const pid of [...table.tree(this.rootPid), ...table.members(this.rootPid)]) {
      const token = table.startToken(pid);
      if (token !== undefined && !this.members.has(pid)) this.members.set(pid, token);
    }
  }

  signal(sig: NodeJS.Signals): void {
    if (process.platform === 'win32') {
      if (sig === 'SIGKILL' || sig === 'SIGTERM') {
        try {
          execFileSync('taskkill', ['/pid', String(this.rootPid), '/T', '/F'], { stdio: 'ignore', timeout: 5000 });
        } catch {
          // already gone
        }
      }
      return;
    }
    try {
      process.kill(-this.rootPid, sig);
    } catch {
      // the group is gone or was never ours
    }
    for (const [pid, token] of this.members) {
      if (startTokenOf(pid) !== token) continue;
      try {
        process.kill(pid, sig);
      } catch {
        // exited meanwhile
      }
    }
  }

  /** Members still running (same pid, same start token). */
  alive(): number[] {
    return [...this.members].filter(([pid, token]) => startTokenOf(pid) === token).map(([pid]) => pid);
  }
}
