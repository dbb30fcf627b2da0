// steward install FILE.mcpb and steward bundles: a bundle shown before it is installed, its settings from --config,
// then the launch consent like any server; list, enable, disable, uninstall.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BundleConfig, BundleField, BundleView } from '../../shared/domain/bundles.js';
import { StewardError } from '../../shared/errors.js';
import { terminalSafe } from '../core/node/index.js';
import { askConsent, notUp } from './commands.js';
import { Cli, EXIT, UsageError } from './context.js';
import { serverDetail } from './format.js';
import { bundlePreviewText, bundlesTable } from './launch-format.js';

type Args = string[];

/** --config KEY=VALUE, read by the field's type; a file or folder setting that takes several may be given again. */
function configFrom(pairs: readonly string[], fields: readonly BundleField[]): BundleConfig {
  const out: BundleConfig = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new UsageError(`--config must look like KEY=VALUE (got "${pair}").`);
    const key = pair.slice(0, i);
    const raw = pair.slice(i + 1);
    const field = fields.find((f) => f.key === key);
    if (!field) throw new UsageError(`The bundle has no setting "${key}"; it has: ${fields.map((f) => f.key).join(', ') || 'none'}.`);
    if (field.type === 'boolean') out[key] = /^(true|yes|1|on)$/i.test(raw);
    else if (field.type === 'number') out[key] = Number(raw);
    else if (field.multiple) {
      const before = out[key];
      out[key] = [...(Array.isArray(before) ? before : []), resolve(raw)];
    } else out[key] = field.type === 'string' ? raw : resolve(raw);
  }
  return out;
}

export async function install(cli: Cli, args: Args): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, config: { type: 'string', multiple: true }, yes: { type: 'boolean', short: 'y' } },
  });
  const [file] = positionals;
  if (!file) throw new UsageError('Use: steward install FILE.mcpb [--name NAME] [--config KEY=VALUE]... [--yes]');
  let data: Buffer;
  try {
    data = readFileSync(resolve(file));
  } catch (error) {
    throw new StewardError('not_found', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  const preview = await cli.call('bundles:inspect', { fileName: basename(file), data: data.toString('base64') });
  cli.line(`${bundlePreviewText(preview)}\n`);
  if (preview.existing?.publisherChanged) {
    cli.note(
      "Its author or signature differs from the installed one's, so its secret settings are not kept (give them again with --config KEY=VALUE), and what you allowed the installed one (sandbox choices, networks, shown folders, roots, sampling) starts over.",
    );
  }
  const config = configFrom(values.config ?? [], preview.fields);
  const { bundle, server } = await cli.call('bundles:install', { stagingId: preview.stagingId, config, ...(values.name ? { name: values.name } : {}) });
  const what = `${terminalSafe(bundle.displayName)} ${terminalSafe(bundle.version)}`;
  cli.note(`${preview.existing ? 'Updated' : 'Installed'} ${what} as the server "${terminalSafe(server.name)}".`);
  if (!(await askConsent(cli, server.id, values.yes ? { yes: true } : {}))) return EXIT.consent;
  const view = cli.host.servers.get(server.id);
  if (view.status === 'error' || view.status === 'crashed') return notUp(cli, view);
  cli.result({ bundle, server: view }, () => serverDetail(view));
  return EXIT.ok;
}

function findBundle(list: readonly BundleView[], cli: Cli, name: string): BundleView {
  const byName = list.find((b) => b.name === name || b.displayName === name || b.id === name);
  if (byName) return byName;
  const server = cli.host.servers.resolve(name);
  const byServer = list.find((b) => b.serverId === server.id);
  if (!byServer) throw new StewardError('not_found', `"${name}" is not an installed bundle.`);
  return byServer;
}

export async function bundles(cli: Cli, args: Args): Promise<number> {
  const [verb = 'list', name] = args;
  const list = await cli.call('bundles:list', {});
  if (verb === 'list') {
    cli.result(list, () => bundlesTable(list));
    return EXIT.ok;
  }
  if (!name) throw new UsageError('Use: steward bundles [list] | enable|disable|uninstall NAME');
  const bundle = findBundle(list, cli, name);
  if (verb === 'enable' || verb === 'disable') {
    const updated = await cli.call('bundles:setEnabled', { bundleId: bundle.id, enabled: verb === 'enable' });
    cli.result(updated, () => `${terminalSafe(updated.displayName)} is ${updated.enabled ? 'enabled' : 'disabled: it does not run until you enable it'}.`);
    return EXIT.ok;
  }
  if (verb === 'uninstall') {
    const done = await cli.call('bundles:uninstall', { bundleId: bundle.id });
    cli.result(done, () => `Uninstalled ${terminalSafe(bundle.displayName)}: its server, files and settings are gone.`);
    return EXIT.ok;
  }
  throw new UsageError(`Unknown bundles command "${verb}".`);
}
