// steward inbox: the questions every Steward process is waiting on (sampling, consent, forms, pages, sign-ins), and an
// answer to one; a question another process asked is answered by that process. An approval shows what it approves
// first, and asks on a terminal unless --yes; elsewhere it needs --yes.
import { parseArgs } from 'node:util';
import type { InboxDecision, InboxItem } from '../../shared/domain/inbox.js';
import { StewardError } from '../../shared/errors.js';
import { terminalSafe } from '../core/node/index.js';
import { Cli, EXIT, UsageError } from './context.js';
import { APPROVE_QUESTION, inboxItemText } from './inbox-format.js';

const KIND_WORDS: Record<InboxItem['kind'], string> = {
  consent: 'launch consent',
  sampling: 'model request',
  sampling_review: 'model reply to review',
  elicitation: 'form',
  elicitation_url: 'page to open',
  auth: 'sign-in',
};

const askedBy = (item: InboxItem) =>
  item.elsewhere ? `the Steward ${item.elsewhere.kind === 'cli' ? 'command' : item.elsewhere.kind} (pid ${item.elsewhere.pid})` : 'this command';

export async function inbox(cli: Cli, args: string[]): Promise<number> {
  const [verb = 'list', ...rest] = args;
  if (verb === 'list') {
    const items = await cli.call('inbox:list', {});
    cli.result(items, () =>
      items.length === 0
        ? 'Nothing is waiting for an answer.'
        : items.map((i) => `${i.id}  ${KIND_WORDS[i.kind]} from "${terminalSafe(i.serverName)}", asked by ${askedBy(i)} at ${i.createdAt}`).join('\n'),
    );
    return EXIT.ok;
  }
  if (verb !== 'approve' && verb !== 'deny') throw new UsageError('Use: steward inbox [list] | approve ID [--content JSON] [--yes] | deny ID');
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { content: { type: 'string' }, yes: { type: 'boolean', short: 'y' } },
  });
  const [itemId] = positionals;
  if (!itemId) throw new UsageError('Missing the question id (see steward inbox list).');
  const item = (await cli.call('inbox:list', {})).find((i) => i.id === itemId);
  if (!item) throw new StewardError('not_found', 'That question is no longer waiting for an answer.');
  const decision = decisionFor(item, verb === 'approve', values.content);
  if (verb === 'approve' && !(await confirmed(cli, item, values.yes === true))) return EXIT.consent;
  await cli.call('inbox:decide', { itemId, decision });
  const answer = { itemId, kind: item.kind, answer: verb, askedBy: item.elsewhere ?? null };
  cli.result(
    answer,
    () => `${verb === 'approve' ? 'Approved' : 'Refused'} the ${KIND_WORDS[item.kind]} from "${terminalSafe(item.serverName)}" (asked by ${askedBy(item)}).`,
  );
  return EXIT.ok;
}

/** Shows what an approval acts on; then --yes, or a yes on a terminal. Elsewhere nothing is approved without --yes. */
async function confirmed(cli: Cli, item: InboxItem, yes: boolean): Promise<boolean> {
  cli.line(`The ${KIND_WORDS[item.kind]} from "${terminalSafe(item.serverName)}" (asked by ${askedBy(item)}):\n${inboxItemText(item)}\n`);
  if (yes) return true;
  if (cli.interactive) return cli.confirm(APPROVE_QUESTION[item.kind]);
  cli.note(`Not approved: without a terminal to ask on, approving needs --yes (steward inbox approve ${item.id} --yes).`);
  return false;
}

function decisionFor(item: InboxItem, yes: boolean, content: string | undefined): InboxDecision {
  switch (item.kind) {
    case 'consent':
      return { kind: 'consent', decision: yes ? 'approve' : 'deny', hash: item.request.spec.hash };
    case 'sampling':
      return { kind: 'sampling', decision: yes ? 'approve' : 'deny', grant: 'once' };
    case 'sampling_review':
      return { kind: 'sampling_review', decision: yes ? 'send' : 'deny' };
    case 'elicitation': {
      if (!yes) return { kind: 'elicitation', action: 'decline' };
      if (content === undefined) throw new UsageError('A form needs its answers: --content \'{"field": "value"}\'.');
      let parsed: unknown;
      try {
        parsed = JSON.parse(content);
      } catch (error) {
        throw new UsageError(`--content is not valid JSON: ${(error as Error).message}`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--content must be a JSON object.');
      return { kind: 'elicitation', action: 'accept', content: parsed as Extract<InboxDecision, { kind: 'elicitation' }>['content'] };
    }
    case 'elicitation_url':
      return { kind: 'elicitation_url', action: yes ? 'open' : 'decline' };
    case 'auth':
      return { kind: 'auth', action: yes ? 'open' : 'cancel' };
  }
}
