// The one place a Node front end handles SIGINT and SIGTERM. The first Ctrl+C runs what the running command registered
// (cancel the call at the server) or else shuts down in order; a second Ctrl+C within two seconds exits at once after
// killing what this process started. SIGTERM always shuts down in order.

export const INTERRUPTED_EXIT = 130;
const TERMINATED_EXIT = 143;
const SECOND_PRESS_MS = 2000;

export interface InterruptsDeps {
  /** Orderly shutdown (dispose the host), then the process exits with the code. */
  shutdown(code: number): Promise<void>;
  /** Synchronous: what must not outlive an immediate exit (servers' process groups) is killed. */
  killNow(): void;
  exit(code: number): void;
  note(line: string): void;
  now(): number;
}

type Signal = 'SIGINT' | 'SIGTERM';

export class Interrupts {
  private action: (() => Promise<void> | void) | undefined;
  private lastPress: number | undefined;
  private onTerm: (() => void) | undefined;
  private installed: Array<[Signal, () => void]> = [];
  private shuttingDown = false;
  /** Set once Ctrl+C was pressed while a command ran. */
  interrupted = false;

  constructor(private readonly deps: InterruptsDeps) {}

  install(target: Pick<NodeJS.Process, 'on' | 'off'> = process): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const listener = () => this.handle(signal);
      target.on(signal, listener);
      this.installed.push([signal, listener]);
    }
  }

  uninstall(target: Pick<NodeJS.Process, 'on' | 'off'> = process): void {
    for (const [signal, listener] of this.installed) target.off(signal, listener);
    this.installed = [];
  }

  /** While `run` runs, the first Ctrl+C calls `onInterrupt` instead of shutting down. */
  async during<T>(onInterrupt: () => Promise<void> | void, run: () => Promise<T>): Promise<T> {
    this.action = onInterrupt;
    try {
      return await run();
    } finally {
      if (this.action === onInterrupt) this.action = undefined;
    }
  }

  /** Resolves at the first Ctrl+C (or SIGTERM), for commands that run until stopped. */
  next(): Promise<Signal> {
    return new Promise((resolve) => {
      this.action = () => resolve('SIGINT');
      this.onTerm = () => resolve('SIGTERM');
    });
  }

  handle(signal: Signal): void {
    const now = this.deps.now();
    if (signal === 'SIGINT' && this.lastPress !== undefined && now - this.lastPress <= SECOND_PRESS_MS) {
      this.deps.note('steward: stopped at once.');
      try {
        this.deps.killNow();
      } finally {
        this.deps.exit(INTERRUPTED_EXIT);
      }
      return;
    }
    if (signal === 'SIGINT') this.lastPress = now;
    if (signal === 'SIGTERM' && this.onTerm) {
      const onTerm = this.onTerm;
      this.onTerm = undefined;
      this.action = undefined;
      onTerm();
      return;
    }
    const action = signal === 'SIGINT' ? this.action : undefined;
    if (action) {
      this.action = undefined;
      this.interrupted = true;
      this.deps.note('steward: cancelling… (Ctrl+C again to stop at once)');
      // When the command cannot be cancelled at the server, the user still asked to stop: shut down in order.
      void Promise.resolve()
        .then(action)
        .catch((error: unknown) => {
          this.deps.note(`steward: could not cancel: ${error instanceof Error ? error.message : String(error)}`);
          this.shuttingDown = true;
          return this.deps.shutdown(INTERRUPTED_EXIT);
        });
      return;
    }
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.interrupted = true;
    void this.deps.shutdown(signal === 'SIGINT' ? INTERRUPTED_EXIT : TERMINATED_EXIT);
  }
}
