// steward prompts|prompt|resources|read|complete|watch|log-level|calls: a server's prompts, resources and call history
// from the terminal.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CompletionRef, ResourceContent } from '../../shared/domain/mcp.js';
import { LogLevelSchema } from '../../shared/domain/workbench.js';
import { terminalSafe } from '../core/node/index.js';
import { EXIT, UsageError, type Cli } from './context.js';
import { table } from './format.js';
import { ensureConsent } from './commands.js';

type Args = string[];

/** key=value pairs given as repeated options; a key without "=" is a usage error, never guessed. */
export function pairs(values: string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`${option} takes NAME=VALUE, not "${item}".`);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

async function running(cli: Cli, name: string | undefined, usage: string): Promise<string | null> {
  if (!name) throw new UsageError(usage);
  const serverId = cli.serverId(name);
  return (await ensureConsent(cli, serverId)) ? serverId : null;
}

// Cursors, addresses, types and suggestions are single values from the server: each shown on one line of its own.
const more = (next: string | undefined) => (next ? `\n\nMore: --cursor ${terminalSafe(next)}` : '');

export async function prompts(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { cursor: { type: 'string' } } });
  const serverId = await running(cli, positionals[0], 'Use: steward prompts SERVER [--cursor C]');
  if (!serverId) return EXIT.consent;
  const page = await cli.call('prompts:list', { serverId, ...(values.cursor ? { cursor: values.cursor } : {}) });
  cli.result(page, () =>
    page.items.length === 0
      ? 'The server offers no prompts.'
      : table([
          ['PROMPT', 'ARGUMENTS', 'DESCRIPTION'],
          ...page.items.map((p) => [p.name, p.arguments.map((a) => (a.required ? `${a.name}*` : a.name)).join(', '), p.description ?? '']),
        ]) + more(page.nextCursor),
  );
  return EXIT.ok;
}

export async function prompt(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { arg: { type: 'string', multiple: true } } });
  const usage = 'Use: steward prompt SERVER PROMPT [--arg NAME=VALUE]...';
  if (!positionals[1]) throw new UsageError(usage);
  const serverId = await running(cli, positionals[0], usage);
  if (!serverId) return EXIT.consent;
  const result = await cli.call('prompts:get', { serverId, name: positionals[1], arguments: pairs(values.arg, '--arg') });
  cli.result(result, () =>
    [
      ...(result.description ? [result.description, ''] : []),
      ...result.messages.map((m) => `${m.role}: ${typeof m.content.text === 'string' ? m.content.text : JSON.stringify(m.content)}`),
    ].join('\n'),
  );
  return EXIT.ok;
}

export async function resources(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { cursor: { type: 'string' }, templates: { type: 'boolean' } },
  });
  const serverId = await running(cli, positionals[0], 'Use: steward resources SERVER [--templates] [--cursor C]');
  if (!serverId) return EXIT.consent;
  const input = { serverId, ...(values.cursor ? { cursor: values.cursor } : {}) };
  if (values.templates) {
    const page = await cli.call('resources:templates', input);
    cli.result(page, () =>
      page.items.length === 0
        ? 'The server offers no resource templates.'
        : table([['TEMPLATE', 'NAME', 'TYPE'], ...page.items.map((r) => [r.uriTemplate, r.name, r.mimeType ?? ''])]) + more(page.nextCursor),
    );
    return EXIT.ok;
  }
  const page = await cli.call('resources:list', input);
  cli.result(page, () =>
    page.items.length === 0
      ? 'The server offers no resources.'
      : table([['URI', 'NAME', 'TYPE'], ...page.items.map((r) => [r.uri, r.name, r.mimeType ?? ''])]) + more(page.nextCursor),
  );
  return EXIT.ok;
}

function contentText(part: ResourceContent): string {
  if (part.text !== undefined) return part.text;
  const bytes = Buffer.from(part.blob ?? '', 'base64').length;
  return `(${bytes} bytes of ${terminalSafe(part.mimeType ?? 'binary data')}; save them with --out FILE)`;
}

export async function read(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string', short: 'o' } } });
  const usage = 'Use: steward read SERVER URI [--out FILE]';
  if (!positionals[1]) throw new UsageError(usage);
  const serverId = await running(cli, positionals[0], usage);
  if (!serverId) return EXIT.consent;
  const { contents } = await cli.call('resources:read', { serverId, uri: positionals[1] });
  if (values.out) {
    const first = contents[0];
    if (!first) throw new UsageError('The resource has no contents to save.');
    writeFileSync(values.out, first.blob !== undefined ? Buffer.from(first.blob, 'base64') : (first.text ?? ''));
    cli.result({ saved: values.out, uri: first.uri }, () => `Saved ${terminalSafe(first.uri)} to ${values.out}.`);
    return EXIT.ok;
  }
  cli.result({ contents }, () => contents.map(contentText).join('\n\n'));
  return EXIT.ok;
}

