// Sampling as the user sees it: requests waiting for a decision, the agent loops they form, policies, budgets, models.
import { z } from 'zod';
import { AUDIT_ACTORS } from './audit.js';

const Json = z.record(z.string(), z.unknown());

export const SamplingBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('image'), mimeType: z.string(), data: z.string() }),
  z.object({ type: z.literal('audio'), mimeType: z.string(), data: z.string() }),
  z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: Json }),
  z.object({
    type: z.literal('tool_result'),
    toolUseId: z.string(),
    content: z.array(Json),
    structuredContent: Json.optional(),
    isError: z.boolean().optional(),
  }),
]);
export type SamplingBlock = z.infer<typeof SamplingBlockSchema>;

export const SamplingMessageViewSchema = z.object({ role: z.enum(['user', 'assistant']), content: z.array(SamplingBlockSchema) });
export type SamplingMessageView = z.infer<typeof SamplingMessageViewSchema>;

export const SamplingToolSchema = z.object({ name: z.string(), description: z.string().optional(), inputSchema: Json });

/** Each field once, without a default: the policy gives them defaults, a patch leaves out what it does not change. */
const BUDGET_FIELDS = {
  maxTokensPerRequest: z.number().int().min(1).max(1_000_000),
  tokensPerDay: z.number().int().min(1).max(100_000_000),
  requestsPerMinute: z.number().int().min(1).max(600),
  roundsPerLoop: z.number().int().min(1).max(200),
};
const POLICY_FIELDS = {
  /** ask: every request waits for the user; allow: sent without asking while within budget; deny: always refused. */
  mode: z.enum(['ask', 'allow', 'deny']),
  /** Show the model's reply to the user before it goes back to the server. */
  reviewReplies: z.boolean(),
  /** Declare sampling tools to this server (takes effect at its next start). */
  allowTools: z.boolean(),
};

export const BudgetsSchema = z.object({
  maxTokensPerRequest: BUDGET_FIELDS.maxTokensPerRequest.default(16_000),
  tokensPerDay: BUDGET_FIELDS.tokensPerDay.default(500_000),
  requestsPerMinute: BUDGET_FIELDS.requestsPerMinute.default(10),
  roundsPerLoop: BUDGET_FIELDS.roundsPerLoop.default(12),
});
export type Budgets = z.infer<typeof BudgetsSchema>;

export const SamplingPolicySchema = z.object({
  mode: POLICY_FIELDS.mode.default('ask'),
  reviewReplies: POLICY_FIELDS.reviewReplies.default(false),
  allowTools: POLICY_FIELDS.allowTools.default(true),
  budgets: BudgetsSchema.default(BudgetsSchema.parse({})),
});
export type SamplingPolicy = z.infer<typeof SamplingPolicySchema>;

/**
 * A change to a policy: only the fields named change. (Made from the fields, not with .partial() over the policy, whose
 * defaults would fill in every field left out and so reset it.)
 */
export const SamplingPolicyPatchSchema = z.object({
  mode: POLICY_FIELDS.mode.optional(),
  reviewReplies: POLICY_FIELDS.reviewReplies.optional(),
  allowTools: POLICY_FIELDS.allowTools.optional(),
  budgets: z
    .object({
      maxTokensPerRequest: BUDGET_FIELDS.maxTokensPerRequest.optional(),
      tokensPerDay: BUDGET_FIELDS.tokensPerDay.optional(),
      requestsPerMinute: BUDGET_FIELDS.requestsPerMinute.optional(),
      roundsPerLoop: BUDGET_FIELDS.roundsPerLoop.optional(),
    })
    .optional(),
});
export type SamplingPolicyPatch = z.infer<typeof SamplingPolicyPatchSchema>;

export const SamplingGrantSchema = z.enum(['once', 'loop', 'session', 'always']);
export type SamplingGrant = z.infer<typeof SamplingGrantSchema>;

/** Why the user is asked: the policy says so, or the request would exceed one of the budgets. */
export const AskReasonSchema = z.object({
  code: z.enum(['policy', 'max_tokens', 'tokens_per_day', 'requests_per_minute', 'rounds_per_loop']),
  message: z.string(),
});
export type AskReason = z.infer<typeof AskReasonSchema>;

/** A sampling parameter the request carried that did not reach the model as it was, and why. */
export const ParamNoteSchema = z.object({ name: z.string(), value: z.unknown(), note: z.string() });
export type ParamNote = z.infer<typeof ParamNoteSchema>;

export const SamplingEditsSchema = z.object({
  systemPrompt: z.string().max(200_000).nullable().optional(),
  lastUserText: z.string().max(2_000_000).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
});
export type SamplingEdits = z.infer<typeof SamplingEditsSchema>;

