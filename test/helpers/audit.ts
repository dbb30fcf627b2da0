// Every audit event a filter matches, oldest first, read page by page through the export as a front end reads it.
import type { AuditEvent } from '../../shared/domain/audit.js';
import type { Audit } from '../../main/core/audit/index.js';

export function allAudit(audit: Pick<Audit, 'exportPage'>, filter: Parameters<Audit['exportPage']>[0] = {}): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let afterId: number | null = 0; afterId !== null;) {
    const page = audit.exportPage(filter, afterId);
    for (const line of page.jsonl.split('\n')) if (line) events.push(JSON.parse(line) as AuditEvent);
    afterId = page.next;
  }
  return events;
}
