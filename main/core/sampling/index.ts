// Sampling: validation, policy and budgets, agent loops, the round machine, the approval flow, the model call and the record.
export { SamplingService, USER_REJECTED, type SamplingContext, type SamplingDeps, type PolicyPatch } from './service.js';
export { validateSamplingRequest, checkToolOrdering, MAX_REQUEST_BYTES, MAX_TOKENS_CAP, type SamplingRequest } from './validate.js';
export { samplingVerdict, overBudget, MAX_WAITING_PER_SERVER, type Verdict, type VerdictInput } from './policy.js';
export { roundTransition, ROUND_TRANSITIONS, type RoundState, type RoundEvent, type RoundEffect } from './round-machine.js';
export { LoopTracker } from './loops.js';
export type { SamplingRecords } from './round-log.js';
export { applyEdits } from './edits.js';
