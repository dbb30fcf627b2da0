// The control channel's messages: one JSON line asks (version, token, operation, arguments), one JSON line answers.
import { z } from 'zod';
import { InboxDecisionSchema } from '../../../shared/domain/inbox.js';
import { ERROR_CODES } from '../../../shared/errors.js';

/** A request line larger than this is refused without being parsed. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** An answer larger than this is treated as a broken peer. */
export const MAX_REPLY_BYTES = 1024 * 1024;

const Id = z.string().min(1).max(200);

export const CONTROL_ARGS = {
  ping: z.object({}).strict(),
  'tasks.cancel': z.object({ taskId: Id }).strict(),
  'inbox.decide': z.object({ itemId: Id, decision: InboxDecisionSchema }).strict(),
  'servers.stop': z.object({ serverId: Id }).strict(),
} as const;

export type ControlOp = keyof typeof CONTROL_ARGS;
export type ControlArgs<K extends ControlOp> = z.infer<(typeof CONTROL_ARGS)[K]>;
export const CONTROL_OPS = Object.keys(CONTROL_ARGS) as ControlOp[];

export const ControlRequestSchema = z
  .object({
    v: z.literal(1),
    token: z.string().min(1).max(200),
    op: z.enum(CONTROL_OPS as [ControlOp, ...ControlOp[]]),
    args: z.unknown(),
  })
  .strict();

export const ControlReplySchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), code: z.enum(ERROR_CODES), message: z.string().max(10_000) }),
]);
export type ControlReply = z.infer<typeof ControlReplySchema>;
