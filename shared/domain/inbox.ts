// Pending questions for the user, one queue for every kind of request.
import { z } from 'zod';
import { ConsentRequestSchema, OwnerTagSchema } from './servers.js';
import { SignInRequestViewSchema } from './auth.js';
import { AnswerSchema, FormRequestViewSchema, UrlRequestViewSchema } from './elicitation.js';
import { SamplingEditsSchema, SamplingGrantSchema, SamplingReplySchema, SamplingRequestViewSchema } from './sampling.js';

const base = {
  id: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  createdAt: z.string(),
  /** Set when another Steward process asks: an answer given here is carried to it. */
  elsewhere: OwnerTagSchema.optional(),
};

export const ConsentItemSchema = z.object({ ...base, kind: z.literal('consent'), request: ConsentRequestSchema });
export const SamplingItemSchema = z.object({ ...base, kind: z.literal('sampling'), request: SamplingRequestViewSchema });
export const SamplingReviewItemSchema = z.object({
  ...base,
  kind: z.literal('sampling_review'),
  request: SamplingRequestViewSchema,
  reply: SamplingReplySchema,
});

export const ElicitationItemSchema = z.object({ ...base, kind: z.literal('elicitation'), request: FormRequestViewSchema });
export const ElicitationUrlItemSchema = z.object({ ...base, kind: z.literal('elicitation_url'), request: UrlRequestViewSchema });

export const SignInItemSchema = z.object({ ...base, kind: z.literal('auth'), request: SignInRequestViewSchema });

export const InboxItemSchema = z.discriminatedUnion('kind', [
  ConsentItemSchema,
  SamplingItemSchema,
  SamplingReviewItemSchema,
  ElicitationItemSchema,
  ElicitationUrlItemSchema,
  SignInItemSchema,
]);
export type InboxItem = z.infer<typeof InboxItemSchema>;

/** One change to the inbox, as the UI hears of it: an item added (replacing an older one of the same key), or removed. */
export const InboxChangeSchema = z.discriminatedUnion('change', [
  z.object({ change: z.literal('added'), item: InboxItemSchema, replaces: z.string().optional() }),
  z.object({ change: z.literal('removed'), id: z.string() }),
]);
export type InboxChange = z.infer<typeof InboxChangeSchema>;

export const InboxDecisionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('consent'),
    decision: z.enum(['approve', 'deny']),
    /** The spec hash the user saw; a decision about another spec is refused. */
    hash: z.string().min(1),
  }),
  z.object({
    kind: z.literal('sampling'),
    decision: z.enum(['approve', 'deny']),
    /** How far an approval reaches: this request, the rest of its loop, this session, or always (within budget). */
    grant: SamplingGrantSchema.default('once'),
    edits: SamplingEditsSchema.optional(),
    /** Keep the system prompt and max tokens edits for the rest of this loop. */
    keepEdits: z.boolean().optional(),
    /** A reply written by the user instead of asking a model (when no key is set, or by choice). */
    manualReply: z.object({ text: z.string().min(1).max(1_000_000) }).optional(),
  }),
  z.object({
    kind: z.literal('sampling_review'),
    decision: z.enum(['send', 'deny']),
    /** The reply's text as the user changed it (a reply of text only); the server gets this instead. */
    replyText: z.string().min(1).max(1_000_000).optional(),
  }),
  z.object({
    kind: z.literal('elicitation'),
    /** accept sends the answers; decline is an explicit no; cancel dismisses without choosing. */
    action: z.enum(['accept', 'decline', 'cancel']),
    content: AnswerSchema.optional(),
  }),
  z.object({
    kind: z.literal('elicitation_url'),
    /** open: the user clicked to open the page; done: they say they finished there (no completion came). */
    action: z.enum(['open', 'decline', 'cancel', 'done']),
  }),
  /** open: sign in at the authorization server's page in the browser; cancel: not now. */
  z.object({ kind: z.literal('auth'), action: z.enum(['open', 'cancel']) }),
]);
export type InboxDecision = z.infer<typeof InboxDecisionSchema>;
