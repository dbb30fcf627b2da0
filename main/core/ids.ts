// Ids that sort by creation time (UUID version 7): rows keyed by them go in at the end of their indexes, so a batch of
// new rows touches a few pages instead of one page per row scattered across the index.
import { randomUUID } from 'node:crypto';

/** The last millisecond an id was made for, and the text of its first 52 bits. */
let last = { ms: Number.NaN, prefix: '' };

/** A UUIDv7: 48 bits of milliseconds since the epoch, then random bits (those of a v4, with the version set to 7). */
export function timeOrderedId(nowMs: number): string {
  const ms = Math.max(0, Math.floor(nowMs));
  // Ids come in bursts within one millisecond (a sampling round makes two): its text is made once.
  if (ms !== last.ms) {
    const hex = ms.toString(16).padStart(12, '0').slice(-12);
    last = { ms, prefix: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7` };
  }
  // A v4's text from its version digit on is "4xxx-yxxx-xxxxxxxxxxxx": after the 4, its random bits in the same places.
  return last.prefix + randomUUID().slice(15);
}
