// Pending approvals as first-class objects: one queue, a guard against double answers, a handler per kind.
import { randomUUID } from 'node:crypto';
import type { InboxDecision, InboxItem } from '../../../shared/domain/inbox.js';
import { StewardError } from '../../../shared/errors.js';

type Kind = InboxItem['kind'];
type ItemOf<K extends Kind> = Extract<InboxItem, { kind: K }>;
type DecisionOf<K extends Kind> = Extract<InboxDecision, { kind: K }>;

/** Answers an item at once or later; a throw either way refuses the answer. */
type Handler<I, D> = (item: I, decision: D) => Promise<void> | void;

export type NewItem<K extends Kind> = Omit<ItemOf<K>, 'id' | 'createdAt'>;

export class Inbox {
  private readonly items = new Map<string, InboxItem>();
  private readonly keys = new Map<string, string>();
  private readonly deciding = new Set<string>();
  private readonly handlers = new Map<Kind, Handler<InboxItem, InboxDecision>>();

  constructor(
    private readonly now: () => string,
    private readonly changed: (items: InboxItem[]) => void,
  ) {}

  handle<K extends Kind>(kind: K, handler: Handler<ItemOf<K>, DecisionOf<K>>): void {
    this.handlers.set(kind, handler as Handler<InboxItem, InboxDecision>);
  }

  /**
   * Adds an item, or replaces the one with the same key (e.g. a newer consent request for the same server). Pass the
   * id when the answer's handler must know it before anyone can see the item (listeners may answer at once).
   */
  put<K extends Kind>(key: string, item: NewItem<K>, id: string = randomUUID()): ItemOf<K> {
    const previous = this.keys.get(key);
    if (previous) this.items.delete(previous);
    const full = { ...item, id, createdAt: this.now() } as unknown as ItemOf<K>;
    this.items.set(full.id, full);
    this.keys.set(key, full.id);
    this.changed(this.list());
    return full;
  }

  removeKey(key: string): void {
    const id = this.keys.get(key);
    if (!id) return;
    this.keys.delete(key);
    if (this.items.delete(id)) this.changed(this.list());
  }

  list(): InboxItem[] {
    return [...this.items.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async decide(itemId: string, decision: InboxDecision): Promise<void> {
    const item = this.items.get(itemId);
    if (!item) throw new StewardError('not_found', 'That request is no longer waiting for an answer.');
    if (item.kind !== decision.kind) throw new StewardError('invalid_payload', `That request needs a ${item.kind} answer.`);
    if (this.deciding.has(itemId)) throw new StewardError('invalid_payload', 'That request is already being answered.');
    const handler = this.handlers.get(item.kind);
    if (!handler) throw new StewardError('internal_error', `Nothing handles ${item.kind} answers.`);
    this.deciding.add(itemId);
    try {
      await handler(item, decision);
    } finally {
      this.deciding.delete(itemId);
    }
  }
}
