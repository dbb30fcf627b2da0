// A bundle's manifest: validated against @anthropic-ai/mcpb's strict schema for its declared version (0.1–0.4), and
// its compatibility (platforms, Node.js version) checked against this computer before anything is installed.
import type { McpbManifestAny } from '@anthropic-ai/mcpb';
import { StewardError } from '../../../shared/errors.js';
import { loadMcpb } from './mcpb.js';

export type Manifest = McpbManifestAny;

const VERSIONS = ['0.1', '0.2', '0.3', '0.4'] as const;

export async function parseManifest(text: string): Promise<Manifest> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StewardError('bundle_invalid', `The bundle's manifest.json is not valid JSON (${(error as Error).message}).`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new StewardError('bundle_invalid', "The bundle's manifest.json is not an object.");
  const declared = (json as Record<string, unknown>).manifest_version ?? (json as Record<string, unknown>).dxt_version;
  const version = VERSIONS.find((v) => v === declared);
  if (!version) {
    throw new StewardError('bundle_invalid', `The bundle declares manifest version ${JSON.stringify(declared ?? null)}; Steward reads versions 0.1 to 0.4.`);
  }
  const { MANIFEST_SCHEMAS } = await loadMcpb();
  const parsed = MANIFEST_SCHEMAS[version].safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new StewardError('bundle_invalid', `The bundle's manifest is not valid (version ${version}): ${first.join('; ')}.`);
  }
  return parsed.data;
}

export function manifestVersion(m: Manifest): string {
  return m.manifest_version ?? m.dxt_version ?? '';
}

interface SemVer {
  major: number;
  minor: number;
  patch: number;
}

function parseVersion(v: string): SemVer | undefined {
  const m = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(v.trim());
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined || s === 'x' || s === '*' ? 0 : Number(s));
  return { major: Number(m[1]), minor: n(m[2]), patch: n(m[3]) };
}

const cmp = (a: SemVer, b: SemVer) => a.major - b.major || a.minor - b.minor || a.patch - b.patch;

/** Whether `version` satisfies a range of the usual forms: >=, >, <=, <, =, ^, ~, x, "a || b", "a b" (and). */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  return range.split('||').some((alt) =>
    alt
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((term) => {
        const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(term);
        const r = m?.[2] === undefined ? undefined : parseVersion(m[2]);
        if (!m || !r) return term === '*' || term === 'x';
        const c = cmp(v, r);
        switch (m[1]) {
          case '>=':
            return c >= 0;
          case '>':
            return c > 0;
          case '<=':
            return c <= 0;
          case '<':
            return c < 0;
          case '^':
            return c >= 0 && v.major === r.major;
          case '~':
            return c >= 0 && v.major === r.major && v.minor === r.minor;
          default: {
            // "18", "18.x", "18.2": a prefix; "18.2.1": exactly that version.
            const fixed = (m[2] ?? '').split('.').filter((p) => /^\d+$/.test(p)).length;
            if (fixed >= 3) return c === 0;
            return v.major === r.major && (fixed < 2 || v.minor === r.minor);
          }
        }
      }),
  );
}

export interface CompatibilityContext {
  platform: NodeJS.Platform;
  /** The Node.js version a node bundle would run on. */
  nodeVersion: string;
}

/** The first unmet requirement of the manifest's `compatibility`, as a sentence; undefined when it is met. */
export function incompatibility(m: Manifest, ctx: CompatibilityContext): string | undefined {
  const c = m.compatibility;
  if (!c) return undefined;
  if (c.platforms && !c.platforms.includes(ctx.platform as 'darwin' | 'win32' | 'linux')) {
    return `This bundle runs only on ${c.platforms.join(', ')}; this computer is ${ctx.platform}.`;
  }
  const node = c.runtimes?.node;
  if (node && m.server.type === 'node' && !satisfies(ctx.nodeVersion, node)) {
    return `This bundle needs Node.js ${node}; Steward would run it on Node.js ${ctx.nodeVersion}.`;
  }
  return undefined;
}
