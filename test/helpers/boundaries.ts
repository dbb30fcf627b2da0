// The layer rules of docs/architecture.md as code: which folder may import what.
import { dirname, join, normalize } from 'node:path';

export interface SourceFile {
  /** Repo-relative path with forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) out.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return out;
}

const NODE_BUILTINS = new Set([
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'url',
  'util',
  'events',
  'stream',
  'worker_threads',
  'readline',
  'tls',
  'dns',
  'zlib',
  'buffer',
  'process',
]);

function layerOf(path: string): string | undefined {
  for (const layer of ['shared/', 'main/core/', 'main/app/', 'main/preload/', 'main/web/', 'main/cli/', 'renderer/', 'examples/']) {
    if (path.startsWith(layer)) return layer;
  }
  return undefined;
}

/** Where a relative import lands, repo-relative; undefined for packages. */
function target(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return normalize(join(dirname(file), specifier)).replaceAll('\\', '/');
}

const isNode = (s: string) => s.startsWith('node:') || NODE_BUILTINS.has(s.split('/')[0]!);
const isElectron = (s: string) => s === 'electron' || s.startsWith('electron/');
const isReact = (s: string) => s === 'react' || s.startsWith('react/') || s === 'react-dom' || s.startsWith('react-dom/');

type Rule = (spec: string, landed: string | undefined) => string | undefined;

const RULES: Record<string, Rule[]> = {
  'shared/': [
    (s) => (isNode(s) ? 'shared/ knows no runtime (node)' : undefined),
    (s) => (isElectron(s) ? 'shared/ knows no runtime (electron)' : undefined),
    (s) => (isReact(s) ? 'shared/ knows no UI (react)' : undefined),
    (s, t) => (t !== undefined && !t.startsWith('shared/') ? 'shared/ imports only shared/' : undefined),
    (s, t) => (t === undefined && s !== 'zod' ? 'shared/ depends on zod only' : undefined),
  ],
  'main/core/': [
    (s) => (isElectron(s) ? 'the core runs without Electron' : undefined),
    (s) => (isReact(s) ? 'the core has no UI' : undefined),
    (s, t) => (t && /^main\/(app|web|cli|preload)\//.test(t) ? 'transports sit above the core' : undefined),
    (s, t) => (t?.startsWith('renderer/') ? 'the core never imports the UI' : undefined),
  ],
  'main/app/': [
    (s, t) => (t?.startsWith('renderer/') || t?.startsWith('main/web/') || t?.startsWith('main/cli/') ? 'app reaches only core and shared' : undefined),
  ],
  'main/preload/': [
    (s, t) => (t !== undefined && !t.startsWith('shared/') && !t.startsWith('main/preload/') ? 'the bridge carries the contract, nothing else' : undefined),
    (s, t) => (t === undefined && !isElectron(s) && s !== 'zod' ? 'the preload imports electron and shared/ only' : undefined),
  ],
  'main/web/': [
    (s) => (isElectron(s) ? 'browser mode runs without Electron' : undefined),
    (s, t) => (t && /^(main\/(app|cli|preload)|renderer)\//.test(t) ? 'web reaches only core and shared' : undefined),
  ],
  'main/cli/': [
    (s) => (isElectron(s) ? 'the CLI runs without Electron' : undefined),
    (s, t) => (t && /^(main\/(app|web|preload)|renderer)\//.test(t) ? 'the CLI reaches only core and shared' : undefined),
  ],
  'renderer/': [
    (s) => (isNode(s) ? 'the renderer has no Node' : undefined),
    (s) => (isElectron(s) ? 'the UI reaches the host only through the contract' : undefined),
    (s, t) => (t?.startsWith('main/') ? 'the UI reaches the host only through the contract' : undefined),
  ],
  'examples/': [(s, t) => (t && !t.startsWith('examples/') ? 'examples are ordinary MCP servers' : undefined)],
};

/** main/core domains are reached only through their index.ts. */
function domainRule(file: string, landed: string | undefined): string | undefined {
  if (!landed || !file.startsWith('main/core/') || !landed.startsWith('main/core/')) return undefined;
  const domainOf = (p: string) => p.slice('main/core/'.length).split('/');
  const [fromDomain, ...fromRest] = domainOf(file);
  const [toDomain, ...toRest] = domainOf(landed);
  if (toRest.length === 0 || fromDomain === toDomain) return undefined;
  if (fromRest.length === 0 && toRest.length === 0) return undefined;
  const entry = toRest.join('/');
  return entry === 'index.js' || entry === 'index.ts' || entry === 'index' ? undefined : `other domains import ${toDomain}/ only through its index.ts`;
}

const SQL = /\b(SELECT\s+[\w*]|INSERT\s+INTO|CREATE\s+(TABLE|INDEX)|DELETE\s+FROM|UPDATE\s+\w+\s+SET|PRAGMA\s+\w+)/;

export function checkBoundaries(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    if (!layer) continue;
    for (const specifier of importsOf(file.text)) {
      const landed = target(file.path, specifier);
      for (const rule of [...(RULES[layer] ?? []), (s: string, t: string | undefined) => domainRule(file.path, t)]) {
        const broken = rule(specifier, landed);
        if (broken) violations.push({ file: file.path, specifier, rule: broken });
      }
    }
    if (file.path.startsWith('main/') && !file.path.startsWith('main/core/store/') && SQL.test(file.text)) {
      violations.push({ file: file.path, specifier: '(SQL)', rule: 'SQL lives only in main/core/store/' });
    }
  }
  return violations;
}
