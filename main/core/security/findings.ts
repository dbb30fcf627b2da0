// Dangerous-pattern findings shown in the consent request: what in this launch deserves a second look.
import type { RunnerPlan } from '../../../shared/domain/launch.js';
import type { FlaggedEnv, Finding, SandboxPlan } from '../../../shared/domain/servers.js';
import { containerFindings } from './container-findings.js';
import type { HiddenLocation } from './hidden-paths.js';
import { pathApi, type Platform } from './platform-paths.js';
import type { RunnerInvocation } from './runners.js';

export interface FindingsInput {
  command: string;
  args: readonly string[];
  flaggedEnv: readonly FlaggedEnv[];
  sandbox: SandboxPlan;
  platform: Platform;
  homeDir: string;
  hidden: readonly HiddenLocation[];
  runner: RunnerPlan | null;
  invocation: RunnerInvocation | undefined;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh', 'pwsh.exe']);
/** Shells that take -c inside a cluster of short flags (bash -lc, sh -ec). */
const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);
const ELEVATION = new Set(['sudo', 'doas', 'su', 'pkexec', 'runas']);
const NETWORK_TOOLS = new Set(['curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'ssh', 'scp', 'sftp', 'ftp', 'telnet']);
/** Secrets that are not a location in the hidden list (a key by its file name, system password files). */
const EXTRA_SECRETS: ReadonlyArray<[RegExp, string]> = [
  [/\bid_(rsa|ed25519|ecdsa|dsa)\b/, 'an SSH private key'],
  [/Library\/Keychains|login\.keychain/i, 'the system keychain'],
  [/\/etc\/(shadow|sudoers)\b/, 'system password files'],
  [/(^|[\s/"'=])\.env\.[\w.-]+/, 'a .env secrets file'],
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Patterns for the hidden locations: "~/.ssh", "$HOME/.aws/credentials", "/home/ada/.netrc" all match. */
function hiddenPatterns(hidden: readonly HiddenLocation[], homeDir: string, platform: Platform): Array<[RegExp, string]> {
  const api = pathApi(platform);
  return hidden.map((h) => {
    const rel = api.relative(homeDir, h.path);
    const inHome = rel !== '' && !rel.startsWith('..') && !api.isAbsolute(rel);
    const body = inHome ? `(^|[\\s/\\\\"'=~:])${escapeRe(rel.split(/[\\/]/).join('/')).replace(/\//g, '[\\\\/]')}` : `(^|[\\s"'=:])${escapeRe(h.path)}`;
    return [new RegExp(`${body}([\\\\/"'\\s]|$)`, platform === 'win32' ? 'i' : ''), h.what] as [RegExp, string];
  });
}

function base(cmd: string): string {
  return (cmd.split(/[\\/]/).pop() ?? cmd).toLowerCase();
}

export function findDangers(input: FindingsInput): Finding[] {
  const findings: Finding[] = [];
  const add = (f: Finding) => {
    if (!findings.some((x) => x.code === f.code && x.evidence === f.evidence)) findings.push(f);
  };
  const cmd = base(input.command);
  const all = [input.command, ...input.args];
  const secrets = [...hiddenPatterns(input.hidden, input.homeDir, input.platform), ...EXTRA_SECRETS];
  const joined = all.join(' ');
  const shellString =
    SHELLS.has(cmd) &&
    input.args.some((a) => /^(-c|\/c|\/k|-command|-encodedcommand)$/i.test(a) || (POSIX_SHELLS.has(cmd) && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)));

  if (shellString) {
    add({
      code: 'shell_command',
      severity: 'warning',
      message: 'Runs a command line through a shell, which can hide several commands in one string.',
      evidence: joined,
    });
  }
  for (const word of tokens(all)) {
    const w = base(word);
    if (ELEVATION.has(w)) add({ code: 'elevation', severity: 'danger', message: `Asks for administrator rights (${w}).`, evidence: word });
    if (NETWORK_TOOLS.has(w))
      add({ code: 'network_tool', severity: 'warning', message: `Uses a network tool (${w}) that can send data anywhere.`, evidence: word });
  }
  if (
    /\brm\s+(-[a-z]*r[a-z]*f|-[a-z]*f[a-z]*r|--recursive\s+--force|--force\s+--recursive)\b/i.test(joined) ||
    (cmd === 'rm' && input.args.some((a) => /^-[a-z]*r/i.test(a)))
  ) {
    add({ code: 'recursive_delete', severity: 'danger', message: 'Deletes files recursively (rm -rf).', evidence: joined });
  }
  if (/\b(curl|wget|iwr|invoke-webrequest)\b[^|]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b|\b(curl|wget)\b[^|]*\|\s*(python|node|perl|ruby)/i.test(joined)) {
    add({ code: 'pipe_to_shell', severity: 'danger', message: 'Downloads a script and runs it straight away (curl | sh).', evidence: joined });
  }
  for (const arg of all) {
    // Inside a shell string a lone & (background, or cmd's separator) and a newline also start another command;
    // the & of a redirection (2>&1, &>file) does not.
    const chain = shellString ? /(&&|\||;|`|\$\(|\n|(?<![<>])&(?!>))/ : /(&&|\|\||;|\||`|\$\()/;
    const chained = chain.exec(arg);
    if (chained && (shellString || /\s/.test(arg))) {
      add({
        code: 'chaining',
        severity: shellString ? 'danger' : 'warning',
        message: 'Contains shell chaining, pipes or substitution.',
        evidence: around(arg, chained.index),
      });
    }
    if (/[A-Za-z0-9+/]{80,}={0,2}/.test(arg) || /base64\s+(-d|--decode)|-encodedcommand/i.test(arg)) {
      add({
        code: 'obfuscation',
        severity: 'warning',
        message: 'Contains an encoded blob that hides what will run.',
        evidence: arg.length > 200 ? `${arg.slice(0, 200)}…` : arg,
      });
    }
    for (const [pattern, what] of secrets) {
      const hit = pattern.exec(arg);
      if (hit) add({ code: 'secret_path', severity: 'danger', message: `Refers to ${what}.`, evidence: around(arg, hit.index) });
    }
  }
  for (const pkg of input.runner?.packages ?? []) {
    if (pkg.version === null && pkg.name !== '') {
      add({
        code: 'unpinned_package',
        severity: 'warning',
        message: `Runs "${pkg.name}" without a pinned version: each start may run different code.`,
        evidence: [input.command, ...input.args].join(' '),
      });
    } else if (pkg.pinnedBy === 'steward') {
      add({
        code: 'pinned_package',
        severity: 'info',
        message: `${pkg.name} was pinned to ${pkg.version} at first install; updating it is a separate step that asks you again.`,
        evidence: `${pkg.name}${pkg.ecosystem === 'oci' ? '@' : ' '}${pkg.version}`,
      });
    }
  }
  for (const spec of input.invocation?.unfetchable ?? []) {
    add({
      code: 'unpinned_package',
      severity: 'warning',
      message: `Runs "${spec}", which is not a registry package Steward can pin: each start may run different code.`,
      evidence: [input.command, ...input.args].join(' '),
    });
  }
  if (input.invocation?.container) for (const f of containerFindings(input.invocation.container, input.hidden, input.homeDir, input.platform)) add(f);
  for (const env of input.flaggedEnv) {
    add({ code: 'env_injection', severity: 'warning', message: `Sets ${env.name}, which ${env.why}.`, evidence: `${env.name}=${env.shown}` });
  }
  for (const p of input.sandbox.readPaths) {
    const h = input.hidden.find((x) => x.path === p);
    add({ code: 'shows_hidden', severity: 'danger', message: `May read ${h?.what ?? 'a hidden location'}: you chose to show it to this server.`, evidence: p });
  }
  if (input.sandbox.mode === 'off') {
    add({
      code: 'sandbox_off',
      severity: 'warning',
      message: 'The sandbox is turned off for this server: it can read and write everything you can, and reach any network address.',
      evidence: 'sandbox: off',
    });
  } else if (input.sandbox.mode === 'container') {
    add({
      code: 'container',
      severity: 'info',
      message: "Runs in a container: the container engine isolates it, not Steward's sandbox.",
      evidence: input.runner?.tool ?? 'container',
    });
  } else if (input.sandbox.mode === 'unsupported') {
    add({
      code: 'no_sandbox',
      severity: 'warning',
      message: 'This system has no sandbox for local servers: the server runs with all your rights.',
      evidence: `platform: ${input.platform}`,
    });
  } else {
    for (const p of input.sandbox.writePaths) {
      if (p === '/' || p === input.homeDir || /^[A-Za-z]:\\?$/.test(p)) {
        add({ code: 'broad_write', severity: 'warning', message: `May write anywhere under ${p}.`, evidence: p });
      }
    }
  }
  return findings;
}

/** A short argument whole; from a long one, the part around the match (the full command is shown elsewhere). */
function around(text: string, index: number, radius = 80): string {
  if (text.length <= 2 * radius) return text;
  const start = Math.max(0, index - radius);
  const end = Math.min(text.length, index + radius);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

function* tokens(parts: readonly string[]): Generator<string> {
  for (const part of parts) for (const t of part.split(/[\s;&|()`]+/)) if (t) yield t;
}
