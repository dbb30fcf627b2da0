// An edit of a server's config against the stored one: secrets the front end kept (null) filled in from the store, and
// whether what would run (or be reached) changed at all.
import type { EditConfig } from '../../../shared/domain/server-edit.js';
import type { ServerConfig } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import { sameServer } from './server-headers.js';

/**
 * The full config an edit asks for. A kept (null) value must exist now, for a server of the same transport; a kept
 * header must also stay with the origin it was given for (an http address's https form counts as the same, as it does
 * when the headers are sent), or an edit of the address alone would send the stored API key to whoever the new one names.
 */
export function resolveEdit(current: ServerConfig, edit: EditConfig): ServerConfig {
  const kind = edit.transport === 'stdio' ? 'variable' : 'header';
  const stored: Record<string, string> = current.transport === 'stdio' ? current.env : current.headers;
  const given: Record<string, string | null> = edit.transport === 'stdio' ? edit.env : edit.headers;
  const moved = current.transport === 'http' && edit.transport === 'http' && !sameOrigin(current.url, edit.url);
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (value !== null) values[name] = value;
    else if (current.transport !== edit.transport || !Object.hasOwn(stored, name)) {
      throw new StewardError('invalid_payload', `The ${kind} ${name} has no stored value to keep: give it a value.`);
    } else if (moved) {
      throw new StewardError(
        'invalid_payload',
        `The header ${name} was given for ${originOf(current.url)}, and the new address is on another origin (${originOf(edit.url)}): enter its value again to send it there.`,
      );
    } else values[name] = stored[name] ?? '';
  }
  if (edit.transport === 'stdio') {
    const cwd = edit.cwd?.trim();
    return { transport: 'stdio', command: edit.command, args: edit.args, env: values, ...(cwd ? { cwd } : {}) };
  }
  return { transport: 'http', url: edit.url, headers: values };
}

function sameOrigin(from: string, to: string): boolean {
  const a = URL.parse(from);
  const b = URL.parse(to);
  return a !== null && b !== null && sameServer(a, b);
}

const originOf = (url: string) => URL.parse(url)?.origin ?? url;

function canonical(config: ServerConfig): string {
  const sorted = (record: Record<string, string>) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return config.transport === 'stdio'
    ? JSON.stringify(['stdio', config.command, config.args, sorted(config.env), config.cwd ?? ''])
    : JSON.stringify(['http', config.url, sorted(config.headers)]);
}

export function sameConfig(a: ServerConfig, b: ServerConfig): boolean {
  return canonical(a) === canonical(b);
}
