// The models Steward knows how to choose between, with rough standing and list prices (editable estimates).
import type { ModelInfo } from '../../../shared/domain/sampling.js';

export const ANTHROPIC_CATALOG: readonly ModelInfo[] = [
  { id: 'claude-opus-5-5', label: 'Claude Opus 5.5', intelligence: 1, speed: 0.35, cost: 1, inputUsdPerMTok: 5, outputUsdPerMTok: 25 },
  { id: 'claude-sonnet-5-5', label: 'Claude Sonnet 5.5', intelligence: 0.8, speed: 0.65, cost: 0.6, inputUsdPerMTok: 3, outputUsdPerMTok: 15 },
  { id: 'claude-haiku-5-5', label: 'Claude Haiku 5.5', intelligence: 0.55, speed: 1, cost: 0.2, inputUsdPerMTok: 1, outputUsdPerMTok: 5 },
];

export const DEFAULT_MODEL = 'claude-sonnet-5-5';

/** Upper bound in dollars: the estimated input, and every allowed output token. */
export function costEstimate(model: ModelInfo | undefined, inputTokens: number, maxTokens: number): number | null {
  if (!model) return null;
  const usd = (inputTokens * model.inputUsdPerMTok + maxTokens * model.outputUsdPerMTok) / 1_000_000;
  return Math.round(usd * 10_000) / 10_000;
}
