// A bundle's settings (its manifest's user_config) as form fields, the user's answers checked, and the launch derived from
// them with @anthropic-ai/mcpb — plus what the library leaves to the host: defaults seeded, ${HOME} and the other folders
// expanded inside defaults and answers, unset optional placeholders dropped, the runtime chosen, and secret answers kept
// off the command line (a command and its arguments are stored and shown in clear; only variables go to the secret store).
import { randomUUID } from 'node:crypto';
import type { getMcpConfigForManifest } from '@anthropic-ai/mcpb/node';
import type { BundleConfig, BundleField } from '../../../shared/domain/bundles.js';
import { StewardError } from '../../../shared/errors.js';
import type { Manifest } from './manifest.js';
import { loadMcpb } from './mcpb.js';

export interface SystemDirs {
  HOME: string;
  DESKTOP: string;
  DOCUMENTS: string;
  DOWNLOADS: string;
}

export interface BundleRuntime {
  /** What runs a `node` bundle: Electron's own Node in the app, this Node elsewhere. */
  command: string;
  env: Record<string, string>;
}

export interface DerivedLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The folders the user chose for directory settings: granted for writing. */
  writePaths: string[];
}

const KEY = /^[A-Za-z0-9_-]{1,100}$/;

/** `${HOME}`, `${DESKTOP}`, `${DOCUMENTS}`, `${DOWNLOADS}`, `${/}` and a leading `~` filled in. */
export function expandBuiltins(value: string, dirs: SystemDirs, sep: string): string {
  const filled = value.replace(/\$\{(HOME|DESKTOP|DOCUMENTS|DOWNLOADS|\/|pathSeparator)\}/g, (_, name: string) =>
    name === '/' || name === 'pathSeparator' ? sep : dirs[name as keyof SystemDirs],
  );
  return filled === '~' ? dirs.HOME : filled.startsWith('~/') ? `${dirs.HOME}${filled.slice(1)}` : filled;
}

function expandValue(v: BundleConfig[string], dirs: SystemDirs, sep: string): BundleConfig[string] {
  if (typeof v === 'string') return expandBuiltins(v, dirs, sep);
  if (Array.isArray(v)) return v.map((s) => expandBuiltins(s, dirs, sep));
  return v;
}

export function fieldsOf(manifest: Manifest, dirs: SystemDirs, sep: string): BundleField[] {
  return Object.entries(manifest.user_config ?? {}).map(([key, o]) => {
    if (!KEY.test(key)) throw new StewardError('bundle_invalid', `The bundle has a setting named "${key.slice(0, 100)}", which Steward cannot use.`);
    const d = o.default;
    return {
      key,
      type: o.type,
      title: o.title,
      description: o.description || null,
      required: o.required ?? false,
      sensitive: o.sensitive ?? false,
      multiple: o.multiple ?? false,
      defaultValue: d === undefined ? null : expandValue(d, dirs, sep),
      min: o.min ?? null,
      max: o.max ?? null,
    };
  });
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/** The answers with defaults seeded and folders expanded, or invalid_payload naming the first field that is wrong. */
export function checkValues(fields: readonly BundleField[], given: BundleConfig, dirs: SystemDirs, sep: string): BundleConfig {
  const out: BundleConfig = {};
  for (const unknown of Object.keys(given).filter((k) => !fields.some((f) => f.key === k))) {
    throw new StewardError('invalid_payload', `The bundle has no setting named "${unknown}".`);
  }
  for (const f of fields) {
    const raw = (Object.hasOwn(given, f.key) ? given[f.key] : undefined) ?? f.defaultValue ?? undefined;
    if (raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) {
      if (f.required) throw new StewardError('invalid_payload', `"${f.title}" is required.`);
      continue;
    }
    const value = expandValue(raw, dirs, sep);
    const wrong = (why: string) => new StewardError('invalid_payload', `"${f.title}" ${why}`);
    if (f.type === 'boolean') {
      if (typeof value !== 'boolean') throw wrong('must be true or false.');
    } else if (f.type === 'number') {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw wrong('must be a number.');
      if (f.min !== null && n < f.min) throw wrong(`must be at least ${f.min}.`);
      if (f.max !== null && n > f.max) throw wrong(`must be at most ${f.max}.`);
      out[f.key] = n;
      continue;
    } else if (f.type === 'string') {
      if (typeof value !== 'string') throw wrong('must be text.');
    } else {
      const paths = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
      if (paths.length === 0) throw wrong(`must be a ${f.type === 'file' ? 'file' : 'folder'}.`);
      if (paths.length > 1 && !f.multiple) throw wrong(`takes one ${f.type === 'file' ? 'file' : 'folder'}.`);
      const relative = paths.find((p) => !isAbsolute(p));
      if (relative !== undefined) throw wrong(`must be a full path (got "${relative}").`);
      out[f.key] = f.multiple ? paths : (paths[0] ?? '');
      continue;
    }
    out[f.key] = value;
  }
  return out;
}

const UNSET = /\$\{user_config\.[^}]*\}/;
const PLACEHOLDERS = /\$\{user_config\.([^}]*)\}/g;

