// A task's history is bounded: a server that reports a new status message hundreds of times a second, for hours, must
// not fill the disk (or a detail view's memory) with one task. Past 500 entries, the oldest entry after the first ten
// goes with each new one, and the task counts what was dropped, so its history keeps how it began and how it stands
// and says that entries in between are gone. The numbers are SERVER_LIMITS.taskHistory (limits.ts); a test holds the
// two together. The trigger does it in the writing transaction, for every process that writes a task.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 10,
  name: 'task-history-cap',
  up(db) {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN events_dropped INTEGER NOT NULL DEFAULT 0;
      -- A history already past the cap is cut the same way once: its first ten and its latest 490 stay.
      UPDATE tasks SET events_dropped = long.total - 500
        FROM (SELECT task_id, count(*) AS total FROM task_events GROUP BY task_id HAVING count(*) > 500) AS long
        WHERE tasks.id = long.task_id;
      DELETE FROM task_events WHERE id IN (
        SELECT id FROM (
          SELECT id, row_number() OVER (PARTITION BY task_id ORDER BY id) AS n, count(*) OVER (PARTITION BY task_id) AS total
          FROM task_events
        ) WHERE total > 500 AND n > 10 AND n <= total - 490
      );
      CREATE TRIGGER task_events_cap AFTER INSERT ON task_events
      WHEN (SELECT count(*) FROM task_events WHERE task_id = NEW.task_id) > 500
      BEGIN
        DELETE FROM task_events WHERE id = (SELECT id FROM task_events WHERE task_id = NEW.task_id ORDER BY id LIMIT 1 OFFSET 10);
        UPDATE tasks SET events_dropped = events_dropped + 1 WHERE id = NEW.task_id;
      END;
    `);
  },
};

export default migration;
