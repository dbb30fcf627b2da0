// Finding out which exact version a runner would fetch, so Steward can pin it before asking consent. Nothing has been
// agreed to yet, so nothing the config names runs: npm packages are looked up with the host's own npm (`npm view`, the
// registry's own answer on ranges and tags) when the planner found one that runs, else over HTTPS, like PyPI's JSON API
// and an image's manifest digest (never a pull). Every address passes the URL gate, redirects included, and answers
// are capped.
import { spawn } from 'node:child_process';
import type { Ecosystem } from '../../../shared/domain/launch.js';
import { StewardError } from '../../../shared/errors.js';
import { judgeUrl, type PinRequest } from '../security/index.js';

export interface ResolvedPackage {
  version: string;
  integrity: string | null;
  bin: Record<string, string> | null;
}

/**
 * The port: one question to the package's registry. Tests may answer from a fixture; the host asks the real registry.
 * `request.tool` is a program the planner trusts (the host's own npm), never one the config names.
 */
export interface PackageResolver {
  resolve(request: PinRequest, env: Readonly<Record<string, string>>): Promise<ResolvedPackage>;
}

/** The most one registry answer may hold: an npm document lists every version, so it is large, but never without end. */
export const REGISTRY_ANSWER_BYTES = 32 * 1024 * 1024;
const REQUEST_MS = 30_000;
const MAX_REDIRECTS = 5;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Readonly<Record<string, string>>, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
    let stdout = '';
    let stderr = '';
    const cap = (s: string, more: Buffer) => (s.length > 4_000_000 ? s : s + more.toString('utf8'));
    child.stdout.on('data', (c: Buffer) => (stdout = cap(stdout, c)));
    child.stderr.on('data', (c: Buffer) => (stderr = cap(stderr, c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Why a spawn fails before the program runs. */
const NOT_RUN = new Set(['ENOENT', 'EACCES', 'ENOEXEC']);

const NETWORK_CODES = /E(NOTFOUND|AI_AGAIN|TIMEDOUT|CONNREFUSED|CONNRESET)|ENETUNREACH|SELF_SIGNED|CERT_/;

function npmFailure(name: string, requested: string, ran: Ran): StewardError {
  let code = '';
  let summary = ran.stderr.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(ran.stdout) as { error?: { code?: string; summary?: string } };
    code = parsed.error?.code ?? '';
    summary = parsed.error?.summary ?? summary;
  } catch {
    code = /code (E\w+)/.exec(ran.stderr)?.[1] ?? '';
  }
  const what = `${name}${requested ? `@${requested}` : ''}`;
  if (code === 'E404' || code === 'ETARGET') return new StewardError('package_not_found', `The npm registry has no ${what} (${summary}).`);
  if (NETWORK_CODES.test(code) || NETWORK_CODES.test(ran.stderr)) {
    return new StewardError('registry_unreachable', `Steward could not reach the npm registry to pin ${what} (${summary || code}).`);
  }
  return new StewardError('download_failed', `npm could not look up ${what}: ${summary || `exit code ${ran.code}`}.`);
}

function binMap(name: string, bin: unknown): Record<string, string> | null {
  if (typeof bin === 'string') return { [name.replace(/^@[^/]+\//, '')]: bin };
  if (bin && typeof bin === 'object') {
    return Object.fromEntries(Object.entries(bin as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  return null;
}

/** The address as the gate lets it be fetched; a refused one is never contacted. */
function gated(url: string, what: string, hint: string): string {
  const verdict = judgeUrl(url, 'remote-fetch');
  if (!verdict.allowed) {
    throw new StewardError('config_invalid', `Steward will not ask ${verdict.display} about ${what}: ${[...verdict.problems, hint].filter(Boolean).join(' ')}`);
  }
  return verdict.canonical;
}

const hostOf = (url: string) => URL.parse(url)?.host ?? url;

/** A request whose every address, each redirect included, passes the gate; credentials never follow a redirect elsewhere. */
async function request(url: string, init: RequestInit, what: string, hint: string): Promise<Response> {
  let current = url;
  const headers = new Headers(init.headers);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const target = gated(current, what, hint);
    let response: Response;
    try {
      response = await fetch(target, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_MS) });
    } catch (error) {
      throw new StewardError('registry_unreachable', `Steward could not reach ${hostOf(target)} to pin ${what} (${(error as Error).message}).`);
    }
    if (![301, 302, 303, 307, 308].includes(response.status)) return response;
    await response.body?.cancel();
    const location = response.headers.get('location');
    const next = location === null ? null : URL.parse(location, target);
    if (!next) throw new StewardError('registry_unreachable', `${hostOf(target)} redirected the question about ${what} nowhere.`);
    if (next.origin !== new URL(target).origin) headers.delete('authorization');
    current = next.href;
  }
  throw new StewardError('registry_unreachable', `The registry redirected the question about ${what} more than ${MAX_REDIRECTS} times.`);
}

/** The body, read up to the cap: a registry that answers without end is cut off, not held whole. */
async function readCapped(response: Response, what: string): Promise<string> {
  if (!response.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (bytes > REGISTRY_ANSWER_BYTES) {
      await reader.cancel();
      throw new StewardError(
        'download_failed',
        `The registry's answer about ${what} is larger than ${REGISTRY_ANSWER_BYTES} bytes; Steward stopped reading it.`,
      );
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString('utf8');
}

async function fetchJson(url: string, what: string, hint: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await request(url, { headers }, what, hint);
  if (response.status === 404) {
    await response.body?.cancel();
    throw new StewardError('package_not_found', `${hostOf(url)} has no ${what}.`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new StewardError('registry_unreachable', `${hostOf(url)} answered ${response.status} for ${what}.`);
  }
  let text: string;
  try {
    text = await readCapped(response, what);
  } catch (error) {
    if (error instanceof StewardError) throw error;
    throw new StewardError('registry_unreachable', `Steward could not read ${hostOf(url)}'s answer about ${what} (${(error as Error).message}).`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Answered below.
  }
  throw new StewardError('download_failed', `${hostOf(url)} answered something Steward cannot read about ${what}.`);
}

const registryOf = (req: PinRequest) => (req.registry.endsWith('/') ? req.registry : `${req.registry}/`);

async function npmView(req: PinRequest, npm: string, env: Readonly<Record<string, string>>): Promise<ResolvedPackage> {
  const spec = `${req.name}@${req.requested || 'latest'}`;
  // npm itself contacts the registry: the address is judged first, as for a request of Steward's own.
  const registry = gated(registryOf(req), spec, 'Use a registry on the internet, or give an exact version.');
  let ran: Ran;
  try {
    ran = await run(npm, ['view', spec, 'name', 'version', 'bin', 'dist.integrity', '--json', '--registry', registry], env, 60_000);
  } catch (error) {
    if (NOT_RUN.has((error as NodeJS.ErrnoException).code ?? '')) return npmHttp(req);
    throw error;
  }
  // 126 and 127 are how a shell or `env` says the program never ran (no node for npm's `#!/usr/bin/env node`): npm
  // gave no answer at all, so the registry is asked over HTTPS as if there were no npm.
  if (ran.code === 126 || ran.code === 127) return npmHttp(req);
  if (ran.code !== 0) throw npmFailure(req.name, req.requested, ran);
  let parsed: unknown;
  try {
    parsed = JSON.parse(ran.stdout || 'null');
  } catch {
    throw new StewardError('download_failed', `npm answered something Steward cannot read about ${spec}.`);
  }
  // A range that matches several versions comes back as a list, oldest first: the newest is what npx would take.
  const entry = (Array.isArray(parsed) ? parsed.at(-1) : parsed) as Record<string, unknown> | null | undefined;
  const version = typeof entry?.version === 'string' ? entry.version : undefined;
  if (!version) throw new StewardError('package_not_found', `The npm registry has no version of ${spec}.`);
  const integrity = typeof entry?.['dist.integrity'] === 'string' ? entry['dist.integrity'] : null;
  return { version, integrity, bin: binMap(req.name, entry?.bin) };
}

async function npmHttp(req: PinRequest): Promise<ResolvedPackage> {
  // The abbreviated document: every version's commands and checksum, without the rest.
  const doc = await fetchJson(`${registryOf(req)}${req.name.replace('/', '%2f')}`, req.name, 'Use a registry on the internet, or give an exact version.', {
    accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8',
  });
  const tags = (doc['dist-tags'] ?? {}) as Record<string, string>;
  const versions = (doc.versions ?? {}) as Record<string, { version?: string; bin?: unknown; dist?: { integrity?: string } }>;
  const version = tags[req.requested || 'latest'] ?? (versions[req.requested] ? req.requested : undefined);
  if (!version) {
    throw new StewardError('package_not_found', `Steward cannot pin ${req.name}@${req.requested} without npm: give an exact version (${req.name}@1.2.3).`);
  }
  const meta = versions[version];
  return { version, integrity: meta?.dist?.integrity ?? null, bin: binMap(req.name, meta?.bin) };
}

async function pypi(req: PinRequest): Promise<ResolvedPackage> {
  const name = req.name.replace(/\[.*$/, '');
  if (req.requested !== '') {
    throw new StewardError('package_not_found', `Steward pins ${name} only when no version is asked for; give an exact one (${name}==1.2.3).`);
  }
  if (!/^https:\/\/pypi\.org(\/|$)/.test(req.registry)) {
    throw new StewardError('package_not_found', `Steward cannot ask ${req.registry} for versions; give an exact one (${name}==1.2.3).`);
  }
  const doc = await fetchJson(`https://pypi.org/pypi/${encodeURIComponent(name)}/json`, name, '');
  const version = (doc.info as { version?: unknown } | undefined)?.version;
  if (typeof version !== 'string') throw new StewardError('package_not_found', `PyPI gave no version for ${name}.`);
  return { version, integrity: null, bin: null };
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Where an image's manifests are asked for: its registry's API host, and the repository there (Docker Hub by default). */
function imageRegistry(name: string): { host: string; repo: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const named = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = !named || first === 'docker.io' || first === 'index.docker.io' ? 'registry-1.docker.io' : first;
  const repo = named ? name.slice(slash + 1) : name;
  return { host, repo: host === 'registry-1.docker.io' && !repo.includes('/') ? `library/${repo}` : repo };
}

/** The anonymous token a registry's Bearer challenge offers for pulling one repository, if it offers one. */
async function bearerToken(challenge: string | null, repo: string, what: string, hint: string): Promise<string | undefined> {
  if (!challenge || !/^bearer\s/i.test(challenge)) return undefined;
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [(m[1] ?? '').toLowerCase(), m[2] ?? '']));
  const realm = params.realm ? URL.parse(params.realm) : null;
  if (!realm) return undefined;
  if (params.service) realm.searchParams.set('service', params.service);
  realm.searchParams.set('scope', params.scope ?? `repository:${repo}:pull`);
  const doc = await fetchJson(realm.href, what, hint);
  const token = doc.token ?? doc.access_token;
  return typeof token === 'string' ? token : undefined;
}

/** An image's digest, from its registry's answer about the tag: the engine is not asked, since a pull would run it. */
async function image(req: PinRequest): Promise<ResolvedPackage> {
  const tag = req.requested || 'latest';
  const ref = `${req.name}:${tag}`;
  const hint = `Write the image with its digest (${req.name}@sha256:…) to run it.`;
  const { host, repo } = imageRegistry(req.name);
  const url = `https://${host}/v2/${repo}/manifests/${encodeURIComponent(tag)}`;
  const ask = (token?: string) =>
    request(url, { method: 'HEAD', headers: { accept: MANIFEST_TYPES, ...(token ? { authorization: `Bearer ${token}` } : {}) } }, ref, hint);
  let response = await ask();
  if (response.status === 401) {
    const token = await bearerToken(response.headers.get('www-authenticate'), repo, ref, hint);
    if (token) response = await ask(token);
  }
  await response.body?.cancel();
  if (response.status === 401 || response.status === 403) {
    throw new StewardError('package_not_found', `${host} does not show ${ref} without signing in, and Steward signs in nowhere before you agree. ${hint}`);
  }
  if (response.status === 404) throw new StewardError('package_not_found', `There is no image ${ref}.`);
  if (!response.ok) throw new StewardError('registry_unreachable', `${host} answered ${response.status} for ${ref}.`);
  const digest = response.headers.get('docker-content-digest') ?? '';
  if (!/^sha256:[a-f0-9]{64}$/.test(digest))
    throw new StewardError('download_failed', `${host} did not give the digest of ${ref}, so Steward cannot pin it. ${hint}`);
  return { version: digest, integrity: digest, bin: null };
}

const BY_ECOSYSTEM: Record<Ecosystem, (req: PinRequest, env: Readonly<Record<string, string>>) => Promise<ResolvedPackage>> = {
  npm: (req, env) => (req.tool ? npmView(req, req.tool, env) : npmHttp(req)),
  pypi: (req) => pypi(req),
  oci: image,
};

export const registryResolver: PackageResolver = {
  async resolve(request, env) {
    try {
      return await BY_ECOSYSTEM[request.ecosystem](request, env);
    } catch (error) {
      if (error instanceof StewardError) throw error;
      throw new StewardError('download_failed', `Steward could not look up ${request.name}: ${(error as Error).message}.`);
    }
  },
};
