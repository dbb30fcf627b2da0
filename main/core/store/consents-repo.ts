// Consent decisions, each bound to the hash of the exact launch spec the user saw.
import type { Db } from './database.js';

export interface ConsentRecord {
  serverId: string;
  specHash: string;
  spec: string;
  decision: 'approved' | 'denied';
  decidedBy: string;
  decidedAt: string;
}

interface Row {
  server_id: string;
  spec_hash: string;
  spec: string;
  decision: 'approved' | 'denied';
  decided_by: string;
  decided_at: string;
}

const fromRow = (row: Row): ConsentRecord => ({
  serverId: row.server_id,
  specHash: row.spec_hash,
  spec: row.spec,
  decision: row.decision,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
});

export class ConsentsRepo {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      find: db.prepare<[string, string], Row>('SELECT * FROM consents WHERE server_id = ? AND spec_hash = ?'),
      latest: db.prepare<[string], Row>('SELECT * FROM consents WHERE server_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1'),
      latestApproved: db.prepare<[string], Row>(
        "SELECT * FROM consents WHERE server_id = ? AND decision = 'approved' ORDER BY decided_at DESC, id DESC LIMIT 1",
      ),
      upsert: db.prepare(
        `INSERT INTO consents (server_id, spec_hash, spec, decision, decided_by, decided_at)
         VALUES (@server_id, @spec_hash, @spec, @decision, @decided_by, @decided_at)
         ON CONFLICT (server_id, spec_hash) DO UPDATE SET
           spec = excluded.spec, decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
      ),
      forget: db.prepare<[string]>('DELETE FROM consents WHERE server_id = ?'),
    };
  }

  find(serverId: string, specHash: string): ConsentRecord | undefined {
    const row = this.stmts.find.get(serverId, specHash);
    return row ? fromRow(row) : undefined;
  }

  latest(serverId: string): ConsentRecord | undefined {
    const row = this.stmts.latest.get(serverId);
    return row ? fromRow(row) : undefined;
  }

  latestApproved(serverId: string): ConsentRecord | undefined {
    const row = this.stmts.latestApproved.get(serverId);
    return row ? fromRow(row) : undefined;
  }

  record(consent: ConsentRecord): void {
    this.stmts.upsert.run({
      server_id: consent.serverId,
      spec_hash: consent.specHash,
      spec: consent.spec,
      decision: consent.decision,
      decided_by: consent.decidedBy,
      decided_at: consent.decidedAt,
    });
  }

  forget(serverId: string): void {
    this.stmts.forget.run(serverId);
  }
}
