// Reading the process table means reading every process's stat file. Servers that come up together have their trees
// read in one read, once starts have been quiet for a moment, and none of them waits for it to become usable.
import type { Clock } from '../ports.js';

/** How long starts must have been quiet before the trees due are read. */
export const TREE_QUIET_MS = 250;
/** The longest a tree waits to be read after the first of those due came up, however many starts keep coming. */
export const TREE_WAIT_MS = 2000;

/** Collects the servers whose trees are due (and whether the sandbox's helpers are to be looked for) and reads them together. */
export class TreeReads {
  private readonly due = new Set<string>();
  private helpers = false;
  private timer: { cancel: () => void; firstDue: number } | undefined;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly read: (ids: string[], helpers: boolean) => void,
  ) {}

  /** A server came up (`id`), or the sandbox's helpers may have changed (`helpers`): read soon, with whatever else is due. */
  soon(id: string | undefined, helpers = false): void {
    if (this.closed) return;
    if (id !== undefined) this.due.add(id);
    this.helpers ||= helpers;
    const now = this.clock.now();
    const firstDue = this.timer?.firstDue ?? now;
    this.timer?.cancel();
    const { cancel } = this.clock.setTimeout(() => this.fire(), Math.min(TREE_QUIET_MS, Math.max(0, firstDue + TREE_WAIT_MS - now)));
    this.timer = { cancel, firstDue };
  }

  /** Nothing more is read: what was due is dropped. */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.due.clear();
  }

  private fire(): void {
    this.timer = undefined;
    const ids = [...this.due];
    const helpers = this.helpers;
    this.due.clear();
    this.helpers = false;
    if (!this.closed) this.read(ids, helpers);
  }
}
