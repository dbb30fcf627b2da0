// The Content-Security-Policy a view runs under: the spec's restrictive default, widened only by the origins the
// server declared that Steward accepts as origins and the URL gate lets its server reach, never by anything else. Pure.
import type { CspInForce, ViewCsp } from '../../../shared/domain/apps.js';
import { isLoopbackHost, judgeUrl } from '../security/index.js';

type Directive = keyof ViewCsp;
const DIRECTIVES: readonly Directive[] = ['connectDomains', 'resourceDomains', 'frameDomains', 'baseUriDomains'];
const SCHEMES = new Set(['https', 'wss', 'http', 'ws']);
const MAX_ENTRIES = 32;

/** Where the view's server runs: it decides the URL gate's rule for the origins its views declare. */
export type ViewServer = { transport: 'stdio' } | { transport: 'http'; url: string };

export interface Refusal {
  directive: string;
  value: string;
  reason: string;
}

/**
 * One declared origin as a CSP source expression, or why it is refused. Accepted: scheme://host[:port][/path] with
 * http(s)/ws(s), and a leading "*." on a name with at least two labels. Refused: anything that could widen the policy
 * beyond one origin (bare "*", scheme-only sources like "https:" or "data:", keywords such as 'unsafe-eval') or break
 * out of the directive (quotes, semicolons, commas, whitespace).
 */
export function checkSource(value: unknown): { source: string } | { reason: string } {
  if (typeof value !== 'string') return { reason: 'not a string' };
  if (value.length === 0 || value.length > 512) return { reason: 'empty or too long' };
  if (/[\s;,'"\\\u0000-\u001f\u007f]/.test(value)) return { reason: 'contains characters that could change the policy' };
  const match = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-f:.]+\]|[^/:?#[\]]+)(?::(\d{1,5}))?(\/[^?#]*)?$/i.exec(value);
  if (!match) return { reason: 'not an origin (scheme://host); wildcards, bare schemes and keywords are too broad' };
  const [, scheme = '', host = '', port, path] = match;
  if (!SCHEMES.has(scheme.toLowerCase())) return { reason: `the ${scheme}: scheme is not allowed` };
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  if (name.includes('*')) return { reason: 'a wildcard may only stand for the first label' };
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(name) && !/^\[[0-9a-f:.]+\]$/i.test(name)) return { reason: 'not a valid host name' };
  if (wildcard && !name.includes('.')) return { reason: 'a wildcard over a whole top-level domain is too broad' };
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return { reason: 'not a valid port' };
  return { source: `${scheme.toLowerCase()}://${host.toLowerCase()}${port !== undefined ? `:${port}` : ''}${path ?? ''}` };
}

/** A stdio server, or an http one at a loopback address (a local development server), runs on this computer. */
function runsHere(server: ViewServer): boolean {
  if (server.transport === 'stdio') return true;
  const host = URL.parse(server.url)?.hostname;
  return host !== undefined && isLoopbackHost(host);
}

/**
 * Why the URL gate will not let a view of this server reach `source` (a checked source), or undefined when it will.
 * The rule is the one for addresses such a server names for Steward to fetch: a remote server's views reach public
 * https and wss hosts only; the views of a server on this computer may also reach it over plain http and ws. Neither
 * reaches the private network or a link-local address (a cloud machine's metadata service). A wildcard is judged by a
 * name under it, and may not stand for names on this computer (other servers' view origins in browser mode among them).
 */
function gateRefusal(source: string, server: ViewServer): string | undefined {
  const wildcard = /^[a-z]+:\/\/\*\./.test(source);
  const address = source
    .replace(/^wss:/, 'https:')
    .replace(/^ws:/, 'http:')
    .replace(/^([a-z]+:\/\/)\*\./, '$1wildcard.');
  const verdict = judgeUrl(address, runsHere(server) ? 'local-fetch' : 'remote-fetch');
  if (!verdict.allowed) return verdict.problems.join(' ');
  if (wildcard && isLoopbackHost(verdict.host)) return 'a wildcard over names on this computer is too broad';
  return undefined;
}

/** The declared domains Steward accepts for a view of `server`, and the ones it refuses with the reason. */
export function sanitizeCsp(raw: unknown, server: ViewServer): { csp: ViewCsp; refused: Refusal[] } {
  const csp: ViewCsp = {};
  const refused: Refusal[] = [];
  const record = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  for (const directive of DIRECTIVES) {
    const list = record[directive];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      refused.push({ directive, value: JSON.stringify(list).slice(0, 200), reason: 'not a list' });
      continue;
    }
    const kept: string[] = [];
    for (const value of list as unknown[]) {
      const checked = checkSource(value);
      const shown = typeof value === 'string' ? value.slice(0, 200) : JSON.stringify(value).slice(0, 200);
      const gated = 'source' in checked ? gateRefusal(checked.source, server) : undefined;
      if ('reason' in checked) refused.push({ directive, value: shown, reason: checked.reason });
      else if (gated !== undefined) refused.push({ directive, value: shown, reason: gated });
      else if (kept.includes(checked.source)) continue;
      else if (kept.length >= MAX_ENTRIES) refused.push({ directive, value: shown, reason: `more than ${MAX_ENTRIES} entries` });
      else kept.push(checked.source);
    }
    csp[directive] = kept;
  }
  return { csp, refused };
}

export interface CspContext {
  /** The one page allowed to frame the proxy (Steward's own origin). */
  frameAncestor: string;
  /** Where the browser reports what the policy blocked (a path on the proxy's origin). */
  reportUri: string;
  /** Where the view's server runs: what its declared origins may be follows from it. */
  server: ViewServer;
}

/**
 * The header, following the spec's template. Steward is stricter in three places: connect-src has no 'self' (the
 * proxy's origin serves views nothing to fetch), form-action is 'none', and frame-ancestors names Steward's page.
 * It lets scripts and workers also come from data: and blob: URLs, which a view can only make from its own code: with
 * the template's 'unsafe-inline' it can run any code it has anyway, and no origin is added — what the policy guards is
 * where a view may load from and send to, and that stays exactly the declared origins. Without them a view that
 * renders off the main thread (pdf.js, the PDF server's viewer) cannot start.
 */
export function buildCsp(declared: unknown, source: CspInForce['source'], context: CspContext): CspInForce {
  const { csp, refused } = sanitizeCsp(declared, context.server);
  const list = (values: string[] | undefined) => (values && values.length > 0 ? ` ${values.join(' ')}` : '');
  const resources = list(csp.resourceDomains);
  const directives = [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' data: blob:${resources}`,
    `style-src 'self' 'unsafe-inline'${resources}`,
    `img-src 'self' data:${resources}`,
    `font-src 'self'${resources}`,
    `media-src 'self' data:${resources}`,
    csp.connectDomains && csp.connectDomains.length > 0 ? `connect-src${list(csp.connectDomains)}` : "connect-src 'none'",
    csp.frameDomains && csp.frameDomains.length > 0 ? `frame-src${list(csp.frameDomains)}` : "frame-src 'none'",
    'worker-src blob: data:',
    "object-src 'none'",
    csp.baseUriDomains && csp.baseUriDomains.length > 0 ? `base-uri${list(csp.baseUriDomains)}` : "base-uri 'self'",
    "form-action 'none'",
    `frame-ancestors ${context.frameAncestor}`,
    `report-uri ${context.reportUri}`,
  ];
  return { header: directives.join('; '), declared: csp, refused, source };
}
