// Picks a model for a sampling request from the server's preferences and the models the user enabled.
import type { ModelInfo } from '../../../shared/domain/sampling.js';

export interface ModelPreferences {
  hints?: { name?: string | undefined }[] | undefined;
  costPriority?: number | undefined;
  speedPriority?: number | undefined;
  intelligencePriority?: number | undefined;
}

export interface ModelChoice {
  model: string;
  reason: string;
}

/**
 * Family words another provider's hint may carry, mapped to ours. Size words are tried first: "gpt-4o-mini" and
 * "o3-mini" are small models, not a gpt-4 or an o3; "mini" inside "gemini" is not a size word.
 */
const FAMILY_ALIASES: ReadonlyArray<[RegExp, string]> = [
  [/haiku|(?<![a-z])(mini|nano|lite|small|fast)/i, 'haiku'],
  [/opus|gpt-?5|o3|gemini-.*pro|large/i, 'opus'],
  [/sonnet|gpt-?4|gemini-.*flash|medium/i, 'sonnet'],
];

/**
 * The hints read, and how long a usable one may be. A server writes them: one name of megabytes made the family words'
 * `gemini-.*pro` scan the rest of the name from every "gemini-" in it (280 KB took 10 s, and it ran for every request,
 * refused or not); no model's name comes near 128 characters.
 */
const MAX_HINTS = 16;
const MAX_HINT_CHARS = 128;

/**
 * Hints are tried in order (the first MAX_HINTS, each at most MAX_HINT_CHARS long) and the first that names (or, failing
 * that, maps to) an enabled model wins;
 * then the priorities score the enabled models; with neither, the user's default.
 */
export function chooseModel(preferences: ModelPreferences | undefined, enabled: readonly ModelInfo[], defaultModel: string): ModelChoice {
  const fallback = enabled.find((m) => m.id === defaultModel) ?? enabled[0];
  if (!fallback) return { model: defaultModel, reason: 'the default model' };
  const hints = (preferences?.hints ?? []).slice(0, MAX_HINTS).filter((hint) => (hint.name?.length ?? 0) <= MAX_HINT_CHARS);
  for (const hint of hints) {
    const name = hint.name?.trim().toLowerCase();
    if (!name) continue;
    const direct = enabled.find((m) => m.id.toLowerCase().includes(name));
    if (direct) return { model: direct.id, reason: `the server's hint "${hint.name}"` };
  }
  for (const hint of hints) {
    const name = hint.name?.trim();
    if (!name) continue;
    const family = FAMILY_ALIASES.find(([pattern]) => pattern.test(name))?.[1];
    const mapped = family ? enabled.find((m) => m.id.includes(family)) : undefined;
    if (mapped) return { model: mapped.id, reason: `the server's hint "${name}", mapped to ${mapped.label}` };
  }
  const c = clamp(preferences?.costPriority);
  const s = clamp(preferences?.speedPriority);
  const i = clamp(preferences?.intelligencePriority);
  if (c + s + i === 0) return { model: fallback.id, reason: 'your default model' };
  let best = fallback;
  let bestScore = -Infinity;
  for (const model of enabled) {
    const score = i * model.intelligence + s * model.speed + c * (1 - model.cost);
    if (score > bestScore + 1e-9) {
      best = model;
      bestScore = score;
    }
  }
  const weights = [c > 0 ? `cost ${c}` : '', s > 0 ? `speed ${s}` : '', i > 0 ? `intelligence ${i}` : ''].filter(Boolean).join(', ');
  return { model: best.id, reason: `the server's priorities (${weights})` };
}

function clamp(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
