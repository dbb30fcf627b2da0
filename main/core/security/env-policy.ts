// Environment values in a launch: which variables steer what code a loader picks (flagged on the consent screen),
// how a value is shown without its secrets, and the salted digest the consent hash and record keep instead of the value.
import { createHash } from 'node:crypto';
import type { FlaggedEnv } from '../../../shared/domain/servers.js';

const EXACT: Readonly<Record<string, string>> = {
  PATH: 'picks which programs and interpreters run',
  HOME: 'moves where programs read their settings, caches and user packages from',
  NODE_OPTIONS: 'adds code Node.js loads before the server',
  NODE_PATH: 'changes where Node.js finds modules',
  GCONV_PATH: 'makes the C library load other character-set modules',
  LOCPATH: 'makes the C library load other locale data',
  HOSTALIASES: 'changes how host names resolve',
  BASH_ENV: 'runs a script before any bash script',
  ENV: 'runs a script when a shell starts',
  PROMPT_COMMAND: 'runs a command in interactive shells',
  PERL5OPT: 'adds options to every Perl run',
  PERL5LIB: 'changes where Perl finds modules',
  RUBYOPT: 'adds options to every Ruby run',
  RUBYLIB: 'changes where Ruby finds libraries',
  JAVA_TOOL_OPTIONS: 'adds agents and options to every Java run',
  _JAVA_OPTIONS: 'adds options to every Java run',
  JDK_JAVA_OPTIONS: 'adds options to every java launcher run',
  CLASSPATH: 'changes where Java finds classes',
  SHELLOPTS: 'turns on bash options, such as tracing, in every bash script',
  PS4: 'runs commands when bash traces a script',
  PHPRC: 'makes PHP read another php.ini, which can load extensions and prepend scripts',
  GEM_PATH: 'changes where Ruby finds gems',
  GEM_HOME: 'changes where Ruby installs and finds gems',
  GIT_SSH: 'runs another program for git over SSH',
  GIT_SSH_COMMAND: 'runs another command for git over SSH',
  GIT_ASKPASS: 'runs another program when git asks for a password',
  GIT_PROXY_COMMAND: 'runs a command for every git:// connection',
  GIT_EXEC_PATH: 'makes git run other helper programs',
  GIT_CONFIG_GLOBAL: 'makes git read other settings',
  XDG_CONFIG_HOME: 'moves where programs read their settings from',
  XDG_DATA_HOME: 'moves where programs read installed data from',
  BUN_INSTALL: 'moves where Bun installs packages from',
  DENO_DIR: 'moves where Deno caches modules from',
  GOFLAGS: 'changes how Go builds and fetches code',
  TMPDIR: 'moves the temp folder programs load and write files in',
  SSL_CERT_FILE: 'changes which certificate authorities are trusted',
  NODE_EXTRA_CA_CERTS: 'adds certificate authorities Node.js trusts',
  REQUESTS_CA_BUNDLE: 'changes which certificate authorities Python trusts',
};

const PREFIXES: ReadonlyArray<readonly [prefix: string, why: string]> = [
  ['LD_', 'makes the dynamic linker load other libraries'],
  ['DYLD_', 'makes the macOS loader load other libraries'],
  ['PYTHON', 'changes what Python loads at start-up'],
  ['PIP_', 'changes where pip installs packages from'],
  ['UV_', 'changes where uv installs packages and Python from'],
  ['PIPX_', 'changes where pipx installs packages from'],
  ['NPM_CONFIG_', 'changes where npm installs packages from and what it runs'],
  ['YARN_', 'changes where Yarn installs packages from'],
  ['PNPM_', 'changes where pnpm installs packages from'],
  ['CONDA', 'changes which Python environment runs'],
  ['VIRTUAL_ENV', 'changes which Python environment runs'],
  ['DOCKER_', 'changes which container engine and settings run'],
  ['CONTAINER_', 'changes which container engine and settings run'],
  ['GIT_CONFIG', 'makes git read other settings'],
  // LUA_INIT_5_4 and the like: each Lua version reads its own before LUA_INIT.
  ['LUA_INIT', 'runs code before every Lua script'],
];

/**
 * Why a variable steers loading, or undefined for an ordinary variable. Names are compared in upper case: Windows reads
 * `node_options` as NODE_OPTIONS and some tools read lower-case names anywhere (npm_config_*); flagging a lower-case
 * name on a system that ignores it only shows one value more.
 */
export function loaderReason(name: string): string | undefined {
  const upper = name.toUpperCase();
  if (Object.hasOwn(EXACT, upper)) return EXACT[upper];
  for (const [prefix, why] of PREFIXES) if (upper.startsWith(prefix)) return why;
  return undefined;
}

/** The value as the consent screen shows it: credentials inside URLs masked, the rest whole. */
export function shownValue(value: string): string {
  return value.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/gi, (_, scheme: string) => `${scheme}***@`);
}

/** A digest of one value, salted with the server and the name, so equal values elsewhere do not match and it is no lookup key. */
export function envDigest(serverKey: string, name: string, value: string): string {
  return createHash('sha256').update(`steward-env\0${serverKey}\0${name}\0${value}`).digest('hex');
}

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH/i;

export function flaggedEnv(env: Readonly<Record<string, string>>): FlaggedEnv[] {
  const out: FlaggedEnv[] = [];
  for (const name of Object.keys(env).sort()) {
    const why = loaderReason(name);
    if (!why) continue;
    out.push({ name, shown: SECRET_NAME.test(name) ? '(not shown: the name says it is a secret)' : shownValue(env[name] ?? ''), why });
  }
  return out;
}
