// The order in which tasks changed, as the database committed them. A process hears of other processes' task changes by
// reading past the last one it saw; a cursor on `updated_at` (the writer's wall clock, taken before its write commits)
// misses a change whose writer's clock stepped back, or one committed after a later-stamped change from a third process.
// `change_seq` is set inside each writing statement from the highest one committed, while the write lock is held, so it
// grows in commit order whatever any clock says.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 11,
  name: 'task-change-order',
  up(db) {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      UPDATE tasks SET change_seq = ranked.seq
        FROM (SELECT id, row_number() OVER (ORDER BY updated_at, id) AS seq FROM tasks) AS ranked
        WHERE tasks.id = ranked.id;
      CREATE INDEX tasks_by_change ON tasks (change_seq);
    `);
  },
};

export default migration;
