// Collects server log lines and writes them in small batches, so a chatty server cannot stall the host.
import type { LogLine } from '../../../shared/domain/servers.js';
import { guarded } from '../background.js';
import type { Clock, Unexpected } from '../ports.js';
import type { NewLogLine, Store } from '../store/index.js';

export class LogSink {
  private queue: NewLogLine[] = [];
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly written: (serverId: string, lines: LogLine[]) => void,
    private readonly unexpected: Unexpected,
    private readonly flushMs = 100,
    private readonly maxQueue = 5000,
  ) {}

  add(serverId: string, stream: LogLine['stream'], level: LogLine['level'], text: string): void {
    this.queue.push({ serverId, ts: new Date(this.clock.now()).toISOString(), stream, level, text });
    // Under a flood, keep the newest lines; the oldest unwritten ones are dropped with a note.
    if (this.queue.length > this.maxQueue) {
      const dropped = this.queue.length - this.maxQueue;
      this.queue.splice(0, dropped, {
        serverId,
        ts: new Date(this.clock.now()).toISOString(),
        stream: 'host',
        level: 'warning',
        text: `${dropped} log lines dropped: the server wrote faster than they could be stored.`,
      });
    }
    // Nobody waits for the timer's flush: a failure is reported, and the next line starts a new batch.
    this.timer ??= this.clock.setTimeout(() => guarded(this.unexpected, 'writing server logs', () => this.flush()), this.flushMs);
  }

  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    let stored: LogLine[];
    try {
      stored = this.store.logs.append(batch);
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
        out.push(...this.store.logs.append([line]));
      } catch {
        // dropped: see above
      }
    }
    return out;
  }
}
