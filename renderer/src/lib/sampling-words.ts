// How sampling reads on screen: round statuses, who decided, budget reasons, and the text of a message.
import type { InboxItem } from '../../../shared/domain/inbox.js';
import type { AskReason, Decider, RoundView, SamplingMessageView } from '../../../shared/domain/sampling.js';

export type SamplingItem = Extract<InboxItem, { kind: 'sampling' }>;
export type ReviewItem = Extract<InboxItem, { kind: 'sampling_review' }>;
export type AskItem = SamplingItem | ReviewItem;

export function isAsk(item: InboxItem): item is AskItem {
  return item.kind === 'sampling' || item.kind === 'sampling_review';
}

export const ROUND_STATUS: Record<RoundView['status'], { label: string; tone: 'ok' | 'busy' | 'attention' | 'danger' | 'idle' }> = {
  received: { label: 'received', tone: 'busy' },
  checked: { label: 'checked', tone: 'busy' },
  waiting: { label: 'waiting for you', tone: 'attention' },
  sent: { label: 'asking the model', tone: 'busy' },
  reviewing: { label: 'reply waiting for review', tone: 'attention' },
  replied: { label: 'replied', tone: 'ok' },
  denied: { label: 'denied', tone: 'danger' },
  failed: { label: 'failed', tone: 'danger' },
  interrupted: { label: 'interrupted', tone: 'idle' },
};

/** Who decided a step, in words. */
export const DECIDER_WORDS: Record<Decider, string> = {
  user: 'you',
  loop_grant: 'your approval for this loop',
  session_grant: 'your approval for this session',
  policy: 'the server’s policy',
  budget: 'a budget (held for you)',
  unattended: 'the command line (it cannot ask you)',
  server: 'the server',
  host: 'Steward',
};

export function decidedByWords(decidedBy: Decider | null): string {
  return decidedBy === null ? 'not decided yet' : DECIDER_WORDS[decidedBy];
}

/** Every reason but the policy's own is a budget the request would exceed. */
export function isBudgetReason(reason: AskReason): boolean {
  return reason.code !== 'policy';
}

/** Index of the last user message whose text may be edited (one without tool results), or -1. */
export function editableUserIndex(messages: SamplingMessageView[]): number {
  const index = messages.findLastIndex((m) => m.role === 'user');
  const last = messages[index];
  return last && !last.content.some((b) => b.type === 'tool_result') ? index : -1;
}

export function textOf(message: SamplingMessageView | undefined): string {
  return (message?.content ?? []).flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n\n');
}
