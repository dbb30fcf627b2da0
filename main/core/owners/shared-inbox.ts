// One inbox across processes: the questions this process asks (kept in SQLite as they change) and the ones other live
// Steward processes ask, listed together; an answer to another's question is carried to it.
import { InboxItemSchema, type InboxChange, type InboxDecision, type InboxItem } from '../../../shared/domain/inbox.js';
import { StewardError } from '../../../shared/errors.js';
import type { InboxRow, OwnerKey, OwnerRecord } from '../store/index.js';
import type { OwnerState } from './ownership.js';

export interface SharedInboxDeps {
  self: OwnerKey;
  local: { list(): InboxItem[]; decide(itemId: string, decision: InboxDecision): Promise<void> };
  rows: {
    replaceOwn(owner: OwnerKey, rows: readonly Omit<InboxRow, 'owner'>[]): void;
    changeOwn(owner: OwnerKey, put: Omit<InboxRow, 'owner'> | undefined, removed?: string): void;
    others(self: OwnerKey): InboxRow[];
    get(id: string): InboxRow | undefined;
  };
  state(owner: OwnerKey): OwnerState;
  record(owner: OwnerKey): OwnerRecord | undefined;
  /** Carries an answer to the process that asked. */
  answerElsewhere(owner: OwnerKey, itemId: string, decision: InboxDecision): Promise<void>;
  /** One item added or removed, as the front ends hear of it. */
  changed(change: InboxChange): void;
}

export class SharedInbox {
  /** Other processes' questions as last told to the front ends, to tell only what changed. */
  private told = new Map<string, { item: InboxItem; text: string }>();
  /**
   * Whether the rows hold exactly this process's questions, so a change can be written alone. Not at first (questions
   * asked before this inbox was attached have no rows) nor after a write failed: then every row is written again.
   */
  private synced = false;

  constructor(private readonly deps: SharedInboxDeps) {}

  /** One of this process's questions changed: the record follows, and the front ends hear of that one change. */
  localChanged(change: InboxChange): void {
    const { self } = this.deps;
    const synced = this.synced;
    this.synced = false;
    if (!synced) this.deps.rows.replaceOwn(self, this.deps.local.list().map(toRow));
    else if (change.change === 'added') this.deps.rows.changeOwn(self, toRow(change.item), change.replaces);
    else this.deps.rows.changeOwn(self, undefined, change.id);
    this.synced = true;
    this.deps.changed(change);
  }

  /** Another process's questions changed: each one that came, went or changed is told, one at a time. */
  othersChanged(): void {
    const now = new Map(this.foreign().map((item) => [item.id, { item, text: JSON.stringify(item) }]));
    for (const id of this.told.keys()) if (!now.has(id)) this.deps.changed({ change: 'removed', id });
    for (const [id, entry] of now) if (this.told.get(id)?.text !== entry.text) this.deps.changed({ change: 'added', item: entry.item });
    this.told = now;
  }

  private foreign(): InboxItem[] {
    const foreign: InboxItem[] = [];
    for (const row of this.deps.rows.others(this.deps.self)) {
      const state = this.deps.state(row.owner);
      if (state !== 'live' && state !== 'stalled') continue;
      const item = parseItem(row.item);
      if (!item || item.id !== row.id) continue;
      foreign.push({ ...item, elsewhere: { pid: row.owner.pid, kind: this.deps.record(row.owner)?.kind ?? 'steward' } });
    }
    return foreign;
  }

  list(): InboxItem[] {
    return [...this.deps.local.list(), ...this.foreign()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async decide(itemId: string, decision: InboxDecision): Promise<void> {
    if (this.deps.local.list().some((item) => item.id === itemId)) return this.deps.local.decide(itemId, decision);
    const row = this.deps.rows.get(itemId);
    const state = row ? this.deps.state(row.owner) : 'dead';
    if (!row || state === 'dead' || state === 'self') throw new StewardError('not_found', 'That request is no longer waiting for an answer.');
    await this.deps.answerElsewhere(row.owner, itemId, decision);
  }
}

const toRow = (item: InboxItem): Omit<InboxRow, 'owner'> => ({
  id: item.id,
  kind: item.kind,
  serverId: item.serverId,
  item: JSON.stringify(item),
  createdAt: item.createdAt,
});

/** A row is another process's word: it is checked like any input before it is shown. */
function parseItem(text: string): InboxItem | undefined {
  try {
    const parsed = InboxItemSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
