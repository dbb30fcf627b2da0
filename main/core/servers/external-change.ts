// What another Steward process changed about servers, applied here: cached settings dropped, a server removed there
// stopped here, a launch refused there stopped here, and the UI told of every view that changed (once).
import type { OwnerTag } from '../../../shared/domain/servers.js';
import type { HostEvents } from '../events.js';
import type { ServerRecords } from './ports.js';
import type { Supervisor } from './supervisor.js';
import { toView, type ShownViews } from './views.js';

export interface ExternalChangeContext {
  records: Pick<ServerRecords, 'servers' | 'consents'>;
  supervisor: Supervisor;
  shown: ShownViews;
  events: HostEvents;
  elsewhere(): Map<string, OwnerTag[]>;
}

export async function applyExternalChange(ctx: ExternalChangeContext): Promise<void> {
  const { records: store, supervisor, shown, events } = ctx;
  const records = store.servers.list();
  const present = new Set(records.map((r) => r.id));
  for (const id of supervisor.ids()) if (!present.has(id)) await supervisor.forget(id);
  for (const record of records) {
    const hash = supervisor.launchedHash(record.id);
    const runtime = supervisor.get(record.id);
    if (runtime && hash && store.consents.find(record.id, hash)?.decision === 'denied') {
      supervisor.logs.add(record.id, 'host', 'notice', 'Stopped: this launch was refused in another Steward window or command.');
      runtime.lastError = { code: 'consent_denied', message: 'You refused to let this server run.', stderrTail: [] };
      await runtime.stop('error');
    }
  }
  const elsewhere = ctx.elsewhere();
  for (const record of records) {
    const view = toView(record, supervisor.get(record.id), elsewhere.get(record.id));
    if (shown.note(view)) events.emit('servers:changed', view);
  }
  for (const serverId of shown.gone(present)) events.emit('servers:removed', { serverId });
}
