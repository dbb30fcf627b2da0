// Sampling: per-server policies, agent loops and their rounds. Rounds outlive a removed server: they are the record.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 2,
  name: 'sampling',
  up(db) {
    db.exec(`
      CREATE TABLE sampling_policies (
        server_id TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
        policy TEXT NOT NULL
      );

      CREATE TABLE sampling_loops (
        id TEXT PRIMARY KEY,
        server_id TEXT NOT NULL,
        server_name TEXT NOT NULL,
        tool_call TEXT,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        rounds INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX sampling_loops_by_server ON sampling_loops (server_id, updated_at);
      CREATE INDEX sampling_loops_by_time ON sampling_loops (updated_at);

      CREATE TABLE sampling_rounds (
        id TEXT PRIMARY KEY,
        loop_id TEXT NOT NULL REFERENCES sampling_loops(id),
        server_id TEXT NOT NULL,
        round INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        status TEXT NOT NULL,
        decided_by TEXT,
        model TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        latency_ms INTEGER,
        stop_reason TEXT,
        request TEXT NOT NULL,
        reply TEXT,
        error TEXT
      );
      CREATE INDEX sampling_rounds_by_loop ON sampling_rounds (loop_id, round);
      CREATE INDEX sampling_rounds_by_server_time ON sampling_rounds (server_id, received_at);
    `);
  },
};

export default migration;
