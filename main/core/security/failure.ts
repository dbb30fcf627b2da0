// Why a launch failed and what to do about it: a pure reading of the sandbox's recorded denials and the process's stderr.
// The denials are hints (the sandboxed process can shape them); they name a fix, they never widen anything by themselves.
import type { Failure, FailureFix } from '../../../shared/domain/launch.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { hiddenLocationOf, isAtOrUnder, type HiddenLocation } from './hidden-paths.js';
import { pathApi, type Platform } from './platform-paths.js';
import { missingRuntimeHint } from './runtime-hints.js';
import { quoteWord } from './shell-quote.js';

export type FailureOutcome =
  | { kind: 'exit'; code: number | null; signal: string | null }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'spawn_error'; code: string }
  | { kind: 'protocol'; message: string };

export interface FailureInput {
  serverName: string;
  phase: 'download' | 'start' | 'running';
  outcome: FailureOutcome;
  stderr: readonly string[];
  /** The sandbox's denial lines for this launch ("deny network-outbound host:443 (…)", "deny mkdir /path"). */
  violations: readonly string[];
  /** Every path this step may write: grants, its own folders, the runtime's. */
  writable: readonly string[];
  hidden: readonly HiddenLocation[];
  /** Folders of downloaded code the server may only read. */
  readOnlyOwn: readonly string[];
  /** The command as configured, for the install hint of a missing runtime. */
  command: string;
  platform: Platform;
}

const NET_DENIAL = /deny(?:\(\d+\))?\s+network-outbound\s+\[?([^\s\]]+?)\]?(?::(\d+))?(?:\s+\((.*)\))?$/;
const FILE_DENIAL = /deny(?:\(\d+\))?\s+([\w-]+)\s+(\/\S.*)$/;
const URL_HOST = /\bhttps?:\/\/([^/\s:'")]+)/i;
const NET_STDERR =
  /\b(403|Forbidden|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|security policy|Tunnel connection failed|ProxyError|Failed to fetch|Could not connect|network is unreachable)\b/i;
const DNS_HOST = /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([^\s,;)]+)/;
const PY_HOST = /host='([^']+)'/;
const NOT_FOUND = [
  /404 Not Found - GET https?:\/\/[^/\s]+\/(\S+)/i,
  /'([^']+)' is not in (?:this|the npm) registry/,
  /No matching version found for (\S+)/,
  /No matching distribution found for (\S+)/,
  /Because (\S+) was not found in the package registry/,
  /(\S+) was not found in the package registry/,
  /pull access denied for ([^\s,]+)/,
  /manifest (?:for (\S+) )?unknown/,
  /could not determine executable to run/,
];
const RUNTIME_STDERR = [
  /env: ['‘"]?([\w.+-]+)['’"]?: No such file or directory/,
  /(?:^|: )([\w.+-]+): (?:command )?not found$/,
  /command not found: ([\w.+-]+)/,
];
const WRITE_STDERR = [
  /\b(EROFS|EACCES|EPERM)\b[^,]*, (\w+) '([^']+)'/,
  /\[Errno (30|13|1)\] (?:Read-only file system|Permission denied|Operation not permitted): '([^']+)'/,
];
const READ_STDERR = [/\bENOENT\b[^,]*, \w+ '([^']+)'/, /\[Errno 2\] No such file or directory: '([^']+)'/];
/** Writes every sandboxed process makes and that mean nothing on their own. */
const NOISE = /^\/(dev|proc|sys)\//;

function fix(kind: FailureFix['kind'], label: string, value: string | null, command: string | null, hint: string | null): FailureFix {
  return { kind, label, value, command, hint };
}

/** Single-quoted for a POSIX shell, so a name or path with $, quotes or spaces is pasted back as exactly itself. */
const quote = quoteWord;

function firstMatch(lines: readonly string[], patterns: readonly RegExp[]): { line: string; m: RegExpExecArray } | undefined {
  for (const line of lines) {
    for (const p of patterns) {
      const m = p.exec(line);
      if (m) return { line, m };
    }
  }
  return undefined;
}

function networkBlock(input: FailureInput): { host: string; evidence: string } | undefined {
  for (const v of input.violations) {
    const m = NET_DENIAL.exec(v);
    if (m?.[1]) return { host: m[1].toLowerCase(), evidence: v };
  }
  for (const line of input.stderr) {
    const dns = DNS_HOST.exec(line);
    if (dns?.[1]) return { host: dns[1].toLowerCase(), evidence: line };
    if (!NET_STDERR.test(line)) continue;
    const host = PY_HOST.exec(line)?.[1] ?? URL_HOST.exec(line)?.[1];
    if (host) return { host: host.toLowerCase(), evidence: line };
  }
  return undefined;
}

function writeBlock(input: FailureInput): { path: string; syscall: string; evidence: string } | undefined {
  const said = firstMatch(input.stderr, WRITE_STDERR);
  if (said) {
    const [, , second = '', third] = said.m;
    const path = third ?? second;
    const syscall = third !== undefined ? second : 'open';
    if (path.startsWith('/') || /^[A-Za-z]:\\/.test(path)) return { path, syscall, evidence: said.line };
  }
  const writable = (p: string) => input.writable.some((w) => isAtOrUnder(p, w, input.platform));
  for (const v of input.violations) {
    const m = FILE_DENIAL.exec(v);
    const [, op = '', raw = ''] = m ?? [];
    if (!m || /^file-read/.test(op) || op === 'network-outbound') continue;
    const path = raw.trim();
    if (NOISE.test(path) || writable(path) || hiddenLocationOf(path, input.hidden, input.platform)) continue;
    return { path, syscall: op, evidence: v };
  }
  return undefined;
}

function readBlock(input: FailureInput): { path: string; hidden: HiddenLocation; evidence: string } | undefined {
  for (const line of input.stderr) {
    for (const p of READ_STDERR) {
      const m = p.exec(line);
      const path = m?.[1];
      const h = path === undefined ? undefined : hiddenLocationOf(path, input.hidden, input.platform);
      if (path !== undefined && h) return { path, hidden: h, evidence: line };
    }
  }
  for (const v of input.violations) {
    const m = FILE_DENIAL.exec(v);
    const [, op = '', raw = ''] = m ?? [];
    const h = /^file-read/.test(op) ? hiddenLocationOf(raw.trim(), input.hidden, input.platform) : undefined;
    if (h) return { path: raw.trim(), hidden: h, evidence: v };
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s).replace(/ - Not found$/i, '');
  } catch {
    return s;
  }
}

