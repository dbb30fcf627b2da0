// Changing what a server may reach: grant or revoke domains, write folders and shown hidden locations, checked before saved.
import type { SandboxSettings } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import type { AuditEntry } from '../audit/index.js';
import { checkGrants, hiddenLocations, type HiddenPathsEnv, type Platform } from '../security/index.js';
import type { ServerRecord } from '../store/index.js';

export interface GrantChange {
  allowDomains?: string[] | undefined;
  allowWrite?: string[] | undefined;
  allowRead?: string[] | undefined;
}

export interface GrantContext {
  platform: Platform;
  homeDir: string;
  dataDir: string;
  /** The host's variables that move hidden locations (XDG_CONFIG_HOME, …), as the launch plan reads them. */
  hostEnv?: HiddenPathsEnv | undefined;
}

const union = (a: readonly string[], b: readonly string[] | undefined) => [...new Set([...a, ...(b ?? [])])];
const minus = (a: readonly string[], b: readonly string[] | undefined) => a.filter((x) => !(b ?? []).includes(x));

/** The settings after the change, or a grant_refused error naming the first grant Steward will not give. */
export function applyGrants(current: SandboxSettings, change: GrantChange, mode: 'grant' | 'revoke', ctx: GrantContext): SandboxSettings {
  const op = mode === 'grant' ? union : minus;
  const next: SandboxSettings = {
    ...current,
    allowedDomains: op(current.allowedDomains, change.allowDomains),
    writePaths: op(current.writePaths, change.allowWrite),
    readPaths: op(current.readPaths, change.allowRead),
  };
  if (mode === 'grant') {
    const checked = checkGrants(next, hiddenLocations(ctx.platform, ctx.homeDir, ctx.dataDir, ctx.hostEnv), ctx.homeDir, ctx.platform);
    if (checked.kind === 'refusal') throw new StewardError(checked.code, checked.message);
    return { ...next, writePaths: checked.writePaths, readPaths: checked.readPaths };
  }
  return next;
}

/** Refuses settings holding a grant Steward will not give (a folder inside a hidden location), with the reason. */
export function refuseBadGrants(settings: SandboxSettings, ctx: GrantContext): void {
  const checked = checkGrants(settings, hiddenLocations(ctx.platform, ctx.homeDir, ctx.dataDir, ctx.hostEnv), ctx.homeDir, ctx.platform);
  if (checked.kind === 'refusal') throw new StewardError(checked.code, checked.message);
}

export function grantAudit(record: ServerRecord, change: GrantChange, mode: 'grant' | 'revoke', actor: AuditEntry['actor']): AuditEntry {
  return { serverId: record.id, serverName: record.name, actor, summary: `${describeGrantChange(change, mode)} for "${record.name}".`, data: { ...change } };
}

/** One sentence for the audit record and the CLI: what changed. */
export function describeGrantChange(change: GrantChange, mode: 'grant' | 'revoke'): string {
  const parts = [
    ...(change.allowDomains ?? []).map((d) => `network to ${d}`),
    ...(change.allowWrite ?? []).map((p) => `writing ${p}`),
    ...(change.allowRead ?? []).map((p) => `reading ${p}`),
  ];
  return `${mode === 'grant' ? 'Allowed' : 'Took back'} ${parts.length > 0 ? parts.join(', ') : 'nothing'}`;
}
