// Owners across processes: the Steward processes holding live things (with a lease and a control address), every OS
// process Steward started, which process holds a session with which server, the questions each one is asking, who
// runs each sampling round, and a revision per topic (bumped by triggers) so running hosts notice others' writes.
import type { Migration } from './migration.js';

/** Topics of the change feed, and the tables whose writes bump each one. */
const TOPICS: ReadonlyArray<[topic: string, table: string, events: readonly string[]]> = [
  ['servers', 'servers', ['INSERT', 'UPDATE', 'DELETE']],
  ['servers', 'consents', ['INSERT', 'UPDATE', 'DELETE']],
  ['sessions', 'server_sessions', ['INSERT', 'DELETE']],
  ['policies', 'sampling_policies', ['INSERT', 'UPDATE', 'DELETE']],
  ['settings', 'settings', ['INSERT', 'UPDATE', 'DELETE']],
  ['inbox', 'inbox_items', ['INSERT', 'UPDATE', 'DELETE']],
  ['tasks', 'tasks', ['INSERT', 'UPDATE', 'DELETE']],
  ['rounds', 'sampling_rounds', ['INSERT', 'UPDATE']],
  // Lease renewals are updates and bump nothing: only arrivals and departures are news.
  ['owners', 'owners', ['INSERT', 'DELETE']],
];

const migration: Migration = {
  version: 6,
  name: 'owners',
  up(db) {
    db.exec(`
      CREATE TABLE owners (
        pid INTEGER NOT NULL,
        started TEXT NOT NULL,
        kind TEXT NOT NULL,
        address TEXT,
        token TEXT,
        lease_until INTEGER NOT NULL,
        since TEXT NOT NULL,
        PRIMARY KEY (pid, started)
      ) WITHOUT ROWID;

      CREATE TABLE processes (
        pid INTEGER NOT NULL,
        started TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('server', 'member', 'helper')),
        server_id TEXT,
        command TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_started TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (pid, started)
      ) WITHOUT ROWID;
      CREATE INDEX processes_by_owner ON processes (owner_pid, owner_started);
      CREATE INDEX processes_by_server ON processes (server_id);
      INSERT INTO processes (pid, started, role, server_id, command, owner_pid, owner_started, recorded_at)
        SELECT pid, pid_started, 'server', server_id, '', host_pid, '', started_at FROM server_runs;
      DROP TABLE server_runs;

      CREATE TABLE server_sessions (
        server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        owner_pid INTEGER NOT NULL,
        owner_started TEXT NOT NULL,
        since TEXT NOT NULL,
        PRIMARY KEY (server_id, owner_pid, owner_started)
      ) WITHOUT ROWID;
      CREATE INDEX server_sessions_by_owner ON server_sessions (owner_pid, owner_started);

      CREATE TABLE inbox_items (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        server_id TEXT NOT NULL,
        item TEXT NOT NULL,
        created_at TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_started TEXT NOT NULL
      );
      CREATE INDEX inbox_items_by_owner ON inbox_items (owner_pid, owner_started);

      ALTER TABLE sampling_rounds ADD COLUMN owner_pid INTEGER;
      ALTER TABLE sampling_rounds ADD COLUMN owner_started TEXT;
      CREATE INDEX sampling_rounds_open ON sampling_rounds (owner_pid, owner_started)
        WHERE status IN ('waiting', 'approved', 'sending', 'reviewing');

      CREATE TABLE revisions (
        topic TEXT PRIMARY KEY,
        rev INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
    `);
    const insertTopic = db.prepare('INSERT OR IGNORE INTO revisions (topic) VALUES (?)');
    for (const [topic, table, events] of TOPICS) {
      insertTopic.run(topic);
      for (const event of events) {
        db.exec(
          `CREATE TRIGGER ${table}_${event.toLowerCase()}_bumps_${topic} AFTER ${event} ON ${table}
           BEGIN UPDATE revisions SET rev = rev + 1 WHERE topic = '${topic}'; END;`,
        );
      }
    }
  },
};

export default migration;
