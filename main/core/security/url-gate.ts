// The URL gate: the one judge of whether a server-supplied URL may be opened or fetched, and how to show it.
import { isIP } from 'node:net';
import { domainToUnicode } from 'node:url';
import { StewardError } from '../../../shared/errors.js';

export interface UrlVerdict {
  allowed: boolean;
  /** Why it was refused (allowed is false), or what the user should notice (allowed is true). */
  problems: string[];
  warnings: string[];
  /** The URL as the user should read it: host decoded from punycode. */
  display: string;
  /** The registrable part of the host, to highlight. */
  host: string;
}

export interface GateOptions {
  /** Allow plain http to loopback addresses (local OAuth redirects, local servers). */
  allowLoopbackHttp?: boolean;
  /**
   * Private and link-local addresses: refused where Steward itself would fetch (icons, OAuth endpoints), only flagged
   * where the user's own browser opens the page (an elicitation may well point at an intranet).
   */
  privateAddresses?: 'refuse' | 'warn';
}

const MAX_LENGTH = 8192;

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h);
}

/** Private, link-local, unspecified, multicast and mapped forms of them, for IPv4 and IPv6. */
export function isPrivateAddress(host: string): boolean {
  let h = host.replace(/^\[|\]$/g, '').toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
  const [, high, low] = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h) ?? [];
  if (dotted) h = dotted;
  else if (high && low) {
    const [hi, lo] = [parseInt(high, 16), parseInt(low, 16)];
    h = [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  if (isIP(h) === 6) {
    return h === '::1' || h === '::' || /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || /^ff/.test(h);
  }
  return false;
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

/** Cyrillic and Greek letters that render like Latin ones. */
const LATIN_LOOKALIKES = new Set(Array.from('аеорсухіјѕԁһӏԛԝвкмнтАВЕКМНОРСТХУІЈЅοαρνυτκιεχΑΒΕΗΙΚΜΝΟΡΤΥΧΖ'));

function looksLatin(label: string): boolean {
  const letters = Array.from(label).filter((ch) => /\p{L}/u.test(ch));
  return letters.length > 0 && !scriptsIn(label).has('Latin') && letters.every((ch) => LATIN_LOOKALIKES.has(ch));
}

function scriptsIn(label: string): Set<string> {
  const found = new Set<string>();
  for (const ch of label) for (const [name, pattern] of SCRIPTS) if (pattern.test(ch)) found.add(name);
  return found;
}

export function checkUrl(raw: string, options: GateOptions = {}): UrlVerdict {
  const problems: string[] = [];
  const warnings: string[] = [];
  const fail = (why: string): UrlVerdict => ({ allowed: false, problems: [why], warnings, display: raw.slice(0, 500), host: '' });
  if (raw.length > MAX_LENGTH) return fail(`The address is ${raw.length} characters long, more than Steward opens.`);
  if (/[\u0000-\u001f\u007f\s]/.test(raw)) return fail('The address contains spaces or control characters.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('This is not a valid web address.');
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && options.allowLoopbackHttp)) {
    return fail(
      url.protocol === 'http:'
        ? 'Only https addresses are opened (plain http only for this computer).'
        : `Addresses starting with "${url.protocol}" are never opened.`,
    );
  }
  if (url.username || url.password) problems.push('The address carries a user name or password.');
  if (!loopback && isPrivateAddress(url.hostname)) {
    if (options.privateAddresses === 'warn')
      warnings.push('The address points into a private or link-local network (a local device or intranet), not the public internet.');
    else problems.push('The address points into a private or link-local network.');
  }
  const unicodeHost = domainToUnicode(url.hostname) || url.hostname;
  if (unicodeHost !== url.hostname) warnings.push(`This is an international name, sent as "${url.hostname}". Check it is the site you expect.`);
  const labels = unicodeHost.split('.');
  if (labels.some((label) => scriptsIn(label).size > 1)) {
    warnings.push('Part of the name mixes letters from different alphabets, a common trick for look-alike sites.');
  } else if (labels.some(looksLatin)) {
    warnings.push('Part of the name uses non-Latin letters that look like Latin ones, a common trick for look-alike sites.');
  }
  const display = `${url.protocol}//${unicodeHost}${url.port ? `:${url.port}` : ''}${url.pathname}${url.search}${url.hash}`;
  return { allowed: problems.length === 0, problems, warnings, display, host: unicodeHost };
}

/**
 * The only way the host hands a URL to the system browser: the gate judges it again at the moment of opening, and a
 * refused URL never reaches the opener.
 */
export function gatedOpener(open: (url: string) => Promise<void>, options: GateOptions = {}): (url: string) => Promise<UrlVerdict> {
  return async (url) => {
    const verdict = checkUrl(url, options);
    if (!verdict.allowed) throw new StewardError('invalid_payload', `Steward will not open this address: ${verdict.problems.join(' ')}`);
    await open(url);
    return verdict;
  };
}
