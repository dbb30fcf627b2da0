// What the change feed reads: whether another connection committed since the last look, and the revision of each topic.
import type { Db } from './database.js';

export class ChangesRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      // Changes only when another connection (another process, or another handle in this one) commits.
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      revisions: db.prepare<[], { topic: string; rev: number }>('SELECT topic, rev FROM revisions'),
    };
  }

  dataVersion(): number {
    return this.s.dataVersion.get() ?? 0;
  }

  revisions(): Map<string, number> {
    return new Map(this.s.revisions.all().map((r) => [r.topic, r.rev]));
  }
}
