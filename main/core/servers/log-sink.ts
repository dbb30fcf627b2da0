// Collects server log lines and writes them in small batches, so a chatty server cannot stall the host. Each server has
// its own bounded queue: one server's flood drops only its own oldest unwritten lines, never another server's.
import type { LogLine } from '../../../shared/domain/servers.js';
import { guarded } from '../background.js';
import { SERVER_LIMITS } from '../limits.js';
import type { Clock, Unexpected } from '../ports.js';
import type { LogsRepo, NewLogLine } from '../store/index.js';

export class LogSink {
  private queues = new Map<string, { lines: NewLogLine[]; dropped: number }>();
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly logs: Pick<LogsRepo, 'append'>,
    private readonly clock: Clock,
    private readonly written: (serverId: string, lines: LogLine[]) => void,
    private readonly unexpected: Unexpected,
    private readonly flushMs = 100,
    private readonly maxQueue: number = SERVER_LIMITS.logLines,
    private readonly maxChars: number = SERVER_LIMITS.logLineChars,
  ) {}

  add(serverId: string, stream: LogLine['stream'], level: LogLine['level'], text: string): void {
    const kept = text.length > this.maxChars ? `${text.slice(0, this.maxChars)}… (${text.length - this.maxChars} more characters not kept)` : text;
    let queue = this.queues.get(serverId);
    if (!queue) {
      queue = { lines: [], dropped: 0 };
      this.queues.set(serverId, queue);
    }
    queue.lines.push({ serverId, ts: new Date(this.clock.now()).toISOString(), stream, level, text: kept });
    // Under a flood, keep the newest lines; the oldest unwritten ones are dropped, and counted for a note.
    if (queue.lines.length > this.maxQueue) {
      const over = queue.lines.length - this.maxQueue;
      queue.lines.splice(0, over);
      queue.dropped += over;
    }
    // Nobody waits for the timer's flush: a failure is reported, and the next line starts a new batch.
    this.timer ??= this.clock.setTimeout(() => guarded(this.unexpected, 'writing server logs', () => this.flush()), this.flushMs);
  }

  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.queues.size === 0) return;
    const batch: NewLogLine[] = [];
    for (const [serverId, queue] of this.queues) {
      if (queue.dropped > 0) {
        batch.push({
          serverId,
          ts: queue.lines[0]?.ts ?? new Date(this.clock.now()).toISOString(),
          stream: 'host',
          level: 'warning',
          text: `${queue.dropped} log lines dropped: the server wrote faster than they could be stored.`,
        });
      }
      batch.push(...queue.lines);
    }
    this.queues = new Map();
    let stored: LogLine[];
    try {
      stored = this.logs.append(batch);
    } catch {
      // The server was removed meanwhile (foreign key) or the store is closing; those lines have no home.
      stored = this.appendEach(batch);
    }
    const byServer = new Map<string, LogLine[]>();
    for (const line of stored) {
      const list = byServer.get(line.serverId) ?? [];
      list.push(line);
      byServer.set(line.serverId, list);
    }
    for (const [serverId, lines] of byServer) this.written(serverId, lines);
  }

  private appendEach(batch: NewLogLine[]): LogLine[] {
    const out: LogLine[] = [];
    for (const line of batch) {
      try {
        out.push(...this.logs.append([line]));
      } catch {
        // dropped: see above
      }
    }
    return out;
  }
}
