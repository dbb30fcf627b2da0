// Which protocol era a task belongs to: 2025-11-25 core tasks (legacy) or the 2026-07-28 tasks extension (modern).
// The two are followed differently (tasks/result against an inline result and tasks/update), so the row says which.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 9,
  name: 'task-era',
  up(db) {
    db.exec(`ALTER TABLE tasks ADD COLUMN era TEXT NOT NULL DEFAULT 'legacy' CHECK (era IN ('legacy', 'modern'))`);
  },
};

export default migration;
