// Per-server log lines (stderr, protocol log messages, host notes), kept bounded per server.
import type { LogLine } from '../../../shared/domain/servers.js';
import type { Db } from './database.js';

export type NewLogLine = Omit<LogLine, 'id'>;

interface Row {
  id: number;
  server_id: string;
  ts: string;
  stream: LogLine['stream'];
  level: LogLine['level'];
  text: string;
}

const fromRow = (row: Row): LogLine => ({
  id: row.id,
  serverId: row.server_id,
  ts: row.ts,
  stream: row.stream,
  level: row.level,
  text: row.text,
});

export class LogsRepo {
  private readonly stmts;
  private readonly insertMany;

  /** @param keepPerServer lines kept per server; older ones are pruned as new ones arrive. */
  constructor(
    db: Db,
    private readonly keepPerServer = 5000,
  ) {
    this.stmts = {
      insert: db.prepare('INSERT INTO server_logs (server_id, ts, stream, level, text) VALUES (@serverId, @ts, @stream, @level, @text) RETURNING id'),
      page: db.prepare<[string, number, number], Row>('SELECT * FROM server_logs WHERE server_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
      prune: db.prepare<[string, string, number]>(
        `DELETE FROM server_logs WHERE server_id = ? AND id <= (
           SELECT id FROM server_logs WHERE server_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      ),
    };
    this.insertMany = db.transaction((lines: NewLogLine[]): LogLine[] => {
      const stored: LogLine[] = [];
      const touched = new Set<string>();
      for (const line of lines) {
        const { id } = this.stmts.insert.get(line) as { id: number };
        stored.push({ ...line, id });
        touched.add(line.serverId);
      }
      for (const serverId of touched) this.stmts.prune.run(serverId, serverId, this.keepPerServer);
      return stored;
    });
  }

  append(lines: NewLogLine[]): LogLine[] {
    if (lines.length === 0) return [];
    return this.insertMany(lines);
  }

  /** Newest first, before `beforeId` when given. */
  page(serverId: string, limit: number, beforeId?: number): LogLine[] {
    return this.stmts.page.all(serverId, beforeId ?? Number.MAX_SAFE_INTEGER, limit).map(fromRow);
  }
}
