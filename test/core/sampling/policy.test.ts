// samplingVerdict and overBudget as pure decisions: when a sampling request is sent, asked about, denied or refused as a flood.
import { describe, expect, it } from 'vitest';
import { SamplingPolicySchema, type Budgets } from '../../../shared/domain/sampling.js';
import { MAX_WAITING_PER_SERVER, overBudget, samplingVerdict, type Usage, type VerdictInput } from '../../../main/core/sampling/policy.js';
import { stringMatching } from '../../helpers/matchers.js';

const BUDGETS: Budgets = { maxTokensPerRequest: 1000, tokensPerDay: 10_000, requestsPerMinute: 5, roundsPerLoop: 3 };
const CALM: Usage = { tokensLastDay: 0, requestsLastMinute: 0, loopRound: 1, waiting: 0 };

interface Case {
  mode: 'ask' | 'allow' | 'deny';
  granted?: 'loop' | 'session';
  usage?: Partial<Usage>;
  maxTokens?: number;
  estimatedInputTokens?: number;
}

function input(c: Case): VerdictInput {
  return {
    policy: SamplingPolicySchema.parse({ mode: c.mode, budgets: BUDGETS }),
    granted: c.granted ?? null,
    usage: { ...CALM, ...c.usage },
    maxTokens: c.maxTokens ?? 500,
    estimatedInputTokens: c.estimatedInputTokens ?? 100,
  };
}

// Each reason names its budget and the numbers involved.
const PER_REQUEST = /asks for up to 1001 tokens; the limit per request is 1000/;
const DAILY = /the daily budget is 10000/;
const PER_MINUTE = /already sent 5 requests in the last minute; the limit is 5/;
const ROUNDS = /round 4 of its loop; the limit is 3 rounds/;
const EVERY_TIME = /ask every time/;

type Expected =
  { action: 'allow'; by: 'policy' | 'loop_grant' | 'session_grant' } | { action: 'ask'; reasons: RegExp[] } | { action: 'deny' | 'refuse'; reason: RegExp };

const rows: Array<{ name: string; expected: Expected } & Case> = [
  { name: 'deny mode', mode: 'deny', expected: { action: 'deny', reason: /Sampling is turned off for this server/ } },
  { name: 'deny mode beats a grant', mode: 'deny', granted: 'loop', expected: { action: 'deny', reason: /turned off/ } },
  {
    name: 'deny mode beats a flood and an over-budget request',
    mode: 'deny',
    maxTokens: 5000,
    usage: { waiting: MAX_WAITING_PER_SERVER },
    expected: { action: 'deny', reason: /turned off/ },
  },
  { name: 'ask mode without a grant', mode: 'ask', expected: { action: 'ask', reasons: [EVERY_TIME] } },
  { name: 'ask mode with a loop grant', mode: 'ask', granted: 'loop', expected: { action: 'allow', by: 'loop_grant' } },
  { name: 'ask mode with a session grant', mode: 'ask', granted: 'session', expected: { action: 'allow', by: 'session_grant' } },
  { name: 'allow mode within budget', mode: 'allow', expected: { action: 'allow', by: 'policy' } },
  { name: 'allow mode with a grant is still the policy', mode: 'allow', granted: 'loop', expected: { action: 'allow', by: 'policy' } },

  // Each budget alone, in every mode that would otherwise send or ask for another reason.
  { name: 'maxTokensPerRequest exceeded in allow mode', mode: 'allow', maxTokens: 1001, expected: { action: 'ask', reasons: [PER_REQUEST] } },
  { name: 'maxTokensPerRequest exceeded with a grant', mode: 'ask', granted: 'loop', maxTokens: 1001, expected: { action: 'ask', reasons: [PER_REQUEST] } },
  {
    name: 'maxTokensPerRequest exceeded in ask mode names the budget, not the policy',
    mode: 'ask',
    maxTokens: 1001,
    expected: { action: 'ask', reasons: [PER_REQUEST] },
  },
  {
    name: 'tokensPerDay projected over in allow mode',
    mode: 'allow',
    usage: { tokensLastDay: 9401 },
    expected: { action: 'ask', reasons: [/bring the last 24 hours to 10001 tokens; the daily budget is 10000/] },
  },
  {
    name: 'tokensPerDay projected over with a grant',
    mode: 'ask',
    granted: 'loop',
    usage: { tokensLastDay: 9401 },
    expected: { action: 'ask', reasons: [DAILY] },
  },
  {
    name: 'tokensPerDay counts the estimated input',
    mode: 'allow',
    estimatedInputTokens: 9600,
    expected: { action: 'ask', reasons: [/to 10100 tokens; the daily budget is 10000/] },
  },
  {
    name: 'tokensPerDay counts the requested output',
    mode: 'allow',
    usage: { tokensLastDay: 9000 },
    maxTokens: 901,
    expected: { action: 'ask', reasons: [/to 10001 tokens/] },
  },
  { name: 'requestsPerMinute reached in allow mode', mode: 'allow', usage: { requestsLastMinute: 5 }, expected: { action: 'ask', reasons: [PER_MINUTE] } },
  {
    name: 'requestsPerMinute reached with a grant',
    mode: 'ask',
    granted: 'loop',
    usage: { requestsLastMinute: 5 },
    expected: { action: 'ask', reasons: [PER_MINUTE] },
  },
  { name: 'roundsPerLoop exceeded in allow mode', mode: 'allow', usage: { loopRound: 4 }, expected: { action: 'ask', reasons: [ROUNDS] } },
  { name: 'roundsPerLoop exceeded with a grant', mode: 'ask', granted: 'loop', usage: { loopRound: 4 }, expected: { action: 'ask', reasons: [ROUNDS] } },
  {
    name: 'all four budgets exceeded: every reason, in order',
    mode: 'allow',
    granted: 'loop',
    maxTokens: 1001,
    usage: { tokensLastDay: 9000, requestsLastMinute: 5, loopRound: 4 },
    expected: { action: 'ask', reasons: [PER_REQUEST, /to 10101 tokens; the daily budget is 10000/, PER_MINUTE, ROUNDS] },
  },
  {
    name: 'two budgets exceeded: both reasons',
    mode: 'allow',
    usage: { requestsLastMinute: 9, loopRound: 4 },
    expected: { action: 'ask', reasons: [/already sent 9 requests/, ROUNDS] },
  },

  // Boundaries: at the limit is within budget, one over is not.
  { name: 'maxTokens exactly at the per-request limit', mode: 'allow', maxTokens: 1000, expected: { action: 'allow', by: 'policy' } },
  { name: 'projected tokens exactly at the daily budget', mode: 'allow', usage: { tokensLastDay: 9400 }, expected: { action: 'allow', by: 'policy' } },
  { name: 'one request short of the per-minute limit', mode: 'allow', usage: { requestsLastMinute: 4 }, expected: { action: 'allow', by: 'policy' } },
  { name: 'the last round the loop allows', mode: 'allow', usage: { loopRound: 3 }, expected: { action: 'allow', by: 'policy' } },
  { name: 'one short of the flood limit', mode: 'ask', usage: { waiting: MAX_WAITING_PER_SERVER - 1 }, expected: { action: 'ask', reasons: [EVERY_TIME] } },

  // The flood limit.
  {
    name: 'the flood limit in ask mode',
    mode: 'ask',
    usage: { waiting: MAX_WAITING_PER_SERVER },
    expected: { action: 'refuse', reason: new RegExp(`${MAX_WAITING_PER_SERVER} sampling requests from this server are already waiting`) },
  },
  {
    name: 'the flood limit beats a grant',
    mode: 'ask',
    granted: 'loop',
    usage: { waiting: MAX_WAITING_PER_SERVER },
    expected: { action: 'refuse', reason: /already waiting for the user; try again later/ },
  },
  {
    name: 'the flood limit in allow mode',
    mode: 'allow',
    usage: { waiting: MAX_WAITING_PER_SERVER + 3 },
    expected: { action: 'refuse', reason: new RegExp(`${MAX_WAITING_PER_SERVER + 3} sampling requests`) },
  },
  {
    name: 'the flood limit beats an over-budget ask',
    mode: 'allow',
    maxTokens: 1001,
    usage: { waiting: MAX_WAITING_PER_SERVER },
    expected: { action: 'refuse', reason: /already waiting/ },
  },
];

