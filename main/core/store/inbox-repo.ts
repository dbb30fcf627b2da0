// The questions each Steward process is asking the user, as the UI shows them, so every front end lists them all and an
// answer reaches the process that asked.
import type { Db } from './database.js';
import type { OwnerKey } from './owners-repo.js';

export interface InboxRow {
  id: string;
  kind: string;
  serverId: string;
  /** The item as the UI shows it, JSON. */
  item: string;
  createdAt: string;
  owner: OwnerKey;
}

interface Row {
  id: string;
  kind: string;
  server_id: string;
  item: string;
  created_at: string;
  owner_pid: number;
  owner_started: string;
}

const toRow = (r: Row): InboxRow => ({
  id: r.id,
  kind: r.kind,
  serverId: r.server_id,
  item: r.item,
  createdAt: r.created_at,
  owner: { pid: r.owner_pid, started: r.owner_started },
});

export class InboxRepo {
  private readonly s;
  private readonly replace: (owner: OwnerKey, rows: readonly Omit<InboxRow, 'owner'>[]) => void;
  private readonly change: (owner: OwnerKey, put: Omit<InboxRow, 'owner'> | undefined, removed: string | undefined) => void;

  constructor(db: Db) {
    this.s = {
      own: db.prepare<[number, string], { id: string }>('SELECT id FROM inbox_items WHERE owner_pid = ? AND owner_started = ?'),
      insert: db.prepare(
        `INSERT INTO inbox_items (id, kind, server_id, item, created_at, owner_pid, owner_started)
         VALUES (@id, @kind, @serverId, @item, @createdAt, @ownerPid, @ownerStarted)
         ON CONFLICT (id) DO UPDATE SET item = excluded.item`,
      ),
      remove: db.prepare<[string, number, string]>('DELETE FROM inbox_items WHERE id = ? AND owner_pid = ? AND owner_started = ?'),
      others: db.prepare<[number, string], Row>('SELECT * FROM inbox_items WHERE NOT (owner_pid = ? AND owner_started = ?) ORDER BY created_at'),
      get: db.prepare<[string], Row>('SELECT * FROM inbox_items WHERE id = ?'),
      withdraw: db.prepare<[number, string]>('DELETE FROM inbox_items WHERE owner_pid = ? AND owner_started = ?'),
      owners: db.prepare<[], { owner_pid: number; owner_started: string }>('SELECT DISTINCT owner_pid, owner_started FROM inbox_items'),
    };
    this.replace = db.transaction((owner: OwnerKey, rows: readonly Omit<InboxRow, 'owner'>[]) => {
      const keep = new Set(rows.map((r) => r.id));
      for (const { id } of this.s.own.all(owner.pid, owner.started)) if (!keep.has(id)) this.s.remove.run(id, owner.pid, owner.started);
      for (const row of rows) this.s.insert.run({ ...row, ownerPid: owner.pid, ownerStarted: owner.started });
    });
    this.change = db.transaction((owner: OwnerKey, put: Omit<InboxRow, 'owner'> | undefined, removed: string | undefined) => {
      if (removed !== undefined && removed !== put?.id) this.s.remove.run(removed, owner.pid, owner.started);
      if (put) this.s.insert.run({ ...put, ownerPid: owner.pid, ownerStarted: owner.started });
    });
  }

  /**
   * One of the owner's rows added or changed and/or one removed (a question that replaces another does both), in one
   * transaction: what a single change costs, whatever else the owner has waiting.
   */
  changeOwn(owner: OwnerKey, put: Omit<InboxRow, 'owner'> | undefined, removed?: string): void {
    this.change(owner, put, removed);
  }

  /** Makes the owner's rows exactly these (one transaction). */
  replaceOwn(owner: OwnerKey, rows: readonly Omit<InboxRow, 'owner'>[]): void {
    this.replace(owner, rows);
  }

  /** Every row not held by `self`, oldest first. */
  others(self: OwnerKey): InboxRow[] {
    return this.s.others.all(self.pid, self.started).map(toRow);
  }

  get(id: string): InboxRow | undefined {
    const row = this.s.get.get(id);
    return row && toRow(row);
  }

  owners(): OwnerKey[] {
    return this.s.owners.all().map((r) => ({ pid: r.owner_pid, started: r.owner_started }));
  }

  /** Withdraws what a (dead) owner was asking; returns how many questions went. */
  withdraw(owner: OwnerKey): number {
    return this.s.withdraw.run(owner.pid, owner.started).changes;
  }
}
