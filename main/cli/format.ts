// Human-readable output: tables, the consent request in full, call results.
import type { CallResult, ToolView } from '../../shared/domain/mcp.js';
import type { AuditEvent } from '../../shared/domain/audit.js';
import type { TaskDetail, TaskView } from '../../shared/domain/tasks.js';
import type { BundlePreview, BundleView } from '../../shared/domain/bundles.js';
import type { ConsentRequest, LogLine, ServerError, ServerView } from '../../shared/domain/servers.js';

export function table(rows: string[][]): string {
  const [head] = rows;
  if (!head) return '';
  const widths = head.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

export function megabytes(bytes: number | null): string {
  return bytes === null ? '-' : `${Math.round(bytes / (1024 * 1024))} MB`;
}

export function serversTable(servers: ServerView[]): string {
  if (servers.length === 0) return 'No servers yet. Add one with: steward servers add NAME -- COMMAND [ARGS...]';
  return table([
    ['NAME', 'STATUS', 'TRANSPORT', 'SANDBOX', 'MEMORY', 'COMMAND / URL'],
    ...servers.map((s) => [
      s.name,
      s.lastError && (s.status === 'crashed' || s.status === 'error') ? `${s.status} (${s.lastError.code})` : s.status,
      s.transport,
      s.transport === 'http' ? '-' : s.sandbox.enabled ? 'on' : 'OFF',
      megabytes(s.rssBytes),
      s.transport === 'http' ? (s.url ?? '') : [s.command ?? '', ...(s.args ?? [])].join(' '),
    ]),
  ]);
}

export function serverDetail(s: ServerView): string {
  const lines = [
    `${s.name}  [${s.status}]  ${s.transport}`,
    s.transport === 'http' ? `  url:      ${s.url}` : `  command:  ${[s.command, ...(s.args ?? [])].join(' ')}`,
  ];
  if (s.cwd) lines.push(`  cwd:      ${s.cwd}`);
  if (s.envNames?.length) lines.push(`  env:      ${s.envNames.join(', ')}`);
  if (s.transport === 'stdio') lines.push(`  sandbox:  ${sandboxSummary(s)}`);
  for (const p of s.packages)
    lines.push(`  package:  ${p.name} ${p.version}${p.requested && p.requested !== p.version ? ` (asked for ${p.requested || 'latest'})` : ''}`);
  if (s.pid !== null) lines.push(`  pid:      ${s.pid}   memory: ${megabytes(s.rssBytes)}`);
  if (s.serverInfo) lines.push(`  server:   ${s.serverInfo.name} ${s.serverInfo.version} (MCP ${s.protocolVersion})`);
  if (s.lastError) {
    const f = s.lastError.failure;
    lines.push(`  error:    ${f ? f.summary : `${s.lastError.code}: ${s.lastError.message}`}${s.lastError.at ? `  (${s.lastError.at})` : ''}`);
    if (f?.fix.command) lines.push(`  fix:      ${f.fix.command}`);
    else if (f?.fix.hint) lines.push(`  fix:      ${f.fix.hint}`);
    for (const l of s.lastError.stderrTail.slice(-10)) lines.push(`            | ${l}`);
  }
  return lines.join('\n');
}

function sandboxSummary(s: ServerView): string {
  const sb = s.sandbox;
  if (!sb.enabled) return 'OFF (your choice)';
  const parts = [
    sb.writePaths.length > 0 ? `writes ${sb.writePaths.join(', ')}` : 'writes only its own temp folder',
    sb.allowedDomains.length > 0 ? `network to ${sb.allowedDomains.join(', ')}` : 'no network',
  ];
  if (sb.readPaths.length > 0) parts.push(`shown ${sb.readPaths.join(', ')}`);
  return `on — ${parts.join('; ')}`;
}

/** A failure in one line, the evidence, and the fix: the exact command where there is one. */
export function failureText(e: ServerError): string {
  const f = e.failure;
  if (!f) return `Failed: ${e.code}: ${e.message}`;
  const lines = [`Failed: ${f.summary}`, `  seen:   ${f.evidence}`];
  if (f.fix.command) lines.push(`  fix:    ${f.fix.command}${f.fix.kind.startsWith('allow') ? '   (then approve the changed launch)' : ''}`);
  if (f.fix.hint) lines.push(`  what to do: ${f.fix.hint}`);
  return lines.join('\n');
}

export function grantText(s: ServerView, verb: 'grant' | 'revoke'): string {
  return [
    `${verb === 'grant' ? 'Granted' : 'Revoked'}. "${s.name}" now: ${sandboxSummary(s)}.`,
    s.transport === 'stdio' ? `The launch changed, so it runs again only after you approve it: steward consent approve "${s.name}"` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function upgradeText(s: ServerView, changes: ReadonlyArray<{ name: string; from: string; to: string }>): string {
  if (changes.length === 0)
    return `"${s.name}" already runs the newest versions its command allows: ${s.packages.map((p) => `${p.name} ${p.version}`).join(', ') || 'no packages'}.`;
  return [
    `Pinned new versions for "${s.name}":`,
    ...changes.map((c) => `  ${c.name}: ${c.from} → ${c.to}`),
    `It runs them only after you approve the changed launch: steward consent approve "${s.name}"`,
  ].join('\n');
}

export function consentText(r: ConsentRequest): string {
  const sb = r.spec.sandbox;
  const runner = r.spec.runner;
  const lines = [`"${r.serverName}" wants to run a program on this computer.`];
  if (r.changedSince) {
    lines.push(`The launch changed since you last decided (${r.changedSince}):`);
    for (const c of r.changes) lines.push(`  - ${c}`);
  }
  lines.push('');
  if (runner) {
    lines.push(
      `Runner: ${runner.tool} (${runner.mode === 'prefetch' ? 'downloaded once, then run offline' : runner.mode === 'own-cache' ? 'with a cache of its own' : 'in a container'})`,
    );
    for (const n of runner.notes) lines.push(`  ${n}`);
    for (const p of runner.packages) {
      lines.push(
        `  package: ${p.name} ${p.version ?? '(not pinned)'}${p.pinnedBy === 'steward' ? ` — pinned at first install; update it with: steward servers upgrade "${r.serverName}"` : ''}`,
      );
    }
    lines.push('');
  }
  if (runner?.download) {
    const d = runner.download;
    lines.push(
      `Step 1 — download, once${d.sandboxed ? ` (sandboxed: network only to ${d.allowedDomains.join(', ')}; writes only to ${d.writePaths.join(', ')})` : ' (by the container engine)'}:`,
      `  ${d.commandLine}`,
      'Step 2 — run (exactly as it will run, no shell):',
    );
  } else lines.push('Command (exactly as it will run, no shell):');
  lines.push(`  ${r.commandLine}`, '', `Working folder:  ${r.spec.cwd}`);
  lines.push(`Environment:     ${r.spec.envNames.length > 0 ? r.spec.envNames.join(', ') : '(only the safe basics: HOME, PATH, USER, ...)'}`);
  for (const f of r.spec.flaggedEnv) lines.push(`  ${f.name}=${f.shown}  — ${f.why}`);
  if (sb.mode === 'enforced') {
    lines.push('Sandbox:         on');
    const writes = [
      ...sb.writePaths.map((p) => `${p}  (your grant)`),
      ...sb.ownWritePaths.map((p) => `${p}  (its own folder)`),
      `${sb.runtimeWritePaths.join(', ')}  (the sandbox itself)`,
    ];
    lines.push(`  May write:     ${writes[0]}`, ...writes.slice(1).map((w) => `                 ${w}`));
    if (sb.ownReadPaths.length > 0) lines.push(`  Reads its code: ${sb.ownReadPaths.join(', ')} (read-only)`);
    lines.push(`  May read:      everything else except ${sb.denyReadPaths.length} hidden locations (keys, credentials, history, browsers, Steward's data)`);
    if (sb.readPaths.length > 0) lines.push(`  Shown to it:   ${sb.readPaths.join(', ')}`);
    lines.push(`  Network:       ${sb.allowedDomains.length > 0 ? `only ${sb.allowedDomains.join(', ')}` : 'none'}`);
  } else if (sb.mode === 'container') {
    lines.push(
      `Sandbox:         a container (the container engine isolates it)${sb.writePaths.length > 0 ? `; it may write ${sb.writePaths.join(', ')}` : ''}`,
    );
  } else {
    lines.push(
      sb.mode === 'off'
        ? 'Sandbox:         OFF (your choice) — it runs with all your rights'
        : 'Sandbox:         not available on this system — it runs with all your rights',
    );
  }
  lines.push(`Consent hash:    ${r.spec.hash}`);
  if (r.findings.length > 0) {
    lines.push('', 'Look closely:');
    for (const f of r.findings) lines.push(`  [${f.severity}] ${f.message}${f.evidence && f.evidence.length < 200 ? `\n           ${f.evidence}` : ''}`);
  }
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}

export function toolsTable(tools: ToolView[]): string {
  if (tools.length === 0) return 'This server offers no tools.';
  return table([['TOOL', 'DESCRIPTION'], ...tools.map((t) => [t.name, (t.title ?? t.description ?? '').split('\n', 1).join('').slice(0, 100)])]);
}

export function callText(result: CallResult): string {
  const parts = result.content.map((c) => {
    if (c.type === 'text') return String(c.text);
    if (c.type === 'image' || c.type === 'audio')
      return `[${c.type} ${String(c.mimeType)}, ${typeof c.data === 'string' ? c.data.length : 0} base64 characters]`;
    if (c.type === 'resource_link') return `[link ${String(c.uri)}]`;
    if (c.type === 'resource') return `[resource ${JSON.stringify(c.resource).slice(0, 500)}]`;
    return JSON.stringify(c);
  });
  if (result.structuredContent) parts.push(JSON.stringify(result.structuredContent, null, 2));
  return parts.join('\n');
}

export function logText(lines: LogLine[]): string {
  return lines.map((l) => `${l.ts.slice(11, 23)} ${l.stream.padEnd(8)} ${l.level.padEnd(7)} ${l.text}`).join('\n');
}

export function auditText(events: AuditEvent[]): string {
  return events.map((e) => `${e.ts}  ${e.kind.padEnd(18)} ${e.actor.padEnd(6)} ${e.summary}`).join('\n');
}

function ago(fromIso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (s < 90) return `${s}s`;
  if (s < 90 * 60) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

export function tasksTable(tasks: TaskView[], now: number): string {
  if (tasks.length === 0) return 'No tasks yet.';
  return table([
    ['ID', 'SERVER', 'TASK', 'STATUS', 'PROGRESS', 'STARTED', 'MESSAGE'],
    ...tasks.map((t) => [
      t.id,
      t.serverName,
      t.direction === 'incoming' ? `${t.label} (asked of Steward)` : t.label,
      t.status,
      t.progress === null ? '-' : t.progressTotal ? `${Math.round((100 * t.progress) / t.progressTotal)}%` : String(t.progress),
      `${ago(t.createdAt, now)} ago`,
      (t.statusMessage ?? '').slice(0, 80),
    ]),
  ]);
}

export function taskDetailText(t: TaskDetail): string {
  const lines = [
    `${t.label} on ${t.serverName}  [${t.status}]`,
    `  id:        ${t.id}${t.remoteTaskId && t.remoteTaskId !== t.id ? `   (server's id ${t.remoteTaskId})` : ''}`,
    `  started:   ${t.createdAt}   updated: ${t.updatedAt}`,
  ];
  if (t.expiresAt) lines.push(`  expires:   ${t.expiresAt}`);
  if (t.statusMessage) lines.push(`  message:   ${t.statusMessage}`);
  if (t.error) lines.push(`  error:     ${t.error}`);
  if (t.arguments) lines.push(`  arguments: ${JSON.stringify(t.arguments)}`);
  if (t.resultBytes !== null) lines.push(`  result:    ${t.resultBytes} bytes (steward tasks result ${t.id})`);
  lines.push('  history:');
  for (const e of t.events) lines.push(`    ${e.at}  ${e.status.padEnd(14)} ${e.message ?? ''}`);
  return lines.join('\n');
}

/** The install screen of a bundle, as text: what it is, who says they made it, what it promises and asks for. */
export function bundlePreviewText(p: BundlePreview): string {
  const lines = [
    `${p.displayName} ${p.version}  (bundle ${p.name}, manifest ${p.manifestVersion}, ${p.serverType} server)`,
    `  by:        ${p.author.name}${p.author.email ? ` <${p.author.email}>` : ''}${p.author.url ? ` ${p.author.url}` : ''}`,
    `  about:     ${p.description}`,
    `  signature: ${p.signature.state} — ${p.signature.note}`,
  ];
  if (p.existing) lines.push(`  updates:   ${p.existing.serverName} ${p.existing.version} → ${p.version} (its settings are kept)`);
  if (p.homepage) lines.push(`  homepage:  ${p.homepage}`);
  if (p.license) lines.push(`  license:   ${p.license}`);
  lines.push(`  tools:     ${p.tools.length > 0 ? p.tools.map((t) => t.name).join(', ') : p.toolsGenerated ? '(listed when it runs)' : 'none declared'}`);
  if (p.prompts.length > 0) lines.push(`  prompts:   ${p.prompts.map((x) => x.name).join(', ')}`);
  lines.push(`  privacy:   ${p.privacyPolicies.length > 0 ? p.privacyPolicies.join(', ') : 'no privacy policy given'}`);
  lines.push(`  size:      ${p.files} files, ${megabytes(p.bytes)}`);
  if (p.fields.length > 0) {
    lines.push('  settings (--config KEY=VALUE):');
    for (const f of p.fields) {
      const shown =
        f.defaultValue === null
          ? ''
          : f.sensitive
            ? ' (default hidden)'
            : ` [default: ${Array.isArray(f.defaultValue) ? f.defaultValue.join(', ') : String(f.defaultValue)}]`;
      lines.push(
        `    ${f.key}  ${f.type}${f.multiple ? ', several' : ''}${f.required ? ', required' : ''}${f.sensitive ? ', secret' : ''} — ${f.title}${shown}`,
      );
    }
  }
  return lines.join('\n');
}

export function bundlesTable(list: BundleView[]): string {
  if (list.length === 0) return 'No bundles installed. Install one with: steward install FILE.mcpb';
  return table([
    ['BUNDLE', 'VERSION', 'STATE', 'SIGNATURE', 'NAME'],
    ...list.map((b) => [b.displayName, b.version, b.enabled ? 'enabled' : 'disabled', b.signature.state, b.name]),
  ]);
}
