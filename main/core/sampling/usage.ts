// What each server has used of its budgets: tokens over the last 24 hours and requests over the last minute, kept in
// memory (the day's tokens read from the record once per server, then kept up to date).
import type { Clock } from '../ports.js';
import type { SamplingRepo } from '../store/index.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export class UsageMeter {
  private readonly tokens = new Map<string, { entries: { at: number; tokens: number }[]; total: number }>();
  private readonly requests = new Map<string, number[]>();

  constructor(
    private readonly rounds: Pick<SamplingRepo, 'usageSince'>,
    private readonly clock: Clock,
  ) {}

  tokensLastDay(serverId: string): number {
    const usage = this.tokensOf(serverId);
    const cutoff = this.clock.now() - DAY_MS;
    for (let oldest = usage.entries[0]; oldest && oldest.at < cutoff; oldest = usage.entries[0]) {
      usage.entries.shift();
      usage.total -= oldest.tokens;
    }
    return usage.total;
  }

  /** Forgets the day's totals (another process recorded rounds): the next question reads them from the record again. */
  clear(): void {
    this.tokens.clear();
  }

  addTokens(serverId: string, tokens: number): void {
    const usage = this.tokensOf(serverId);
    usage.entries.push({ at: this.clock.now(), tokens });
    usage.total += tokens;
  }

  requestsLastMinute(serverId: string): number {
    const times = this.requests.get(serverId);
    if (!times) return 0;
    // Oldest first: drop from the front what has left the minute.
    const cutoff = this.clock.now() - MINUTE_MS;
    let expired = 0;
    while (expired < times.length && (times[expired] ?? 0) <= cutoff) expired++;
    if (expired > 0) times.splice(0, expired);
    return times.length;
  }

  noteRequest(serverId: string): void {
    const times = this.requests.get(serverId);
    if (times) times.push(this.clock.now());
    else this.requests.set(serverId, [this.clock.now()]);
  }

  private tokensOf(serverId: string): { entries: { at: number; tokens: number }[]; total: number } {
    let usage = this.tokens.get(serverId);
    if (!usage) {
      const since = new Date(this.clock.now() - DAY_MS).toISOString();
      const entries = this.rounds.usageSince(serverId, since).map((r) => ({ at: Date.parse(r.at), tokens: r.tokens }));
      usage = { entries, total: entries.reduce((sum, e) => sum + e.tokens, 0) };
      this.tokens.set(serverId, usage);
    }
    return usage;
  }
}
