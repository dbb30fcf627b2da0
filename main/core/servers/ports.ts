// The servers domain's ports, grouped by what uses them: the records it keeps, what launches a server, what a session
// with one needs, how running ones are supervised, this process among the others, and where it reports.
import type { OwnerTag } from '../../../shared/domain/servers.js';
import type { StewardError } from '../../../shared/errors.js';
import type { Audit } from '../audit/index.js';
import type { HostEvents } from '../events.js';
import type { Inbox } from '../inbox/index.js';
import type { OwnerKey } from '../owners/index.js';
import type { Clock, SecretStore, Transact, Unexpected } from '../ports.js';
import type { FsView, Platform, SandboxRunner } from '../security/index.js';
import type { ClientIdentity, HostCapabilities, HttpAuth, ServerNotificationMethod, ServerRequestInfo } from '../sessions/index.js';
import type { ConsentsRepo, LogsRepo, OwnersRepo, ProcessesRepo, ServersRepo, SettingsRepo } from '../store/index.js';
import type { BackoffPolicy } from './backoff.js';
import type { PackageResolver } from './packages.js';

/** What the servers domain keeps: its rows in the store (in transactions) and the secret values of their configs. */
export interface ServerRecords {
  servers: Pick<ServersRepo, 'list' | 'get' | 'findByName' | 'insert' | 'update' | 'setDesiredState' | 'setPins' | 'setLastError' | 'remove'>;
  consents: Pick<ConsentsRepo, 'find' | 'latest' | 'latestApproved' | 'record'>;
  logs: Pick<LogsRepo, 'append' | 'page'>;
  /** Every process Steward starts, so what a dead host left is found and stopped. */
  processes: Pick<ProcessesRepo, 'record' | 'list' | 'owners' | 'claim' | 'clear' | 'clearServer'>;
  /** Which process holds a session with which server. */
  owners: Pick<OwnersRepo, 'holdSession' | 'releaseSession' | 'dropSessions'>;
  /** Host settings: what each server's last launch negotiated is kept there (era-memory.ts). */
  settings: Pick<SettingsRepo, 'get' | 'put' | 'remove'>;
  transaction: Transact;
  secrets: SecretStore;
}

/** Where and how a server's launch is planned and run: the machine, its sandbox, and what fetches packages. */
export interface LaunchPorts {
  sandbox: SandboxRunner;
  /**
   * Whether planning a sandboxed launch starts the sandbox runtime at once (hosts that live on: a start usually follows
   * the plan, after a consent the user reads). A one-shot command does not, since closing would wait for it.
   */
  warmSandbox: boolean;
  fs: FsView;
  platform: Platform;
  homeDir: string;
  dataDir: string;
  hostEnv: Readonly<Record<string, string | undefined>>;
  /** Answers which exact version a package runner would fetch (pinning at first install). */
  packages: PackageResolver;
  /** How long a runner's download step may take. */
  downloadTimeoutMs: number;
  /** What an installed bundle adds to its server's launch: its files to read, and whether it may run now. */
  bundleOf?(serverId: string): { readPaths: string[]; refusal: string | undefined };
}

/** What a session with a server needs: who Steward is, what it offers, who answers the server's own requests, sign-in. */
export interface ConnectPorts {
  identity: ClientIdentity;
  connectTimeoutMs: number;
  /** The most bytes one JSON-RPC message from a server may have. */
  messageBytes: number;
  capabilities(serverId: string): HostCapabilities;
  serverRequest(serverId: string, method: string, params: unknown, info: ServerRequestInfo): Promise<Record<string, unknown>>;
  serverNotification(serverId: string, method: ServerNotificationMethod, params: Record<string, unknown>): void;
  /** What a remote server's transport authenticates with (OAuth provider, checked fetch). */
  httpAuth(serverId: string, url: string): Promise<HttpAuth>;
  /** Whether a failed connect may be tried once more with adjusted sign-in settings (a legacy server). */
  httpAuthRetry(serverId: string, url: string, error: StewardError): Promise<boolean>;
}

/** How running servers are kept: restarts after a crash, the grace before a stop kills, how often memory is sampled. */
export interface SupervisionSettings {
  backoff: BackoffPolicy;
  stopGraceMs: number;
  sampleIntervalMs: number;
}

/** This Steward process among the others sharing the data folder. */
export interface OwnerPorts {
  /** This process, as process and session records name their owner. */
  owner: OwnerKey;
  /** Other live Steward processes holding a session, by server. */
  elsewhere(): Map<string, OwnerTag[]>;
}

/** Where the servers domain reports: the UI's events, questions for the user, the audit record, the host's log. */
export interface ServerSinks {
  events: HostEvents;
  inbox: Inbox;
  audit: Audit;
  /** Errors in background work (log writes, memory sampling, restarts): the front end's log. */
  unexpected: Unexpected;
  /** A server is gone: whatever else the host keeps about it (sign-in records) goes too. */
  forgotten(serverId: string): Promise<void>;
}

export interface ServersDeps {
  records: ServerRecords;
  clock: Clock;
  launch: LaunchPorts;
  connect: ConnectPorts;
  supervision: SupervisionSettings;
  owners: OwnerPorts;
  sinks: ServerSinks;
}
