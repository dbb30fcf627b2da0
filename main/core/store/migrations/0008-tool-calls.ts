// Each server's tool call history: arguments, outcome and duration of every call made through Steward, bounded per server.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 8,
  name: 'tool-calls',
  up(db) {
    db.exec(`
      CREATE TABLE tool_calls (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        tool TEXT NOT NULL,
        arguments TEXT,
        result TEXT,
        result_bytes INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        error_message TEXT,
        as_task INTEGER NOT NULL DEFAULT 0 CHECK (as_task IN (0, 1)),
        at TEXT NOT NULL,
        duration_ms REAL NOT NULL
      );
      CREATE INDEX tool_calls_by_server ON tool_calls (server_id, id);
    `);
  },
};

export default migration;
