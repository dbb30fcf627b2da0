// The ordered list of schema migrations; each file is NNNN-name.ts and never changes once released.
import initial from './0001-initial.js';
import sampling from './0002-sampling.js';
import tasks from './0003-tasks.js';
import taskFilters from './0004-task-filters.js';
import launch from './0005-launch.js';
import owners from './0006-owners.js';
import trueRecord from './0007-true-record.js';
import toolCalls from './0008-tool-calls.js';
import taskEra from './0009-task-era.js';
import taskHistoryCap from './0010-task-history-cap.js';
import taskChangeOrder from './0011-task-change-order.js';
import taskRemoteIds from './0012-task-remote-ids.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [
  initial,
  sampling,
  tasks,
  taskFilters,
  launch,
  owners,
  trueRecord,
  toolCalls,
  taskEra,
  taskHistoryCap,
  taskChangeOrder,
  taskRemoteIds,
];
