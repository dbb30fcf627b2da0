// Server configurations as stored: everything but secret values (env and header values live in the SecretStore).
import { z } from 'zod';
import { PackagePinSchema, type PackagePin } from '../../../shared/domain/launch.js';
import { RootSchema, SandboxSettingsSchema, ServerErrorSchema, ServerOptionsSchema, type ServerError } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import type { Db } from './database.js';

export const StoredConfigSchema = z.discriminatedUnion('transport', [
  z.object({
    transport: z.literal('stdio'),
    command: z.string(),
    args: z.array(z.string()),
    envNames: z.array(z.string()),
    cwd: z.string().optional(),
  }),
  z.object({ transport: z.literal('http'), url: z.string(), headerNames: z.array(z.string()) }),
]);
export type StoredConfig = z.infer<typeof StoredConfigSchema>;

export interface ServerRecord {
  id: string;
  name: string;
  config: StoredConfig;
  sandbox: z.infer<typeof SandboxSettingsSchema>;
  options: z.infer<typeof ServerOptionsSchema>;
  roots: z.infer<typeof RootSchema>[];
  source: string;
  desiredState: 'running' | 'stopped';
  createdAt: string;
  updatedAt: string;
  /** Package versions pinned at first install (written by setPins, never by update). */
  pins: PackagePin[];
  /** The last failure, kept until the server next comes up (written by setLastError, never by update). */
  lastError: ServerError | null;
}

interface Row {
  id: string;
  name: string;
  transport: string;
  config: string;
  sandbox: string;
  options: string;
  roots: string;
  source: string;
  desired_state: 'running' | 'stopped';
  created_at: string;
  updated_at: string;
  pins: string;
  last_error: string | null;
}

/** A damaged pin list or error only loses itself: the server stays usable and pins again. */
function parseOr<T>(text: string | null, parse: (v: unknown) => T, fallback: T): T {
  if (text === null) return fallback;
  try {
    return parse(JSON.parse(text));
  } catch {
    return fallback;
  }
}

function parseRow(row: Row): ServerRecord {
  try {
    return {
      id: row.id,
      name: row.name,
      config: StoredConfigSchema.parse(JSON.parse(row.config)),
      sandbox: SandboxSettingsSchema.parse(JSON.parse(row.sandbox)),
      options: ServerOptionsSchema.parse(JSON.parse(row.options)),
      roots: z.array(RootSchema).parse(JSON.parse(row.roots)),
      source: row.source,
      desiredState: row.desired_state,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      pins: parseOr(row.pins, (v) => z.array(PackagePinSchema).parse(v), []),
      lastError: parseOr(row.last_error, (v) => ServerErrorSchema.parse(v), null),
    };
  } catch {
    throw new StewardError('config_invalid', `The stored configuration of server "${row.name}" is damaged and cannot be read.`);
  }
}

