// Which server processes are alive right now, and which host process owns them, so orphans can be found.
import type { Db } from './database.js';

export interface RunRecord {
  serverId: string;
  pid: number;
  /** An OS token for when the process started, so a reused pid is never mistaken for ours. */
  pidStarted: string;
  hostPid: number;
  startedAt: string;
}

interface Row {
  server_id: string;
  pid: number;
  pid_started: string;
  host_pid: number;
  started_at: string;
}

export class RunsRepo {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      put: db.prepare(
        `INSERT INTO server_runs (server_id, pid, pid_started, host_pid, started_at)
         VALUES (@serverId, @pid, @pidStarted, @hostPid, @startedAt)
         ON CONFLICT (server_id) DO UPDATE SET pid = excluded.pid, pid_started = excluded.pid_started,
           host_pid = excluded.host_pid, started_at = excluded.started_at`,
      ),
      all: db.prepare<[], Row>('SELECT * FROM server_runs'),
      get: db.prepare<[string], Row>('SELECT * FROM server_runs WHERE server_id = ?'),
      clear: db.prepare<[string, number]>('DELETE FROM server_runs WHERE server_id = ? AND pid = ?'),
    };
  }

  put(run: RunRecord): void {
    this.stmts.put.run(run);
  }

  get(serverId: string): RunRecord | undefined {
    const row = this.stmts.get.get(serverId);
    return row && toRecord(row);
  }

  list(): RunRecord[] {
    return this.stmts.all.all().map(toRecord);
  }

  clear(serverId: string, pid: number): void {
    this.stmts.clear.run(serverId, pid);
  }
}

function toRecord(row: Row): RunRecord {
  return { serverId: row.server_id, pid: row.pid, pidStarted: row.pid_started, hostPid: row.host_pid, startedAt: row.started_at };
}
