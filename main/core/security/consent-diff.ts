// What changed between the launch the user last approved and the one now asked for, field by field (old → new) and
// one sentence per change. Values of variables are compared by digest only: a changed secret is named, never shown.
import type { LaunchChange, LaunchSpec } from '../../../shared/domain/servers.js';
import { quoteCommandLine } from './shell-quote.js';

type Loose = Partial<Omit<LaunchSpec, 'sandbox'>> & { sandbox?: Partial<LaunchSpec['sandbox']> };

function listChanges(field: string, before: readonly string[] | undefined, after: readonly string[]): LaunchChange[] {
  const old = new Set(before ?? []);
  const now = new Set(after);
  return [
    ...after.filter((x) => !old.has(x)).map((x): LaunchChange => ({ field, change: 'added', before: null, after: x })),
    ...[...old].filter((x) => !now.has(x)).map((x): LaunchChange => ({ field, change: 'removed', before: x, after: null })),
  ];
}

function valueChange(field: string, before: string | undefined, after: string): LaunchChange[] {
  return before === after ? [] : [{ field, change: 'changed', before: before ?? null, after }];
}

/**
 * `previous` is the stored spec of the last approval (an older Steward may have stored fewer fields). Every variable is
 * listed once something changed, with whether its value did: the user sees which secrets stay as they were.
 */
export function diffLaunch(previous: Loose | undefined, next: LaunchSpec): LaunchChange[] {
  if (!previous) return [];
  const out: LaunchChange[] = [];
  out.push(...valueChange('Program', previous.command, next.command));
  if (previous.command === next.command && previous.realCommand !== undefined) out.push(...valueChange('Program file', previous.realCommand, next.realCommand));
  if (JSON.stringify(previous.args ?? []) !== JSON.stringify(next.args)) {
    out.push({ field: 'Arguments', change: 'changed', before: quoteCommandLine(previous.args ?? []), after: quoteCommandLine(next.args) });
  }
  out.push(...valueChange('Working folder', previous.cwd, next.cwd));
  const ps = previous.sandbox ?? {};
  const ns = next.sandbox;
  out.push(...valueChange('Sandbox', ps.mode, ns.mode));
  out.push(...listChanges('May write to', ps.writePaths, ns.writePaths));
  out.push(...listChanges('Shown hidden location', ps.readPaths, ns.readPaths));
  out.push(...listChanges('Network', ps.allowedDomains, ns.allowedDomains));
  out.push(...listChanges('Hidden from it', ps.denyReadPaths, ns.denyReadPaths));
  const pv = (previous.runner?.packages ?? []).map((p) => `${p.name} ${p.version ?? '(unpinned)'}`);
  const nv = (next.runner?.packages ?? []).map((p) => `${p.name} ${p.version ?? '(unpinned)'}`);
  out.push(...listChanges('Packages', pv, nv));
  out.push(...valueChange('Launch', previous.runner?.mode ?? 'as written', next.runner?.mode ?? 'as written'));
  const env = envChanges(previous, next);
  const changed = out.length > 0 || env.some((e) => e.change !== 'unchanged') || previous.hash !== next.hash;
  return changed ? [...out, ...env] : [];
}

function envChanges(previous: Loose, next: LaunchSpec): LaunchChange[] {
  const before = new Set(previous.envNames ?? []);
  const names = [...new Set([...before, ...next.envNames])].sort();
  return names.map((name): LaunchChange => {
    const field = `Variable ${name}`;
    if (!before.has(name)) return { field, change: 'added', before: null, after: null };
    if (!next.envNames.includes(name)) return { field, change: 'removed', before: null, after: null };
    const old = previous.envDigests?.[name];
    return { field, change: old !== undefined && old !== next.envDigests[name] ? 'changed' : 'unchanged', before: null, after: null };
  });
}

function sentence(c: LaunchChange): string {
  if (c.field.startsWith('Variable ')) {
    const name = c.field.slice('Variable '.length);
    if (c.change === 'changed') return `The value of ${name} changed`;
    return `Environment variables: ${c.change} ${name}`;
  }
  if (c.change === 'added') return `${c.field}: added ${c.after ?? ''}`;
  if (c.change === 'removed') return `${c.field}: removed ${c.before ?? ''}`;
  return `${c.field}: ${c.before ?? '?'} → ${c.after ?? '?'}`;
}

/** The changes as sentences (unchanged variables left out). */
export function describeChanges(previous: Loose | undefined, next: LaunchSpec): string[] {
  const diff = diffLaunch(previous, next);
  const out = diff.filter((c) => c.change !== 'unchanged').map(sentence);
  // A change that none of the above explains still changed the hash; say so rather than show nothing.
  if (out.length === 0 && diff.length > 0) out.push('Details of the launch changed (Steward’s own folders or the download step).');
  return out;
}
