// How often to poll a task: the server's pollInterval within sane bounds, and a backoff while the server is unreachable.

export const POLL_FLOOR_MS = 250;
export const POLL_CEILING_MS = 30_000;
export const DEFAULT_POLL_MS = 1000;

/** The interval to wait before the next tasks/get: the server's suggestion, clamped; doubled per consecutive failure. */
export function nextPollDelay(suggested: number | null | undefined, failures: number): number {
  const base = Math.min(POLL_CEILING_MS, Math.max(POLL_FLOOR_MS, suggested ?? DEFAULT_POLL_MS));
  return Math.min(POLL_CEILING_MS, base * 2 ** Math.min(failures, 8));
}

/** The ttl granted to a task a server asks Steward to run: its request, capped; a default when it asks for none. */
export const RECEIVER_DEFAULT_TTL_MS = 10 * 60_000;
export const RECEIVER_MAX_TTL_MS = 60 * 60_000;

export function grantedTtl(requested: unknown): number {
  if (typeof requested !== 'number' || !Number.isFinite(requested) || requested <= 0) return RECEIVER_DEFAULT_TTL_MS;
  return Math.min(RECEIVER_MAX_TTL_MS, Math.round(requested));
}
