// Human-readable output: tables, the consent request in full, call results. Every value that came from a server, a
// config file or the network goes through terminalSafe here (newlines shown, so a field cannot fake a line of its own).
// Launch texts (consent, failures, grants, bundles) are in launch-format.ts under the same rule.
import type { CallResult, ToolView } from '../../shared/domain/mcp.js';
import type { AuditEvent } from '../../shared/domain/audit.js';
import type { TaskDetail, TaskView } from '../../shared/domain/tasks.js';
import type { LogLine, ServerView } from '../../shared/domain/servers.js';
import { terminalSafe } from '../core/node/index.js';

const f = (text: string) => terminalSafe(text);
const terminalSafeBlock = (text: string) => terminalSafe(text, 'block');

export function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map((cell) => f(cell)));
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
    `${f(s.name)}  [${s.status}]  ${s.transport}`,
    s.transport === 'http' ? `  url:      ${f(s.url ?? '')}` : `  command:  ${f([s.command, ...(s.args ?? [])].join(' '))}`,
  ];
  if (s.cwd) lines.push(`  cwd:      ${f(s.cwd)}`);
  if (s.envNames?.length) lines.push(`  env:      ${f(s.envNames.join(', '))}`);
  if (s.transport === 'stdio') lines.push(`  sandbox:  ${sandboxSummary(s)}`);
  for (const p of s.packages)
    lines.push(`  package:  ${f(p.name)} ${f(p.version)}${p.requested && p.requested !== p.version ? ` (asked for ${f(p.requested || 'latest')})` : ''}`);
  if (s.pid !== null) lines.push(`  pid:      ${s.pid}   memory: ${megabytes(s.rssBytes)}`);
  if (s.serverInfo) lines.push(`  server:   ${f(s.serverInfo.name)} ${f(s.serverInfo.version)} (MCP ${f(s.protocolVersion ?? '')})`);
  if (s.lastError) {
    const x = s.lastError.failure;
    lines.push(`  error:    ${x ? f(x.summary) : `${f(s.lastError.code)}: ${f(s.lastError.message)}`}${s.lastError.at ? `  (${f(s.lastError.at)})` : ''}`);
    if (x?.fix.command) lines.push(`  fix:      ${f(x.fix.command)}`);
    else if (x?.fix.hint) lines.push(`  fix:      ${f(x.fix.hint)}`);
    for (const l of s.lastError.stderrTail.slice(-10)) lines.push(`            | ${f(l)}`);
  }
  return lines.join('\n');
}

export function sandboxSummary(s: ServerView): string {
  const sb = s.sandbox;
  if (!sb.enabled) return 'OFF (your choice)';
  const parts = [
    sb.writePaths.length > 0 ? `writes ${f(sb.writePaths.join(', '))}` : 'writes only its own temp folder',
    sb.allowedDomains.length > 0 ? `network to ${f(sb.allowedDomains.join(', '))}` : 'no network',
  ];
  if (sb.readPaths.length > 0) parts.push(`shown ${f(sb.readPaths.join(', '))}`);
  return `on — ${parts.join('; ')}`;
}

export function toolsTable(tools: ToolView[]): string {
  if (tools.length === 0) return 'This server offers no tools.';
  return table([['TOOL', 'DESCRIPTION'], ...tools.map((t) => [t.name, (t.title ?? t.description ?? '').split('\n', 1).join('').slice(0, 100)])]);
}

export function callText(result: CallResult): string {
  const parts = result.content.map((c) => {
    if (c.type === 'text') return terminalSafeBlock(String(c.text));
    if (c.type === 'image' || c.type === 'audio')
      return `[${c.type} ${f(String(c.mimeType))}, ${typeof c.data === 'string' ? c.data.length : 0} base64 characters]`;
    if (c.type === 'resource_link') return `[link ${f(String(c.uri))}]`;
    if (c.type === 'resource') return `[resource ${f(JSON.stringify(c.resource).slice(0, 500))}]`;
    return f(JSON.stringify(c));
  });
  if (result.structuredContent) parts.push(terminalSafeBlock(JSON.stringify(result.structuredContent, null, 2)));
  return parts.join('\n');
}

export function logText(lines: LogLine[]): string {
  return lines.map((l) => `${l.ts.slice(11, 23)} ${l.stream.padEnd(8)} ${l.level.padEnd(7)} ${f(l.text)}`).join('\n');
}

export function auditText(events: AuditEvent[]): string {
  return events.map((e) => `${e.ts}  ${e.kind.padEnd(18)} ${e.actor.padEnd(6)} ${f(e.summary)}`).join('\n');
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
    `${f(t.label)} on ${f(t.serverName)}  [${t.status}]`,
    `  id:        ${t.id}${t.remoteTaskId && t.remoteTaskId !== t.id ? `   (server's id ${f(t.remoteTaskId)})` : ''}`,
    `  started:   ${t.createdAt}   updated: ${t.updatedAt}`,
  ];
  if (t.expiresAt) lines.push(`  expires:   ${t.expiresAt}`);
  if (t.statusMessage) lines.push(`  message:   ${f(t.statusMessage)}`);
  if (t.error) lines.push(`  error:     ${f(t.error)}`);
  if (t.arguments) lines.push(`  arguments: ${f(JSON.stringify(t.arguments))}`);
  if (t.resultBytes !== null) lines.push(`  result:    ${t.resultBytes} bytes (steward tasks result ${t.id})`);
  lines.push('  history:');
  for (const e of t.events) lines.push(`    ${e.at}  ${e.status.padEnd(14)} ${f(e.message ?? '')}`);
  return lines.join('\n');
}
