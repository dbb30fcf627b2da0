// Pending approvals as first-class objects: one queue, a guard against double answers, a handler per kind, and the
// per-server caps on questions (a flood is refused at put, with a stable code). Changes go out one item at a time.
import { randomUUID } from 'node:crypto';
import type { InboxChange, InboxDecision, InboxItem } from '../../../shared/domain/inbox.js';
import { StewardError } from '../../../shared/errors.js';
import { refusalError, SERVER_LIMITS, type QuestionKind } from '../limits.js';

type Kind = InboxItem['kind'];
type ItemOf<K extends Kind> = Extract<InboxItem, { kind: K }>;
type DecisionOf<K extends Kind> = Extract<InboxDecision, { kind: K }>;

/** Answers an item at once or later; a throw either way refuses the answer. */
type Handler<I, D> = (item: I, decision: D) => Promise<void> | void;

export type NewItem<K extends Kind> = Omit<ItemOf<K>, 'id' | 'createdAt'>;

const WORDS: Record<QuestionKind, string> = {
  form: 'forms',
  url: 'pages to open',
  sampling: 'sampling requests',
  taskInput: 'questions from its tasks',
};

/** The caps a question counts against: its kind's, and the task cap when it belongs to a task. */
export function questionKinds(item: InboxItem): QuestionKind[] {
  if (item.kind === 'elicitation') return item.request.relatedTask ? ['form', 'taskInput'] : ['form'];
  if (item.kind === 'elicitation_url') return item.request.relatedTask ? ['url', 'taskInput'] : ['url'];
  return item.kind === 'sampling' ? ['sampling'] : [];
}

export class Inbox {
  private readonly items = new Map<string, InboxItem>();
  private readonly keys = new Map<string, string>();
  private readonly deciding = new Set<string>();
  private readonly handlers = new Map<Kind, Handler<InboxItem, InboxDecision>>();
  /** Waiting questions per server and cap, kept as items come and go (never counted by scanning). */
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly now: () => string,
    private readonly changed: (change: InboxChange) => void,
  ) {}

  handle<K extends Kind>(kind: K, handler: Handler<ItemOf<K>, DecisionOf<K>>): void {
    this.handlers.set(kind, handler as Handler<InboxItem, InboxDecision>);
  }

  /** Questions of a kind a server has waiting. */
  count(serverId: string, kind: QuestionKind): number {
    return this.counts.get(`${serverId}\u0000${kind}`) ?? 0;
  }

  /**
   * Throws `limit_reached` when one more question of these kinds from the server would pass its cap. Callers check
   * before doing anything else with a request, so a refused one costs nothing; put checks again.
   */
  ensureRoom(serverId: string, serverName: string, kinds: readonly QuestionKind[], replacing?: InboxItem): void {
    for (const kind of kinds) {
      const waiting = this.count(serverId, kind) - (replacing && questionKinds(replacing).includes(kind) ? 1 : 0);
      const cap = SERVER_LIMITS.questions[kind];
      if (waiting >= cap) {
        throw refusalError(
          () =>
            new StewardError(
              'limit_reached',
              `"${serverName}" already has ${waiting} ${WORDS[kind]} waiting for the user, the most one server may have; Steward refuses more until some are answered.`,
              { serverId, kind, cap },
            ),
        );
      }
    }
  }

  private tally(item: InboxItem, delta: 1 | -1): void {
    for (const kind of questionKinds(item)) {
      const key = `${item.serverId}\u0000${kind}`;
      const next = (this.counts.get(key) ?? 0) + delta;
      if (next > 0) this.counts.set(key, next);
      else this.counts.delete(key);
    }
  }

  /**
   * Adds an item, or replaces the one with the same key (e.g. a newer consent request for the same server). Pass the
   * id when the answer's handler must know it before anyone can see the item (listeners may answer at once). Throws
   * `limit_reached` when the server has as many questions of the kind waiting as it may.
   */
  put<K extends Kind>(key: string, item: NewItem<K>, id: string = randomUUID()): ItemOf<K> {
    const full = { ...item, id, createdAt: this.now() } as unknown as ItemOf<K>;
    const previousId = this.keys.get(key);
    const previous = previousId === undefined ? undefined : this.items.get(previousId);
    this.ensureRoom(full.serverId, full.serverName, questionKinds(full), previous);
    if (previous) {
      this.items.delete(previous.id);
      this.tally(previous, -1);
    }
    this.items.set(full.id, full);
    this.keys.set(key, full.id);
    this.tally(full, 1);
    this.changed(previous ? { change: 'added', item: full, replaces: previous.id } : { change: 'added', item: full });
    return full;
  }

  removeKey(key: string): void {
    const id = this.keys.get(key);
    if (!id) return;
    this.keys.delete(key);
    const item = this.items.get(id);
    if (!item) return;
    this.items.delete(id);
    this.tally(item, -1);
    this.changed({ change: 'removed', id });
  }

  /** Every waiting item, oldest first. */
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
