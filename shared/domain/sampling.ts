// Sampling as the user sees it: requests waiting for a decision, the agent loops they form, policies, budgets, models.
import { z } from 'zod';

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

export const BudgetsSchema = z.object({
  maxTokensPerRequest: z.number().int().min(1).max(1_000_000).default(16_000),
  tokensPerDay: z.number().int().min(1).max(100_000_000).default(500_000),
  requestsPerMinute: z.number().int().min(1).max(600).default(10),
  roundsPerLoop: z.number().int().min(1).max(200).default(12),
});
export type Budgets = z.infer<typeof BudgetsSchema>;

export const SamplingPolicySchema = z.object({
  /** ask: every request waits for the user; allow: sent without asking while within budget; deny: always refused. */
  mode: z.enum(['ask', 'allow', 'deny']).default('ask'),
  /** Show the model's reply to the user before it goes back to the server. */
  reviewReplies: z.boolean().default(false),
  /** Declare sampling tools to this server (takes effect at its next start). */
  allowTools: z.boolean().default(true),
  budgets: BudgetsSchema.default(BudgetsSchema.parse({})),
});
export type SamplingPolicy = z.infer<typeof SamplingPolicySchema>;

export const SamplingGrantSchema = z.enum(['once', 'loop', 'session', 'always']);
export type SamplingGrant = z.infer<typeof SamplingGrantSchema>;

/** Why the user is asked: the policy says so, or the request would exceed one of the budgets. */
export const AskReasonSchema = z.object({
  code: z.enum(['policy', 'max_tokens', 'tokens_per_day', 'requests_per_minute', 'rounds_per_loop']),
  message: z.string(),
});
export type AskReason = z.infer<typeof AskReasonSchema>;

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

export const SamplingEditsSchema = z.object({
  systemPrompt: z.string().max(200_000).nullable().optional(),
  lastUserText: z.string().max(2_000_000).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
});
export type SamplingEdits = z.infer<typeof SamplingEditsSchema>;

export const ROUND_STATUSES = ['waiting', 'approved', 'denied', 'sending', 'reviewing', 'replied', 'failed', 'interrupted'] as const;

export const RoundViewSchema = z.object({
  requestId: z.string(),
  round: z.number().int(),
  receivedAt: z.string(),
  status: z.enum(ROUND_STATUSES),
  decidedBy: z.string().nullable(),
  model: z.string().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  latencyMs: z.number().int().nullable(),
  stopReason: z.string().nullable(),
  /** The newest messages of the request (the rest repeat earlier rounds). */
  newMessages: z.array(SamplingMessageViewSchema),
  reply: z.array(SamplingBlockSchema).nullable(),
  error: z.string().nullable(),
});
export type RoundView = z.infer<typeof RoundViewSchema>;

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
