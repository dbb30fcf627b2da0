// Tasks in both directions: tool calls Steward runs as tasks, and task-augmented requests it receives. Every task is a row.
export { TasksService } from './service.js';
export { nextPollDelay, grantedTtl, POLL_FLOOR_MS, POLL_CEILING_MS, RECEIVER_MAX_TTL_MS } from './timing.js';
export type { TaskDeps } from './deps.js';
export type { StartRequest } from './requester.js';