const lastLine = (lines: readonly string[]) => [...lines].reverse().find((l) => l.trim() !== '') ?? '';

export function classifyFailure(input: FailureInput): Failure {
  const { serverName, phase } = input;
  const name = quote(serverName);
  const where = phase === 'download' ? 'The download' : 'The server';

  const notFound = firstMatch(input.stderr, NOT_FOUND);
  if (notFound) {
    const what = notFound.m[1] ? safeDecode(notFound.m[1]) : 'the package';
    return {
      class: 'package_not_found',
      phase,
      summary: `Not found: ${what} — check the package name and version`,
      evidence: notFound.line,
      fix: fix('edit', 'Edit the command', null, null, `The registry has no ${what}. Check the name and version in the server's command.`),
      retryable: false,
    };
  }

  const net = networkBlock(input);
  if (net) {
    return {
      class: 'network_blocked',
      phase,
      summary: `Blocked: ${net.host} — Allow and restart`,
      evidence: net.evidence,
      fix: fix('allow_domain', 'Allow and restart', net.host, `steward servers grant ${name} --allow-domain ${net.host}`, null),
      retryable: false,
    };
  }

  const spawnMissing = input.outcome.kind === 'spawn_error' && input.outcome.code === 'ENOENT';
  let runtime = firstMatch(input.stderr, RUNTIME_STDERR);
  if (runtime && !runtime.line.includes('env:') && !missingRuntimeHint(runtime.m[1] ?? '')) runtime = undefined;
  if (spawnMissing || runtime) {
    const missing = runtime?.m[1] ?? input.command;
    const hint = missingRuntimeHint(missing) ?? missingRuntimeHint(input.command);
    return {
      class: 'runtime_missing',
      phase,
      summary: `Missing: ${hint?.what ?? missing} — install it and start again`,
      evidence: runtime?.line ?? `${input.command}: not found (${input.outcome.kind === 'spawn_error' ? input.outcome.code : 'exit'})`,
      fix: fix('install', `Install ${hint?.what ?? missing}`, null, null, hint?.install ?? `Install ${missing}, or give the full path to it in the command.`),
      retryable: false,
    };
  }

  const write = writeBlock(input);
  if (write) {
    const api = pathApi(input.platform);
    const own = input.readOnlyOwn.find((d) => isAtOrUnder(write.path, d, input.platform));
    const secret = hiddenLocationOf(write.path, input.hidden, input.platform);
    if (own) {
      return {
        class: 'write_blocked',
        phase,
        summary: `Blocked write: ${write.path} — it writes into its own downloaded code, which is read-only`,
        evidence: write.evidence,
        fix: fix(
          'edit',
          'Edit its settings',
          null,
          null,
          "Point the server's data file or folder at a folder you grant (its README names the setting, often an environment variable), then grant that folder.",
        ),
        retryable: false,
      };
    }
    if (secret) {
      return {
        class: 'write_blocked',
        phase,
        summary: `Blocked write: ${write.path} — ${secret.what} is never writable by servers`,
        evidence: write.evidence,
        fix: fix('none', 'No fix', null, null, `${secret.path} holds ${secret.what}; Steward keeps it from every server.`),
        retryable: false,
      };
    }
    const folder = write.syscall === 'mkdir' || write.syscall === 'mkdirat' ? write.path : api.dirname(write.path);
    return {
      class: 'write_blocked',
      phase,
      summary: `Blocked write: ${write.path} — Allow writing ${folder} and restart`,
      evidence: write.evidence,
      fix: fix('allow_write', `Allow writing ${folder} and restart`, folder, `steward servers grant ${name} --allow-write ${quote(folder)}`, null),
      retryable: false,
    };
  }

  const read = readBlock(input);
  if (read) {
    const steward = read.hidden.kind === 'steward';
    return {
      class: 'read_blocked',
      phase,
      summary: `Hidden: ${read.path} (${read.hidden.what})${steward ? '' : ' — show it to this server and restart'}`,
      evidence: read.evidence,
      fix: steward
        ? fix('none', 'No fix', null, null, "Steward's own data is never shown to a server.")
        : fix('allow_read', 'Show it and restart', read.hidden.path, `steward servers grant ${name} --allow-read ${quote(read.hidden.path)}`, null),
      retryable: false,
    };
  }

  const tail = lastLine(input.stderr);
  const o = input.outcome;
  if (o.kind === 'timeout') {
    return {
      class: 'initialize_timeout',
      phase,
      summary: `No MCP answer within ${o.seconds} s — check that the command starts an MCP server on stdio`,
      evidence: tail || 'nothing on stderr',
      fix: fix(
        'retry',
        'Try again',
        null,
        `steward servers start ${name}`,
        'A first start can be slow; if it keeps happening, the command may not start an MCP server on stdio.',
      ),
      retryable: true,
    };
  }
  if (o.kind === 'protocol' && phase === 'start') {
    return {
      class: 'handshake_failed',
      phase,
      summary: `The MCP handshake failed: ${o.message}`,
      evidence: tail || o.message,
      fix: fix('edit', 'Check the server', null, null, 'It answered, but not as an MCP server Steward can talk to; a newer or older version of it may work.'),
      retryable: false,
    };
  }
  const how =
    o.kind === 'exit'
      ? o.signal
        ? `was killed by ${o.signal}`
        : `exited with code ${o.code}`
      : o.kind === 'spawn_error'
        ? `could not start (${o.code})`
        : o.message;
  if (phase === 'download') {
    return {
      class: 'download_failed',
      phase,
      summary: `Download failed: it ${how} — see its last lines`,
      evidence: tail || how,
      fix: fix('retry', 'Try again', null, `steward servers start ${name}`, "The download's last lines on stderr say why."),
      retryable: true,
    };
  }
  if (phase === 'running') {
    return {
      class: 'crashed',
      phase,
      summary: `Stopped: ${where.toLowerCase()} ${how}`,
      evidence: tail || how,
      fix: fix('retry', 'Start again', null, `steward servers start ${name}`, null),
      retryable: true,
    };
  }
  return {
    class: 'exited_before_initialize',
    phase,
    summary: `Exited before it started: it ${how} — see its last lines`,
    evidence: tail || how,
    fix: fix('edit', 'Check the command', null, null, 'Its last lines on stderr say why; fix the command or its settings, then start it again.'),
    retryable: false,
  };
}

/**
 * The code a failed start is kept and reported with. The code says what happened, the class what to do: a connection
 * that named its own cause (an unsupported protocol version, an oversized message, a timeout) keeps it; a runtime or
 * package found missing is that; anything else that ended the process is an exit.
 */
export function startErrorCode(said: ErrorCode, failure: Failure): ErrorCode {
  if (failure.class === 'runtime_missing' || failure.class === 'package_not_found') return failure.class;
  return said === 'connect_failed' && failure.class !== 'handshake_failed' ? 'server_exited' : said;
}

/** A failure found before anything ran (a refusal of the plan), in the same shape. */
export function planFailure(code: string, message: string): Failure {
  const cls = code === 'runtime_missing' || code === 'command_not_found' ? 'runtime_missing' : code === 'package_not_found' ? 'package_not_found' : 'refused';
  return {
    class: cls,
    phase: 'plan',
    summary: message,
    evidence: message,
    fix: fix(
      cls === 'refused' ? 'edit' : cls === 'runtime_missing' ? 'install' : 'edit',
      cls === 'runtime_missing' ? 'Install it' : 'Edit the server',
      null,
      null,
      message,
    ),
    retryable: false,
  };
}
