// Launch texts for the terminal: the consent request in full, a failure with its fix, grants, upgrades and bundles.
// Every value that came from a server, a config, a bundle or the network goes through terminalSafe.
import type { BundlePreview, BundleView } from '../../shared/domain/bundles.js';
import type { ConsentRequest, ServerError, ServerView } from '../../shared/domain/servers.js';
import { megabytes, sandboxSummary, table } from './format.js';
import { terminalSafe } from '../core/node/index.js';

const f = (text: string) => terminalSafe(text);
const list = (items: readonly string[]) => f(items.join(', '));

/** A failure in one line, the evidence, and the fix: the exact command where there is one. */
export function failureText(e: ServerError): string {
  const x = e.failure;
  if (!x) return `Failed: ${f(e.code)}: ${f(e.message)}`;
  const lines = [`Failed: ${f(x.summary)}`, `  seen:   ${f(x.evidence)}`];
  if (x.fix.command) lines.push(`  fix:    ${f(x.fix.command)}${x.fix.kind.startsWith('allow') ? '   (then approve the changed launch)' : ''}`);
  if (x.fix.hint) lines.push(`  what to do: ${f(x.fix.hint)}`);
  return lines.join('\n');
}

export function grantText(s: ServerView, verb: 'grant' | 'revoke'): string {
  return [
    `${verb === 'grant' ? 'Granted' : 'Revoked'}. "${f(s.name)}" now: ${sandboxSummary(s)}.`,
    s.transport === 'stdio' ? `The launch changed, so it runs again only after you approve it: steward consent approve "${f(s.name)}"` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function upgradeText(s: ServerView, changes: ReadonlyArray<{ name: string; from: string; to: string }>): string {
  if (changes.length === 0)
    return `"${f(s.name)}" already runs the newest versions its command allows: ${s.packages.map((p) => `${f(p.name)} ${f(p.version)}`).join(', ') || 'no packages'}.`;
  return [
    `Pinned new versions for "${f(s.name)}":`,
    ...changes.map((c) => `  ${f(c.name)}: ${f(c.from)} → ${f(c.to)}`),
    `It runs them only after you approve the changed launch: steward consent approve "${f(s.name)}"`,
  ].join('\n');
}

function runnerLines(r: ConsentRequest): string[] {
  const runner = r.spec.runner;
  if (!runner) return [];
  const how = runner.mode === 'prefetch' ? 'downloaded once, then run offline' : runner.mode === 'own-cache' ? 'with a cache of its own' : 'in a container';
  const lines = [`Runner: ${runner.tool} (${how})`, ...runner.notes.map((n) => `  ${f(n)}`)];
  for (const p of runner.packages) {
    const pinned = p.pinnedBy === 'steward' ? ` — pinned at first install; update it with: steward servers upgrade "${f(r.serverName)}"` : '';
    lines.push(`  package: ${f(p.name)} ${p.version === null ? '(not pinned)' : f(p.version)}${pinned}`);
  }
  return [...lines, ''];
}

function sandboxLines(r: ConsentRequest): string[] {
  const sb = r.spec.sandbox;
  if (sb.mode === 'enforced') {
    const writes = [
      ...sb.writePaths.map((p) => `${f(p)}  (your grant)`),
      ...sb.ownWritePaths.map((p) => `${f(p)}  (its own folder)`),
      `${list(sb.runtimeWritePaths)}  (the sandbox itself)`,
    ];
    const lines = ['Sandbox:         on', `  May write:     ${writes[0] ?? ''}`, ...writes.slice(1).map((w) => `                 ${w}`)];
    if (sb.ownReadPaths.length > 0) lines.push(`  Reads its code: ${list(sb.ownReadPaths)} (read-only)`);
    lines.push(`  May read:      everything else except ${sb.denyReadPaths.length} hidden locations (keys, credentials, history, browsers, Steward's data)`);
    if (sb.readPaths.length > 0) lines.push(`  Shown to it:   ${list(sb.readPaths)}`);
    lines.push(`  Network:       ${sb.allowedDomains.length > 0 ? `only ${list(sb.allowedDomains)}` : 'none'}`);
    return lines;
  }
  if (sb.mode === 'container')
    return [`Sandbox:         a container (the container engine isolates it)${sb.writePaths.length > 0 ? `; it may write ${list(sb.writePaths)}` : ''}`];
  return [
    sb.mode === 'off'
      ? 'Sandbox:         OFF (your choice) — it runs with all your rights'
      : 'Sandbox:         not available on this system — it runs with all your rights',
  ];
}

export function consentText(r: ConsentRequest): string {
  const lines = [`"${f(r.serverName)}" wants to run a program on this computer.`];
  if (r.changedSince) {
    lines.push(`The launch changed since you last decided (${f(r.changedSince)}):`);
    for (const c of r.changes) lines.push(`  - ${f(c)}`);
  }
  lines.push('', ...runnerLines(r));
  const d = r.spec.runner?.download;
  if (d) {
    lines.push(
      `Step 1 — download, once${d.sandboxed ? ` (sandboxed: network only to ${list(d.allowedDomains)}; writes only to ${list(d.writePaths)})` : ' (by the container engine)'}:`,
      `  ${f(d.commandLine)}`,
      'Step 2 — run (exactly as it will run, no shell):',
    );
  } else lines.push('Command (exactly as it will run, no shell):');
  lines.push(`  ${f(r.commandLine)}`, '', `Working folder:  ${f(r.spec.cwd)}`);
  lines.push(`Environment:     ${r.spec.envNames.length > 0 ? list(r.spec.envNames) : '(only the safe basics: HOME, PATH, USER, ...)'}`);
  for (const e of r.spec.flaggedEnv) lines.push(`  ${f(e.name)}=${f(e.shown)}  — ${f(e.why)}`);
  lines.push(...sandboxLines(r), `Consent hash:    ${r.spec.hash}`);
  if (r.findings.length > 0) {
    lines.push('', 'Look closely:');
    for (const x of r.findings) lines.push(`  [${x.severity}] ${f(x.message)}${x.evidence && x.evidence.length < 200 ? `\n           ${f(x.evidence)}` : ''}`);
  }
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}

/** The install screen of a bundle, as text: what it is, who says they made it, what it promises and asks for. */
export function bundlePreviewText(p: BundlePreview): string {
  const lines = [
    `${f(p.displayName)} ${f(p.version)}  (bundle ${f(p.name)}, manifest ${f(p.manifestVersion)}, ${f(p.serverType)} server)`,
    `  by:        ${f(p.author.name)}${p.author.email ? ` <${f(p.author.email)}>` : ''}${p.author.url ? ` ${f(p.author.url)}` : ''}`,
    `  about:     ${f(p.description)}`,
    `  signature: ${p.signature.state} — ${f(p.signature.note)}`,
  ];
  if (p.existing) {
    const kept = p.existing.publisherChanged
      ? 'from another author or signer: its secret settings and what you allowed it are not kept'
      : 'its settings are kept';
    lines.push(`  updates:   ${f(p.existing.serverName)} ${f(p.existing.version)} → ${f(p.version)} (${kept})`);
  }
  if (p.homepage) lines.push(`  homepage:  ${f(p.homepage)}`);
  if (p.license) lines.push(`  license:   ${f(p.license)}`);
  lines.push(`  tools:     ${p.tools.length > 0 ? list(p.tools.map((t) => t.name)) : p.toolsGenerated ? '(listed when it runs)' : 'none declared'}`);
  if (p.prompts.length > 0) lines.push(`  prompts:   ${list(p.prompts.map((x) => x.name))}`);
  lines.push(`  privacy:   ${p.privacyPolicies.length > 0 ? list(p.privacyPolicies) : 'no privacy policy given'}`);
  lines.push(`  size:      ${p.files} files, ${megabytes(p.bytes)}`);
  if (p.fields.length > 0) {
    lines.push('  settings (--config KEY=VALUE):');
    for (const x of p.fields) {
      const value = x.defaultValue;
      const shown = value === null ? '' : x.sensitive ? ' (default hidden)' : ` [default: ${f(Array.isArray(value) ? value.join(', ') : String(value))}]`;
      const kind = `${x.type}${x.multiple ? ', several' : ''}${x.required ? ', required' : ''}${x.sensitive ? ', secret' : ''}`;
      lines.push(`    ${f(x.key)}  ${kind} — ${f(x.title)}${shown}`);
    }
  }
  return lines.join('\n');
}

export function bundlesTable(bundles: BundleView[]): string {
  if (bundles.length === 0) return 'No bundles installed. Install one with: steward install FILE.mcpb';
  return table([
    ['BUNDLE', 'VERSION', 'STATE', 'SIGNATURE', 'NAME'],
    ...bundles.map((b) => [b.displayName, b.version, b.enabled ? 'enabled' : 'disabled', b.signature.state, b.name]),
  ]);
}
