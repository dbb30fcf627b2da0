// The steward commands: servers, consent, tools, call, logs, audit.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ServerView } from '../../shared/domain/servers.js';
import { StewardError } from '../../shared/errors.js';
import { terminalSafe } from '../core/node/index.js';
import { Cli, EXIT, UsageError } from './context.js';
import { auditText, callText, logText, serverDetail, serversTable, toolsTable } from './format.js';
import { consentText, failureText, grantText, upgradeText } from './launch-format.js';
import { isEraSetting, pairs, serverEditCommands } from './server-edit-commands.js';

type Args = string[];

function one(positionals: string[], what: string): string {
  const [value] = positionals;
  if (!value) throw new UsageError(`Missing ${what}.`);
  return value;
}

export async function servers(cli: Cli, args: Args): Promise<number> {
  const [verb = 'list', ...rest] = args;
  switch (verb) {
    case 'list': {
      const list = await cli.call('servers:list', {});
      cli.result(list, () => serversTable(list));
      return EXIT.ok;
    }
    case 'show': {
      const view = await cli.call('servers:get', { serverId: cli.serverId(one(rest, 'server name')) });
      cli.result(view, () => serverDetail(view));
      return EXIT.ok;
    }
    case 'add':
      return add(cli, rest);
    case 'import': {
      const file = one(rest, 'file to import');
      let text: string;
      try {
        text = readFileSync(resolve(file), 'utf8');
      } catch (error) {
        throw new StewardError('import_failed', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
      }
      const report = await cli.call('servers:import', { text, fileName: basename(file) });
      cli.result(report, () =>
        [
          `Imported ${report.added.length} server(s) from ${file} (${report.format}). Each needs your consent before it runs.`,
          // A skipped entry's name is whatever the file says, line breaks included: each stays on its own line.
          ...report.added.map((s) => `  + ${terminalSafe(s.name)}`),
          ...report.skipped.map((s) => `  - ${terminalSafe(s.name)}: ${terminalSafe(s.reason)} [${terminalSafe(s.code)}]`),
        ].join('\n'),
      );
      return EXIT.ok;
    }
    case 'remove':
    case 'edit':
    case 'clone':
    case 'export':
      return serverEditCommands[verb](cli, rest);
    case 'start':
      return start(cli, rest);
    case 'stop': {
      const serverId = cli.serverId(one(rest, 'server name'));
      // Other processes running it are asked to stop it (they own their sessions); the list before says which.
      const elsewhere = (await cli.call('servers:get', { serverId })).elsewhere ?? [];
      const view = await cli.call('servers:stop', { serverId });
      cli.result(view, () =>
        [serverDetail(view), ...elsewhere.map((o) => `Stopped it in the Steward ${o.kind === 'cli' ? 'command' : o.kind} (pid ${o.pid}) as well.`)].join('\n'),
      );
      return EXIT.ok;
    }
    case 'logs':
      return logs(cli, rest);
    case 'grant':
    case 'revoke':
      return grant(cli, verb, rest);
    case 'era': {
      const [name, mode] = rest;
      if (!name || !isEraSetting(mode) || rest.length !== 2) throw new UsageError('Use: steward servers era NAME auto|legacy|modern');
      const view = await cli.call('servers:update', { serverId: cli.serverId(name), options: { protocolEra: mode } });
      cli.result(view, () => serverDetail(view));
      return EXIT.ok;
    }
    case 'upgrade': {
      const result = await cli.call('servers:upgrade', { serverId: cli.serverId(one(rest, 'server name')) });
      cli.result(result, () => upgradeText(result.server, result.changes));
      return EXIT.ok;
    }
    default:
      throw new UsageError(`Unknown servers command "${verb}".`);
  }
}

async function add(cli: Cli, args: Args): Promise<number> {
  const dash = args.indexOf('--');
  const own = dash === -1 ? args : args.slice(0, dash);
  const command = dash === -1 ? [] : args.slice(dash + 1);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      header: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      cwd: { type: 'string' },
      'no-sandbox': { type: 'boolean' },
      'allow-write': { type: 'string', multiple: true },
      'allow-read': { type: 'string', multiple: true },
      'allow-domain': { type: 'string', multiple: true },
      lazy: { type: 'boolean' },
      'idle-stop': { type: 'string' },
      era: { type: 'string' },
      'command-line': { type: 'string' },
    },
  });
  const name = one(positionals, 'server name');
  if (values['command-line'] !== undefined) {
    if (command.length > 0 || values.url) throw new UsageError('Give the command either after -- or as --command-line, not both, and no --url.');
    // Read without a shell, as the add dialog does: leading NAME=VALUE words become variables.
    const parsed = await cli.call('servers:parseCommand', { text: values['command-line'] });
    command.push(parsed.command, ...parsed.args);
    values.env = [...Object.entries(parsed.env).map(([k, v]) => `${k}=${v}`), ...(values.env ?? [])];
  }
  if (values.era !== undefined && !isEraSetting(values.era)) throw new UsageError('--era takes auto, legacy or modern.');
  if (values.url && command.length > 0) throw new UsageError('Give either --url or a command after --, not both.');
  const [program, ...programArgs] = command;
  if (!values.url && program === undefined) throw new UsageError('Give a command after -- (steward servers add NAME -- npx -y pkg@1.0.0) or --url URL.');
  const config = values.url
    ? { transport: 'http' as const, url: values.url, headers: pairs(values.header, '--header') }
    : // Relative paths in the command mean "from here", as they would in the user's shell.
      { transport: 'stdio' as const, command: program ?? '', args: programArgs, env: pairs(values.env, '--env'), cwd: resolve(values.cwd ?? '.') };
  const idle = values['idle-stop'] === undefined ? undefined : Number(values['idle-stop']);
  if (idle !== undefined && !Number.isInteger(idle)) throw new UsageError('--idle-stop takes whole minutes.');
  const view = await cli.call('servers:add', {
    name,
    config,
    sandbox: {
      enabled: !values['no-sandbox'],
      writePaths: (values['allow-write'] ?? []).map((p) => resolve(p)),
      readPaths: (values['allow-read'] ?? []).map((p) => resolve(p)),
      allowedDomains: values['allow-domain'] ?? [],
    },
    options: { lazyStart: values.lazy ?? false, idleStopMinutes: idle ?? null, ...(values.era ? { protocolEra: values.era } : {}) },
  });
  cli.result(view, () => `Added "${view.name}". ${view.transport === 'stdio' ? `Review and approve it with: steward consent approve "${view.name}"` : ''}`);
  return EXIT.ok;
}

