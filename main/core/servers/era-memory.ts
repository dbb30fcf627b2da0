// What a stdio server on `auto` spoke last time, kept per server and per exact launch, so its next start goes straight to
// the 2025 handshake instead of probing with server/discover first. Pure decisions; the supervisor keeps the verdict.
import { z } from 'zod';
import type { ProtocolEra } from '../../../shared/domain/servers.js';

/**
 * Only a 2025 verdict is kept: it is the one that saves a round trip (the probe a 2025 server refuses). For a
 * 2026-07-28 server the probe is the handshake itself, so there is nothing to skip and nothing to remember.
 */
const VerdictSchema = z.object({
  /** The consent hash of the launch it was negotiated for: another command, argument, env or sandbox probes again. */
  hash: z.string().min(1),
  era: z.literal('legacy'),
  /** The server's own name and version as its initialize answer gave them; another one probes again next time. */
  server: z.string().nullable(),
});
export type EraVerdict = z.infer<typeof VerdictSchema>;

/** Where verdicts live: the host's key/value settings (no table of their own). */
export const eraKey = (serverId: string) => `servers.era.${serverId}`;

/** The verdict kept for exactly this launch; anything else found there (another launch, a damaged value) is none. */
export function recallEra(stored: unknown, hash: string): EraVerdict | undefined {
  const parsed = VerdictSchema.safeParse(stored);
  return parsed.success && parsed.data.hash === hash ? parsed.data : undefined;
}

/** The server as its answer named it, for telling a server replaced in place under the same command. */
export function serverLabel(info: { name: string; version: string } | null): string | null {
  return info ? `${info.name} ${info.version}` : null;
}

/**
 * What to keep after a connection came up: a new verdict, `null` to drop the kept one, or `undefined` to leave the
 * store alone (the common case on every later start, so a start writes nothing).
 */
export function settleEra(
  kept: EraVerdict | undefined,
  hash: string,
  outcome: { era: ProtocolEra | null; server: string | null },
): EraVerdict | null | undefined {
  if (outcome.era !== 'legacy') return kept ? null : undefined;
  if (!kept) return { hash, era: 'legacy', server: outcome.server };
  // Started straight into 2025 but the server calls itself something else now: it may speak 2026-07-28 since, so the
  // next start asks again. This connection stays as it is: it works.
  if (kept.server !== outcome.server) return null;
  return undefined;
}
