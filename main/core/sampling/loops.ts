// Groups sampling requests into agent loops: a request continues a loop when its messages extend that loop's last round.
import type { SamplingBlock, SamplingMessageView } from '../../../shared/domain/sampling.js';

interface OpenLoop {
  id: string;
  serverId: string;
  /** The tool call in flight when the loop began, if Steward could tell. */
  toolCallId: string | null;
  /** The last request's messages and the reply sent back: what the next round's messages start with (none before a reply). */
  last: { messages: readonly SamplingMessageView[]; reply: readonly SamplingBlock[] } | null;
  /**
   * `last` as one key per message, made when a longer request first looks at this loop: most loops end after one round
   * (a one-message request starts its own loop), so keying every reply as it is sent would mostly go unused.
   */
  prefix: string[] | null;
  round: number;
  updatedAt: number;
}

const key = (m: SamplingMessageView) => JSON.stringify([m.role, m.content]);

function prefixOf(loop: OpenLoop): string[] {
  if (!loop.last) return [];
  loop.prefix ??= [...loop.last.messages.map(key), key({ role: 'assistant', content: [...loop.last.reply] })];
  return loop.prefix;
}

/** Loops idle longer than this are closed; a later request starts a new one. */
const LOOP_IDLE_MS = 30 * 60_000;
/** Open loops kept per server; a server starting more forgets its oldest (they can only start new loops then). */
const OPEN_PER_SERVER = 64;

export class LoopTracker {
  /** Open loops per server, oldest first (a continued loop moves to the end). */
  private readonly servers = new Map<string, Map<string, OpenLoop>>();
  private readonly byId = new Map<string, OpenLoop>();
  private lastExpiry = 0;

  constructor(
    private readonly newId: () => string,
    private readonly now: () => number,
    /** Told of each loop that closes, whatever closed it (its tool call ended, a denial, idleness, too many open). */
    private readonly closed: (loopId: string) => void = () => undefined,
  ) {}

  /** The loop this request belongs to and its round number (1 for a new loop). */
  place(serverId: string, messages: readonly SamplingMessageView[], toolCallId: string | null): { loopId: string; round: number; isNew: boolean } {
    this.expire();
    let mine = this.servers.get(serverId);
    if (!mine) {
      mine = new Map();
      this.servers.set(serverId, mine);
    }
    let best: OpenLoop | undefined;
    let keys: string[] | undefined;
    // A continued loop's prefix is at least its first request and the reply, so a one-message request starts a new loop
    // (or continues its tool call's, below) without a look at the server's open loops.
    if (messages.length > 1) {
      let bestLength = 0;
      for (const loop of mine.values()) {
        // The prefix is the last request's messages and one reply.
        const length = loop.last ? loop.last.messages.length + 1 : 0;
        if (length === 0 || length >= messages.length) continue;
        keys ??= messages.map(key);
        const known = keys;
        if (prefixOf(loop).every((k, i) => k === known[i]) && length > bestLength) {
          best = loop;
          bestLength = length;
        }
      }
    }
    // A server may trim its history; a request made during the same tool call still continues that call's loop.
    if (!best && toolCallId !== null) best = [...mine.values()].find((l) => l.toolCallId === toolCallId);
    if (best) {
      best.round += 1;
      best.last = null;
      best.prefix = null;
      best.updatedAt = this.now();
      mine.delete(best.id);
      mine.set(best.id, best);
      return { loopId: best.id, round: best.round, isNew: false };
    }
    const loop: OpenLoop = { id: this.newId(), serverId, toolCallId, last: null, prefix: null, round: 1, updatedAt: this.now() };
    mine.set(loop.id, loop);
    this.byId.set(loop.id, loop);
    // Map order is insertion order, and a continued loop is re-inserted above, so the first ones are the oldest.
    for (const old of mine.values()) {
      if (mine.size <= OPEN_PER_SERVER) break;
      this.close(old.id);
    }
    return { loopId: loop.id, round: 1, isNew: true };
  }

  /** After a reply: the next round of this loop will start with these messages and the reply. */
  replied(loopId: string, messages: readonly SamplingMessageView[], reply: readonly SamplingBlock[]): void {
    const loop = this.byId.get(loopId);
    if (!loop) return;
    // Both are the round's own and never change: the request as checked, the reply as returned.
    loop.last = { messages, reply };
    loop.prefix = null;
    loop.updatedAt = this.now();
  }

  isOpen(loopId: string): boolean {
    this.expire();
    return this.byId.has(loopId);
  }

  /** Closes the loops begun during a tool call; returns their ids. */
  closeByToolCall(serverId: string, toolCallId: string): string[] {
    const closed = [...(this.servers.get(serverId)?.values() ?? [])].filter((l) => l.toolCallId === toolCallId).map((l) => l.id);
    for (const id of closed) this.close(id);
    return closed;
  }

  close(loopId: string): void {
    const loop = this.byId.get(loopId);
    if (!loop) return;
    this.byId.delete(loopId);
    const mine = this.servers.get(loop.serverId);
    mine?.delete(loopId);
    if (mine?.size === 0) this.servers.delete(loop.serverId);
    this.closed(loopId);
  }

  private expire(): void {
    // Once a second is plenty for a 30-minute idle limit.
    if (this.now() - this.lastExpiry < 1000) return;
    this.lastExpiry = this.now();
    const cutoff = this.now() - LOOP_IDLE_MS;
    for (const loop of [...this.byId.values()]) if (loop.updatedAt < cutoff) this.close(loop.id);
  }
}
