// Reads other hosts' config files (Claude Desktop, VS Code, Cursor) into server inputs, saying what could not come across.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ServerInputSchema, type ImportReport, type ServerInput, type ServerView } from '../../../shared/domain/servers.js';
import type { Audit } from '../audit/index.js';
import type { Unexpected } from '../ports.js';
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

/**
 * The most entries one file may name. Hosts' config files hold a few servers, a few dozen at most; each added server is
 * a database row and a write of the secrets file, so a file of thousands would hold the host up for minutes.
 */
export const MAX_IMPORT_ENTRIES = 200;

/** Deeper than any server entry needs; a deeper one is refused before anything walks it recursively. */
const MAX_ENTRY_DEPTH = 32;

const PROTO_REASON =
  'It has a "__proto__" key, whose values the parser hides from every check (an env or command could come in unseen); remove the key and import again.';

function readJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  let root: unknown;
  try {
    root = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    // The parser recurses once per level: thousands of nested brackets exhaust the stack.
    if (error instanceof RangeError) throw new StewardError('import_failed', 'The file nests arrays or objects too deeply to read.');
    throw error;
  }
  if (errors.length > 0 || root === null || typeof root !== 'object' || Array.isArray(root)) {
    const first = errors[0];
    const where = first ? ` (${printParseErrorCode(first.error)} at character ${first.offset})` : '';
    throw new StewardError('import_failed', `The file is not a JSON object${where}.`);
  }
  return root;
}

/**
 * The parser assigns a "__proto__" key like any other, which makes its value the object's prototype: fields no own-key
 * check (JSON.stringify, Object.entries) sees but a property read finds. A parsed object never has another prototype.
 */
const inherits = (value: object): boolean => Object.getPrototypeOf(value) !== Object.prototype;

/** What is wrong with an entry's shape before its fields are read: a "__proto__" key anywhere in it, or too deep a nesting. */
function shapeProblem(entry: object): string | undefined {
  const stack: Array<[value: unknown, depth: number]> = [[entry, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [value, depth] = next;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_ENTRY_DEPTH) return `It nests values more than ${MAX_ENTRY_DEPTH} levels deep, which no server entry needs.`;
    if (!Array.isArray(value) && inherits(value)) return PROTO_REASON;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return undefined;
}

export function parseImport(text: string, ctx: ImportContext): ParsedImport {
  const obj = readJsonc(text) as Record<string, unknown>;
  if (inherits(obj) || (obj.mcp && typeof obj.mcp === 'object' && inherits(obj.mcp))) {
    throw new StewardError(
      'import_failed',
      `The file's top level has a "__proto__" key, whose values the parser hides from every check; remove it and import again.`,
    );
  }
  const vscodeSettings = obj.mcp && typeof obj.mcp === 'object' ? (obj.mcp as Record<string, unknown>).servers : undefined;
  const map = obj.mcpServers ?? obj.servers ?? vscodeSettings;
  if (map === undefined || map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new StewardError('import_failed', 'The file has no "mcpServers" or "servers" map, so there is nothing to import.');
  }
  const entries = Object.keys(map).length;
  if (entries > MAX_IMPORT_ENTRIES) {
    throw new StewardError(
      'import_failed',
      `The file names ${entries} servers; Steward imports at most ${MAX_IMPORT_ENTRIES} at a time. Split it into smaller files and import each.`,
    );
  }
  const name = (ctx.fileName ?? '').toLowerCase();
  const format: ImportReport['format'] =
    obj.mcpServers !== undefined ? (name.includes('claude') ? 'claude_desktop' : name.includes('cursor') ? 'cursor' : 'generic') : 'vscode';

  const candidates: ServerInput[] = [];
  const skipped: Skipped[] = [];
  // A "__proto__" entry in the map itself became its prototype, so the loop below never meets it: said here instead.
  if (inherits(map)) {
    const reason = 'The parser turns an entry named "__proto__" into values hidden from every check; rename it and import again.';
    skipped.push({ name: '__proto__', code: 'config_invalid', reason });
  }
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
  const problem = shapeProblem(raw);
  if (problem) return { skip: { code: 'config_invalid', reason: problem } };
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
  /** Told about an error that is not a StewardError: the reply says only that the server could not be added. */
  unexpected: Unexpected;
}

/** Adds every server a config file names; each one Steward cannot add is reported with its code. */
export async function importServers(text: string, fileName: string | undefined, deps: ImportDeps, actor: 'user' | 'host' | 'policy'): Promise<ImportReport> {
  const parsed = parseImport(text, { homeDir: deps.homeDir, fileName });
  const added: ServerView[] = [];
  const skipped = [...parsed.skipped];
  for (const candidate of parsed.candidates) {
    // Each add writes synchronously: between them the host gets its turn (the UI, other requests, timers).
    await new Promise((resolve) => setImmediate(resolve));
    try {
      added.push(await deps.add(candidate, `import:${parsed.format}`));
    } catch (error) {
      if (error instanceof StewardError) skipped.push({ name: candidate.name, code: error.code, reason: error.message });
      else {
        deps.unexpected('servers.import', error);
        skipped.push({
          name: candidate.name,
          code: 'import_failed',
          reason: "Steward could not add it because of an internal error; the details are in Steward's log.",
        });
      }
    }
  }
  deps.audit.record('server.imported', {
    actor,
    summary: `Imported ${added.length} server(s) from ${fileName ?? 'a config file'}; skipped ${skipped.length}.`,
    data: { format: parsed.format, added: added.map((s) => s.name), skipped: skipped.map((s) => ({ name: s.name, code: s.code })) },
  });
  return { format: parsed.format, added, skipped };
}