describe('samplingVerdict', () => {
  it.each(rows)('$name', (row) => {
    const verdict = samplingVerdict(input(row));
    const { expected } = row;
    expect(verdict.action).toBe(expected.action);
    if (expected.action === 'allow' && verdict.action === 'allow') expect(verdict.by).toBe(expected.by);
    if (expected.action === 'ask' && verdict.action === 'ask') {
      expect(verdict.reasons).toHaveLength(expected.reasons.length);
      expected.reasons.forEach((pattern, i) => expect(verdict.reasons[i]!.message).toMatch(pattern));
    }
    if ((expected.action === 'deny' || expected.action === 'refuse') && (verdict.action === 'deny' || verdict.action === 'refuse')) {
      expect(verdict.reason).toMatch(expected.reason);
    }
  });

  it('asks every time under the default policy', () => {
    const verdict = samplingVerdict({ policy: SamplingPolicySchema.parse({}), granted: null, usage: CALM, maxTokens: 1000, estimatedInputTokens: 50 });
    expect(verdict).toEqual({ action: 'ask', reasons: [{ code: 'policy', message: stringMatching(EVERY_TIME) }] });
  });

  it('holds the default per-request budget of an otherwise default policy', () => {
    const policy = SamplingPolicySchema.parse({ mode: 'allow' });
    const at = samplingVerdict({ policy, granted: null, usage: CALM, maxTokens: policy.budgets.maxTokensPerRequest, estimatedInputTokens: 50 });
    const over = samplingVerdict({ policy, granted: null, usage: CALM, maxTokens: policy.budgets.maxTokensPerRequest + 1, estimatedInputTokens: 50 });
    expect(at).toEqual({ action: 'allow', by: 'policy' });
    expect(over.action).toBe('ask');
  });
});

describe('overBudget', () => {
  it('finds nothing within every budget', () => {
    expect(overBudget(input({ mode: 'allow', maxTokens: 1000, usage: { tokensLastDay: 8900, requestsLastMinute: 4, loopRound: 3 } }))).toEqual([]);
  });

  it('ignores the mode, the grant and the waiting count', () => {
    const reasons = overBudget(input({ mode: 'deny', granted: 'loop', maxTokens: 1001, usage: { waiting: 99 } }));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ code: 'max_tokens', message: stringMatching(PER_REQUEST) });
  });

  it('names each budget in a sentence of its own', () => {
    const reasons = overBudget(input({ mode: 'ask', maxTokens: 1001, usage: { tokensLastDay: 20_000, requestsLastMinute: 50, loopRound: 40 } }));
    expect(reasons).toEqual([
      { code: 'max_tokens', message: 'It asks for up to 1001 tokens; the limit per request is 1000.' },
      { code: 'tokens_per_day', message: 'It could bring the last 24 hours to 21101 tokens; the daily budget is 10000.' },
      { code: 'requests_per_minute', message: 'This server already sent 50 requests in the last minute; the limit is 5.' },
      { code: 'rounds_per_loop', message: 'This is round 40 of its loop; the limit is 3 rounds.' },
    ]);
  });
});
