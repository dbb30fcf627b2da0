// Groups sampling requests into agent loops: a request continues a loop when its messages extend that loop's last round.
import type { SamplingBlock, SamplingMessageView } from '../../../shared/domain/sampling.js';

interface OpenLoop {
  id: string;
  serverId: string;
  /** The tool call in flight when the loop began, if Steward could tell. */
  toolCallId: string | null;
  /** Messages of the last request plus the reply sent back: what the next round's messages start with. */
  expectedPrefix: string[];
  round: number;
  updatedAt: number;
}

const key = (m: SamplingMessageView) => JSON.stringify([m.role, m.content]);

/** Loops idle longer than this are closed; a later request starts a new one. */
const LOOP_IDLE_MS = 30 * 60_000;
/** Open loops kept per server; a server starting more forgets its oldest (they can only start new loops then). */
const OPEN_PER_SERVER = 64;

export class LoopTracker {
  private readonly open = new Map<string, OpenLoop>();
  private lastExpiry = 0;

  constructor(
    private readonly newId: () => string,
    private readonly now: () => number,
  ) {}

  /** The loop this request belongs to and its round number (1 for a new loop). */
  place(serverId: string, messages: readonly SamplingMessageView[], toolCallId: string | null): { loopId: string; round: number; isNew: boolean } {
    this.expire();
    const keys = messages.map(key);
    let best: OpenLoop | undefined;
    for (const loop of this.open.values()) {
      if (loop.serverId !== serverId || loop.expectedPrefix.length === 0 || loop.expectedPrefix.length >= keys.length) continue;
      if (loop.expectedPrefix.every((k, i) => k === keys[i]) && (!best || loop.expectedPrefix.length > best.expectedPrefix.length)) best = loop;
    }
    // A server may trim its history; a request made during the same tool call still continues that call's loop.
    if (!best && toolCallId !== null) best = [...this.open.values()].find((l) => l.serverId === serverId && l.toolCallId === toolCallId);
    if (best) {
      best.round += 1;
      best.expectedPrefix = [];
      best.updatedAt = this.now();
      this.open.delete(best.id);
      this.open.set(best.id, best);
      return { loopId: best.id, round: best.round, isNew: false };
    }
    const loop: OpenLoop = { id: this.newId(), serverId, toolCallId, expectedPrefix: [], round: 1, updatedAt: this.now() };
    this.open.set(loop.id, loop);
    const mine = [...this.open.values()].filter((l) => l.serverId === serverId);
    // Map order is insertion order, and a continued loop is re-inserted below, so the first ones are the oldest.
    for (const old of mine.slice(0, Math.max(0, mine.length - OPEN_PER_SERVER))) this.open.delete(old.id);
    return { loopId: loop.id, round: 1, isNew: true };
  }

  /** After a reply: the next round of this loop will start with these messages and the reply. */
  replied(loopId: string, messages: readonly SamplingMessageView[], reply: readonly SamplingBlock[]): void {
    const loop = this.open.get(loopId);
    if (!loop) return;
    loop.expectedPrefix = [...messages.map(key), key({ role: 'assistant', content: [...reply] })];
    loop.updatedAt = this.now();
  }

  isOpen(loopId: string): boolean {
    this.expire();
    return this.open.has(loopId);
  }

  /** Closes the loops begun during a tool call; returns their ids. */
  closeByToolCall(serverId: string, toolCallId: string): string[] {
    const closed = [...this.open.values()].filter((l) => l.serverId === serverId && l.toolCallId === toolCallId).map((l) => l.id);
    for (const id of closed) this.open.delete(id);
    return closed;
  }

  close(loopId: string): void {
    this.open.delete(loopId);
  }

  private expire(): void {
    // Once a second is plenty for a 30-minute idle limit.
    if (this.now() - this.lastExpiry < 1000) return;
    this.lastExpiry = this.now();
    const cutoff = this.now() - LOOP_IDLE_MS;
    for (const [id, loop] of this.open) if (loop.updatedAt < cutoff) this.open.delete(id);
  }
}
