// Tasks in both directions: tool calls Steward runs as tasks, and task-augmented requests it receives. Every task is a row.
export { TasksService } from './service.js';
export { nextPollDelay, pollSpread, grantedTtl, POLL_FLOOR_MS, BACKOFF_CEILING_MS, RECEIVER_MAX_TTL_MS } from './timing.js';
export { taskTransition, specAllows, type TaskState, type TaskMachineEvent, type TaskEffect, type ServerTask } from './task-machine.js';
export { PollWheel } from './poll-wheel.js';
export type { TaskDeps, TaskRecords } from './deps.js';
export type { StartRequest } from './requester.js';
