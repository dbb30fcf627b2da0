// Each server's tool call history, newest first, pruned to a fixed number of calls per server as new ones arrive.
import { CALL_PART_MAX_BYTES, CALLS_KEPT_PER_SERVER, type NewToolCall, type ToolCallRecord } from '../../../shared/domain/tool-calls.js';
import { CallResultSchema } from '../../../shared/domain/mcp.js';
import type { Db } from './database.js';

interface Row {
  id: number;
  server_id: string;
  tool: string;
  arguments: string | null;
  result: string | null;
  result_bytes: number;
  error_code: string | null;
  error_message: string | null;
  as_task: number;
  at: string;
  duration_ms: number;
}

/** A stored part read back; a part that no longer reads (hand-edited file, older shape) is shown as not kept. */
function readJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function fromRow(row: Row): ToolCallRecord {
  const args = readJson(row.arguments);
  const result = CallResultSchema.safeParse(readJson(row.result));
  return {
    id: row.id,
    serverId: row.server_id,
    tool: row.tool,
    arguments: args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : null,
    result: result.success ? result.data : null,
    resultBytes: row.result_bytes,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    asTask: row.as_task === 1,
    at: row.at,
    durationMs: row.duration_ms,
  };
}

/** The JSON text of a part when it fits the history, else null; and its size either way. */
function bounded(value: unknown): { text: string | null; bytes: number } {
  if (value === null || value === undefined) return { text: null, bytes: 0 };
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text);
  return { text: bytes <= CALL_PART_MAX_BYTES ? text : null, bytes };
}

export class ToolCallsRepo {
  private readonly stmts;
  private readonly insert;

  constructor(
    db: Db,
    private readonly keepPerServer = CALLS_KEPT_PER_SERVER,
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO tool_calls (server_id, tool, arguments, result, result_bytes, error_code, error_message, as_task, at, duration_ms)
         SELECT @serverId, @tool, @arguments, @result, @resultBytes, @errorCode, @errorMessage, @asTask, @at, @durationMs
         WHERE EXISTS (SELECT 1 FROM servers WHERE id = @serverId) RETURNING id`,
      ),
      prune: db.prepare<[string, string, number]>(
        `DELETE FROM tool_calls WHERE server_id = ? AND id <= (
           SELECT id FROM tool_calls WHERE server_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      ),
      page: db.prepare<[string, number, number], Row>('SELECT * FROM tool_calls WHERE server_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
      pageOfTool: db.prepare<[string, string, number, number], Row>(
        'SELECT * FROM tool_calls WHERE server_id = ? AND tool = ? AND id < ? ORDER BY id DESC LIMIT ?',
      ),
      clear: db.prepare<[string]>('DELETE FROM tool_calls WHERE server_id = ?'),
    };
    this.insert = db.transaction((call: NewToolCall): number | null => {
      const args = bounded(call.arguments);
      const result = bounded(call.result);
      const row = this.stmts.insert.get({
        serverId: call.serverId,
        tool: call.tool,
        arguments: args.text,
        result: result.text,
        resultBytes: call.result === null ? call.resultBytes : result.bytes,
        errorCode: call.error?.code ?? null,
        errorMessage: call.error?.message ?? null,
        asTask: call.asTask ? 1 : 0,
        at: call.at,
        durationMs: call.durationMs,
      }) as { id: number } | undefined;
      if (!row) return null;
      this.stmts.prune.run(call.serverId, call.serverId, this.keepPerServer);
      return row.id;
    });
  }

  /** The new call's id; null when the server is gone (removed while its call ran), and nothing is kept. */
  record(call: NewToolCall): number | null {
    return this.insert(call);
  }

  /** Newest first, before `beforeId` when given, of one tool when named. */
  page(serverId: string, options: { tool?: string | undefined; beforeId?: number | undefined; limit: number }): ToolCallRecord[] {
    const before = options.beforeId ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.tool === undefined
        ? this.stmts.page.all(serverId, before, options.limit)
        : this.stmts.pageOfTool.all(serverId, options.tool, before, options.limit);
    return rows.map(fromRow);
  }

  clear(serverId: string): void {
    this.stmts.clear.run(serverId);
  }
}
