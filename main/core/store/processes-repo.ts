// Every OS process Steward started (servers, what they started, sandbox helpers), with the Steward process that owns
// it, so what a dead Steward left running can be found (pid and start token must both match) and stopped.
import type { Db } from './database.js';
import type { OwnerKey } from './owners-repo.js';

export interface ProcessRecord {
  pid: number;
  /** An OS token for when the process started, so a reused pid is never mistaken for ours. */
  started: string;
  /** server: the process Steward spawned; member: one it started; helper: one the sandbox runtime started for the host. */
  role: 'server' | 'member' | 'helper';
  serverId: string | null;
  command: string;
  owner: OwnerKey;
  recordedAt: string;
}

interface Row {
  pid: number;
  started: string;
  role: ProcessRecord['role'];
  server_id: string | null;
  command: string;
  owner_pid: number;
  owner_started: string;
  recorded_at: string;
}

const toRecord = (r: Row): ProcessRecord => ({
  pid: r.pid,
  started: r.started,
  role: r.role,
  serverId: r.server_id,
  command: r.command,
  owner: { pid: r.owner_pid, started: r.owner_started },
  recordedAt: r.recorded_at,
});

export class ProcessesRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      put: db.prepare(
        `INSERT INTO processes (pid, started, role, server_id, command, owner_pid, owner_started, recorded_at)
         VALUES (@pid, @started, @role, @serverId, @command, @ownerPid, @ownerStarted, @recordedAt)
         ON CONFLICT (pid, started) DO NOTHING`,
      ),
      all: db.prepare<[], Row>('SELECT * FROM processes ORDER BY recorded_at'),
      ofServer: db.prepare<[string], Row>('SELECT * FROM processes WHERE server_id = ? ORDER BY recorded_at'),
      owners: db.prepare<[], { owner_pid: number; owner_started: string }>('SELECT DISTINCT owner_pid, owner_started FROM processes'),
      claim: db.prepare<[number, string, number, string], Row>(
        'UPDATE processes SET owner_pid = ?, owner_started = ? WHERE owner_pid = ? AND owner_started = ? RETURNING *',
      ),
      clear: db.prepare<[number, string]>('DELETE FROM processes WHERE pid = ? AND started = ?'),
      clearServer: db.prepare<[string, number, string]>('DELETE FROM processes WHERE server_id = ? AND owner_pid = ? AND owner_started = ?'),
      clearHelpers: db.prepare<[number, string]>("DELETE FROM processes WHERE role = 'helper' AND owner_pid = ? AND owner_started = ?"),
    };
  }

  record(process: ProcessRecord): void {
    this.s.put.run({
      pid: process.pid,
      started: process.started,
      role: process.role,
      serverId: process.serverId,
      command: process.command.slice(0, 1000),
      ownerPid: process.owner.pid,
      ownerStarted: process.owner.started,
      recordedAt: process.recordedAt,
    });
  }

  list(): ProcessRecord[] {
    return this.s.all.all().map(toRecord);
  }

  ofServer(serverId: string): ProcessRecord[] {
    return this.s.ofServer.all(serverId).map(toRecord);
  }

  /** The distinct owners processes are recorded under. */
  owners(): OwnerKey[] {
    return this.s.owners.all().map((r) => ({ pid: r.owner_pid, started: r.owner_started }));
  }

  /**
   * Takes over every process a (dead) owner left: the rows move to `to` in one statement, so when two Stewards start at
   * once each process is stopped (and logged) by exactly one, and a recoverer that dies midway leaves them to the next.
   */
  claim(from: OwnerKey, to: OwnerKey): ProcessRecord[] {
    return this.s.claim.all(to.pid, to.started, from.pid, from.started).map(toRecord);
  }

  clear(pid: number, started: string): void {
    this.s.clear.run(pid, started);
  }

  clearServer(serverId: string, owner: OwnerKey): void {
    this.s.clearServer.run(serverId, owner.pid, owner.started);
  }

  clearHelpers(owner: OwnerKey): void {
    this.s.clearHelpers.run(owner.pid, owner.started);
  }
}
