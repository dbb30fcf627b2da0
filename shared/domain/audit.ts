// The audit record: what happened, to which server, and who decided it.
import { z } from 'zod';

export const AUDIT_KINDS = [
  'server.added',
  'server.updated',
  'server.removed',
  'server.imported',
  'server.launched',
  'server.stopped',
  'server.crashed',
  'processes.cleaned',
  'consent.approved',
  'consent.denied',
  'sandbox.disabled',
  'sandbox.enabled',
  'tool.called',
  'roots.changed',
  'sampling.approved',
  'sampling.denied',
  'sampling.replied',
  'sampling.failed',
  'sampling.policy',
  'models.settings',
  'task.started',
  'task.received',
  'task.cancelled',
  'task.ended',
  'elicitation.requested',
  'elicitation.answered',
  'elicitation.refused',
  'elicitation.url_opened',
  'elicitation.completed',
  'elicitation.retried',
  'auth.requested',
  'auth.signed_in',
  'auth.signed_out',
  'auth.failed',
  'auth.refused',
  'auth.configured',
  'app.opened',
  'app.refused',
  'app.message',
  'app.model_context',
  'app.link_opened',
] as const;
export const AuditKindSchema = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKindSchema>;

export const AuditEventSchema = z.object({
  id: z.number().int(),
  ts: z.string(),
  kind: AuditKindSchema,
  serverId: z.string().nullable(),
  serverName: z.string().nullable(),
  /** Who decided: 'user' (through a UI or CLI), 'policy', 'host', or 'view' (a server's MCP App view). */
  actor: z.string(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
