// One inbox across processes: the questions this process asks (kept in SQLite as they change) and the ones other live
// Steward processes ask, listed together; an answer to another's question is carried to it.
import { InboxItemSchema, type InboxDecision, type InboxItem } from '../../../shared/domain/inbox.js';
import { StewardError } from '../../../shared/errors.js';
import type { InboxRow, OwnerKey, OwnerRecord } from '../store/index.js';
import type { OwnerState } from './ownership.js';

export interface SharedInboxDeps {
  self: OwnerKey;
  local: { list(): InboxItem[]; decide(itemId: string, decision: InboxDecision): Promise<void> };
  rows: {
    replaceOwn(owner: OwnerKey, rows: readonly Omit<InboxRow, 'owner'>[]): void;
    others(self: OwnerKey): InboxRow[];
    get(id: string): InboxRow | undefined;
  };
  state(owner: OwnerKey): OwnerState;
  record(owner: OwnerKey): OwnerRecord | undefined;
  /** Carries an answer to the process that asked. */
  answerElsewhere(owner: OwnerKey, itemId: string, decision: InboxDecision): Promise<void>;
  changed(items: InboxItem[]): void;
}

export class SharedInbox {
  constructor(private readonly deps: SharedInboxDeps) {}

  /** This process's questions changed: the record follows, and every front end hears the whole list. */
  localChanged(items: readonly InboxItem[]): void {
    this.deps.rows.replaceOwn(
      this.deps.self,
      items.map((item) => ({ id: item.id, kind: item.kind, serverId: item.serverId, item: JSON.stringify(item), createdAt: item.createdAt })),
    );
    this.deps.changed(this.list());
  }

  /** Another process's questions changed. */
  othersChanged(): void {
    this.deps.changed(this.list());
  }

  list(): InboxItem[] {
    const foreign: InboxItem[] = [];
    for (const row of this.deps.rows.others(this.deps.self)) {
      const state = this.deps.state(row.owner);
      if (state !== 'live' && state !== 'stalled') continue;
      const item = parseItem(row.item);
      if (!item || item.id !== row.id) continue;
      foreign.push({ ...item, elsewhere: { pid: row.owner.pid, kind: this.deps.record(row.owner)?.kind ?? 'steward' } });
    }
    return [...this.deps.local.list(), ...foreign].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async decide(itemId: string, decision: InboxDecision): Promise<void> {
    if (this.deps.local.list().some((item) => item.id === itemId)) return this.deps.local.decide(itemId, decision);
    const row = this.deps.rows.get(itemId);
    const state = row ? this.deps.state(row.owner) : 'dead';
    if (!row || state === 'dead' || state === 'self') throw new StewardError('not_found', 'That request is no longer waiting for an answer.');
    await this.deps.answerElsewhere(row.owner, itemId, decision);
  }
}

/** A row is another process's word: it is checked like any input before it is shown. */
function parseItem(text: string): InboxItem | undefined {
  try {
    const parsed = InboxItemSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
