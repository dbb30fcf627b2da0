// The URL gate: the one judge of every URL Steward opens in the browser or fetches (elicitation pages, sign-in pages and
// endpoints, the model API address, anything handed to the system browser), and of how the user is shown it.
import { isIP } from 'node:net';
import { domainToUnicode } from 'node:url';
import { StewardError } from '../../../shared/errors.js';

export interface UrlVerdict {
  allowed: boolean;
  /** Why it was refused (allowed is false). Never repeats the URL, so a password in it is not echoed. */
  problems: string[];
  /** What the user should notice before opening it (allowed is true). */
  warnings: string[];
  /** The URL as the user should read it: the canonical form, host in its sent (punycode) form, without credentials. */
  display: string;
  /** The host, in the form it is sent (punycode), to highlight; empty when the URL did not parse. */
  host: string;
  /** Exactly what the browser or the fetch receives: the WHATWG serialisation. Empty when refused. */
  canonical: string;
}

/**
 * What the URL is for. Each use has its rules in RULES below, the only place where schemes, loopback, private and
 * link-local addresses are decided:
 * - browser: a page the user's own browser opens after a click (elicitation pages, sign-in pages, openExternal);
 * - remote-fetch: an address a remote server names that Steward itself fetches (OAuth metadata, tokens, registration);
 * - local-fetch: the same for a server on this computer (local development: loopback over plain http is fine);
 * - model-api: the address of the model API, which receives the user's key (settings or ANTHROPIC_BASE_URL);
 * - server: the address of a remote MCP server the user adds (by hand or from an imported config).
 */
export type UrlUse = 'browser' | 'remote-fetch' | 'local-fetch' | 'model-api' | 'server';

type Policy = 'allow' | 'warn' | 'refuse';
interface Rule {
  /** Plain http is allowed only to this computer, and only for these uses. */
  httpToLoopback: boolean;
  /** Plain http to another machine: refused, or allowed with a warning (a device on the user's own network). */
  httpElsewhere?: 'warn';
  loopback: Policy;
  private: Policy;
  linkLocal: Policy;
}

const RULES: Record<UrlUse, Rule> = {
  browser: { httpToLoopback: true, loopback: 'allow', private: 'warn', linkLocal: 'warn' },
  'remote-fetch': { httpToLoopback: false, loopback: 'refuse', private: 'refuse', linkLocal: 'refuse' },
  'local-fetch': { httpToLoopback: true, loopback: 'allow', private: 'refuse', linkLocal: 'refuse' },
  // The user picks the address (a company gateway may be on a private network), but a link-local one is the cloud
  // metadata trick: the key would go to the machine's metadata service.
  'model-api': { httpToLoopback: true, loopback: 'allow', private: 'warn', linkLocal: 'refuse' },
  // Servers on the user's own network often speak plain http (home automation, lab machines): allowed with a warning,
  // since whatever Steward sends them can be read on the way. A link-local address is never a server the user meant.
  server: { httpToLoopback: true, httpElsewhere: 'warn', loopback: 'allow', private: 'allow', linkLocal: 'refuse' },
};

const MAX_LENGTH = 8192;
const SHOWN = 500;

export type AddressKind = 'loopback' | 'private' | 'link-local' | 'public';

function ipv4Kind(h: string): AddressKind {
  const [a, b] = h.split('.').map(Number) as [number, number];
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224) {
    return 'private';
  }
  return 'public';
}

