// A server's task ids are unique only as far as the server keeps them so: a stdio server that numbers its tasks from 1
// starts again at 1 after a restart, and two Steward processes each running it get the same ids at once. The index on
// them no longer refuses a second task with an id an earlier one had (which failed the call after the server had
// accepted the task); a lookup by id takes this process's own task first, then one still running, then the most recently changed.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 12,
  name: 'task-remote-ids',
  up(db) {
    db.exec(`
      DROP INDEX tasks_by_remote;
      CREATE INDEX tasks_by_remote ON tasks (server_id, direction, remote_task_id);
    `);
  },
};

export default migration;
