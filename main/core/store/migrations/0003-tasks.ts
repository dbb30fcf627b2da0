// Tasks in both directions, their status history, and their results (stored once, read in pages).
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 3,
  name: 'tasks',
  up(db) {
    db.exec(`
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        server_id TEXT NOT NULL,
        server_name TEXT NOT NULL,
        transport TEXT NOT NULL CHECK (transport IN ('stdio', 'http')),
        direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
        remote_task_id TEXT,
        method TEXT NOT NULL,
        label TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('working', 'input_required', 'completed', 'failed', 'cancelled')),
        status_message TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        expires_at TEXT,
        poll_interval_ms INTEGER,
        progress REAL,
        progress_total REAL,
        arguments TEXT,
        result_bytes INTEGER,
        error TEXT,
        -- The Steward process following the task (pid and its OS start token): another live one leaves it alone.
        owner_pid INTEGER,
        owner_started TEXT
      );
      CREATE INDEX tasks_by_updated ON tasks (updated_at, id);
      CREATE INDEX tasks_by_status ON tasks (status, updated_at, id);
      CREATE INDEX tasks_by_server ON tasks (server_id, updated_at, id);
      CREATE UNIQUE INDEX tasks_by_remote ON tasks (server_id, direction, remote_task_id);

      CREATE TABLE task_events (
        id INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        message TEXT
      );
      CREATE INDEX task_events_by_task ON task_events (task_id, id);

      CREATE TABLE task_results (
        task_id TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
        result TEXT NOT NULL
      );
    `);
  },
};

export default migration;
