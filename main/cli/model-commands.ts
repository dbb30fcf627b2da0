// The steward commands for the model behind sampling and for each server's sampling policy.
import { parseArgs } from 'node:util';
import { Cli, EXIT, UsageError } from './context.js';

type Args = string[];

function one(positionals: string[], what: string): string {
  const [value] = positionals;
  if (!value) throw new UsageError(`Missing ${what}.`);
  return value;
}

export async function models(cli: Cli, args: Args): Promise<number> {
  const [verb = 'show', ...rest] = args;
  if (verb === 'show') {
    const settings = await cli.call('models:get', {});
    cli.result(settings, () =>
      [
        `Provider: ${settings.provider}${settings.baseUrl ? ` at ${settings.baseUrl}` : ''}`,
        `Key:      ${settings.hasKey ? 'set (never shown)' : 'not set — steward models key < file-with-key'}`,
        `Default:  ${settings.defaultModel}`,
        `Enabled:  ${settings.enabledModels.join(', ')}`,
      ].join('\n'),
    );
    return EXIT.ok;
  }
  if (verb === 'key') {
    const { values } = parseArgs({ args: rest, options: { remove: { type: 'boolean' } } });
    // The key is read from stdin, never from the command line, where shell history and `ps` would keep it.
    const key = values.remove ? null : await readStdin();
    if (key !== null && key.trim() === '') throw new UsageError('Nothing came on stdin. Pipe the key in: steward models key < key.txt');
    // Said without the key itself: it may be a real key cut short, and messages end up in logs.
    if (key !== null && key.trim().length < 10)
      throw new UsageError(`The key on stdin is ${key.trim().length} characters long, too short to be a model key. Check the file holds the whole key.`);
    const settings = await cli.call('models:setKey', { apiKey: key === null ? null : key.trim() });
    cli.result(settings, () => (settings.hasKey ? 'Key saved.' : 'Key removed.'));
    return EXIT.ok;
  }
  if (verb === 'set') {
    const { values } = parseArgs({
      args: rest,
      options: { default: { type: 'string' }, 'base-url': { type: 'string' }, enable: { type: 'string', multiple: true } },
    });
    const settings = await cli.call('models:set', {
      ...(values.default ? { defaultModel: values.default } : {}),
      ...(values['base-url'] !== undefined ? { baseUrl: values['base-url'] === '' ? null : values['base-url'] } : {}),
      ...(values.enable ? { enabledModels: values.enable } : {}),
    });
    cli.result(settings, () => `Default ${settings.defaultModel}; enabled ${settings.enabledModels.join(', ')}.`);
    // A key belongs to the address it was given for: one on another host is not sent the old key.
    if (!settings.hasKey) cli.note('No model key is set for this address. Give one with: steward models key < key.txt');
    return EXIT.ok;
  }
  throw new UsageError('Use: steward models [show] | key [--remove] | set [--default MODEL] [--enable MODEL]... [--base-url URL]');
}

export async function sampling(cli: Cli, args: Args): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'policy')
    throw new UsageError(
      'Use: steward sampling policy NAME [--mode ask|allow|deny] [--review|--no-review] [--tools|--no-tools] [--max-tokens N] [--tokens-per-day N] [--rpm N] [--rounds N]',
    );
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    allowNegative: true,
    options: {
      mode: { type: 'string' },
      review: { type: 'boolean' },
      tools: { type: 'boolean' },
      'max-tokens': { type: 'string' },
      'tokens-per-day': { type: 'string' },
      rpm: { type: 'string' },
      rounds: { type: 'string' },
    },
  });
  const serverId = cli.serverId(one(positionals, 'server name'));
  const number = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a whole number above zero.`);
    return n;
  };
  if (values.mode !== undefined && !['ask', 'allow', 'deny'].includes(values.mode)) throw new UsageError('--mode is ask, allow or deny.');
  const budgets = {
    maxTokensPerRequest: number(values['max-tokens'], '--max-tokens'),
    tokensPerDay: number(values['tokens-per-day'], '--tokens-per-day'),
    requestsPerMinute: number(values.rpm, '--rpm'),
    roundsPerLoop: number(values.rounds, '--rounds'),
  };
  const changed = Object.fromEntries(Object.entries(budgets).filter(([, v]) => v !== undefined));
  const hasChange = values.mode !== undefined || values.review !== undefined || values.tools !== undefined || Object.keys(changed).length > 0;
  const policy = hasChange
    ? await cli.call('sampling:setPolicy', {
        serverId,
        policy: {
          ...(values.mode ? { mode: values.mode as 'ask' | 'allow' | 'deny' } : {}),
          ...(values.review !== undefined ? { reviewReplies: values.review } : {}),
          ...(values.tools !== undefined ? { allowTools: values.tools } : {}),
          ...(Object.keys(changed).length > 0 ? { budgets: changed } : {}),
        },
      })
    : await cli.call('sampling:getPolicy', { serverId });
  cli.result(policy, () =>
    [
      `Mode:     ${policy.mode === 'ask' ? 'ask every time' : policy.mode === 'allow' ? 'allow within budget' : 'deny'}`,
      `Review:   ${policy.reviewReplies ? 'replies are shown before they go back' : 'off'}`,
      `Tools:    ${policy.allowTools ? 'offered (from the next start)' : 'not offered'}`,
      `Budgets:  ${policy.budgets.maxTokensPerRequest} tokens a request, ${policy.budgets.tokensPerDay} a day, ${policy.budgets.requestsPerMinute} requests a minute, ${policy.budgets.roundsPerLoop} rounds a loop`,
    ].join('\n'),
  );
  return EXIT.ok;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('Pipe the key on stdin: steward models key < key.txt');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
