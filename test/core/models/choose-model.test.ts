// chooseModel and costEstimate: which enabled model answers a sampling request, why, and what it may cost at most.
import { describe, expect, it } from 'vitest';
import { stringContaining } from '../../helpers/matchers.js';
import type { ModelInfo } from '../../../shared/domain/sampling.js';
import { ANTHROPIC_CATALOG, DEFAULT_MODEL, costEstimate } from '../../../main/core/models/catalog.js';
import { chooseModel, type ModelPreferences } from '../../../main/core/models/choose-model.js';

const OPUS = 'claude-opus-5-5';
const SONNET = 'claude-sonnet-5-5';
const HAIKU = 'claude-haiku-5-5';
const model = (id: string): ModelInfo => {
  const found = ANTHROPIC_CATALOG.find((m) => m.id === id);
  if (!found) throw new Error(`${id} is not in the catalog`);
  return found;
};
const hints = (...names: string[]): ModelPreferences => ({ hints: names.map((name) => ({ name })) });

interface Row {
  name: string;
  preferences: ModelPreferences | undefined;
  /** Enabled model ids; the whole catalog unless a row says otherwise. */
  enabled?: string[];
  defaultModel?: string;
  model: string;
  /** A part of the reason the user sees. */
  reason: string;
}

const rows: Row[] = [
  // Direct hints.
  { name: 'a substring hint', preferences: hints('sonnet'), model: SONNET, reason: `the server's hint "sonnet"` },
  { name: 'a hint in another case', preferences: hints('HAIKU'), model: HAIKU, reason: 'hint "HAIKU"' },
  { name: 'a full model id', preferences: hints('claude-opus-5-5'), model: OPUS, reason: 'hint "claude-opus-5-5"' },
  { name: 'hints in order: the first match wins', preferences: hints('haiku', 'opus'), model: HAIKU, reason: 'hint "haiku"' },
  { name: 'a hint that matches nothing is passed over', preferences: hints('llama-3.1-405b', 'opus'), model: OPUS, reason: 'hint "opus"' },
  {
    name: 'a hint for a model that is not enabled is skipped',
    preferences: hints('opus', 'haiku'),
    enabled: [SONNET, HAIKU],
    model: HAIKU,
    reason: 'hint "haiku"',
  },
  { name: 'hints without a name are skipped', preferences: { hints: [{}, { name: '   ' }, { name: 'haiku' }] }, model: HAIKU, reason: 'hint "haiku"' },
  { name: 'a hint beats the priorities', preferences: { ...hints('haiku'), intelligencePriority: 1 }, model: HAIKU, reason: 'hint "haiku"' },

  // Other providers' hints, mapped by family.
  {
    name: "another provider's small model",
    preferences: hints('gpt-4o-mini'),
    model: HAIKU,
    reason: `the server's hint "gpt-4o-mini", mapped to Claude Haiku 5.5`,
  },
  { name: 'gemini pro to opus', preferences: hints('gemini-2.5-pro'), model: OPUS, reason: 'hint "gemini-2.5-pro", mapped to Claude Opus 5.5' },
  { name: 'gemini flash to sonnet', preferences: hints('gemini-2.5-flash'), model: SONNET, reason: 'mapped to Claude Sonnet 5.5' },
  { name: 'gemini flash-lite to haiku', preferences: hints('gemini-2.0-flash-lite'), model: HAIKU, reason: 'mapped to Claude Haiku 5.5' },
  { name: 'gpt-4o to sonnet', preferences: hints('gpt-4o'), model: SONNET, reason: 'mapped to Claude Sonnet 5.5' },
  { name: 'gpt-5 to opus', preferences: hints('gpt-5'), model: OPUS, reason: 'mapped to Claude Opus 5.5' },
  { name: 'gpt-5-nano to haiku', preferences: hints('gpt-5-nano'), model: HAIKU, reason: 'mapped to Claude Haiku 5.5' },
  { name: 'o3-mini to haiku', preferences: hints('o3-mini'), model: HAIKU, reason: 'mapped to Claude Haiku 5.5' },
  { name: 'mistral-large to opus', preferences: hints('mistral-large'), model: OPUS, reason: 'mapped to Claude Opus 5.5' },
  {
    name: 'an older Claude name by family',
    preferences: hints('claude-3-5-sonnet-20241022'),
    model: SONNET,
    reason: 'hint "claude-3-5-sonnet-20241022", mapped to Claude Sonnet 5.5',
  },
  {
    name: 'a direct match on a later hint beats mapping an earlier one',
    preferences: hints('gpt-4o', 'haiku'),
    model: HAIKU,
    reason: `the server's hint "haiku"`,
  },
  { name: 'the first hint that maps wins', preferences: hints('llama-3', 'gpt-4o-mini', 'gemini-2.5-pro'), model: HAIKU, reason: 'hint "gpt-4o-mini", mapped' },
  { name: '"mini" inside "gemini" is not a size', preferences: hints('gemini-ultra'), model: DEFAULT_MODEL, reason: 'your default model' },
  {
    name: 'a mapped family that is not enabled is skipped',
    preferences: hints('gemini-2.5-pro', 'gpt-4o-mini'),
    enabled: [SONNET, HAIKU],
    model: HAIKU,
    reason: 'hint "gpt-4o-mini", mapped',
  },
  {
    name: 'no hint maps to an enabled model: the default',
    preferences: hints('gemini-2.5-pro'),
    enabled: [SONNET, HAIKU],
    model: SONNET,
    reason: 'your default model',
  },

  // Priorities.
  { name: 'intelligence 1', preferences: { intelligencePriority: 1 }, model: OPUS, reason: "the server's priorities (intelligence 1)" },
  { name: 'speed 1', preferences: { speedPriority: 1 }, model: HAIKU, reason: "the server's priorities (speed 1)" },
  { name: 'cost 1', preferences: { costPriority: 1 }, model: HAIKU, reason: "the server's priorities (cost 1)" },
  {
    name: 'intelligence weighed against cost',
    preferences: { intelligencePriority: 1, costPriority: 0.6 },
    model: SONNET,
    reason: 'priorities (cost 0.6, intelligence 1)',
  },
  {
    name: 'intelligence with a little cost',
    preferences: { intelligencePriority: 0.8, costPriority: 0.2 },
    model: OPUS,
    reason: 'priorities (cost 0.2, intelligence 0.8)',
  },
  {
    name: 'a tie goes to the model listed first',
    preferences: { intelligencePriority: 1, costPriority: 0.5 },
    model: OPUS,
    reason: 'priorities (cost 0.5, intelligence 1)',
  },
  {
    name: 'a tie in the other order',
    preferences: { intelligencePriority: 1, costPriority: 0.5 },
    enabled: [SONNET, OPUS],
    model: SONNET,
    reason: 'priorities (cost 0.5, intelligence 1)',
  },
  {
    name: 'intelligence among the enabled models only',
    preferences: { intelligencePriority: 1 },
    enabled: [SONNET, HAIKU],
    model: SONNET,
    reason: 'priorities (intelligence 1)',
  },
  { name: 'a priority above 1 counts as 1', preferences: { speedPriority: 7 }, model: HAIKU, reason: 'priorities (speed 1)' },
  {
    name: 'negative priorities count as 0: the default',
    preferences: { costPriority: -1, intelligencePriority: -0.5 },
    model: DEFAULT_MODEL,
    reason: 'your default model',
  },
  {
    name: 'all priorities 0: the default',
    preferences: { costPriority: 0, speedPriority: 0, intelligencePriority: 0 },
    model: DEFAULT_MODEL,
    reason: 'your default model',
  },

  // Defaults.
  { name: 'no preferences: the default', preferences: undefined, model: DEFAULT_MODEL, reason: 'your default model' },
  { name: 'empty preferences: the default', preferences: {}, model: DEFAULT_MODEL, reason: 'your default model' },
  { name: 'a default the user picked', preferences: undefined, defaultModel: HAIKU, model: HAIKU, reason: 'your default model' },
  {
    name: 'a default that is not enabled: the first enabled model',
    preferences: undefined,
    enabled: [HAIKU, OPUS],
    model: HAIKU,
    reason: 'your default model',
  },
  { name: 'one enabled model, a hint for another', preferences: hints('opus'), enabled: [HAIKU], model: HAIKU, reason: 'your default model' },
  {
    name: 'one enabled model, priorities for another',
    preferences: { intelligencePriority: 1 },
    enabled: [HAIKU],
    model: HAIKU,
    reason: 'priorities (intelligence 1)',
  },
  { name: 'one enabled model, a hint for it', preferences: hints('gpt-4o-mini'), enabled: [HAIKU], model: HAIKU, reason: 'mapped to Claude Haiku 5.5' },
];