/** An IPv4 address carried inside an IPv6 one (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d), in dotted form. */
function embeddedIpv4(h: string): string | undefined {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (!hex) return undefined;
  const [hi, lo] = [parseInt(hex[1] ?? '0', 16), parseInt(hex[2] ?? '0', 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Where a host (as WHATWG URL serialises it) points: this computer, a private or link-local network, or anywhere. */
export function addressKind(host: string): AddressKind {
  // A name with a trailing dot is the same name, written fully qualified: `localhost.` is this computer too.
  const h = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.+$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return 'loopback';
  // Multicast DNS names live on the local network by definition.
  if (h.endsWith('.local')) return 'private';
  if (isIP(h) === 4) return ipv4Kind(h);
  if (isIP(h) === 6) {
    const v4 = embeddedIpv4(h);
    if (v4) return ipv4Kind(v4);
    if (h === '::1') return 'loopback';
    if (/^fe[89ab]/.test(h)) return 'link-local';
    if (h === '::' || /^f[cd]/.test(h) || /^ff/.test(h)) return 'private';
  }
  return 'public';
}

export function isLoopbackHost(host: string): boolean {
  return addressKind(host) === 'loopback';
}

const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
];

/** Cyrillic and Greek letters that render like Latin ones, and the Latin letter each imitates. */
const LOOKALIKES = new Map<string, string>(
  (
    [
      ['аеорсухіјѕԁһӏԛԝвкмнт', 'aeopcyxijsdhlqwbkmht'],
      ['АВЕКМНОРСТХУІЈЅ', 'abekmhopctxyijs'],
      ['οαρνυτκιεχ', 'oapvutkiex'],
      ['ΑΒΕΗΙΚΜΝΟΡΤΥΧΖ', 'abehikmnoptyxz'],
    ] as const
  ).flatMap(([from, to]) => Array.from(from, (ch, i) => [ch, to.charAt(i)] as const)),
);

function scriptsIn(label: string): Set<string> {
  const found = new Set<string>();
  for (const ch of label) for (const [name, pattern] of SCRIPTS) if (pattern.test(ch)) found.add(name);
  return found;
}

/** The name as it would read if every look-alike letter were the Latin one it imitates. */
function latinReading(name: string): string {
  return Array.from(name, (ch) => LOOKALIKES.get(ch) ?? ch).join('');
}

function allLookalike(label: string): boolean {
  const letters = Array.from(label).filter((ch) => /\p{L}/u.test(ch));
  return letters.length > 0 && !scriptsIn(label).has('Latin') && letters.every((ch) => LOOKALIKES.has(ch));
}

/** What to say about an international name: shown as sent (punycode), with a look-alike warning when it imitates. */
function nameWarnings(host: string): string[] {
  const unicode = domainToUnicode(host) || host;
  if (unicode === host) return [];
  const labels = unicode.split('.');
  const mixed = labels.find((label) => scriptsIn(label).size > 1);
  const reading = latinReading(unicode);
  if (mixed) {
    const scripts = [...scriptsIn(mixed)].join(' and ');
    return [
      `The name mixes ${scripts} letters, a common trick to imitate another site${reading !== unicode && /^[\x20-\x7e]*$/.test(reading) ? ` (it would read as "${reading}")` : ''}. Steward shows it as it is sent: ${host}.`,
    ];
  }
  if (labels.some(allLookalike)) {
    return [`The name uses non-Latin letters that look like Latin ones, a common trick to imitate "${reading}". Steward shows it as it is sent: ${host}.`];
  }
  return [`This is an international name ("${unicode}"), sent as ${host}. Check it is the site you expect.`];
}

/** A URL that could not be judged is shown bounded, and without anything that looks like credentials. */
function redacted(raw: string): string {
  return raw.replace(/^([^:/?#]*:\/\/)[^/?#]*@/, '$1…@').slice(0, SHOWN);
}

/**
 * The address as a server sent it, for showing beside the verdict and keeping with the question: unchanged unless it
 * carries credentials (the user name becomes "redacted", the password goes, so what is kept is still refused at open)
 * or is longer than any address Steward opens (cut there). A refused address used to be kept and shown whole, password
 * included.
 */
export function asSent(raw: string): string {
  const url = URL.parse(raw);
  if (url && (url.username || url.password)) {
    url.username = 'redacted';
    url.password = '';
    return url.href.slice(0, MAX_LENGTH);
  }
  return raw.replace(/^([^:/?#]*:\/*)[^/?#]*@/, '$1redacted@').slice(0, MAX_LENGTH);
}

export function judgeUrl(raw: string, use: UrlUse): UrlVerdict {
  const rule = RULES[use];
  const fail = (why: string, display = redacted(raw), host = ''): UrlVerdict => ({
    allowed: false,
    problems: [why],
    warnings: [],
    display,
    host,
    canonical: '',
  });
  if (raw.length > MAX_LENGTH) return fail(`The address is ${raw.length} characters long, more than Steward opens.`);
  if (/[\p{Cc}\p{Cf}\p{Z}]/u.test(raw)) return fail('The address contains spaces, control characters or invisible characters.');
  const url = URL.parse(raw);
  if (!url) return fail('This is not a valid web address.');
  const kind = addressKind(url.hostname);
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    return fail('The address carries a user name or password; Steward never sends credentials inside an address.', url.href.slice(0, SHOWN), url.hostname);
  }
  const display = url.href.slice(0, SHOWN);
  const plainHttpElsewhere = url.protocol === 'http:' && kind !== 'loopback' && rule.httpElsewhere === 'warn';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && rule.httpToLoopback && kind === 'loopback') && !plainHttpElsewhere) {
    return fail(
      url.protocol === 'http:'
        ? rule.httpToLoopback
          ? 'Only https addresses are used (plain http only for this computer).'
          : 'Only https addresses are used.'
        : `Addresses starting with "${url.protocol}" are never used.`,
      display,
      url.hostname,
    );
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  const policy = kind === 'loopback' ? rule.loopback : kind === 'private' ? rule.private : kind === 'link-local' ? rule.linkLocal : 'allow';
  const where =
    kind === 'loopback'
      ? 'an address on this computer'
      : kind === 'link-local'
        ? 'a link-local address (such as a cloud machine’s metadata service)'
        : 'a private network (a local device or intranet), not the public internet';
  if (policy === 'refuse') problems.push(`The address points to ${where}.`);
  if (policy === 'warn') warnings.push(`The address points to ${where}.`);
  if (plainHttpElsewhere) warnings.push('The address uses plain http: what Steward sends it, and its answers, can be read on the way.');
  warnings.push(...nameWarnings(url.hostname));
  const allowed = problems.length === 0;
  return { allowed, problems, warnings: allowed ? warnings : [], display, host: url.hostname, canonical: allowed ? url.href : '' };
}

/**
 * The only way the host hands a URL to the system browser: the gate judges it again at the moment of opening, a refused
 * URL never reaches the opener, and the browser receives the canonical form, not the string as the server sent it.
 */
export function gatedOpener(open: (url: string) => Promise<void>): (url: string) => Promise<UrlVerdict> {
  return async (url) => {
    const verdict = judgeUrl(url, 'browser');
    if (!verdict.allowed) throw new StewardError('invalid_payload', `Steward will not open this address: ${verdict.problems.join(' ')}`);
    await open(verdict.canonical);
    return verdict;
  };
}