/** `steward servers grant|revoke NAME --allow-domain D --allow-write DIR --allow-read DIR`. */
async function grant(cli: Cli, verb: 'grant' | 'revoke', args: Args): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'allow-domain': { type: 'string', multiple: true },
      'allow-write': { type: 'string', multiple: true },
      'allow-read': { type: 'string', multiple: true },
    },
  });
  const serverId = cli.serverId(one(positionals, 'server name'));
  const change = {
    ...(values['allow-domain'] ? { allowDomains: values['allow-domain'] } : {}),
    // Relative folders mean "from here", as they would in the user's shell.
    ...(values['allow-write'] ? { allowWrite: values['allow-write'].map((p) => resolve(p)) } : {}),
    ...(values['allow-read'] ? { allowRead: values['allow-read'].map((p) => resolve(p)) } : {}),
  };
  if (Object.keys(change).length === 0)
    throw new UsageError(`Use: steward servers ${verb} NAME [--allow-domain DOMAIN] [--allow-write DIR] [--allow-read DIR]`);
  const view = await cli.call(verb === 'grant' ? 'servers:grant' : 'servers:revoke', { serverId, ...change });
  cli.result(view, () => grantText(view, verb));
  return EXIT.ok;
}

/** A server that did not come up: its failure, the evidence and the fix, and a non-zero exit. */
export function notUp(cli: Cli, view: ServerView): number {
  cli.result(view, () => `${serverDetail(view)}${view.lastError ? `\n\n${failureText(view.lastError)}` : ''}`);
  return EXIT.failed;
}

