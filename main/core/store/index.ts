// The store: one database, one repo per aggregate. SQL lives only in this folder.
import { dirname, join } from 'node:path';
import { openDatabase, type Db } from './database.js';
import { BackgroundCheckpoints, type CheckpointOptions } from './checkpoints.js';
import { ServersRepo } from './servers-repo.js';
import { ConsentsRepo } from './consents-repo.js';
import { LogsRepo } from './logs-repo.js';
import { AuditRepo } from './audit-repo.js';
import { ProcessesRepo } from './processes-repo.js';
import { OwnersRepo } from './owners-repo.js';
import { InboxRepo } from './inbox-repo.js';
import { ChangesRepo } from './changes-repo.js';
import { SettingsRepo } from './settings-repo.js';
import { SamplingRepo } from './sampling-repo.js';
import { TasksRepo } from './tasks-repo.js';
import { BundlesRepo } from './bundles-repo.js';
import { ToolCallsRepo } from './tool-calls-repo.js';

export type { Db } from './database.js';
export { openDatabase, migrate } from './database.js';
export type { ServerRecord, StoredConfig } from './servers-repo.js';
export type { ConsentRecord } from './consents-repo.js';
export type { NewLogLine } from './logs-repo.js';
export type { NewAuditEvent, AuditQuery } from './audit-repo.js';
export type { BundleRecord } from './bundles-repo.js';
export type { ProcessRecord } from './processes-repo.js';
export type { OwnerKey, OwnerRecord, SessionHolder } from './owners-repo.js';
export type { InboxRow } from './inbox-repo.js';
export type { Migration } from './migrations/index.js';
// The repos' types, so a service can name the narrow part of one it uses (its port) without taking the whole store.
export type {
  ServersRepo,
  ConsentsRepo,
  LogsRepo,
  AuditRepo,
  ProcessesRepo,
  OwnersRepo,
  InboxRepo,
  ChangesRepo,
  SettingsRepo,
  SamplingRepo,
  TasksRepo,
  BundlesRepo,
};
export type { RoundRow, LoopSummary } from './sampling-repo.js';
export {
  taskView,
  type TaskRow,
  type NewTask,
  type TaskPatch,
  type TaskFilter,
  type TaskCursor,
  type HistoryEntry,
  type IncomingTask,
  type IncomingCursor,
} from './tasks-repo.js';

/** Runs `fn` in one transaction of the host's database (a nested call is a savepoint within it). */
export type Transact = <T>(fn: () => T) => T;

export interface Store {
  readonly db: Db;
  readonly servers: ServersRepo;
  readonly consents: ConsentsRepo;
  readonly logs: LogsRepo;
  readonly audit: AuditRepo;
  readonly processes: ProcessesRepo;
  readonly owners: OwnersRepo;
  readonly inbox: InboxRepo;
  readonly changes: ChangesRepo;
  readonly settings: SettingsRepo;
  readonly sampling: SamplingRepo;
  readonly tasks: TasksRepo;
  readonly bundles: BundlesRepo;
  readonly toolCalls: ToolCallsRepo;
  /** Runs `fn` in one transaction. */
  readonly transaction: Transact;
  /** `PRAGMA integrity_check`: 'ok' when the file is sound. */
  integrityCheck(): string;
  close(): void;
}

export interface StoreOptions {
  logLinesPerServer?: number;
  /** Checkpoint the WAL from a thread of its own instead of inside commits (a long-lived process: the host). */
  checkpoints?: CheckpointOptions;
}

/** The sampling journal's folder, beside the database file. */
export const SAMPLING_JOURNAL_DIR = 'sampling-journal';

export function openStore(file: string, options: StoreOptions = {}): Store {
  const db = openDatabase(file);
  // One wrapper, made once: better-sqlite3 prepares BEGIN/COMMIT for each transaction function it creates.
  const inTransaction = db.transaction((fn: () => unknown) => fn());
  const checkpoints = options.checkpoints && file !== ':memory:' ? new BackgroundCheckpoints(db, options.checkpoints) : undefined;
  const sampling = new SamplingRepo(db, file === ':memory:' ? null : join(dirname(file), SAMPLING_JOURNAL_DIR));
  return {
    db,
    servers: new ServersRepo(db),
    consents: new ConsentsRepo(db),
    logs: new LogsRepo(db, options.logLinesPerServer),
    audit: new AuditRepo(db),
    processes: new ProcessesRepo(db),
    owners: new OwnersRepo(db),
    inbox: new InboxRepo(db),
    changes: new ChangesRepo(db),
    settings: new SettingsRepo(db),
    sampling,
    tasks: new TasksRepo(db),
    bundles: new BundlesRepo(db),
    toolCalls: new ToolCallsRepo(db),
    transaction: <T>(fn: () => T) => inTransaction(fn) as T,
    integrityCheck: () => String(db.pragma('integrity_check', { simple: true })),
    close: () => {
      checkpoints?.stop();
      sampling.closeJournal();
      if (db.open) db.close();
    },
  };
}
