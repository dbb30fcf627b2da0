// Round rows as the UI shows them: what each round added (all of it when it does not continue the round before), who
// decided each step, and the reply both ways. A row written by an older or damaged Steward reads as far as it can: a
// field that does not parse reads as empty.
import { z } from 'zod';
import {
  DeciderSchema,
  ParamNoteSchema,
  RoundEditSchema,
  RoundStepSchema,
  SamplingBlockSchema,
  type RoundRecord,
  type RoundView,
  type SamplingBlock,
  type SamplingMessageView,
} from '../../../shared/domain/sampling.js';
import type { RoundRow } from '../store/index.js';

const Blocks = z.array(SamplingBlockSchema);
const Steps = z.array(RoundStepSchema);
const Edits = z.array(RoundEditSchema);
const Notes = z.array(ParamNoteSchema);
/** The server's own request: content may be one block or a list, and anything the spec allows may ride along. */
const Raw = z.object({
  messages: z.array(
    z.object({ role: z.enum(['user', 'assistant']), content: z.preprocess((v: unknown) => (Array.isArray(v) ? (v as unknown[]) : [v]), z.array(z.unknown())) }),
  ),
});

function parsed<T>(schema: z.ZodType<T>, text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    const result = schema.safeParse(JSON.parse(text) as unknown);
    return result.success ? result.data : fallback;
  } catch {
    return fallback;
  }
}

function messagesOf(row: RoundRow | undefined): SamplingMessageView[] {
  if (!row) return [];
  const raw = parsed(Raw, row.request, { messages: [] });
  return raw.messages.map((m) => ({ role: m.role, content: m.content.flatMap((b) => blockOf(b)) }));
}

/** The blocks the transcript can show; a block of another shape (the server may send them) is left out of the view. */
function blockOf(value: unknown): SamplingBlock[] {
  // A tool result's content may be left out (the spec's default is none); it is still a result the model saw.
  const given = isToolResult(value) && value.content === undefined ? { ...value, content: [] } : value;
  const result = SamplingBlockSchema.safeParse(given);
  return result.success ? [result.data] : [];
}

const isToolResult = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && (value as Record<string, unknown>).type === 'tool_result';

/** JSON with object keys sorted: a server may write the model's tool input back with its keys in another order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

/**
 * What the server sent new in this round. A round that starts with the previous round's messages and the reply the
 * server got shows only what follows; any other (a loop is also continued by a request made during the same tool call,
 * whatever its messages) shows all its messages, so nothing the server sent is hidden.
 */
function newMessagesOf(messages: SamplingMessageView[], previous: RoundRow | undefined): SamplingMessageView[] {
  if (!previous) return messages;
  // Rows from before the reply as returned was kept hold only the model's reply, which the server then got unchanged.
  const reply = parsed(Blocks.nullable(), previous.reply_returned ?? previous.reply, null);
  if (!reply) return messages;
  const prefix = [...messagesOf(previous), { role: 'assistant', content: reply }];
  if (prefix.length >= messages.length) return messages;
  return prefix.every((m, i) => canonical(m) === canonical(messages[i])) ? messages.slice(prefix.length) : messages;
}

export function roundView(row: RoundRow, previous: RoundRow | undefined): RoundView {
  const messages = messagesOf(row);
  const decider = DeciderSchema.safeParse(row.decided_by);
  return {
    requestId: row.id,
    round: row.round,
    receivedAt: row.received_at,
    status: row.status,
    decidedBy: decider.success ? decider.data : null,
    steps: parsed(Steps, row.steps, []),
    edits: parsed(Edits, row.edits, []),
    paramsReport: parsed(Notes, row.params_report, []),
    model: row.model,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    latencyMs: row.latency_ms,
    stopReason: row.stop_reason,
    newMessages: newMessagesOf(messages, previous),
    reply: parsed(Blocks.nullable(), row.reply, null),
    replyReturned: parsed(Blocks.nullable(), row.reply_returned, null),
    error: row.error,
  };
}

export function roundRecord(row: RoundRow, previous: RoundRow | undefined, serverName: string): RoundRecord {
  return { ...roundView(row, previous), loopId: row.loop_id, serverId: row.server_id, serverName, request: row.request, sent: row.sent };
}
