// The record as it happened. Tasks: who settled a final status, what the stored result says, a requested cancel, the
// progress message apart from the status message, and history entries typed as the server's report or a local event.
// Sampling rounds: the edits, the request sent to the model, the reply returned, the steps (who decided, why) and the
// parameters not passed on; statuses and deciders renamed to the round's states and who decides (the index of open
// rounds by owner follows the new names); a journal, per owner, for rounds on their way to the model.
import type { Migration } from './migration.js';

const migration: Migration = {
  version: 7,
  name: 'true-record',
  up(db) {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN settled_by TEXT CHECK (settled_by IN ('server', 'steward'));
      ALTER TABLE tasks ADD COLUMN result_outcome TEXT CHECK (result_outcome IN ('ok', 'is_error', 'rpc_error'));
      ALTER TABLE tasks ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tasks ADD COLUMN progress_message TEXT;
      -- Final statuses recorded before this change: the server's, unless Steward wrote why it gave up.
      UPDATE tasks SET settled_by = CASE WHEN error IN ('expired', 'unknown task', 'server exited', 'host restarted') THEN 'steward' ELSE 'server' END
        WHERE status IN ('completed', 'failed', 'cancelled');
      UPDATE tasks SET result_outcome = 'ok' WHERE result_bytes IS NOT NULL;

      ALTER TABLE task_events ADD COLUMN source TEXT NOT NULL DEFAULT 'server' CHECK (source IN ('server', 'local'));
      ALTER TABLE task_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status';
      ALTER TABLE task_events ADD COLUMN server_at TEXT;

      ALTER TABLE sampling_rounds ADD COLUMN edits TEXT;
      ALTER TABLE sampling_rounds ADD COLUMN sent TEXT;
      ALTER TABLE sampling_rounds ADD COLUMN reply_returned TEXT;
      ALTER TABLE sampling_rounds ADD COLUMN steps TEXT;
      ALTER TABLE sampling_rounds ADD COLUMN params_report TEXT;
      UPDATE sampling_rounds SET status = 'sent' WHERE status IN ('approved', 'sending');
      UPDATE sampling_rounds SET status = 'interrupted' WHERE status = 'failed' AND error = 'Steward stopped before this request was answered.';
      UPDATE sampling_rounds SET decided_by = CASE decided_by WHEN 'policy:grant' THEN 'loop_grant' ELSE 'policy' END
        WHERE decided_by LIKE 'policy%';
      DROP INDEX sampling_rounds_open;
      CREATE INDEX sampling_rounds_open ON sampling_rounds (owner_pid, owner_started)
        WHERE status IN ('received', 'checked', 'waiting', 'sent', 'reviewing');

      -- A round on its way to the model, until its indexed row is written (moments later); read back after a crash.
      -- Sequences are never reused (AUTOINCREMENT): entries are cleared "up to a sequence" while others are appended.
      CREATE TABLE sampling_journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        round_id TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_started TEXT NOT NULL,
        entry TEXT NOT NULL
      );
    `);
  },
};

export default migration;
