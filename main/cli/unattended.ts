// The command line cannot show a dialog: what a server asks the user while a command runs is answered "no" at once,
// with a note saying where it could have been answered and why it was asked, instead of leaving the command hanging.
// Sampling refusals are recorded as the command line's, not as the user's.
import type { InboxItem } from '../../shared/domain/inbox.js';
import type { AskReason } from '../../shared/domain/sampling.js';
import type { Host } from '../core/host.js';
import { terminalSafe } from '../core/node/index.js';

const WHERE = 'answer such requests in the app (or in browser mode: steward serve)';

/** How much of a server's message a one-line note quotes; the app shows it whole. */
const QUOTE_MAX = 200;

/** A server's text quoted inside a note: one line, at most QUOTE_MAX characters. */
function quoted(text: string): string {
  if (text.length <= QUOTE_MAX) return terminalSafe(text);
  const cut = /[\ud800-\udbff]/.test(text.charAt(QUOTE_MAX - 1)) ? QUOTE_MAX - 1 : QUOTE_MAX;
  return `${terminalSafe(text.slice(0, cut))}…`;
}

/** The policy flag that raises each budget. */
const BUDGET_FLAGS: Record<Exclude<AskReason['code'], 'policy'>, string> = {
  max_tokens: '--max-tokens',
  tokens_per_day: '--tokens-per-day',
  requests_per_minute: '--rpm',
  rounds_per_loop: '--rounds',
};

/** Why a sampling request was held, and what would let it through next time: a budget names its flag, the policy its mode. */
export function samplingNote(serverName: string, reasons: readonly AskReason[]): string {
  const budgets = reasons.filter((r): r is AskReason & { code: keyof typeof BUDGET_FLAGS } => r.code !== 'policy');
  if (budgets.length > 0) {
    const flags = budgets.map((r) => `${BUDGET_FLAGS[r.code]} N`).join(' ');
    return `"${serverName}" asked for a model reply over its budget (${budgets.map((r) => r.message).join(' ')}); denied, because ${WHERE}. To raise the budget: steward sampling policy "${serverName}" ${flags}`;
  }
  return `"${serverName}" asked for a model reply; denied, because ${WHERE}. To let it run unattended: steward sampling policy "${serverName}" --mode allow`;
}

function refusal(host: Host, item: InboxItem): { answer: () => Promise<void>; note: string } | undefined {
  switch (item.kind) {
    case 'sampling':
      return { answer: () => host.sampling.refuseUnattended(item.request.requestId), note: samplingNote(item.serverName, item.request.askReasons) };
    case 'sampling_review':
      return {
        answer: () => host.sampling.refuseUnattended(item.request.requestId),
        note: `A model reply for "${item.serverName}" needed review; withheld, because ${WHERE}.`,
      };
    case 'elicitation':
      return {
        answer: () => host.inbox.decide(item.id, { kind: 'elicitation', action: 'cancel' }),
        note: `"${item.serverName}" asked you to fill in a form ("${quoted(item.request.message)}"); dismissed, because ${WHERE}.`,
      };
    case 'elicitation_url':
      return item.request.stage === 'consent'
        ? {
            answer: () => host.inbox.decide(item.id, { kind: 'elicitation_url', action: 'cancel' }),
            note: `"${item.serverName}" asked you to open ${item.request.verdict.host || 'a page'}; dismissed, because ${WHERE}.`,
          }
        : undefined;
    case 'consent':
    case 'auth':
      return undefined;
  }
}

export function answerUnattended(host: Host, note: (line: string) => void): () => void {
  const seen = new Set<string>();
  return host.events.on('inbox:changed', (change) => {
    if (change.change !== 'added') return;
    const item = change.item;
    // Another process's question is its business: the app or browser mode shows it there.
    if (item.elsewhere || seen.has(item.id)) return;
    seen.add(item.id);
    const answer = refusal(host, item);
    if (!answer) return;
    note(`steward: ${answer.note}`);
    answer
      .answer()
      .catch((error: unknown) => note(`steward: that answer did not go through: ${terminalSafe(error instanceof Error ? error.message : String(error))}`));
  });
}