async function start(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { check: { type: 'boolean' } } });
  const serverId = cli.serverId(one(positionals, 'server name'));
  let view = await cli.call('servers:start', { serverId });
  if (view.status === 'awaiting_consent') {
    if (!(await askConsent(cli, serverId))) return EXIT.consent;
    view = cli.host.servers.get(serverId);
  }
  if (view.status !== 'running') return notUp(cli, view);
  if (values.check) {
    const tools = await cli.call('tools:list', { serverId });
    await cli.call('servers:stop', { serverId });
    cli.result({ server: view, tools }, () => `${serverDetail(view)}\n\n${toolsTable(tools)}`);
    return EXIT.ok;
  }
  cli.line(`${serverDetail(view)}\n\nRunning in the foreground; Ctrl+C stops it. Log:`);
  const off = cli.host.events.on('logs:changed', (e) => {
    if (e.serverId === serverId) cli.line(logText(e.lines));
  });
  await new Promise<void>((done) => {
    void (cli.interrupts?.next() ?? new Promise(() => undefined)).then(() => done());
    cli.host.events.on('servers:changed', (s) => {
      if (s.id === serverId && (s.status === 'crashed' || s.status === 'stopped')) done();
    });
  });
  off();
  await cli.call('servers:stop', { serverId });
  return EXIT.ok;
}

async function logs(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { limit: { type: 'string', default: '100' }, follow: { type: 'boolean', short: 'f' } },
  });
  const serverId = cli.serverId(one(positionals, 'server name'));
  const page = await cli.call('servers:logs', { serverId, limit: Number(values.limit) });
  const lines = page.reverse();
  cli.result(lines, () => logText(lines));
  if (!values.follow) return EXIT.ok;
  let last = lines.at(-1)?.id ?? 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const fresh = cli.host.store.logs
      .page(serverId, 1000)
      .filter((l) => l.id > last)
      .reverse();
    const newest = fresh.at(-1);
    if (!newest) continue;
    last = newest.id;
    cli.result(fresh, () => logText(fresh));
  }
}

/** Shows the full consent request; on a terminal asks, otherwise needs --yes. */
export async function askConsent(cli: Cli, serverId: string, opts: { yes?: boolean; hash?: string } = {}): Promise<boolean> {
  const request = await cli.call('consent:get', { serverId });
  if (request.state === 'approved') return true;
  if (opts.hash && opts.hash !== request.spec.hash) {
    throw new StewardError('consent_mismatch', `The launch changed: its hash is now ${request.spec.hash}. Review it with "steward consent show".`);
  }
  let yes = opts.yes === true;
  if (!yes && cli.interactive) {
    cli.line(`${consentText(request)}\n`);
    yes = await cli.confirm('Allow this server to run this command?');
  }
  if (!yes) {
    if (!cli.interactive)
      cli.note(`"${request.serverName}" needs your approval. Review it with: steward consent show "${request.serverName}", then approve with --yes.`);
    return false;
  }
  await cli.call('consent:decide', { serverId, hash: request.spec.hash, decision: 'approve' });
  return true;
}

export async function consent(cli: Cli, args: Args): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { yes: { type: 'boolean', short: 'y' }, hash: { type: 'string' } },
  });
  const serverId = cli.serverId(one(positionals, 'server name'));
  if (verb === 'show') {
    const request = await cli.call('consent:get', { serverId });
    cli.result(request, () => `${consentText(request)}\n\nState: ${request.state}`);
    return EXIT.ok;
  }
  if (verb === 'approve') {
    const approved = await askConsent(cli, serverId, { ...(values.yes ? { yes: true } : {}), ...(values.hash ? { hash: values.hash } : {}) });
    if (!approved) return EXIT.consent;
    const view = cli.host.servers.get(serverId);
    // Approving starts the server; one that does not come up is a failure, whatever the consent.
    if (view.status === 'error' || view.status === 'crashed') return notUp(cli, view);
    cli.result(view, () => `Approved. ${serverDetail(view)}`);
    return EXIT.ok;
  }
  if (verb === 'deny') {
    const request = await cli.call('consent:get', { serverId });
    const view = await cli.call('consent:decide', { serverId, hash: request.spec.hash, decision: 'deny' });
    cli.result(view, () => `Refused. "${view.name}" will not run this command.`);
    return EXIT.ok;
  }
  throw new UsageError('Use: steward consent show|approve|deny NAME [--yes] [--hash HASH]');
}

