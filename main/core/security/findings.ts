// Dangerous-pattern findings shown in the consent request: what in this launch deserves a second look.
import type { Finding, SandboxPlan } from '../../../shared/domain/servers.js';
import { CODE_INJECTION_ENV } from './child-env.js';
import type { Platform } from './platform-paths.js';

export interface FindingsInput {
  command: string;
  args: readonly string[];
  envNames: readonly string[];
  sandbox: SandboxPlan;
  platform: Platform;
  homeDir: string;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh', 'pwsh.exe']);
/** Shells that take -c inside a cluster of short flags (bash -lc, sh -ec). */
const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);
const ELEVATION = new Set(['sudo', 'doas', 'su', 'pkexec', 'runas']);
const NETWORK_TOOLS = new Set(['curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'ssh', 'scp', 'sftp', 'ftp', 'telnet']);
const SECRET_LOCATIONS: ReadonlyArray<[RegExp, string]> = [
  [/(^|[\s/"'=~])\.ssh(\/|\b)/, 'SSH keys (~/.ssh)'],
  [/\bid_(rsa|ed25519|ecdsa|dsa)\b/, 'an SSH private key'],
  [/(^|[\s/"'=~])\.aws(\/|\b)/, 'AWS credentials (~/.aws)'],
  [/(^|[\s/"'=~])\.gnupg(\/|\b)/, 'GPG keys (~/.gnupg)'],
  [/(^|[\s/"'=~])\.kube(\/|\b)/, 'Kubernetes credentials (~/.kube)'],
  [/(^|[\s/"'=~])\.docker\/config\.json/, 'Docker credentials'],
  [/(^|[\s/"'=~])\.netrc\b/, 'netrc passwords'],
  [/(^|[\s/"'=~])\.git-credentials\b/, 'git credentials'],
  [/(^|[\s/"'=~])\.config\/(gcloud|gh)(\/|\b)/, 'cloud CLI credentials'],
  [/Library\/Keychains|\.local\/share\/keyrings|login\.keychain/i, 'the system keychain'],
  [/\/etc\/(shadow|sudoers)\b/, 'system password files'],
  [/(^|[\s/"'=])\.env(\.|\b)(?!\w)/, 'a .env secrets file'],
];
/** Package runners that download and run code on every start. */
const RUNNERS: ReadonlyArray<{ bin: RegExp; sub?: string; pinned: (spec: string) => boolean }> = [
  { bin: /^npx(\.cmd)?$/i, pinned: npmPinned },
  { bin: /^bunx$/i, pinned: npmPinned },
  { bin: /^pnpm$/i, sub: 'dlx', pinned: npmPinned },
  { bin: /^yarn$/i, sub: 'dlx', pinned: npmPinned },
  { bin: /^npm$/i, sub: 'exec', pinned: npmPinned },
  { bin: /^uvx$/i, pinned: (s) => /==\d|@\d/.test(s) },
  { bin: /^uv$/i, sub: 'tool', pinned: (s) => /==\d|@\d/.test(s) },
  { bin: /^pipx$/i, sub: 'run', pinned: (s) => /==\d/.test(s) },
];

function npmPinned(spec: string): boolean {
  // @scope/name@1.2.3 or name@1.2.3; "@latest", ranges and tags do not pin.
  const at = spec.lastIndexOf('@');
  if (at <= 0) return false;
  const version = spec.slice(at + 1);
  return /^\d+\.\d+\.\d+([-+][\w.-]+)?$/.test(version);
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
    for (const [pattern, what] of SECRET_LOCATIONS) {
      const hit = pattern.exec(arg);
      if (hit) add({ code: 'secret_path', severity: 'danger', message: `Refers to ${what}.`, evidence: around(arg, hit.index) });
    }
  }
  for (const runner of RUNNERS) {
    if (!runner.bin.test(cmd)) continue;
    const rest = runner.sub ? afterSub(input.args, runner.sub) : input.args;
    if (rest === undefined) continue;
    const pkg = rest.find((a) => !a.startsWith('-'));
    if (pkg && !runner.pinned(pkg)) {
      add({
        code: 'unpinned_package',
        severity: 'warning',
        message: `Downloads "${pkg}" without a pinned version: each start may run different code.`,
        evidence: [input.command, ...input.args].join(' '),
      });
    }
  }
  for (const name of input.envNames) {
    if (CODE_INJECTION_ENV.includes(name) || name.startsWith('DYLD_')) {
      add({ code: 'env_injection', severity: 'warning', message: `Sets ${name}, which changes what code the process loads.`, evidence: name });
    }
  }
  if (input.sandbox.mode === 'off') {
    add({
      code: 'sandbox_off',
      severity: 'warning',
      message: 'The sandbox is turned off for this server: it can read and write everything you can, and reach any network address.',
      evidence: 'sandbox: off',
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

function afterSub(args: readonly string[], sub: string): readonly string[] | undefined {
  const i = args.indexOf(sub);
  return i === -1 ? undefined : args.slice(i + 1);
}
