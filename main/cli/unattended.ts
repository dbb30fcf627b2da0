// The command line cannot show a dialog: what a server asks the user while a command runs is answered "no" at once,
// with a note saying where it could have been answered, instead of leaving the command hanging.
import type { InboxItem } from '../../shared/domain/inbox.js';
import type { Host } from '../core/host.js';

const WHERE = 'answer such requests in the app (or in browser mode: steward serve)';

function refusal(item: InboxItem): { decision: Parameters<Host['inbox']['decide']>[1]; note: string } | undefined {
  switch (item.kind) {
    case 'sampling':
      return {
        decision: { kind: 'sampling', decision: 'deny', grant: 'once' },
        note: `"${item.serverName}" asked for a model reply; denied, because ${WHERE}. To let it run unattended: steward sampling policy "${item.serverName}" --mode allow`,
      };
    case 'sampling_review':
      return {
        decision: { kind: 'sampling_review', decision: 'deny' },
        note: `A model reply for "${item.serverName}" needed review; withheld, because ${WHERE}.`,
      };
    case 'elicitation':
      return {
        decision: { kind: 'elicitation', action: 'cancel' },
        note: `"${item.serverName}" asked you to fill in a form ("${item.request.message}"); dismissed, because ${WHERE}.`,
      };
    case 'elicitation_url':
      return item.request.stage === 'consent'
        ? {
            decision: { kind: 'elicitation_url', action: 'cancel' },
            note: `"${item.serverName}" asked you to open ${item.request.verdict.host || 'a page'}; dismissed, because ${WHERE}.`,
          }
        : undefined;
    case 'consent':
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
    const answer = refusal(item);
    if (!answer) return;
    note(`steward: ${answer.note}`);
    host.inbox
      .decide(item.id, answer.decision)
      .catch((error: unknown) => note(`steward: that answer did not go through: ${error instanceof Error ? error.message : String(error)}`));
  });
}
