// From a stored server to its launch plan: the config with its secret values, pins resolved on first need (and kept),
// and refusals kept with the server like any failed start.
import { posix, win32 } from 'node:path';
import type { PackagePin } from '../../../shared/domain/launch.js';
import type { ConsentRequest, ServerError } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import type { Audit } from '../audit/index.js';
import {
  buildChildEnv,
  describeChanges,
  diffLaunch,
  findCommand,
  planFailure,
  planLaunch,
  refusedMount,
  type LaunchPlan,
  type PinRequest,
} from '../security/index.js';
import type { ServerRecord } from '../store/index.js';
import { loadConfig } from './config.js';
import type { LaunchPorts, ServerRecords } from './ports.js';

export interface PlannerDeps {
  records: Pick<ServerRecords, 'servers' | 'consents' | 'transaction' | 'secrets'>;
  launch: LaunchPorts;
  audit: Audit;
  now(): string;
  changed(serverId: string): void;
  /** A launch refused before anything ran: kept with the server like a failed start. */
  refused(serverId: string, error: ServerError): void;
}

type Actor = 'user' | 'host' | 'policy';

export class LaunchPlanner {
  constructor(private readonly deps: PlannerDeps) {}

  async plan(record: ServerRecord): Promise<LaunchPlan> {
    if (record.config.transport !== 'stdio') throw new StewardError('internal_error', 'Only stdio servers are launched.');
    const config = await loadConfig(this.deps.records.secrets, record.id, record.config);
    if (config.transport !== 'stdio') throw new StewardError('internal_error', 'Stored config does not match its transport.');
    const policy = {
      platform: this.deps.launch.platform,
      homeDir: this.deps.launch.homeDir,
      dataDir: this.deps.launch.dataDir,
      sandbox: await this.deps.launch.sandbox.support(),
    };
    const bundle = this.deps.launch.bundleOf?.(record.id);
    if (bundle?.refusal) throw new StewardError('not_supported', bundle.refusal);
    let pins = record.pins;
    // Unpinned packages are pinned once (at first install); the second round plans with the new pins.
    for (let round = 0; round < 2; round++) {
      const result = planLaunch(
        { config, sandbox: record.sandbox, serverId: record.id, pins, ownReadPaths: bundle?.readPaths ?? [] },
        policy,
        this.deps.launch.hostEnv,
        this.deps.launch.fs,
      );
      if (result.kind === 'plan') {
        if (result.spec.runner?.mode === 'container') this.checkMounts(record.id, result, config.args);
        if (result.spec.sandbox.mode === 'enforced' && this.deps.launch.warmSandbox) this.deps.launch.sandbox.prepare?.();
        return result;
      }
      if (result.kind === 'refusal') throw this.refused(record.id, new StewardError(result.code, result.message));
      pins = await this.pin(record, pins, result.requests);
    }
    throw new StewardError('internal_error', 'Steward could not settle the package versions of this launch.');
  }

  /** A launch refused before anything ran is kept with the server, like a failed start. */
  private refused(id: string, error: StewardError): StewardError {
    this.deps.refused(id, { code: error.code, message: error.message, stderrTail: [], failure: planFailure(error.code, error.message), at: this.deps.now() });
    return error;
  }

  /** Where the container's mounts really lead (symlinks, relative paths): planLaunch reads them only as written. */
  private checkMounts(id: string, plan: LaunchPlan, args: readonly string[]): void {
    const { platform, homeDir, fs } = this.deps.launch;
    const why = refusedMount(args, { cwd: plan.spec.cwd, homeDir, platform, hidden: plan.hidden, realPath: (p) => fs.realPath(p) });
    if (why !== undefined) throw this.refused(id, new StewardError('grant_refused', why));
  }

