// The Steward processes that hold live things (owners, with their leases and control addresses), and which of them
// holds a session with which server.
import type { Db } from './database.js';

/** A process as the records name it: its pid and the OS token for when it started. */
export interface OwnerKey {
  pid: number;
  started: string;
}

export interface OwnerRecord extends OwnerKey {
  /** What kind of front end it is: app, browser mode, a CLI command, or a plain host. */
  kind: string;
  /** Where its control channel listens (a Unix socket path or a named pipe), if it has one. */
  address: string | null;
  token: string | null;
  /** Milliseconds since the epoch until which the owner promised to be responsive. */
  leaseUntil: number;
  since: string;
}

export interface SessionHolder extends OwnerKey {
  serverId: string;
}

interface OwnerRow {
  pid: number;
  started: string;
  kind: string;
  address: string | null;
  token: string | null;
  lease_until: number;
  since: string;
}

const toOwner = (r: OwnerRow): OwnerRecord => ({
  pid: r.pid,
  started: r.started,
  kind: r.kind,
  address: r.address,
  token: r.token,
  leaseUntil: r.lease_until,
  since: r.since,
});

export class OwnersRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      put: db.prepare(
        `INSERT INTO owners (pid, started, kind, address, token, lease_until, since) VALUES (@pid, @started, @kind, @address, @token, @leaseUntil, @since)
         ON CONFLICT (pid, started) DO UPDATE SET kind = excluded.kind, address = excluded.address, token = excluded.token,
           lease_until = excluded.lease_until, since = excluded.since`,
      ),
      renew: db.prepare<[number, number, string]>('UPDATE owners SET lease_until = ? WHERE pid = ? AND started = ?'),
      get: db.prepare<[number, string], OwnerRow>('SELECT * FROM owners WHERE pid = ? AND started = ?'),
      all: db.prepare<[], OwnerRow>('SELECT * FROM owners ORDER BY since'),
      remove: db.prepare<[number, string]>('DELETE FROM owners WHERE pid = ? AND started = ?'),
      putSession: db.prepare<[string, number, string, string]>(
        'INSERT OR IGNORE INTO server_sessions (server_id, owner_pid, owner_started, since) VALUES (?, ?, ?, ?)',
      ),
      clearSession: db.prepare<[string, number, string]>('DELETE FROM server_sessions WHERE server_id = ? AND owner_pid = ? AND owner_started = ?'),
      sessions: db.prepare<[], { server_id: string; owner_pid: number; owner_started: string }>(
        'SELECT server_id, owner_pid, owner_started FROM server_sessions',
      ),
      sessionsOf: db.prepare<[string], { server_id: string; owner_pid: number; owner_started: string }>(
        'SELECT server_id, owner_pid, owner_started FROM server_sessions WHERE server_id = ?',
      ),
      dropSessionsOf: db.prepare<[number, string]>('DELETE FROM server_sessions WHERE owner_pid = ? AND owner_started = ?'),
    };
  }

  put(owner: OwnerRecord): void {
    this.s.put.run(owner);
  }

  /** Extends the lease; false when the row is gone (another process took this one for dead). */
  renew(owner: OwnerKey, leaseUntil: number): boolean {
    return this.s.renew.run(leaseUntil, owner.pid, owner.started).changes === 1;
  }

  get(owner: OwnerKey): OwnerRecord | undefined {
    const row = this.s.get.get(owner.pid, owner.started);
    return row && toOwner(row);
  }

  list(): OwnerRecord[] {
    return this.s.all.all().map(toOwner);
  }

  /** True for the one caller that removed the row: two processes recovering the same dead owner never both do. */
  remove(owner: OwnerKey): boolean {
    return this.s.remove.run(owner.pid, owner.started).changes === 1;
  }

  holdSession(serverId: string, owner: OwnerKey, since: string): void {
    this.s.putSession.run(serverId, owner.pid, owner.started, since);
  }

  releaseSession(serverId: string, owner: OwnerKey): void {
    this.s.clearSession.run(serverId, owner.pid, owner.started);
  }

  sessions(serverId?: string): SessionHolder[] {
    const rows = serverId === undefined ? this.s.sessions.all() : this.s.sessionsOf.all(serverId);
    return rows.map((r) => ({ serverId: r.server_id, pid: r.owner_pid, started: r.owner_started }));
  }

  /** Drops every session a (dead) owner held; returns how many. */
  dropSessions(owner: OwnerKey): number {
    return this.s.dropSessionsOf.run(owner.pid, owner.started).changes;
  }
}
