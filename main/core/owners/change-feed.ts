// Tells a running host what other processes changed in the shared database: one cheap check of SQLite's data version
// (it moves only when another connection commits), then the topic revisions the triggers keep. sync() runs on a timer
// for the UI and before every decision that depends on shared settings, so no decision uses a value another process
// has already replaced.

export const TOPICS = ['servers', 'sessions', 'policies', 'settings', 'inbox', 'tasks', 'rounds', 'owners'] as const;
export type Topic = (typeof TOPICS)[number];

export interface ChangeSource {
  dataVersion(): number;
  revisions(): Map<string, number>;
}

export class ChangeFeed {
  private version: number;
  private revisions: Map<string, number>;
  private readonly listeners = new Map<Topic, Set<() => void>>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private syncing = false;

  constructor(
    private readonly source: ChangeSource,
    private readonly report: (error: unknown) => void,
  ) {
    this.version = source.dataVersion();
    this.revisions = source.revisions();
  }

  on(topic: Topic, listener: () => void): () => void {
    const set = this.listeners.get(topic) ?? new Set();
    set.add(listener);
    this.listeners.set(topic, set);
    return () => set.delete(listener);
  }

  /** Polls every `intervalMs` (the timer never keeps the process alive); a failed look is reported and the next tick tries again. */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => {
      try {
        this.sync();
      } catch (error) {
        this.report(error);
      }
    }, intervalMs);
    this.timer.unref();
  }

  /** Runs the listeners of every topic another process changed since the last look; a few microseconds when none did. */
  sync(): void {
    if (this.syncing) return;
    const version = this.source.dataVersion();
    if (version === this.version) return;
    this.syncing = true;
    try {
      // Read before the version is taken as seen: a failed read leaves the change to be found on the next look.
      const next = this.source.revisions();
      this.version = version;
      const changed = TOPICS.filter((topic) => next.get(topic) !== this.revisions.get(topic));
      this.revisions = next;
      for (const topic of changed) {
        for (const listener of this.listeners.get(topic) ?? []) {
          try {
            listener();
          } catch (error) {
            this.report(error);
          }
        }
      }
    } finally {
      this.syncing = false;
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
