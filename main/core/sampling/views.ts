// Round rows as the UI shows them: only what each round added, and the reply.
import { SamplingBlockSchema, type RoundView, type SamplingBlock, type SamplingMessageView } from '../../../shared/domain/sampling.js';
import type { RoundRow } from '../store/index.js';
import { z } from 'zod';

const Messages = z.object({ messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(SamplingBlockSchema) })) });

function messagesOf(row: RoundRow | undefined): SamplingMessageView[] {
  if (!row) return [];
  try {
    return Messages.parse(JSON.parse(row.request)).messages;
  } catch {
    return [];
  }
}

function replyOf(row: RoundRow): SamplingBlock[] | null {
  if (!row.reply) return null;
  try {
    return z.array(SamplingBlockSchema).parse(JSON.parse(row.reply));
  } catch {
    return null;
  }
}

export function roundView(row: RoundRow, previous: RoundRow | undefined): RoundView {
  const messages = messagesOf(row);
  // A later round repeats the conversation so far and the previous reply; show only what is new.
  const seen = previous ? messagesOf(previous).length + 1 : 0;
  return {
    requestId: row.id,
    round: row.round,
    receivedAt: row.received_at,
    status: row.status,
    decidedBy: row.decided_by,
    model: row.model,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    latencyMs: row.latency_ms,
    stopReason: row.stop_reason,
    newMessages: messages.length > seen ? messages.slice(seen) : messages,
    reply: replyOf(row),
    error: row.error,
  };
}
