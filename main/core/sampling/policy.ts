// The sampling policy verdict: allow, ask (with the reasons), deny, or refuse a flood. A pure function.
import type { AskReason, SamplingPolicy } from '../../../shared/domain/sampling.js';
import { SERVER_LIMITS } from '../limits.js';

/** Sampling requests one server may have waiting for the user at once; more are refused, so a flood cannot bury the inbox. */
export const MAX_WAITING_PER_SERVER = SERVER_LIMITS.questions.sampling;

export interface Usage {
  tokensLastDay: number;
  requestsLastMinute: number;
  /** Rounds this loop has had, this request included. */
  loopRound: number;
  waiting: number;
}

export interface VerdictInput {
  policy: SamplingPolicy;
  /** A grant from an earlier approval that covers this request: for its loop, or for the session; null when none. */
  granted: 'loop' | 'session' | null;
  usage: Usage;
  maxTokens: number;
  estimatedInputTokens: number;
}

export type Verdict =
  | { action: 'allow'; by: 'policy' | 'loop_grant' | 'session_grant' }
  | { action: 'ask'; reasons: AskReason[] }
  | { action: 'deny'; reason: string }
  | { action: 'refuse'; reason: string };

export function overBudget(input: VerdictInput): AskReason[] {
  const { budgets } = input.policy;
  const reasons: AskReason[] = [];
  if (input.maxTokens > budgets.maxTokensPerRequest) {
    reasons.push({ code: 'max_tokens', message: `It asks for up to ${input.maxTokens} tokens; the limit per request is ${budgets.maxTokensPerRequest}.` });
  }
  const projected = input.usage.tokensLastDay + input.estimatedInputTokens + input.maxTokens;
  if (projected > budgets.tokensPerDay) {
    reasons.push({ code: 'tokens_per_day', message: `It could bring the last 24 hours to ${projected} tokens; the daily budget is ${budgets.tokensPerDay}.` });
  }
  if (input.usage.requestsLastMinute >= budgets.requestsPerMinute) {
    reasons.push({
      code: 'requests_per_minute',
      message: `This server already sent ${input.usage.requestsLastMinute} requests in the last minute; the limit is ${budgets.requestsPerMinute}.`,
    });
  }
  if (input.usage.loopRound > budgets.roundsPerLoop) {
    reasons.push({ code: 'rounds_per_loop', message: `This is round ${input.usage.loopRound} of its loop; the limit is ${budgets.roundsPerLoop} rounds.` });
  }
  return reasons;
}

export function samplingVerdict(input: VerdictInput): Verdict {
  if (input.policy.mode === 'deny') return { action: 'deny', reason: 'Sampling is turned off for this server.' };
  if (input.usage.waiting >= MAX_WAITING_PER_SERVER) {
    return { action: 'refuse', reason: `${input.usage.waiting} sampling requests from this server are already waiting for the user; try again later.` };
  }
  const over = overBudget(input);
  // Over budget is never sent silently, whatever the mode or grants: the user decides.
  if (over.length > 0) return { action: 'ask', reasons: over };
  if (input.policy.mode === 'allow') return { action: 'allow', by: 'policy' };
  if (input.granted) return { action: 'allow', by: input.granted === 'loop' ? 'loop_grant' : 'session_grant' };
  return { action: 'ask', reasons: [{ code: 'policy', message: 'Your policy for this server is to ask every time.' }] };
}
