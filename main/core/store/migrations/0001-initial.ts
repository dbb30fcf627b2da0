// Servers, consents, bounded server logs, live process records, settings and the audit record.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE servers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        transport TEXT NOT NULL CHECK (transport IN ('stdio', 'http')),
        config TEXT NOT NULL,
        sandbox TEXT NOT NULL,
        options TEXT NOT NULL,
        roots TEXT NOT NULL DEFAULT '[]',
        source TEXT NOT NULL,
        desired_state TEXT NOT NULL DEFAULT 'stopped' CHECK (desired_state IN ('running', 'stopped')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE consents (
        id INTEGER PRIMARY KEY,
        server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        spec_hash TEXT NOT NULL,
        spec TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('approved', 'denied')),
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        UNIQUE (server_id, spec_hash)
      );

      CREATE TABLE server_logs (
        id INTEGER PRIMARY KEY,
        server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        ts TEXT NOT NULL,
        stream TEXT NOT NULL CHECK (stream IN ('stderr', 'protocol', 'host')),
        level TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX server_logs_by_server ON server_logs (server_id, id);

      CREATE TABLE server_runs (
        server_id TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
        pid INTEGER NOT NULL,
        pid_started TEXT NOT NULL,
        host_pid INTEGER NOT NULL,
        started_at TEXT NOT NULL
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        kind TEXT NOT NULL,
        server_id TEXT,
        server_name TEXT,
        actor TEXT NOT NULL,
        summary TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_by_server ON audit_events (server_id, id);
      CREATE INDEX audit_by_kind ON audit_events (kind, id);
    `);
  },
};

export default migration;