/** Every column of a row, as one string: the same text means the same record. */
const rowText = (r: Row) =>
  [r.id, r.name, r.config, r.sandbox, r.options, r.roots, r.source, r.desired_state, r.created_at, r.updated_at, r.pins, r.last_error ?? ''].join('\u0000');

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class ServersRepo {
  private readonly stmts;
  /**
   * Rows as last parsed, by id: a server's row is read on every status change and tool call, and parsing its JSON
   * columns through their schemas cost more than the read. A row whose text changed (here or in another process) is
   * parsed again. Records are frozen, since one object is handed to every reader.
   */
  private readonly parsed = new Map<string, { text: string; record: ServerRecord }>();

  constructor(private readonly db: Db) {
    this.stmts = {
      all: db.prepare<[], Row>('SELECT * FROM servers ORDER BY name COLLATE NOCASE'),
      byId: db.prepare<[string], Row>('SELECT * FROM servers WHERE id = ?'),
      byName: db.prepare<[string], Row>('SELECT * FROM servers WHERE name = ? COLLATE NOCASE'),
      insert: db.prepare(
        `INSERT INTO servers (id, name, transport, config, sandbox, options, roots, source, desired_state, created_at, updated_at)
         VALUES (@id, @name, @transport, @config, @sandbox, @options, @roots, @source, @desired_state, @created_at, @updated_at)`,
      ),
      update: db.prepare(
        `UPDATE servers SET name = @name, transport = @transport, config = @config, sandbox = @sandbox, options = @options,
         roots = @roots, updated_at = @updated_at WHERE id = @id`,
      ),
      // A write that would change nothing is skipped in SQL: no commit, and the row's text (and its parse) stays.
      desired: db.prepare<[string, string, string, string]>('UPDATE servers SET desired_state = ?, updated_at = ? WHERE id = ? AND desired_state IS NOT ?'),
      pins: db.prepare<[string, string]>('UPDATE servers SET pins = ? WHERE id = ?'),
      lastError: db.prepare<[string | null, string, string | null]>('UPDATE servers SET last_error = ? WHERE id = ? AND last_error IS NOT ?'),
      remove: db.prepare<[string]>('DELETE FROM servers WHERE id = ?'),
    };
  }

  /** Every readable server; a damaged row is left out here (and reported by get) so one bad row hides nothing else. */
  list(): ServerRecord[] {
    const out: ServerRecord[] = [];
    for (const row of this.stmts.all.all()) {
      try {
        out.push(this.parse(row));
      } catch {
        // get(id) reports it with config_invalid; remove(id) still deletes it.
      }
    }
    return out;
  }

  get(id: string): ServerRecord | undefined {
    const row = this.stmts.byId.get(id);
    return row ? this.parse(row) : undefined;
  }

  findByName(name: string): ServerRecord | undefined {
    const row = this.stmts.byName.get(name);
    return row ? this.parse(row) : undefined;
  }

  private parse(row: Row): ServerRecord {
    const text = rowText(row);
    const known = this.parsed.get(row.id);
    if (known?.text === text) return known.record;
    const record = deepFreeze(parseRow(row));
    this.parsed.set(row.id, { text, record });
    return record;
  }

  /** Two processes adding the same name at once: the second gets name_taken, as if it had looked a moment later. */
  insert(record: ServerRecord): void {
    try {
      this.write(this.stmts.insert, record);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new StewardError('name_taken', `A server named "${record.name}" already exists.`);
      }
      throw error;
    }
  }

  update(record: ServerRecord): void {
    this.write(this.stmts.update, record);
  }

  private write(statement: { run(row: Omit<Row, 'pins' | 'last_error'>): unknown }, record: ServerRecord): void {
    try {
      statement.run(this.toRow(record));
    } catch (error) {
      if (error instanceof Error && /UNIQUE constraint failed: servers.name/.test(error.message)) {
        throw new StewardError('name_taken', `A server named "${record.name}" already exists.`);
      }
      throw error;
    }
  }

  setDesiredState(id: string, state: 'running' | 'stopped', at: string): void {
    this.stmts.desired.run(state, at, id, state);
  }

  setPins(id: string, pins: readonly PackagePin[]): void {
    this.stmts.pins.run(JSON.stringify(pins), id);
  }

  setLastError(id: string, error: ServerError | null): void {
    const text = error === null ? null : JSON.stringify(error);
    this.stmts.lastError.run(text, id, text);
  }

  remove(id: string): void {
    this.stmts.remove.run(id);
    this.parsed.delete(id);
  }

  private toRow(record: ServerRecord): Omit<Row, 'pins' | 'last_error'> {
    return {
      id: record.id,
      name: record.name,
      transport: record.config.transport,
      config: JSON.stringify(record.config),
      sandbox: JSON.stringify(record.sandbox),
      options: JSON.stringify(record.options),
      roots: JSON.stringify(record.roots),
      source: record.source,
      desired_state: record.desiredState,
      created_at: record.createdAt,
      updated_at: record.updatedAt,
    };
  }
}
