// When to restart a crashed server: exponential backoff with a cap on delay and on attempts.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Restarts allowed before the server is left "crashed". */
  maxRestarts: number;
  /** A run at least this long resets the count: the server was healthy. */
  healthyAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, maxRestarts: 5, healthyAfterMs: 60_000 };

/** Delay before restart number `attempt` (1-based), or undefined when the cap is reached. */
export function restartDelay(policy: BackoffPolicy, attempt: number): number | undefined {
  if (attempt > policy.maxRestarts) return undefined;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
}