export async function ensureConsent(cli: Cli, serverId: string): Promise<boolean> {
  const view = cli.host.servers.get(serverId);
  if (view.transport !== 'stdio') return true;
  return askConsent(cli, serverId);
}

export async function tools(cli: Cli, args: Args): Promise<number> {
  const serverId = cli.serverId(one(args, 'server name'));
  if (!(await ensureConsent(cli, serverId))) return EXIT.consent;
  const list = await cli.call('tools:list', { serverId });
  cli.result(list, () => toolsTable(list));
  return EXIT.ok;
}

export async function call(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { args: { type: 'string', default: '{}' }, timeout: { type: 'string' }, task: { type: 'boolean' } },
  });
  const [server, tool] = positionals;
  if (!server || !tool) throw new UsageError('Use: steward call SERVER TOOL [--args JSON] [--timeout SECONDS] [--task]');
  let parsed: unknown;
  try {
    parsed = JSON.parse(values.args);
  } catch (error) {
    throw new UsageError(`--args is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--args must be a JSON object.');
  const serverId = cli.serverId(server);
  if (!(await ensureConsent(cli, serverId))) return EXIT.consent;
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  // A call that runs as a task can take minutes: its status changes go to stderr as they come.
  let last = '';
  let taskId: string | undefined;
  const off = cli.host.events.on('tasks:changed', (t) => {
    taskId ??= t.id;
    const line = `task ${t.id}: ${t.status}${t.statusMessage ? ` — ${terminalSafe(t.statusMessage)}` : ''}`;
    if (line !== last && !cli.json) cli.note(line);
    last = line;
  });
  const callId = randomUUID();
  let cancelling: Promise<string> | undefined;
  // Ctrl+C cancels at the server: tasks/cancel for a task, notifications/cancelled for a plain call.
  const cancel = () => {
    cancelling = (async () => {
      if (taskId) {
        const view = await cli.call('tasks:cancel', { taskId });
        return `task ${taskId} is ${view.status} at the server (tasks/cancel)`;
      }
      await cli.call('tools:cancel', { callId });
      return 'the server was told (notifications/cancelled)';
    })();
    return cancelling.then(() => undefined);
  };
  const run = () =>
    cli.call('tools:call', {
      serverId,
      name: tool,
      arguments: parsed as Record<string, unknown>,
      callId,
      ...(values.task ? { asTask: true } : {}),
      ...(timeout !== undefined && Number.isFinite(timeout) ? { timeoutSeconds: Math.max(1, Math.round(timeout)) } : {}),
    });
  let result;
  try {
    result = await (cli.interrupts ? cli.interrupts.during(cancel, run) : run());
  } catch (error) {
    if (!cli.interrupts?.interrupted) throw error;
    const how = await cancelling?.catch(() => undefined);
    cli.note(how ? `steward: cancelled "${tool}" on "${server}": ${how}.` : `steward: stopped waiting for "${tool}" on "${server}".`);
    return EXIT.interrupted;
  } finally {
    off();
  }
  cli.result(result, () => callText(result));
  return result.isError ? EXIT.toolError : EXIT.ok;
}

export async function audit(cli: Cli, args: Args): Promise<number> {
  const { values } = parseArgs({ args, options: { limit: { type: 'string', default: '50' }, server: { type: 'string' }, export: { type: 'boolean' } } });
  if (values.export) {
    // JSON lines on stdout, oldest first, whatever --json says: that is the export format. Page by page, as it comes.
    const filter = values.server ? { serverId: cli.serverId(values.server) } : {};
    for (let afterId: number | null = 0; afterId !== null;) {
      const page: { jsonl: string; next: number | null } = await cli.call('audit:export', { ...filter, afterId });
      cli.raw(page.jsonl);
      afterId = page.next;
    }
    return EXIT.ok;
  }
  const events = await cli.call('audit:list', {
    limit: Number(values.limit),
    ...(values.server ? { serverId: cli.serverId(values.server) } : {}),
  });
  cli.result(events, () => auditText(events));
  return EXIT.ok;
}
