// Launching: the last error stays with its server (a CLI command that exits still leaves it for the next one to read),
// package versions pinned at first install, and installed MCPB bundles.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 5,
  name: 'launch',
  up(db) {
    db.exec(`
      ALTER TABLE servers ADD COLUMN last_error TEXT;
      ALTER TABLE servers ADD COLUMN pins TEXT NOT NULL DEFAULT '[]';

      CREATE TABLE bundles (
        id TEXT PRIMARY KEY,
        server_id TEXT UNIQUE REFERENCES servers(id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        dir TEXT NOT NULL,
        manifest TEXT NOT NULL,
        user_config TEXT NOT NULL,
        signature TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        installed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};

export default migration;