export interface LaunchConfig {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The manifest's launch as this platform runs it: an override's command, args and env each replace the base's, as the library applies them. */
export function launchConfigFor(manifest: Manifest, platform: NodeJS.Platform): LaunchConfig {
  const base = manifest.server.mcp_config;
  const over = base.platform_overrides?.[platform];
  return { command: over?.command || base.command, args: over?.args ?? base.args ?? [], env: over?.env ?? base.env ?? {} };
}

/** Whether a `node` bundle's command is plain `node`, which Steward replaces with its own runtime. */
export function runsOnStewardNode(manifest: Manifest, command: string): boolean {
  return manifest.server.type === 'node' && /^node(\.exe)?$/i.test(command.split(/[\\/]/).pop() ?? command);
}

function secretOnCommandLine(field: BundleField): StewardError {
  return new StewardError(
    'bundle_invalid',
    `The secret setting "${field.title.slice(0, 100)}" (${field.key}) would be put on the bundle's command line, where it would be kept and shown in clear. ` +
      'Steward gives a server its secrets only as environment variables; the bundle would have to read this one from a variable.',
  );
}

/** Refuses a manifest that puts a secret setting into the command or arguments this platform runs. */
export function refuseSecretsOnCommandLine(manifest: Manifest, fields: readonly BundleField[], platform: NodeJS.Platform): void {
  const { command, args } = launchConfigFor(manifest, platform);
  for (const text of [command, ...args]) {
    for (const [, key] of text.matchAll(PLACEHOLDERS)) {
      const field = fields.find((f) => f.key === key);
      if (field?.sensitive) throw secretOnCommandLine(field);
    }
  }
}

/**
 * The answers with each secret replaced by a random marker, and what each marker stands for. The library substitutes one
 * setting after another, so a plain answer (or default) that names a secret one would carry the secret into an argument;
 * a marker shows where each secret lands, and its value is put in only where a variable holds it.
 */
function masked(fields: readonly BundleField[], values: BundleConfig): { given: BundleConfig; secrets: Map<string, { field: BundleField; value: string }> } {
  const secrets = new Map<string, { field: BundleField; value: string }>();
  const mark = (field: BundleField, value: string) => {
    const marker = `steward-secret-${randomUUID()}`;
    secrets.set(marker, { field, value });
    return marker;
  };
  const given: BundleConfig = {};
  for (const [key, value] of Object.entries(values)) {
    const field = fields.find((f) => f.key === key);
    given[key] = !field?.sensitive ? value : Array.isArray(value) ? value.map((v) => mark(field, v)) : mark(field, String(value));
  }
  return { given, secrets };
}

/** The launch a bundle's manifest and the checked answers give. */
export async function deriveLaunch(
  manifest: Manifest,
  bundleDir: string,
  fields: readonly BundleField[],
  values: BundleConfig,
  ctx: { dirs: SystemDirs; sep: string; platform: NodeJS.Platform; runtime: BundleRuntime },
): Promise<DerivedLaunch> {
  let config: Awaited<ReturnType<typeof getMcpConfigForManifest>>;
  const mcpb = await loadMcpb();
  const { given, secrets } = masked(fields, values);
  try {
    config = await mcpb.getMcpConfigForManifest({
      manifest,
      extensionPath: bundleDir,
      systemDirs: { ...ctx.dirs },
      userConfig: given,
      pathSeparator: ctx.sep,
    });
  } catch (error) {
    throw new StewardError('bundle_invalid', `The bundle's launch settings cannot be read (${(error as Error).message}).`);
  }
  if (!config) throw new StewardError('invalid_payload', 'A required setting of the bundle has no value.');
  // An optional setting left empty leaves its placeholder behind: that argument or variable is dropped, not passed literally.
  const args = (config.args ?? []).filter((a) => !UNSET.test(a));
  for (const text of [config.command, ...args]) {
    const leaked = [...secrets].find(([marker]) => text.includes(marker));
    if (leaked) throw secretOnCommandLine(leaked[1].field);
  }
  // Put in by splitting, not by a string replacement, which would read `$&` and the like in a secret as patterns.
  const reveal = (text: string) => [...secrets].reduce((out, [marker, { value }]) => out.split(marker).join(value), text);
  const env = Object.fromEntries(
    Object.entries(config.env ?? {})
      .filter(([, v]) => !UNSET.test(v))
      .map(([k, v]) => [k, reveal(v)]),
  );
  let command = config.command;
  if (runsOnStewardNode(manifest, command)) {
    command = ctx.runtime.command;
    Object.assign(env, ctx.runtime.env);
  }
  if (manifest.server.type === 'binary' && ctx.platform === 'win32' && !/\.exe$/i.test(command)) command = `${command}.exe`;
  const writePaths = fields
    .filter((f) => f.type === 'directory')
    .flatMap((f) => {
      const v = values[f.key];
      return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
    });
  return { command, args, env, writePaths };
}
