// The answer to a 2025 tasks/get, read exactly as the SDK's GetTaskResultSchema reads it, with the shape a poll almost
// always brings checked by hand first: the schema is a few zod layers per poll, hundreds of polls a second.
import { GetTaskResultSchema } from '@modelcontextprotocol/core';
import type { StandardSchemaV1 } from '@modelcontextprotocol/client';

export type GetTaskResult = ReturnType<typeof GetTaskResultSchema.parse>;

const STATUSES = new Set<unknown>(['working', 'input_required', 'completed', 'failed', 'cancelled']);
const MEMBERS = new Set(['taskId', 'status', 'ttl', 'createdAt', 'lastUpdatedAt', 'pollInterval', 'statusMessage']);

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * A Task with no member but the spec's, each of its type: the schema would take it and hand back a copy equal to it.
 * Anything else (a `_meta`, an extra member, a wrong type), valid or not, is left to the schema.
 */
export function plainTask(value: unknown): value is GetTaskResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const task = value as Record<string, unknown>;
  // Own enumerable keys, as Object.keys lists them, without the array it would make for every poll.
  for (const key in task) if (Object.hasOwn(task, key) && !MEMBERS.has(key)) return false;
  return (
    typeof task.taskId === 'string' &&
    STATUSES.has(task.status) &&
    (task.ttl === null || finite(task.ttl)) &&
    typeof task.createdAt === 'string' &&
    typeof task.lastUpdatedAt === 'string' &&
    (task.pollInterval === undefined || finite(task.pollInterval)) &&
    (task.statusMessage === undefined || typeof task.statusMessage === 'string')
  );
}

/** GetTaskResultSchema, as a standard schema that takes a plain Task as it is. */
export const TaskResult: StandardSchemaV1<unknown, GetTaskResult> = {
  '~standard': {
    version: 1,
    vendor: 'steward',
    validate: (value) => (plainTask(value) ? { value } : GetTaskResultSchema['~standard'].validate(value)),
  },
};