describe('chooseModel', () => {
  it.each(rows)('$name', ({ preferences, enabled, defaultModel, model: expected, reason }) => {
    const list = enabled ? enabled.map(model) : ANTHROPIC_CATALOG;
    const choice = chooseModel(preferences, list, defaultModel ?? DEFAULT_MODEL);
    expect(choice.model).toBe(expected);
    expect(choice.reason).toContain(reason);
  });

  it('reads only short hints, and only the first few: a server cannot make choosing a model take minutes', () => {
    // Tried: one hint of "gemini-" 600,000 times (about 4 MB, inside the request cap), which made the family words'
    // gemini-.*pro scan the rest of the name from every "gemini-" in it, and 100,000 hints before a real one.
    const long = hints(`${'gemini-'.repeat(600_000)}x`, 'gpt-4o');
    expect(chooseModel(long, ANTHROPIC_CATALOG, DEFAULT_MODEL)).toMatchObject({ model: SONNET, reason: stringContaining('"gpt-4o", mapped to') });
    const many = hints(...Array.from({ length: 100_000 }, (_, i) => `nothing-${i}`), 'opus');
    expect(chooseModel(many, ANTHROPIC_CATALOG, DEFAULT_MODEL)).toMatchObject({ model: DEFAULT_MODEL, reason: 'your default model' });
  });

  it('says so when no model is enabled at all', () => {
    expect(chooseModel(hints('opus'), [], DEFAULT_MODEL)).toEqual({ model: DEFAULT_MODEL, reason: 'the default model' });
  });
});

describe('costEstimate', () => {
  it.each([
    { name: 'input and every output token at list price', id: SONNET, input: 1000, max: 2000, usd: 0.033 },
    { name: 'a million of each on Opus', id: OPUS, input: 1_000_000, max: 1_000_000, usd: 30 },
    { name: 'output only on Haiku', id: HAIKU, input: 0, max: 10_000, usd: 0.05 },
    { name: 'nothing costs nothing', id: HAIKU, input: 0, max: 0, usd: 0 },
    { name: 'rounded to a hundredth of a cent', id: HAIKU, input: 123, max: 0, usd: 0.0001 },
    { name: 'rounded down below half', id: HAIKU, input: 40, max: 0, usd: 0 },
  ])('$name', ({ id, input, max, usd }) => {
    expect(costEstimate(model(id), input, max)).toBeCloseTo(usd, 10);
  });

  it('has no estimate for a model it does not know', () => {
    expect(costEstimate(undefined, 1000, 1000)).toBeNull();
  });
});
