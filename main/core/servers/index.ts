// Servers: configs, imports from other hosts, and the supervisor that runs them.
export { ServersService } from './service.js';
export type { ServersDeps, ServerRecords, LaunchPorts, ConnectPorts, SupervisionSettings, OwnerPorts, ServerSinks } from './ports.js';
export { DEFAULT_BACKOFF, restartDelay, type BackoffPolicy } from './backoff.js';
// The config-file and command-line readers (import.ts, command-line.ts) load when the service first needs them.
export type { ParsedCommandLine } from './command-line.js';
export { registryResolver, type PackageResolver, type ResolvedPackage } from './packages.js';
export type { OrphanReport } from './supervisor.js';
