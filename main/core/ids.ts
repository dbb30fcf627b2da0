// Ids that sort by creation time (UUID version 7): rows keyed by them go in at the end of their indexes, so a batch of
// new rows touches a few pages instead of one page per row scattered across the index.
import { randomUUID } from 'node:crypto';

/** A UUIDv7: 48 bits of milliseconds since the epoch, then random bits (those of a v4, with the version set to 7). */
export function timeOrderedId(nowMs: number): string {
  const ms = Math.max(0, Math.floor(nowMs)).toString(16).padStart(12, '0').slice(-12);
  const random = randomUUID();
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
