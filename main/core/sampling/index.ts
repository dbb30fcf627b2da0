// Sampling: validation, policy and budgets, agent loops, the approval flow, the model call and the record.
export { SamplingService, USER_REJECTED, type SamplingContext, type SamplingDeps, type PolicyPatch } from './service.js';
export { validateSamplingRequest, checkToolOrdering, MAX_REQUEST_BYTES, MAX_TOKENS_CAP, type SamplingRequest } from './validate.js';
export { samplingVerdict, overBudget, MAX_WAITING_PER_SERVER, type Verdict, type VerdictInput } from './policy.js';
export { LoopTracker } from './loops.js';
export { applyEdits } from './edits.js';
