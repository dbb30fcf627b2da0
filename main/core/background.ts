// Work no caller waits for (a timer's flush, a poller's step, a call made in the background) reports its own errors:
// they reach the host's log instead of vanishing or ending the process, and the timer or loop carries on.
import type { Unexpected } from './ports.js';

/** Runs one step of a timer or a loop; an error is reported and the caller goes on, so the next tick still runs. */
export function guarded(unexpected: Unexpected, where: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    unexpected(where, error);
  }
}

/** Lets work run without a caller; a rejection is reported, never left unhandled. */
export function detached(unexpected: Unexpected, where: string, work: Promise<unknown>): void {
  work.catch((error: unknown) => unexpected(where, error));
}
