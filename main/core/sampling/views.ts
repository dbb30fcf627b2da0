// Round rows as the UI shows them: only what each round added, who decided each step, and the reply both ways. A row
// written by an older or damaged Steward reads as far as it can: a field that does not parse reads as empty.
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
  const result = SamplingBlockSchema.safeParse(value);
  return result.success ? [result.data] : [];
}

export function roundView(row: RoundRow, previous: RoundRow | undefined): RoundView {
  const messages = messagesOf(row);
  // A later round repeats the conversation so far and the previous reply; show only what is new.
  const seen = previous ? messagesOf(previous).length + 1 : 0;
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
    newMessages: messages.length > seen ? messages.slice(seen) : messages,
    reply: parsed(Blocks.nullable(), row.reply, null),
    replyReturned: parsed(Blocks.nullable(), row.reply_returned, null),
    error: row.error,
  };
}

export function roundRecord(row: RoundRow, previous: RoundRow | undefined, serverName: string): RoundRecord {
  return { ...roundView(row, previous), loopId: row.loop_id, serverId: row.server_id, serverName, request: row.request, sent: row.sent };
}
