// How often to poll a task: the server's pollInterval (never faster, above a floor), a backoff while the server is
// unreachable, and how far a turn may be moved later to keep many tasks from polling together.

export const POLL_FLOOR_MS = 250;
/** The backoff stops growing here, unless the server itself asks for a longer interval. */
export const BACKOFF_CEILING_MS = 30_000;
export const DEFAULT_POLL_MS = 1000;
/**
 * The longest pollInterval taken from a server. The spec asks requestors to honour pollInterval, but a task polled less
 * often than this would show a status that is hours stale (or, at the 1e20 ms a hostile server may send, never change),
 * and past 2^31-1 ms Node fires a timer at once instead of late. A server that asks for more is polled this often.
 */
export const POLL_CEILING_MS = 10 * 60_000;

/** A pollInterval a server reported, as Steward keeps it: whole milliseconds up to the ceiling; null when it is not a number. */
export function pollIntervalOf(value: unknown): number | null {
  if (typeof value !== 'number' || Number.isNaN(value)) return null;
  return Math.min(POLL_CEILING_MS, Math.max(0, Math.round(value)));
}

/** The interval to wait before the next tasks/get: the server's suggestion (floored), doubled per consecutive failure. */
export function nextPollDelay(suggested: number | null | undefined, failures: number): number {
  const base = Math.max(POLL_FLOOR_MS, pollIntervalOf(suggested) ?? DEFAULT_POLL_MS);
  if (failures <= 0) return base;
  return Math.max(base, Math.min(BACKOFF_CEILING_MS, base * 2 ** Math.min(failures, 8)));
}

/**
 * How much later than its earliest time a turn may go. A task's first poll may go anywhere in one interval, so tasks
 * started together spread over it; later turns keep their place, give or take a tenth of the interval (at most 1 s).
 */
export function pollSpread(interval: number, first: boolean): number {
  return first ? Math.min(interval, BACKOFF_CEILING_MS) : Math.min(interval / 10, 1000);
}

/** The ttl granted to a task a server asks Steward to run: its request, capped; a default when it asks for none. */
export const RECEIVER_DEFAULT_TTL_MS = 10 * 60_000;
export const RECEIVER_MAX_TTL_MS = 60 * 60_000;
/** The shortest ttl granted: a task must live long enough for the server to ask how it went at least once. */
export const RECEIVER_MIN_TTL_MS = 1000;

export function grantedTtl(requested: unknown): number {
  if (typeof requested !== 'number' || !Number.isFinite(requested) || requested <= 0) return RECEIVER_DEFAULT_TTL_MS;
  return Math.min(RECEIVER_MAX_TTL_MS, Math.max(RECEIVER_MIN_TTL_MS, Math.round(requested)));
}
