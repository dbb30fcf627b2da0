// The audit record: what happened, to which server, and who decided it.
import { z } from 'zod';

export const AUDIT_KINDS = [
  'server.added',
  'server.updated',
  'server.removed',
  'server.imported',
  'server.exported',
  'server.launched',
  'server.stopped',
  'server.crashed',
  'server.failed',
  'sandbox.granted',
  'sandbox.revoked',
  'package.pinned',
  'package.downloaded',
  'bundle.installed',
  'bundle.updated',
  'bundle.uninstalled',
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
  'link.opened',
] as const;
export const AuditKindSchema = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKindSchema>;

/**
 * Who decided or did what an entry records: the user; a grant the user gave earlier (for a loop, for a session); the
 * server's policy or one of its budgets; the command line answering what it cannot show; the server itself; or Steward.
 */
export const AUDIT_ACTORS = ['user', 'loop_grant', 'session_grant', 'policy', 'budget', 'unattended', 'server', 'host'] as const;
/** Any of those, or a server's view (an MCP App) acting on its own: it asks and sends, but never decides. */
export type AuditActor = (typeof AUDIT_ACTORS)[number] | 'view';

export const AuditEventSchema = z.object({
  id: z.number().int(),
  ts: z.string(),
  kind: AuditKindSchema,
  serverId: z.string().nullable(),
  serverName: z.string().nullable(),
  /** Who decided (see AUDIT_ACTORS); a string, so entries an older or newer Steward wrote still read. */
  actor: z.string(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
