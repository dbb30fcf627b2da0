// steward servers edit | clone | export | remove: change a server's launch or address (what follows for consent is
// printed), copy it under a new name, write it as an mcp.json other hosts read, and remove it (asked on a terminal).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EditConfig, ServerEdit } from '../../shared/domain/server-edit.js';
import { PROTOCOL_ERA_SETTINGS, type ProtocolEraSetting, type ServerView } from '../../shared/domain/servers.js';
import { StewardError } from '../../shared/errors.js';
import { Cli, EXIT, UsageError } from './context.js';
import { serverDetail } from './format.js';

type Args = string[];

const EDIT_USAGE =
  'Use: steward servers edit NAME [--name NEW] [--cwd DIR] [--env K=V]... [--unset-env K]... [--url URL] [--header K=V]... [--unset-header K]... [--era auto|legacy|modern] [-- COMMAND [ARG...]]';

/** NAME=VALUE (or Name=value for headers) pairs into a record. */
export function pairs(list: readonly string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const i = item.indexOf('=');
    if (i <= 0) throw new UsageError(`${what} must look like NAME=VALUE (got "${item}").`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

export function isEraSetting(value: string | undefined): value is ProtocolEraSetting {
  return (PROTOCOL_ERA_SETTINGS as readonly (string | undefined)[]).includes(value);
}

/** Stored values are kept (null) unless set again or unset; the command changes only when one is given after --. */
function keptValues(names: readonly string[], set: Record<string, string>, unset: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of names) if (!unset.includes(name)) out[name] = null;
  for (const name of unset) if (!names.includes(name)) throw new UsageError(`There is no ${name} to unset.`);
  return { ...out, ...set };
}

function editedConfig(view: ServerView, values: Record<string, string | string[] | boolean | undefined>, command: readonly string[]): EditConfig | undefined {
  const list = (key: string) => (values[key] as string[] | undefined) ?? [];
  if (view.transport === 'stdio') {
    if (values.url !== undefined || values.header !== undefined || values['unset-header'] !== undefined)
      throw new UsageError('This server runs a command: --url and --header are for remote servers.');
    const touched = command.length > 0 || values.cwd !== undefined || values.env !== undefined || values['unset-env'] !== undefined;
    if (!touched) return undefined;
    const [program, ...args] = command;
    return {
      transport: 'stdio',
      command: program ?? view.command ?? '',
      args: program === undefined ? (view.args ?? []) : args,
      env: keptValues(view.envNames ?? [], pairs(list('env'), '--env'), list('unset-env')),
      // Relative folders mean "from here", as they would in the user's shell.
      ...(values.cwd !== undefined ? { cwd: resolve(values.cwd as string) } : view.cwd !== undefined ? { cwd: view.cwd } : {}),
    };
  }
  if (command.length > 0 || values.cwd !== undefined || values.env !== undefined || values['unset-env'] !== undefined)
    throw new UsageError('This is a remote server: it has a --url and --header values, not a command.');
  if (values.url === undefined && values.header === undefined && values['unset-header'] === undefined) return undefined;
  return {
    transport: 'http',
    url: (values.url as string | undefined) ?? view.url ?? '',
    headers: keptValues(view.headerNames ?? [], pairs(list('header'), '--header'), list('unset-header')),
  };
}

async function edit(cli: Cli, args: Args): Promise<number> {
  const dash = args.indexOf('--');
  const { values, positionals } = parseArgs({
    args: dash === -1 ? args : args.slice(0, dash),
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      cwd: { type: 'string' },
      env: { type: 'string', multiple: true },
      'unset-env': { type: 'string', multiple: true },
      url: { type: 'string' },
      header: { type: 'string', multiple: true },
      'unset-header': { type: 'string', multiple: true },
      era: { type: 'string' },
    },
  });
  const [target] = positionals;
  if (!target || positionals.length > 1) throw new UsageError(EDIT_USAGE);
  if (values.era !== undefined && !isEraSetting(values.era)) throw new UsageError('--era takes auto, legacy or modern.');
  const serverId = cli.serverId(target);
  const view = await cli.call('servers:get', { serverId });
  const config = editedConfig(view, values, dash === -1 ? [] : args.slice(dash + 1));
  const change: ServerEdit = {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(config ? { config } : {}),
    ...(isEraSetting(values.era) ? { protocolEra: values.era } : {}),
  };
  if (Object.keys(change).length === 0) throw new UsageError(EDIT_USAGE);
  const outcome = await cli.call('servers:edit', { serverId, ...change });
  const next = outcome.launch === 'consent' ? `\nReview and approve it with: steward consent approve "${outcome.server.name}"` : '';
  cli.result(outcome, () => `${serverDetail(outcome.server)}\n\n${outcome.message}${next}`);
  return outcome.launch === 'refused' ? EXIT.failed : EXIT.ok;
}

async function clone(cli: Cli, args: Args): Promise<number> {
  const [from, name] = args;
  if (!from || !name || args.length !== 2) throw new UsageError('Use: steward servers clone NAME NEW-NAME');
  const view = await cli.call('servers:clone', { serverId: cli.serverId(from), name });
  cli.result(
    view,
    () => `Cloned "${from}" as "${view.name}".${view.transport === 'stdio' ? ` It needs its own consent: steward consent approve "${view.name}"` : ''}`,
  );
  return EXIT.ok;
}

async function exportServers(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
  if (positionals.length > 1) throw new UsageError('Use: steward servers export [NAME] [--out FILE]');
  const [name] = positionals;
  const result = await cli.call('servers:export', name ? { serverId: cli.serverId(name) } : {});
  if (values.out !== undefined) {
    try {
      writeFileSync(resolve(values.out), result.text, { mode: 0o600 });
    } catch (error) {
      throw new StewardError('not_allowed', `Cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
    cli.result(result, () => `Wrote ${result.servers} server(s) to ${values.out ?? ''}.`);
  } else if (cli.json) cli.result(result, () => '');
  else cli.raw(result.text);
  // The note goes to stderr, so `steward servers export > mcp.json` keeps the file clean.
  if (result.placeholders.length > 0 && !cli.json) {
    cli.note(
      [
        `Secrets are not exported: ${result.placeholders.length} value(s) are placeholders to fill in:`,
        ...result.placeholders.map((p) => `  ${p.server}: ${p.kind === 'env' ? 'variable' : 'header'} ${p.name} = ${p.placeholder}`),
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

async function remove(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { yes: { type: 'boolean', short: 'y' } } });
  const [name] = positionals;
  if (!name || positionals.length > 1) throw new UsageError('Use: steward servers remove NAME [--yes]');
  const serverId = cli.serverId(name);
  // A person at a terminal is asked; a script (no terminal) removes as told, as before.
  if (
    !values.yes &&
    cli.interactive &&
    !(await cli.confirm(`Remove "${name}"? It is stopped, and its settings, approvals and stored secrets are forgotten.`))
  ) {
    cli.line('Kept.');
    return EXIT.failed;
  }
  const result = await cli.call('servers:remove', { serverId });
  cli.result(result, () => 'Removed.');
  return EXIT.ok;
}

export const serverEditCommands = { edit, clone, export: exportServers, remove } as const;
