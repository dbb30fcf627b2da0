// What changed between the launch the user last approved and the one now asked for, one sentence per change.
// Values of variables are compared by digest only: a changed secret is named, never shown.
import type { LaunchSpec } from '../../../shared/domain/servers.js';

type Loose = Partial<Omit<LaunchSpec, 'sandbox'>> & { sandbox?: Partial<LaunchSpec['sandbox']> };

function listChange(what: string, before: readonly string[] | undefined, after: readonly string[]): string[] {
  const old = new Set(before ?? []);
  const now = new Set(after);
  const added = after.filter((x) => !old.has(x));
  const removed = [...old].filter((x) => !now.has(x));
  return [...(added.length > 0 ? [`${what}: added ${added.join(', ')}`] : []), ...(removed.length > 0 ? [`${what}: removed ${removed.join(', ')}`] : [])];
}

/** `previous` is the stored spec of the last approval (an older Steward may have stored fewer fields). */
export function describeChanges(previous: Loose | undefined, next: LaunchSpec): string[] {
  if (!previous) return [];
  const out: string[] = [];
  if (previous.command !== next.command) out.push(`Program: ${previous.command ?? '?'} → ${next.command}`);
  else if (previous.realCommand !== undefined && previous.realCommand !== next.realCommand) {
    out.push(`The program file behind ${next.command} changed: ${previous.realCommand} → ${next.realCommand}`);
  }
  if (JSON.stringify(previous.args ?? []) !== JSON.stringify(next.args))
    out.push(`Arguments: ${JSON.stringify(previous.args ?? [])} → ${JSON.stringify(next.args)}`);
  if (previous.cwd !== next.cwd) out.push(`Working folder: ${previous.cwd ?? '?'} → ${next.cwd}`);
  out.push(...listChange('Environment variables', previous.envNames, next.envNames));
  for (const name of next.envNames) {
    const before = previous.envDigests?.[name];
    if (before !== undefined && before !== next.envDigests[name]) out.push(`The value of ${name} changed`);
  }
  const ps = previous.sandbox ?? {};
  const ns = next.sandbox;
  if (ps.mode !== ns.mode) out.push(`Sandbox: ${ps.mode ?? '?'} → ${ns.mode}`);
  out.push(...listChange('May write to', ps.writePaths, ns.writePaths));
  out.push(...listChange('Shown hidden locations', ps.readPaths, ns.readPaths));
  out.push(...listChange('Network', ps.allowedDomains, ns.allowedDomains));
  out.push(...listChange('Hidden from it', ps.denyReadPaths, ns.denyReadPaths));
  const pv = (previous.runner?.packages ?? []).map((p) => `${p.name} ${p.version ?? '(unpinned)'}`);
  const nv = (next.runner?.packages ?? []).map((p) => `${p.name} ${p.version ?? '(unpinned)'}`);
  out.push(...listChange('Packages', pv, nv));
  if ((previous.runner?.mode ?? null) !== (next.runner?.mode ?? null))
    out.push(`Launch: ${previous.runner?.mode ?? 'as written'} → ${next.runner?.mode ?? 'as written'}`);
  // A change that none of the above explains still changed the hash; say so rather than show nothing.
  if (out.length === 0 && previous.hash !== next.hash) out.push('Details of the launch changed (Steward’s own folders or the download step).');
  return out;
}
