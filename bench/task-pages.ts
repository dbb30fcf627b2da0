// The task center's page query on a million tasks, as the app runs it (store.tasks.page: newest first, keyset cursor,
// status and server filters), against the same SQL on a bare table with the same indexes through bare better-sqlite3.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TaskStatus } from '../shared/domain/tasks.js';
import { present } from '../shared/errors.js';
import { openStore, type Db, type Store, type TaskCursor, type TaskFilter } from '../main/core/store/index.js';
import { openRaw } from './raw-sqlite.js';
import { single, type Figures } from './repeat.js';
import { cpuSync, percentile, round, spreadOf, timeSync } from './stats.js';

const PAGE = 50;
/** Passes over every case in one lap: about 570 samples a side. */
const PER_LAP = 5;
const YEAR_MS = 365 * 24 * 3600_000;
const BASE = Date.parse('2025-03-01T00:00:00.000Z');
/** Share of the rows per server: a few busy servers and a long tail. */
const SERVER_SHARES = [0.3, 0.18, 0.12, 0.09, 0.07, 0.06, 0.05, 0.04, 0.03, 0.025, 0.02, 0.015];
const TOOLS = ['index_folder', 'build_report', 'search_code', 'summarize', 'sync_repo', 'job'];
/** The newest rows are the live ones: polled every second, so nothing finished is newer. */
const LIVE = 220;
/** The fill connection's page cache, for the load and index builds; the queries run with the store's own cache size. */
const FILL_CACHE_KIB = 256 * 1024;

interface Case {
  filter: TaskFilter;
  cursor?: TaskCursor;
}