  /**
   * Pinning runs before the user agreed to anything, so it runs nothing the config names: npm packages are looked up
   * with the npm on Steward's own PATH (never the one beside the configured runner), everything else over HTTPS.
   * That npm may be found only in a usual folder (nvm, Volta, Homebrew) that a desktop launcher's PATH lacks, and its
   * `#!/usr/bin/env node` needs the node installed beside it: its folder, and its real one, lead the PATH it runs with.
   */
  private async pin(record: ServerRecord, current: readonly PackagePin[], requests: readonly PinRequest[]): Promise<PackagePin[]> {
    const { platform, hostEnv, homeDir, fs } = this.deps.launch;
    const npm = requests.some((r) => r.ecosystem === 'npm') ? (findCommand('npm', { platform, hostEnv, homeDir, cwd: homeDir }, fs) ?? null) : null;
    const api = platform === 'win32' ? win32 : posix;
    const npmDirs = npm === null ? [] : [...new Set([api.dirname(npm), api.dirname(fs.realPath(npm))])];
    const env = buildChildEnv({ platform, hostEnv, configEnv: {}, extraPathDirs: npmDirs });
    const next = [...current];
    for (const request of requests) {
      let resolved;
      try {
        resolved = await this.deps.launch.packages.resolve({ ...request, tool: request.ecosystem === 'npm' ? npm : null }, env);
      } catch (error) {
        throw this.refused(record.id, error instanceof StewardError ? error : new StewardError('download_failed', String(error)));
      }
      const pin: PackagePin = { ecosystem: request.ecosystem, name: request.name, requested: request.requested, ...resolved, pinnedAt: this.deps.now() };
      const at = next.findIndex((p) => p.ecosystem === pin.ecosystem && p.name === pin.name && p.requested === pin.requested);
      if (at >= 0) next[at] = pin;
      else next.push(pin);
    }
    this.deps.records.transaction(() => {
      this.deps.records.servers.setPins(record.id, next);
      this.deps.audit.record('package.pinned', {
        serverId: record.id,
        serverName: record.name,
        actor: 'host',
        summary: `Pinned ${requests.map((r) => `${r.name} to ${next.find((p) => p.name === r.name && p.requested === r.requested)?.version ?? '?'}`).join(', ')} for "${record.name}".`,
        data: { pins: next.map((p) => ({ ecosystem: p.ecosystem, name: p.name, version: p.version, integrity: p.integrity })) },
      });
    });
    this.deps.changed(record.id);
    return next;
  }

  /** Pins the newest versions the command allows (all pins are asked again); restores the old ones when that fails. */
  async upgrade(record: ServerRecord, actor: Actor): Promise<Array<{ name: string; from: string; to: string }>> {
    if (record.config.transport !== 'stdio') throw new StewardError('not_supported', 'Remote servers have no packages to update.');
    const before = record.pins;
    this.deps.records.servers.setPins(record.id, []);
    let plan: LaunchPlan;
    try {
      plan = await this.plan({ ...record, pins: [] });
    } catch (error) {
      this.deps.records.servers.setPins(record.id, before);
      throw error;
    }
    const after = this.deps.records.servers.get(record.id)?.pins ?? [];
    const changes = after
      .map((p) => ({ name: p.name, from: before.find((b) => b.ecosystem === p.ecosystem && b.name === p.name)?.version ?? '(none)', to: p.version }))
      .filter((c) => c.from !== c.to);
    this.deps.audit.record('package.pinned', {
      serverId: record.id,
      serverName: record.name,
      actor,
      summary:
        changes.length > 0
          ? `Updated ${changes.map((c) => `${c.name} ${c.from} → ${c.to}`).join(', ')} for "${record.name}"; it needs consent again.`
          : `Checked for updates of "${record.name}": already the newest.`,
      data: { changes, hash: plan.spec.hash },
    });
    return changes;
  }

  /** The consent request for a plan: its state, and what changed since the last approved launch. */
  consentRequest(record: ServerRecord, plan: LaunchPlan): ConsentRequest {
    const { consents } = this.deps.records;
    const exact = consents.find(record.id, plan.spec.hash);
    const latest = consents.latest(record.id);
    const approved = exact ? undefined : consents.latestApproved(record.id);
    let previous: Parameters<typeof describeChanges>[0];
    try {
      previous = approved ? (JSON.parse(approved.spec) as Parameters<typeof describeChanges>[0]) : undefined;
    } catch {
      previous = undefined;
    }
    return {
      serverId: record.id,
      serverName: record.name,
      spec: plan.spec,
      commandLine: plan.commandLine,
      findings: plan.findings,
      changedSince: !exact && latest ? latest.decidedAt : null,
      changes: describeChanges(previous, plan.spec),
      diff: diffLaunch(previous, plan.spec),
      state: exact ? exact.decision : 'required',
    };
  }
}
