// Finding out which exact version a runner would fetch, so Steward can pin it before asking consent: `npm view` for npm
// packages (the registry's own answer on ranges and tags), PyPI's JSON API, and a pull plus inspect for container images.
import { spawn } from 'node:child_process';
import type { Ecosystem } from '../../../shared/domain/launch.js';
import { StewardError } from '../../../shared/errors.js';
import type { PinRequest } from '../security/index.js';

export interface ResolvedPackage {
  version: string;
  integrity: string | null;
  bin: Record<string, string> | null;
}

/** The port: one question to the package's registry. Tests may answer from a fixture; the host asks the real registry. */
export interface PackageResolver {
  resolve(request: PinRequest, env: Readonly<Record<string, string>>): Promise<ResolvedPackage>;
}

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

async function npmView(req: PinRequest, npm: string, env: Readonly<Record<string, string>>): Promise<ResolvedPackage> {
  const spec = `${req.name}@${req.requested || 'latest'}`;
  const ran = await run(npm, ['view', spec, 'name', 'version', 'bin', 'dist.integrity', '--json', '--registry', req.registry], env, 60_000);
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

async function fetchJson(url: string, what: string): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000), redirect: 'follow' });
  } catch (error) {
    throw new StewardError('registry_unreachable', `Steward could not reach ${new URL(url).host} to pin ${what} (${(error as Error).message}).`);
  }
  if (response.status === 404) throw new StewardError('package_not_found', `${new URL(url).host} has no ${what}.`);
  if (!response.ok) throw new StewardError('registry_unreachable', `${new URL(url).host} answered ${response.status} for ${what}.`);
  return (await response.json()) as Record<string, unknown>;
}

async function npmHttp(req: PinRequest): Promise<ResolvedPackage> {
  const doc = await fetchJson(`${req.registry}${req.name.replace('/', '%2f')}`, req.name);
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
  const doc = await fetchJson(`https://pypi.org/pypi/${encodeURIComponent(name)}/json`, name);
  const version = (doc.info as { version?: unknown } | undefined)?.version;
  if (typeof version !== 'string') throw new StewardError('package_not_found', `PyPI gave no version for ${name}.`);
  return { version, integrity: null, bin: null };
}

async function image(req: PinRequest, env: Readonly<Record<string, string>>): Promise<ResolvedPackage> {
  const ref = `${req.name}:${req.requested || 'latest'}`;
  const engine = req.tool;
  if (!engine) throw new StewardError('runtime_missing', `No container engine was found to pull ${ref}.`);
  const pulled = await run(engine, ['pull', ref], env, 15 * 60_000);
  if (pulled.code !== 0) {
    const text = `${pulled.stderr}\n${pulled.stdout}`;
    if (/pull access denied|manifest unknown|not found|does not exist/i.test(text)) throw new StewardError('package_not_found', `There is no image ${ref}.`);
    throw new StewardError('registry_unreachable', `Steward could not pull ${ref}: ${text.trim().split('\n').pop() ?? ''}`);
  }
  const inspected = await run(engine, ['image', 'inspect', '--format', '{{json .RepoDigests}}', ref], env, 60_000);
  let digests: unknown;
  try {
    digests = JSON.parse(inspected.stdout.trim() || '[]');
  } catch {
    digests = [];
  }
  const digest = Array.isArray(digests) ? (digests as unknown[]).map(String).find((d) => /@sha256:[a-f0-9]{64}$/.test(d)) : undefined;
  if (!digest) throw new StewardError('download_failed', `Steward could not read the digest of ${ref} to pin it.`);
  return { version: digest.slice(digest.indexOf('@') + 1), integrity: digest.slice(digest.indexOf('@') + 1), bin: null };
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