export const SamplingRequestViewSchema = z.object({
  requestId: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  loopId: z.string(),
  round: z.number().int(),
  /** The tool call this request belongs to, when Steward can tell. */
  toolCall: z.object({ name: z.string(), callId: z.string().nullable() }).nullable(),
  systemPrompt: z.string().nullable(),
  messages: z.array(SamplingMessageViewSchema),
  tools: z.array(SamplingToolSchema),
  toolChoice: z.enum(['auto', 'required', 'none']),
  maxTokens: z.number().int(),
  stopSequences: z.array(z.string()),
  temperature: z.number().nullable(),
  /** Parameters the request carried that the model will not get as they are (see ParamNote). */
  paramsReport: z.array(ParamNoteSchema),
  /** Edits the user kept for the rest of this loop (system prompt, max tokens): applied unless changed here. */
  keptEdits: SamplingEditsSchema.nullable(),
  model: z.string().nullable(),
  modelReason: z.string(),
  estimatedInputTokens: z.number().int(),
  /** Upper bound in US dollars at list prices: input as estimated, output at maxTokens. */
  costEstimateUsd: z.number().nullable(),
  /** Why the user is asked (policy, or which budget the request would exceed). */
  askReasons: z.array(AskReasonSchema),
  /** No model key is set: the user may write the reply by hand. */
  noKey: z.boolean(),
});
export type SamplingRequestView = z.infer<typeof SamplingRequestViewSchema>;

export const SamplingReplySchema = z.object({
  model: z.string(),
  content: z.array(SamplingBlockSchema),
  stopReason: z.string().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
});
export type SamplingReply = z.infer<typeof SamplingReplySchema>;

/**
 * A round's life: received from the server, checked (valid; the policy's verdict), waiting for the user, sent to the
 * model, reviewing the reply, then replied, denied, failed or interrupted (the server withdrew it, or Steward stopped).
 */
export const ROUND_STATUSES = ['received', 'checked', 'waiting', 'sent', 'reviewing', 'replied', 'denied', 'failed', 'interrupted'] as const;
export const RoundStatusSchema = z.enum(ROUND_STATUSES);
export type RoundStatus = z.infer<typeof RoundStatusSchema>;
export const FINAL_ROUND_STATUSES: readonly RoundStatus[] = ['replied', 'denied', 'failed', 'interrupted'];

/** Who decided a step: the user, a grant they gave earlier, the policy or a budget, the command line, the server, or Steward. */
export const DeciderSchema = z.enum(AUDIT_ACTORS);
export type Decider = z.infer<typeof DeciderSchema>;

/** One step of a round: the status it moved to, who decided and why. */
export const RoundStepSchema = z.object({ at: z.string(), to: RoundStatusSchema, by: DeciderSchema, why: z.string() });
export type RoundStep = z.infer<typeof RoundStepSchema>;

/** An edit the user made to a round's request, or one kept from an earlier round of the loop (keptFromRound). */
export const RoundEditSchema = z.object({
  at: z.string(),
  edits: SamplingEditsSchema,
  keptFromRound: z.number().int().nullable(),
  /** The user asked to keep it for the rest of the loop. */
  keep: z.boolean(),
});
export type RoundEdit = z.infer<typeof RoundEditSchema>;

export const RoundViewSchema = z.object({
  requestId: z.string(),
  round: z.number().int(),
  receivedAt: z.string(),
  status: RoundStatusSchema,
  /** Who let the round go to the model, or stopped it. */
  decidedBy: DeciderSchema.nullable(),
  steps: z.array(RoundStepSchema),
  edits: z.array(RoundEditSchema),
  paramsReport: z.array(ParamNoteSchema),
  model: z.string().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  latencyMs: z.number().int().nullable(),
  stopReason: z.string().nullable(),
  /** The newest messages of the request (the rest repeat earlier rounds). */
  newMessages: z.array(SamplingMessageViewSchema),
  /** The reply as the model gave it. */
  reply: z.array(SamplingBlockSchema).nullable(),
  /** The reply as the server got it: the same, unless the user changed it in review. */
  replyReturned: z.array(SamplingBlockSchema).nullable(),
  error: z.string().nullable(),
});
export type RoundView = z.infer<typeof RoundViewSchema>;

/** A round's whole record: its view, the request exactly as the server sent it, and the request the model got. */
export const RoundRecordSchema = RoundViewSchema.extend({
  loopId: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  /** The server's request, as JSON text, as it arrived. */
  request: z.string(),
  /** The Messages API request Steward sent (the key is never part of it), as JSON text; null when nothing was sent. */
  sent: z.string().nullable(),
});
export type RoundRecord = z.infer<typeof RoundRecordSchema>;

export const LoopViewSchema = z.object({
  id: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  toolCall: z.string().nullable(),
  startedAt: z.string(),
  updatedAt: z.string(),
  rounds: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  status: z.enum(['active', 'ended']),
  /** Present when one loop is asked for. */
  entries: z.array(RoundViewSchema).optional(),
});
export type LoopView = z.infer<typeof LoopViewSchema>;

export const ModelInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  intelligence: z.number().min(0).max(1),
  speed: z.number().min(0).max(1),
  cost: z.number().min(0).max(1),
  inputUsdPerMTok: z.number().min(0),
  outputUsdPerMTok: z.number().min(0),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const ModelSettingsSchema = z.object({
  provider: z.literal('anthropic'),
  /** Where the Messages API lives; null means the provider's default. */
  baseUrl: z.url().nullable(),
  catalog: z.array(ModelInfoSchema),
  enabledModels: z.array(z.string()).min(1),
  defaultModel: z.string(),
  hasKey: z.boolean(),
});
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;
