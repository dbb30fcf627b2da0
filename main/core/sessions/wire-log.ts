// Every JSON-RPC message to and from one server, kept in memory and bounded (count and text length), with each response
// paired to its request: the method it answers and the time it took. A message whose text the transport already has (a
// server's line) is kept at once; one that must be written out as JSON is noted on the caller's path (its times and a
// reference) and written out on the next turn of the event loop, off the round trip it belongs to, only as far as the
// log keeps it. Every text kept is a copy of its own, so no message is held alive by the part of it kept. Times are put
// in words only when the log is read.
import type { WireMessage } from '../../../shared/domain/workbench.js';
import { copyOf } from '../text-copy.js';
import { jsonPrefix, surelyShorterThan } from './json-prefix.js';

export const WIRE_LIMITS = { messages: 1000, textChars: 8000 } as const;
/** A message surely no longer than this as JSON is written out whole by JSON.stringify, which is quicker for one so small. */
const WHOLE_CHARS = 64 * 1024;
/** Characters kept of a message's id and method: enough for any real one, and a server may send megabytes of either. */
const NAME_CHARS = 200;

interface Waiting {
  method: string;
  at: number;
}

interface Noted {
  direction: 'in' | 'out';
  raw: unknown;
  /** The message as the transport wrote or read it (a stdio line), so it need not be written out as JSON again. */
  text: string | undefined;
  /** Monotonic ms, for the time a response took. */
  now: number;
  /** Wall-clock ms, for the time shown. */
  wall: number;
}

type Message = Record<string, unknown>;

/** A message as kept: its wall-clock time stays a number until the message is read. */
type Kept = Omit<WireMessage, 'at'> & { wall: number };

interface WireClock {
  now(): number;
  wall(): number;
}

function kindOf(message: Message): WireMessage['kind'] {
  if (typeof message.method === 'string') return 'id' in message ? 'request' : 'notification';
  return 'error' in message ? 'error' : 'response';
}

export class WireLog {
  private items: Kept[] = [];
  private seq = 0;
  /** Requests not yet answered, by direction and id; as bounded as the messages. */
  private readonly waiting = new Map<string, Waiting>();
  /** Noted but not yet written out: at most one turn of the event loop's worth, and never more than the log keeps. */
  private pending: Noted[] = [];
  private scheduled = false;

  constructor(
    private readonly clock: WireClock = { now: () => performance.now(), wall: () => Date.now() },
    private readonly limits: { messages: number; textChars: number } = WIRE_LIMITS,
    private readonly later: (fn: () => void) => void = (fn) => setImmediate(fn),
  ) {}

  record(direction: 'in' | 'out', raw: unknown, text?: string): void {
    const now = this.clock.now();
    const wall = this.clock.wall();
    // With its text at hand a message costs no more to keep now than to note; it waits only behind others noted before it.
    if (text !== undefined && this.pending.length === 0) {
      this.keep(direction, raw, text, now, wall);
      return;
    }
    this.pending.push({ direction, raw, text, now, wall });
    if (this.pending.length >= this.limits.messages) this.writeOut();
    else if (!this.scheduled) {
      this.scheduled = true;
      this.later(() => {
        this.scheduled = false;
        this.writeOut();
      });
    }
  }

  /** Messages after `afterSeq`, oldest first, whose method (or answered method) starts with `method` when given. */
  list(query: { afterSeq?: number | undefined; method?: string | undefined; limit: number }): { messages: WireMessage[]; total: number } {
    this.writeOut();
    const after = query.afterSeq ?? 0;
    const prefix = query.method?.trim() ?? '';
    const kept = this.items.length > this.limits.messages ? this.items.slice(-this.limits.messages) : this.items;
    const matching = kept.filter((m) => m.seq > after && (prefix === '' || (m.method ?? '').startsWith(prefix)));
    return { messages: matching.slice(-query.limit).map(({ wall, ...m }) => ({ ...m, at: new Date(wall).toISOString() })), total: this.seq };
  }

  private writeOut(): void {
    const noted = this.pending;
    if (noted.length === 0) return;
    this.pending = [];
    for (const n of noted) this.keep(n.direction, n.raw, n.text, n.now, n.wall);
  }

  private keep(direction: Noted['direction'], raw: unknown, text: string | undefined, now: number, wall: number): void {
    this.items.push(this.format(direction, raw, text, now, wall));
    // Trimmed in steps rather than one message at a time; list() reads only the newest `messages`.
    if (this.items.length > this.limits.messages + (this.limits.messages >> 2)) this.items = this.items.slice(-this.limits.messages);
  }

  private format(direction: Noted['direction'], raw: unknown, given: string | undefined, now: number, wall: number): Kept {
    const message = (raw && typeof raw === 'object' ? raw : {}) as Message;
    const kind = kindOf(message);
    const id = typeof message.id === 'string' ? named(message.id) : typeof message.id === 'number' ? message.id : undefined;
    let method = typeof message.method === 'string' ? named(message.method) : undefined;
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
    const whole = given === undefined ? asText(raw, this.limits.textChars) : { text: given, total: given.length };
    // A text cut short is copied; one kept whole is its own string already (a line read off the pipe, or written here).
    const text = whole.total > this.limits.textChars ? copyOf(whole.text, this.limits.textChars) : whole.text;
    const cut = whole.total - text.length;
    const kept: Kept = { seq: ++this.seq, wall, direction, kind, text };
    if (method !== undefined) kept.method = method;
    if (id !== undefined) kept.id = id;
    if (ms !== undefined) kept.ms = ms;
    if (cut > 0) kept.cut = cut;
    return kept;
  }
}

/** An id or a method as kept: copied when cut (a parsed message's own strings are kept as they are). */
function named(text: string): string {
  return text.length > NAME_CHARS ? copyOf(text, NAME_CHARS) : text;
}

/** The start of the message as JSON, written out no further than the log keeps, and the length of all of it. */
function asText(raw: unknown, maxChars: number): { text: string; total: number } {
  let json: { text: string; total: number } | undefined;
  try {
    if (surelyShorterThan(raw, WHOLE_CHARS)) {
      const whole: unknown = JSON.stringify(raw);
      json = typeof whole === 'string' ? { text: whole, total: whole.length } : undefined;
    } else json = jsonPrefix(raw, maxChars);
  } catch {
    json = undefined;
  }
  // undefined (and functions) stringify to nothing at all; a cycle or a BigInt does not stringify.
  if (json) return json;
  const text = String(raw);
  return { text, total: text.length };
}
