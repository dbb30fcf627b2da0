// Pending questions for the user, one queue for every kind of request.
import { z } from 'zod';
import { ConsentRequestSchema } from './servers.js';

export const ConsentItemSchema = z.object({
  id: z.string(),
  kind: z.literal('consent'),
  serverId: z.string(),
  serverName: z.string(),
  createdAt: z.string(),
  request: ConsentRequestSchema,
});

export const InboxItemSchema = z.discriminatedUnion('kind', [ConsentItemSchema]);
export type InboxItem = z.infer<typeof InboxItemSchema>;

export const InboxDecisionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('consent'),
    decision: z.enum(['approve', 'deny']),
    /** The spec hash the user saw; a decision about another spec is refused. */
    hash: z.string().min(1),
  }),
]);
export type InboxDecision = z.infer<typeof InboxDecisionSchema>;
