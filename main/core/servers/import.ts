// Reads other hosts' config files (Claude Desktop, VS Code, Cursor) into server inputs, saying what could not come across.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ServerInputSchema, type ImportReport, type ServerInput, type ServerView } from '../../../shared/domain/servers.js';
import type { Audit } from '../audit/index.js';
import { StewardError } from '../../../shared/errors.js';

export interface Skipped {
  name: string;
  code: string;
  reason: string;
}

export interface ParsedImport {
  format: ImportReport['format'];
  candidates: ServerInput[];
  skipped: Skipped[];
}

export interface ImportContext {
  homeDir: string;
  fileName?: string | undefined;
}

const UNSUPPORTED_VARIABLE = /\$\{(input|workspaceFolder|workspaceFolderBasename|env|file|cwd|config|command|pathSeparator)(:[^}]*)?\}/;

export function parseImport(text: string, ctx: ImportContext): ParsedImport {
  const errors: ParseError[] = [];
  const root: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || root === null || typeof root !== 'object' || Array.isArray(root)) {
    const first = errors[0];
    const where = first ? ` (${printParseErrorCode(first.error)} at character ${first.offset})` : '';
    throw new StewardError('import_failed', `The file is not a JSON object${where}.`);
  }
  const obj = root as Record<string, unknown>;
  const vscodeSettings = obj.mcp && typeof obj.mcp === 'object' ? (obj.mcp as Record<string, unknown>).servers : undefined;
  const map = obj.mcpServers ?? obj.servers ?? vscodeSettings;
  if (map === undefined || map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new StewardError('import_failed', 'The file has no "mcpServers" or "servers" map, so there is nothing to import.');
  }
  const name = (ctx.fileName ?? '').toLowerCase();
  const format: ImportReport['format'] =
    obj.mcpServers !== undefined ? (name.includes('claude') ? 'claude_desktop' : name.includes('cursor') ? 'cursor' : 'generic') : 'vscode';

  const candidates: ServerInput[] = [];
  const skipped: Skipped[] = [];
  for (const [serverName, raw] of Object.entries(map as Record<string, unknown>)) {
    const result = convert(serverName, raw, ctx.homeDir);
    if ('skip' in result) skipped.push({ name: serverName, ...result.skip });
    else candidates.push(result.input);
  }
  return { format, candidates, skipped };
}

function convert(name: string, raw: unknown, homeDir: string): { input: ServerInput } | { skip: Omit<Skipped, 'name'> } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { skip: { code: 'config_invalid', reason: 'The entry is not an object.' } };
  }
  const entry = raw as Record<string, unknown>;
  if (entry.disabled === true) return { skip: { code: 'disabled', reason: 'The entry is disabled in the source file.' } };
  const type = typeof entry.type === 'string' ? entry.type.toLowerCase() : undefined;
  if (type === 'sse') {
    return { skip: { code: 'not_supported', reason: 'It uses the legacy HTTP+SSE transport, which Steward does not connect to.' } };
  }
  if (entry.envFile !== undefined) {
    return { skip: { code: 'not_supported', reason: 'It reads an envFile; add its variables to the server by hand.' } };
  }
  const text = JSON.stringify(entry);
  const variable = UNSUPPORTED_VARIABLE.exec(text);
  if (variable) {
    return { skip: { code: 'needs_input', reason: `It uses ${variable[0]}, which only the source editor can fill in; add it by hand with the real value.` } };
  }
  const expand = (s: string) => s.replaceAll('${userHome}', homeDir);
  let candidate: unknown;
  if (typeof entry.command === 'string') {
    candidate = {
      name,
      config: {
        transport: 'stdio',
        command: expand(entry.command),
        args: Array.isArray(entry.args) ? entry.args.map((a: unknown) => (typeof a === 'string' ? expand(a) : a)) : [],
        env: entry.env ?? {},
        ...(typeof entry.cwd === 'string' ? { cwd: expand(entry.cwd) } : {}),
      },
    };
  } else if (typeof entry.url === 'string' || typeof entry.serverUrl === 'string') {
    candidate = { name, config: { transport: 'http', url: entry.url ?? entry.serverUrl, headers: entry.headers ?? {} } };
  } else {
    return { skip: { code: 'config_invalid', reason: 'The entry has neither a "command" nor a "url".' } };
  }
  const parsed = ServerInputSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { skip: { code: 'config_invalid', reason: `${where}${issue?.message ?? 'invalid entry'}` } };
  }
  return { input: parsed.data };
}

export interface ImportDeps {
  homeDir: string;
  audit: Audit;
  add(input: ServerInput, source: string): Promise<ServerView>;
}

/** Adds every server a config file names; each one Steward cannot add is reported with its code. */
export async function importServers(text: string, fileName: string | undefined, deps: ImportDeps, actor: 'user' | 'host' | 'policy'): Promise<ImportReport> {
  const parsed = parseImport(text, { homeDir: deps.homeDir, fileName });
  const added: ServerView[] = [];
  const skipped = [...parsed.skipped];
  for (const candidate of parsed.candidates) {
    try {
      added.push(await deps.add(candidate, `import:${parsed.format}`));
    } catch (error) {
      const e = error instanceof StewardError ? error : new StewardError('import_failed', String(error));
      skipped.push({ name: candidate.name, code: e.code, reason: e.message });
    }
  }
  deps.audit.record('server.imported', {
    actor,
    summary: `Imported ${added.length} server(s) from ${fileName ?? 'a config file'}; skipped ${skipped.length}.`,
    data: { format: parsed.format, added: added.map((s) => s.name), skipped: skipped.map((s) => ({ name: s.name, code: s.code })) },
  });
  return { format: parsed.format, added, skipped };
}
