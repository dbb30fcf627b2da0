// The task center filters by status and server together. With only the single-column indexes of 0003, SQLite walks
// one of them and checks the other column row by row, so a rare status on a busy server read most of the table.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 4,
  name: 'task-filters',
  up(db) {
    db.exec('CREATE INDEX tasks_by_server_status ON tasks (server_id, status, updated_at, id);');
  },
};

export default migration;
