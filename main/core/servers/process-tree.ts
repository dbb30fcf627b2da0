// The OS process table, read directly: a process's descendants, group and session, memory, command line, and signals
// to a whole tree that skip any pid reused since it was seen.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { linuxToken, pageSize, psToken, readProcStat, startTokenOf } from '../owners/index.js';

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  rssBytes: number;
  started: string;
}

function readLinuxTable(): ProcInfo[] {
  const page = pageSize();
  const out: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat) out.push({ pid: stat.pid, ppid: stat.ppid, pgid: stat.pgid, sid: stat.sid, started: linuxToken(stat.starttime), rssBytes: stat.rssPages * page });
  }
  return out;
}

function readPsTable(): ProcInfo[] {
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,sess=,rss=,lstart='], { encoding: 'utf8', timeout: 5000 });
  const out: ProcInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.+?)\s*$/.exec(line);
    const [, pid, ppid, pgid, sid, rss, started] = m ?? [];
    if (started !== undefined) {
      out.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), sid: Number(sid), rssBytes: Number(rss) * 1024, started: psToken(started) });
    }
  }
  return out;
}

export interface ProcessTable {
  /** pid and every process below it, parents first. */
  tree(pid: number): number[];
  /** A token that changes if the pid is reused by another process; undefined when not running. */
  startToken(pid: number): string | undefined;
  rssBytes(pids: readonly number[]): number;
  /** Processes in a process group. */
  members(pgid: number): number[];
  /** Processes in a session (a server Steward starts leads its own). */
  session(sid: number): number[];
  children(pid: number): number[];
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
    session: (sid) => rows.filter((r) => r.sid === sid).map((r) => r.pid),
    children: (pid) => [...(children.get(pid) ?? [])],
  };
}

/** The command line of a process, for logs (empty when it cannot be read). */
export function commandLineOf(pid: number): string {
  try {
    if (process.platform === 'linux') return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    if (process.platform === 'win32') return '';
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export interface Member {
  pid: number;
  started: string;
}

/** A snapshot of a process tree whose members can be signalled later, skipping pids reused since the snapshot. */
export class TreeSnapshot {
  private readonly members = new Map<number, string>();

  constructor(readonly rootPid: number) {}

  /**
   * Adds the current tree, the root's process group and its session (a daemon that left the group with setsid() but
   * stayed below the server is in the tree; one in the server's session is in the session) to the snapshot.
   * Returns the processes seen for the first time.
   */
  refresh(table: ProcessTable = readProcessTable()): Member[] {
    if (process.platform === 'win32') return [];
    const added: Member[] = [];
    for (const pid of [...table.tree(this.rootPid), ...table.members(this.rootPid), ...table.session(this.rootPid)]) {
      const token = table.startToken(pid);
      if (token !== undefined && !this.members.has(pid)) {
        this.members.set(pid, token);
        added.push({ pid, started: token });
      }
    }
    return added;
  }

  /** Adds processes recorded earlier (from the records of a Steward that stopped). */
  adopt(members: readonly Member[]): void {
    for (const m of members) if (!this.members.has(m.pid)) this.members.set(m.pid, m.started);
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
    // A pid is never handed out while its group lives on, so the group may be signalled unless another process now has
    // the leader's pid (then the group is someone else's).
    const recorded = this.members.get(this.rootPid);
    const now = startTokenOf(this.rootPid);
    if (recorded === undefined || now === undefined || now === recorded) {
      try {
        process.kill(-this.rootPid, sig);
      } catch {
        // the group is gone or was never ours
      }
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

/** SIGTERM to a whole tree, then SIGKILL to whatever is left after the grace time; resolves when nothing of it runs. */
export async function killTree(snapshot: TreeSnapshot, graceMs: number): Promise<void> {
  snapshot.refresh();
  snapshot.signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (snapshot.alive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  if (snapshot.alive().length === 0) return;
  snapshot.signal('SIGKILL');
  const end = Date.now() + 5000;
  while (snapshot.alive().length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}