export async function complete(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { prompt: { type: 'string' }, template: { type: 'string' }, context: { type: 'string', multiple: true } },
  });
  const usage = 'Use: steward complete SERVER (--prompt NAME | --template URI-TEMPLATE) ARGUMENT [VALUE] [--context NAME=VALUE]...';
  if (!positionals[1] || (values.prompt === undefined) === (values.template === undefined)) throw new UsageError(usage);
  const serverId = await running(cli, positionals[0], usage);
  if (!serverId) return EXIT.consent;
  const ref: CompletionRef = values.prompt !== undefined ? { type: 'ref/prompt', name: values.prompt } : { type: 'ref/resource', uri: values.template ?? '' };
  const result = await cli.call('completion:complete', {
    serverId,
    ref,
    argument: { name: positionals[1], value: positionals[2] ?? '' },
    context: pairs(values.context, '--context'),
  });
  cli.result(result, () =>
    result.values.length === 0 ? 'No suggestions.' : result.values.map((v) => terminalSafe(v)).join('\n') + (result.hasMore ? '\n…' : ''),
  );
  return EXIT.ok;
}

/** Subscribes and prints each update as it comes, until Ctrl+C (or the server stops). */
export async function watch(cli: Cli, args: Args): Promise<number> {
  const usage = 'Use: steward watch SERVER URI';
  if (!args[1]) throw new UsageError(usage);
  const serverId = await running(cli, args[0], usage);
  if (!serverId) return EXIT.consent;
  const uri = args[1];
  // Listening before subscribing: a server may announce an update right after it answers.
  const offUpdate = cli.host.events.on('resources:updated', (e) => {
    if (e.serverId === serverId && e.uri === uri)
      cli.result({ updated: uri, at: new Date().toISOString() }, () => `${new Date().toISOString()} updated ${uri}`);
  });
  await cli.call('resources:subscribe', { serverId, uri });
  cli.note(`Watching ${uri}; Ctrl+C stops.`);
  await new Promise<void>((done) => {
    void (cli.interrupts?.next() ?? new Promise(() => undefined)).then(() => done());
    cli.host.events.on('servers:changed', (s) => {
      if (s.id === serverId && s.status !== 'running') done();
    });
  });
  offUpdate();
  await cli.call('resources:unsubscribe', { serverId, uri }).catch(() => undefined);
  return EXIT.ok;
}

export async function logLevel(cli: Cli, args: Args): Promise<number> {
  const usage = `Use: steward log-level SERVER LEVEL (${LogLevelSchema.options.join('|')})`;
  const level = LogLevelSchema.safeParse(args[1]);
  if (!level.success) throw new UsageError(usage);
  const serverId = await running(cli, args[0], usage);
  if (!serverId) return EXIT.consent;
  await cli.call('servers:setLogLevel', { serverId, level: level.data });
  cli.result({ level: level.data }, () => `The server now sends log messages of level ${level.data} and above.`);
  return EXIT.ok;
}

export async function calls(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { tool: { type: 'string' }, limit: { type: 'string' } } });
  if (!positionals[0]) throw new UsageError('Use: steward calls SERVER [--tool TOOL] [--limit N]');
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new UsageError('--limit takes a whole number from 1 to 200.');
  // The history is on record: reading it needs neither consent nor a running server.
  const serverId = cli.serverId(positionals[0]);
  const history = await cli.call('tools:history', { serverId, limit, ...(values.tool ? { tool: values.tool } : {}) });
  cli.result(history, () =>
    history.length === 0
      ? 'No calls on record.'
      : table([
          ['AT', 'TOOL', 'OUTCOME', 'MS', 'TASK', 'ARGUMENTS'],
          ...history.map((c) => [
            c.at,
            c.tool,
            c.error ? `${c.error.code}: ${c.error.message}` : c.result?.isError ? 'tool error' : 'ok',
            String(Math.round(c.durationMs)),
            c.asTask ? 'yes' : 'no',
            c.arguments ? JSON.stringify(c.arguments).slice(0, 80) : '(too large to keep)',
          ]),
        ]),
  );
  return EXIT.ok;
}
