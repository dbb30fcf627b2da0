// Every JSON-RPC message to and from one server, kept in memory and bounded (count and text length), with each response
// paired to its request: the method it answers and the time it took.
import type { WireMessage } from '../../../shared/domain/workbench.js';

export const WIRE_LIMITS = { messages: 1000, textChars: 8000 } as const;

interface Waiting {
  method: string;
  at: number;
}

type Message = Record<string, unknown>;

function kindOf(message: Message): WireMessage['kind'] {
  if (typeof message.method === 'string') return 'id' in message ? 'request' : 'notification';
  return 'error' in message ? 'error' : 'response';
}

export class WireLog {
  private readonly items: WireMessage[] = [];
  private seq = 0;
  /** Requests not yet answered, by direction and id; as bounded as the messages. */
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly clock: { now(): number; iso(): string } = { now: () => performance.now(), iso: () => new Date().toISOString() },
    private readonly limits: { messages: number; textChars: number } = WIRE_LIMITS,
  ) {}

  record(direction: 'in' | 'out', raw: unknown): void {
    const message = (raw && typeof raw === 'object' ? raw : {}) as Message;
    const kind = kindOf(message);
    const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : undefined;
    const now = this.clock.now();
    let method = typeof message.method === 'string' ? message.method : undefined;
    let ms: number | undefined;
    if (kind === 'request' && id !== undefined) {
      this.waiting.set(`${direction}:${String(id)}`, { method: method ?? '', at: now });
      if (this.waiting.size > this.limits.messages) this.waiting.delete(this.waiting.keys().next().value ?? '');
    }
    if ((kind === 'response' || kind === 'error') && id !== undefined) {
      // A response goes the other way from its request.
      const key = `${direction === 'in' ? 'out' : 'in'}:${String(id)}`;
      const asked = this.waiting.get(key);
      if (asked) {
        this.waiting.delete(key);
        method = asked.method;
        ms = Math.round((now - asked.at) * 10) / 10;
      }
    }
    let text: string;
    try {
      text = JSON.stringify(raw);
    } catch {
      text = String(raw);
    }
    const cut = text.length > this.limits.textChars ? text.length - this.limits.textChars : 0;
    this.items.push({
      seq: ++this.seq,
      at: this.clock.iso(),
      direction,
      kind,
      ...(method !== undefined ? { method } : {}),
      ...(id !== undefined ? { id } : {}),
      ...(ms !== undefined ? { ms } : {}),
      text: cut > 0 ? text.slice(0, this.limits.textChars) : text,
      ...(cut > 0 ? { cut } : {}),
    });
    if (this.items.length > this.limits.messages) this.items.splice(0, this.items.length - this.limits.messages);
  }

  /** Messages after `afterSeq`, oldest first, whose method (or answered method) starts with `method` when given. */
  list(query: { afterSeq?: number | undefined; method?: string | undefined; limit: number }): { messages: WireMessage[]; total: number } {
    const after = query.afterSeq ?? 0;
    const prefix = query.method?.trim() ?? '';
    const matching = this.items.filter((m) => m.seq > after && (prefix === '' || (m.method ?? '').startsWith(prefix)));
    return { messages: matching.slice(-query.limit), total: this.seq };
  }
}
