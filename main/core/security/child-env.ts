// The environment a server process gets: a small safe set from the host plus exactly what its config names.
import { pathApi, type Platform } from './platform-paths.js';

/** Where the host's trusted certificate authorities are (a company proxy's CA): downloads and servers must trust the same. */
const TRUST = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE'];

/** The same safe defaults the MCP SDK inherits, per platform, plus the host's trust settings. */
const SAFE_POSIX = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'LC_ALL', 'TZ', ...TRUST];
const SAFE_WINDOWS = [
  'APPDATA',
  'COMSPEC',
  'HOMEDRIVE',
  'HOMEPATH',
  'LOCALAPPDATA',
  'PATH',
  'PATHEXT',
  'PROCESSOR_ARCHITECTURE',
  'PROGRAMDATA',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'PROGRAMW6432',
  'SYSTEMDRIVE',
  'SYSTEMROOT',
  'TEMP',
  'USERNAME',
  'USERPROFILE',
  'WINDIR',
  ...TRUST,
];

/** Names a server config may not set: Steward's own variables. */
export const RESERVED_ENV_PREFIXES = ['STEWARD_'];

export function isReservedEnvName(name: string): boolean {
  return RESERVED_ENV_PREFIXES.some((prefix) => name.toUpperCase().startsWith(prefix));
}

export interface ChildEnvInput {
  platform: Platform;
  hostEnv: Readonly<Record<string, string | undefined>>;
  configEnv: Readonly<Record<string, string>>;
  /** Folders that must be on PATH (the resolved command's own folder, so `#!/usr/bin/env node` works). */
  extraPathDirs: readonly string[];
}

export function buildChildEnv(input: ChildEnvInput): Record<string, string> {
  const names = input.platform === 'win32' ? SAFE_WINDOWS : SAFE_POSIX;
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = lookup(input.hostEnv, name, input.platform);
    // Bash exported functions start with "()": never pass them on.
    if (value === undefined || value.startsWith('()')) continue;
    env[name] = value;
  }
  for (const [name, value] of Object.entries(input.configEnv)) {
    if (isReservedEnvName(name)) continue;
    env[name] = value;
  }
  // A PATH from the config replaces the host's, but the command's own folder always leads it.
  const sep = input.platform === 'win32' ? ';' : ':';
  const pathParts = (env.PATH ?? '').split(sep).filter(Boolean);
  for (const dir of [...input.extraPathDirs].reverse()) {
    if (!pathParts.includes(dir)) pathParts.unshift(dir);
  }
  if (pathParts.length > 0) env.PATH = pathParts.join(sep);
  return env;
}

function lookup(env: Readonly<Record<string, string | undefined>>, name: string, platform: Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

export function dirOf(file: string, platform: Platform): string {
  return pathApi(platform).dirname(file);
}