/** A small seeded generator, so every run fills the same mix. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID-shaped id from the seeded generator, so a fill is the same file every time. */
function seededId(random: () => number): string {
  const hex = Array.from({ length: 4 }, () =>
    Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The servers the rows belong to, busiest first. */
const SERVERS = ((random) => SERVER_SHARES.map(() => seededId(random)))(seeded(20260302));

/** Bumped when the fill changes, so a filled file kept from an earlier run is not used for a different one. */
const FILL_VERSION = 1;

/**
 * A filled database for `rows` rows: the fill is the same for the same schema, so the file is kept between runs (in the
 * system's temp folder) and copied, where filling a million rows and building their indexes takes most of a minute.
 */
function filled(file: string, rows: number): void {
  const schema = new Database(file, { readonly: true });
  let key: string;
  try {
    const sql = schema.prepare<[], { sql: string }>('SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name').all();
    key = createHash('sha256')
      .update(JSON.stringify({ sql: sql.map((r) => r.sql), rows, FILL_VERSION, SERVERS }))
      .digest('hex')
      .slice(0, 16);
  } finally {
    schema.close();
  }
  const cacheDir = join(tmpdir(), 'steward-bench-cache');
  const cached = join(cacheDir, `tasks-${rows}-${key}.db`);
  if (existsSync(cached)) {
    copyFileSync(cached, file);
    return;
  }
  fill(file, rows, SERVERS);
  mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed, so a run stopped half way never leaves a partial file under the final name.
  const part = `${cached}.${process.pid}.part`;
  copyFileSync(file, part);
  renameSync(part, cached);
}

function pick<T>(random: () => number, items: readonly T[], shares: readonly number[]): T {
  let x = random();
  for (const [i, item] of items.entries()) {
    x -= shares[i] ?? 0;
    if (x < 0) return item;
  }
  return present(items.at(-1), 'something to pick');
}

/**
 * Fills the tasks table of a closed Steward database, oldest first, as a year of use would have, through a connection
 * of its own: the journal in memory while loading, the secondary indexes dropped and rebuilt from their own CREATE statements,
 * and WAL set again at the end, so the file the store then opens holds exactly the schema its migrations made.
 */
function fill(file: string, rows: number, servers: readonly string[]): void {
  const db = new Database(file);
  try {
    // The tables start empty, so a journal in memory costs next to nothing where WAL would write every page twice.
    if (db.pragma('journal_mode = MEMORY', { simple: true }) !== 'memory') throw new Error('could not leave WAL for the fill');
    db.pragma('synchronous = OFF');
    db.pragma(`cache_size = -${FILL_CACHE_KIB}`);
    load(db, rows, servers);
    if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw new Error('could not turn WAL back on after the fill');
  } finally {
    db.close();
  }
}

function load(db: Db, rows: number, servers: readonly string[]): void {
  const random = seeded(20260301);
  const ids = seeded(20260303);
  const indexes = db
    .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL")
    .all();
  const insert = db.prepare(
    `INSERT INTO tasks (id, server_id, server_name, transport, direction, remote_task_id, method, label, status, status_message, created_at, updated_at,
       expires_at, poll_interval_ms, progress, progress_total, arguments, result_bytes, error, owner_pid, owner_started)
     VALUES (?, ?, ?, 'stdio', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const meanGap = YEAR_MS / rows;
  const iso = (ms: number) => new Date(ms).toISOString();
  const which = servers.map((_, k) => k);
  db.transaction(() => {
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    let t = BASE;
    for (let i = 0; i < rows; i++) {
      // Bursts: one row in fifty shares its millisecond with the one before, so the id breaks ties.
      if (random() >= 0.02) t += Math.max(1, Math.round(-Math.log(1 - random()) * meanGap));
      const s = pick(random, which, SERVER_SHARES);
      const live = i >= rows - LIVE;
      const status: TaskStatus = live
        ? i % 11 === 0
          ? 'input_required'
          : 'working'
        : pick(random, ['completed', 'failed', 'cancelled'] as const, [0.91, 0.06, 0.03]);
      const incoming = random() < 0.05;
      const steps = 1 + Math.floor(random() * 8);
      const created = t - Math.round(random() * 600_000);
      const message = {
        completed: 'done',
        failed: 'job exploded',
        cancelled: 'cancelled by the client',
        working: `step 2 of ${steps}`,
        input_required: 'waiting for your answer',
      }[status];
      const args = incoming ? null : JSON.stringify({ path: `/home/ada/projects/site-${i % 97}/src`, depth: steps, include: ['*.ts', '*.md'] });
      insert.run(
        seededId(ids),
        servers[s],
        `server-${s}`,
        incoming ? 'incoming' : 'outgoing',
        seededId(ids),
        incoming ? 'sampling/createMessage' : 'tools/call',
        incoming ? 'sampling' : TOOLS[i % TOOLS.length],
        status,
        message,
        iso(created),
        iso(t),
        iso(created + 300_000),
        1000,
        status === 'completed' ? steps : 2,
        steps,
        args,
        status === 'completed' ? 200 + Math.floor(random() * 20_000) : null,
        status === 'failed' ? message : null,
        4242,
        '1700000000',
      );
    }
    for (const index of indexes) db.exec(index.sql);
  })();
}

/** The SQL tasks-repo.ts builds for a filter and cursor, written out so the baseline runs none of Steward's code. */
function pageSql(c: Case): string {
  const where: string[] = [];
  if (c.filter.status) where.push('status = @status');
  if (c.filter.serverId) where.push('server_id = @serverId');
  if (c.cursor) where.push('(updated_at < @cursorAt OR (updated_at = @cursorAt AND id < @cursorId))');
  return `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id DESC LIMIT @limit`;
}

/**
 * The task center's filters (none, each status, three servers, status with server), each read from the top, four pages
 * on, and from five random points further back. With both filters SQLite walks one index and checks the other column
 * row by row, so a rare status on a busy server is the costly shape.
 */
function cases(
  read: (c: Case) => Array<{ id: string; updated_at: string }>,
  cursorAt: (rowid: number) => TaskCursor,
  rows: number,
  servers: readonly string[],
): Case[] {
  const random = seeded(7);
  const [busy, , , , , mid, , , , , , quiet] = servers;
  const filters: TaskFilter[] = [
    {},
    ...(['completed', 'failed', 'cancelled', 'working', 'input_required'] as const).map((status) => ({ status })),
    { serverId: busy },
    { serverId: mid },
    { serverId: quiet },
    { status: 'failed', serverId: busy },
    { status: 'cancelled', serverId: quiet },
    { status: 'working', serverId: mid },
  ];
  const out: Case[] = [];
  for (const filter of filters) {
    let c: Case = { filter };
    for (let page = 0; page < 5; page++) {
      out.push(c);
      const last = read(c).at(-1);
      if (!last) break;
      c = { filter, cursor: { updatedAt: last.updated_at, id: last.id } };
    }
    for (let i = 0; i < 5; i++) out.push({ filter, cursor: cursorAt(1 + Math.floor(random() * rows)) });
  }
  return out;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [present(out[j], 'an item'), present(out[i], 'an item')];
  }
  return out;
}

export function taskPages(rows: number, laps: number): Figures {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-pages-'));
  const file = join(dir, 'steward.db');
  let store: Store | undefined;
  let raw: Db | undefined;
  try {
    const servers = SERVERS;
    openStore(file).close();
    filled(file, rows);
    // The baseline reads a byte copy: the same table, indexes and page layout, and no cache shared with the store.
    copyFileSync(file, join(dir, 'bare.db'));
    store = openStore(file);
    raw = openRaw(join(dir, 'bare.db'));
    const tasks = store.tasks;
    const bareDb = raw;

    const viaSteward = (c: Case) => tasks.page(c.filter, PAGE, c.cursor);
    const bare = new Map<Case, () => Array<{ id: string; updated_at: string }>>();
    const rowAt = bareDb.prepare<[number], TaskCursor>('SELECT updated_at AS updatedAt, id FROM tasks WHERE rowid = ?');
    const all = cases(viaSteward, (rowid) => present(rowAt.get(rowid), `task row ${rowid}`), rows, servers);
    for (const c of all) {
      const statement = bareDb.prepare<Record<string, unknown>, { id: string; updated_at: string }>(pageSql(c));
      const params = {
        status: c.filter.status ?? null,
        serverId: c.filter.serverId ?? null,
        cursorAt: c.cursor?.updatedAt ?? null,
        cursorId: c.cursor?.id ?? null,
        limit: PAGE,
      };
      const read = () => statement.all(params);
      // The baseline must answer exactly what the store answers, or the comparison means nothing.
      if (
        read()
          .map((r) => r.id)
          .join() !==
        viaSteward(c)
          .map((r) => r.id)
          .join()
      )
        throw new Error(`the bare query disagrees with store.tasks.page for ${JSON.stringify(c)}`);
      bare.set(c, read);
    }

    // Two passes warm the JIT on both sides and bring both files into the OS cache.
    for (let pass = 0; pass < 2; pass++) {
      for (const c of all) {
        viaSteward(c);
        present(bare.get(c), 'the bare query')();
      }
    }
    // Per call, both the wall clock (what a user waits) and the process's CPU time (the work the query is; a call
    // that loses the core to another process on a loaded machine reads long on the wall clock only).
    const wall = { steward: [] as number[], raw: [] as number[] };
    const cpu = { steward: [] as number[], raw: [] as number[] };
    const lapRatios: number[] = [];
    const random = seeded(11);
    // Each case runs on both sides back to back, in a new order every lap, alternating which side goes first; each
    // lap goes through the cases PER_LAP times. Before each pair, untimed, a minor collection empties the young
    // generation both sides allocate in: a scavenge otherwise fell inside whichever call happened to fill it (about
    // one call in a hundred, 1 ms or more of CPU, for garbage both sides made), so which side's p99 it landed in was
    // chance, and moved the ratio from 0.6 to 1.7 between runs.
    const collect = present(globalThis.gc, 'gc() (the section runs with --expose-gc)');
    for (let lap = 0; lap < laps; lap++) {
      const lapCpu = { steward: [] as number[], raw: [] as number[] };
      for (let pass = 0; pass < PER_LAP; pass++) {
        for (const [i, c] of shuffled(all, random).entries()) {
          const time = (side: 'steward' | 'raw', fn: () => unknown) => () => {
            let took = 0;
            wall[side].push(timeSync(() => (took = cpuSync(fn))));
            lapCpu[side].push(took);
          };
          const pair = [time('steward', () => viaSteward(c)), time('raw', present(bare.get(c), 'the bare query'))];
          collect({ type: 'minor' });
          for (const measure of (lap + pass + i) % 2 === 0 ? pair : pair.reverse()) measure();
        }
      }
      lapRatios.push(percentile(lapCpu.steward, 99) / percentile(lapCpu.raw, 99));
      cpu.steward.push(...lapCpu.steward);
      cpu.raw.push(...lapCpu.raw);
    }
    // The headline is the p99 of every lap's calls pooled (some 3,400 a side, about the 35th slowest): one lap's p99 is
    // its sixth-slowest call, which one garbage collection could move. Each lap's own ratio gives the spread.
    const ratio = (p: number) => percentile(cpu.steward, p) / percentile(cpu.raw, p);
    const spread = spreadOf(lapRatios);
    return {
      task_page_vs_raw: { value: round(ratio(99)), min: round(spread.min), max: round(spread.max), n: spread.n },
      ...single({
        task_page_p50_ms_1m: round(percentile(wall.steward, 50)),
        task_page_p99_ms_1m: round(percentile(wall.steward, 99)),
        task_page_raw_p50_ms: round(percentile(wall.raw, 50)),
        task_page_raw_p99_ms: round(percentile(wall.raw, 99)),
        task_page_cpu_p99_ms_1m: round(percentile(cpu.steward, 99)),
        task_page_raw_cpu_p99_ms: round(percentile(cpu.raw, 99)),
        // The same ratio on the wall clock: on a busy machine it also holds whatever preempted either side.
        task_page_wall_vs_raw: round(percentile(wall.steward, 99) / percentile(wall.raw, 99)),
      }),
    };
  } finally {
    store?.close();
    raw?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
