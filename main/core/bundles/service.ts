// MCPB bundles: a file is checked and unpacked into a staging folder and shown; on install its files move into the data
// folder (hidden from every other server), its settings are kept (secrets in the secret store) and it becomes a server that
// goes through consent like any other. Update keeps the settings (secrets only from the same publisher), disable stops it,
// uninstall removes every trace.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { BundleConfig, BundleField, BundlePreview, BundleView } from '../../../shared/domain/bundles.js';
import type { ServerView } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import type { Audit } from '../audit/index.js';
import type { Clock, SecretStore, Transact } from '../ports.js';
import { findCommand, missingRuntimeHint, nodeFsView, type Platform } from '../security/index.js';
import type { ServersService } from '../servers/index.js';
import type { BundleRecord, BundlesRepo, ServersRepo } from '../store/index.js';
import { incompatibility, manifestVersion, parseManifest, type Manifest } from './manifest.js';
import { loadMcpb } from './mcpb.js';
import { publisherChanged } from './publisher.js';
import {
  checkValues,
  deriveLaunch,
  fieldsOf,
  launchConfigFor,
  refuseSecretsOnCommandLine,
  runsOnStewardNode,
  type BundleRuntime,
  type SystemDirs,
} from './settings.js';
import { unpackBundle } from './unpack.js';
import { DEFAULT_ZIP_CAPS, readZipEntries, type ZipCaps } from './zip-check.js';

/** The records bundles keep: their own table, the server each became, and a transaction across both. */
export interface BundleRecords {
  bundles: Pick<BundlesRepo, 'list' | 'get' | 'byName' | 'byServer' | 'put' | 'remove'>;
  servers: Pick<ServersRepo, 'get'>;
  transaction: Transact;
}

export interface BundlesDeps {
  records: BundleRecords;
  servers: ServersService;
  secrets: SecretStore;
  audit: Audit;
  clock: Clock;
  dataDir: string;
  homeDir: string;
  hostEnv: Readonly<Record<string, string | undefined>>;
  platform: Platform;
  runtime: BundleRuntime;
  /**
   * A server taken over by another publisher's bundle loses the sampling permission the user gave the old one: it asks
   * again (the default policy).
   */
  resetSampling(serverId: string, serverName: string): void;
  caps?: Partial<ZipCaps>;
}

interface Staged {
  dir: string;
  fileName: string;
  manifest: Manifest;
  signature: 'unsigned' | 'unverified';
  at: number;
}

/** A bundle inspected but not installed is dropped after this long. */
const STAGE_TTL_MS = 60 * 60_000;
/**
 * Bundles unpacked at once, waiting for the user or being unpacked. One is shown at a time; a second covers a window
 * left open. Each may hold up to the unpacked cap on disk, so a caller inspecting again and again cannot fill the disk:
 * the oldest waiting one makes room (installing it then asks for the file again).
 */
export const MAX_STAGED = 2;

const secretKey = (bundleId: string, key: string) => `bundle/${bundleId}/config/${key}`;

export class BundlesService {
  private readonly staged = new Map<string, Staged>();
  /** Staging folders being unpacked now. */
  private readonly unpacking = new Set<string>();
  private readonly caps: ZipCaps;

  constructor(private readonly deps: BundlesDeps) {
    this.caps = { ...DEFAULT_ZIP_CAPS, ...deps.caps };
    // What a Steward that stopped mid-inspection left behind.
    rmSync(this.stagingRoot(), { recursive: true, force: true });
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private stagingRoot(): string {
    return join(this.deps.dataDir, 'bundles', '.staging');
  }

  private dirs(): SystemDirs {
    const h = this.deps.homeDir;
    return { HOME: h, DESKTOP: join(h, 'Desktop'), DOCUMENTS: join(h, 'Documents'), DOWNLOADS: join(h, 'Downloads') };
  }

  /** Checks a bundle file and unpacks it into a staging folder; nothing is installed or run. */
  async inspect(fileName: string, data: Buffer): Promise<BundlePreview> {
    this.expire();
    const { extractSignatureBlock } = await loadMcpb();
    const { originalContent, pkcs7Signature } = extractSignatureBlock(data);
    const entries = readZipEntries(originalContent, this.caps);
    if (!entries.some((e) => e.name === 'manifest.json')) throw new StewardError('bundle_invalid', 'The bundle has no manifest.json at its top level.');
    const stagingId = randomUUID();
    const dir = join(this.stagingRoot(), stagingId);
    this.makeRoom();
    const files = join(dir, 'files');
    mkdirSync(files, { recursive: true, mode: 0o700 });
    this.unpacking.add(dir);
    try {
      await unpackBundle(originalContent, entries, files);
      const manifest = await parseManifest(readFileSync(join(files, 'manifest.json'), 'utf8'));
      const incompatible = incompatibility(manifest, { platform: process.platform, nodeVersion: process.versions.node });
      if (incompatible) throw new StewardError('bundle_incompatible', incompatible);
      this.checkRuntime(manifest, files);
      const fields = fieldsOf(manifest, this.dirs(), sep);
      refuseSecretsOnCommandLine(manifest, fields, process.platform);
      const signature = pkcs7Signature ? 'unverified' : 'unsigned';
      this.staged.set(stagingId, { dir, fileName, manifest, signature, at: this.deps.clock.now() });
      const existing = this.deps.records.bundles.byName(manifest.name);
      return {
        stagingId,
        fileName,
        manifestVersion: manifestVersion(manifest),
        name: manifest.name,
        displayName: manifest.display_name ?? manifest.name,
        version: manifest.version,
        description: manifest.description,
        longDescription: manifest.long_description ?? null,
        author: { name: manifest.author.name, email: manifest.author.email ?? null, url: manifest.author.url ?? null },
        homepage: manifest.homepage ?? null,
        license: manifest.license ?? null,
        serverType: manifest.server.type,
        tools: (manifest.tools ?? []).map((t) => ({ name: t.name, description: t.description ?? '' })),
        toolsGenerated: manifest.tools_generated ?? false,
        prompts: (manifest.prompts ?? []).map((p) => ({ name: p.name, description: p.description ?? '' })),
        privacyPolicies: 'privacy_policies' in manifest ? (manifest.privacy_policies ?? []) : [],
        signature: signatureView(signature),
        fields,
        files: entries.filter((e) => !e.directory).length,
        bytes: entries.reduce((n, e) => n + e.size, 0),
        existing: existing
          ? {
              bundleId: existing.id,
              version: existing.version,
              serverName: this.serverName(existing),
              publisherChanged: publisherChanged(existing, manifest, signature),
            }
          : null,
      };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    } finally {
      this.unpacking.delete(dir);
    }
  }

  /** Room for one more staged bundle: the oldest waiting ones go; with every place being unpacked, the caller waits its turn. */
  private makeRoom(): void {
    const waiting = [...this.staged].sort(([, a], [, b]) => a.at - b.at);
    while (waiting.length + this.unpacking.size >= MAX_STAGED) {
      const oldest = waiting.shift();
      if (!oldest) throw new StewardError('limit_reached', `Steward is already unpacking ${this.unpacking.size} bundles; try again when they are shown.`);
      rmSync(oldest[1].dir, { recursive: true, force: true });
      this.staged.delete(oldest[0]);
    }
  }

  /**
   * A runtime the bundle names that is not installed here is refused now, not at its first start. The command is the one
   * this platform runs: the library applies the override for the platform Steward runs on, so this does too.
   */
  private checkRuntime(manifest: Manifest, files: string): void {
    const command = launchConfigFor(manifest, process.platform).command.replace(/\$\{__dirname\}/g, files);
    if (runsOnStewardNode(manifest, command) || command.includes('${')) return;
    if (!findCommand(command, { platform: this.deps.platform, hostEnv: this.deps.hostEnv, homeDir: this.deps.homeDir, cwd: files }, nodeFsView)) {
      const hint = missingRuntimeHint(command);
      throw new StewardError(
        'runtime_missing',
        hint
          ? `This bundle runs on ${hint.what}, which is not installed here. ${hint.install}`
          : `This bundle runs "${command}", which is not on this computer.`,
      );
    }
  }

  private serverName(b: BundleRecord): string {
    return b.serverId ? (this.deps.records.servers.get(b.serverId)?.name ?? b.name) : b.name;
  }

  /** Installs (or updates) an inspected bundle as a server; it runs after the user consents to its launch. */
  async install(stagingId: string, input: { name?: string | undefined; config: BundleConfig }): Promise<{ bundle: BundleView; server: ServerView }> {
    const staged = this.staged.get(stagingId);
    if (!staged) throw new StewardError('not_found', 'That bundle is no longer waiting to be installed; open the file again.');
    // Out of the waiting list while it installs, so an inspect meanwhile cannot make room by deleting it (and a second
    // install of it is told it is gone); a failed install leaves it waiting again, ready for another try.
    this.staged.delete(stagingId);
    try {
      return await this.installStaged(staged, input);
    } catch (error) {
      if (existsSync(join(staged.dir, 'files'))) this.staged.set(stagingId, staged);
      else rmSync(staged.dir, { recursive: true, force: true });
      throw error;
    }
  }

  private async installStaged(staged: Staged, input: { name?: string | undefined; config: BundleConfig }): Promise<{ bundle: BundleView; server: ServerView }> {
    const { manifest } = staged;
    const fields = fieldsOf(manifest, this.dirs(), sep);
    const existing = this.deps.records.bundles.byName(manifest.name);
    const id = existing?.id ?? randomUUID();
    // Another publisher's bundle of the same name gets no secret the user gave the installed one: they are asked again.
    const otherPublisher = existing !== undefined && publisherChanged(existing, manifest, staged.signature);
    const kept = existing ? await this.keptAnswers(existing, fields, { secrets: !otherPublisher }) : {};
    const values = checkValues(fields, { ...kept, ...input.config }, this.dirs(), sep);
    const home = join(this.deps.dataDir, 'bundles', id);
    const dir = join(home, `${manifest.version.replace(/[^\w.-]/g, '_')}-${randomUUID().slice(0, 8)}`);
    const launch = await deriveLaunch(manifest, dir, fields, values, { dirs: this.dirs(), sep, platform: process.platform, runtime: this.deps.runtime });
    mkdirSync(home, { recursive: true, mode: 0o700 });
    renameSync(join(staged.dir, 'files'), dir);

    const config = { transport: 'stdio' as const, command: launch.command, args: launch.args, env: launch.env, cwd: dir };
    let server: ServerView;
    const oldDir = existing?.dir;
    try {
      const current = existing?.serverId ? this.deps.records.servers.get(existing.serverId) : undefined;
      if (current) {
        await this.deps.servers.stop(current.id);
        // What the user allowed the old publisher's code (the sandbox off, networks, shown hidden folders, roots) is not
        // given to another's: its sandbox starts as a new server's, keeping only the folders the user hid from it.
        const sandbox = otherPublisher
          ? { enabled: true, writePaths: launch.writePaths, readPaths: [], allowedDomains: [], denyReadPaths: current.sandbox.denyReadPaths }
          : { writePaths: launch.writePaths };
        server = await this.deps.servers.update(current.id, { config, sandbox });
        if (otherPublisher) {
          if (current.roots.length > 0) server = await this.deps.servers.setRoots(current.id, []);
          this.deps.resetSampling(current.id, server.name);
        }
      } else {
        server = await this.deps.servers.add(
          { name: input.name ?? manifest.display_name ?? manifest.name, config, sandbox: { writePaths: launch.writePaths } },
          'bundle',
        );
      }
    } catch (error) {
      // A refused install (a name taken) leaves nothing installed, and the inspected bundle stays ready for another try.
      renameSync(dir, join(staged.dir, 'files'));
      if (!existing) rmSync(home, { recursive: true, force: true });
      throw error;
    }
    rmSync(staged.dir, { recursive: true, force: true });
    const secrets = new Map<string, string>();
    for (const f of fields.filter((x) => x.sensitive)) {
      const v = values[f.key];
      if (typeof v === 'string') secrets.set(secretKey(id, f.key), v);
    }
    // A secret of a setting the new version dropped, or one the user cleared, is not kept. One write for all of them.
    const dropped = (await this.deps.secrets.keys(secretKey(id, ''))).filter((key) => !secrets.has(key));
    await this.deps.secrets.change(secrets, dropped);
    const at = this.now();
    const record: BundleRecord = {
      id,
      serverId: server.id,
      name: manifest.name,
      version: manifest.version,
      dir,
      manifest: manifest,
      config: Object.fromEntries(Object.entries(values).filter(([k]) => !fields.some((f) => f.key === k && f.sensitive))),
      signature: staged.signature,
      enabled: existing?.enabled ?? true,
      installedAt: existing?.installedAt ?? at,
      updatedAt: at,
    };
    this.deps.records.transaction(() => {
      this.deps.records.bundles.put(record);
      this.deps.audit.record(existing ? 'bundle.updated' : 'bundle.installed', {
        serverId: server.id,
        serverName: server.name,
        actor: 'user',
        summary: existing
          ? `Updated bundle ${manifest.name} ${existing.version} → ${manifest.version} (${staged.signature})${otherPublisher ? ' from another publisher: its secrets, grants, roots and sampling permission asked again' : ''}; it runs again after consent.`
          : `Installed bundle ${manifest.name} ${manifest.version} from ${staged.fileName} (${staged.signature}).`,
        data: { bundleId: id, version: manifest.version, signature: staged.signature, settings: Object.keys(values) },
      });
    });
    if (oldDir && oldDir !== dir) rmSync(oldDir, { recursive: true, force: true });
    return { bundle: view(record), server: this.deps.servers.get(server.id) };
  }

  /**
   * An update keeps the answers already given (secrets too, unless told not to) to the settings the new version still has;
   * answers to settings it dropped are let go, since the user could not correct them, and so is a secret whose setting the
   * new version no longer calls secret, which would otherwise be kept in clear.
   */
  private async keptAnswers(existing: BundleRecord, fields: readonly BundleField[], keep: { secrets: boolean }): Promise<BundleConfig> {
    const kept: BundleConfig = {};
    for (const f of fields) {
      const secret = keep.secrets && f.sensitive ? await this.deps.secrets.get(secretKey(existing.id, f.key)) : undefined;
      const old = secret ?? (Object.hasOwn(existing.config, f.key) ? existing.config[f.key] : undefined);
      if (old !== undefined) kept[f.key] = old;
    }
    return kept;
  }

  list(): BundleView[] {
    return this.deps.records.bundles.list().map(view);
  }

  private bundle(id: string): BundleRecord {
    const b = this.deps.records.bundles.get(id);
    if (!b) throw new StewardError('not_found', 'There is no such bundle.');
    return b;
  }

  async uninstall(id: string): Promise<void> {
    const b = this.bundle(id);
    if (b.serverId && this.deps.records.servers.get(b.serverId)) await this.deps.servers.remove(b.serverId);
    await this.deps.secrets.change(new Map(), await this.deps.secrets.keys(`bundle/${id}/`));
    rmSync(join(this.deps.dataDir, 'bundles', id), { recursive: true, force: true });
    this.deps.records.transaction(() => {
      this.deps.records.bundles.remove(id);
      this.deps.audit.record('bundle.uninstalled', { actor: 'user', summary: `Uninstalled bundle ${b.name} ${b.version}.`, data: { bundleId: id } });
    });
  }

  /** A disabled bundle does not run: it is stopped, and a start is refused until it is enabled again. */
  async setEnabled(id: string, enabled: boolean): Promise<BundleView> {
    const b = this.bundle(id);
    this.deps.records.bundles.put({ ...b, enabled, updatedAt: this.now() });
    if (!enabled && b.serverId && this.deps.records.servers.get(b.serverId)) await this.deps.servers.stop(b.serverId);
    return view(this.bundle(id));
  }

  /** Folders a server may read although they sit in the data folder: its bundle's own files. */
  readPathsFor(serverId: string): string[] {
    const b = this.deps.records.bundles.byServer(serverId);
    return b ? [b.dir] : [];
  }

  /** Why a server may not start now (its bundle is disabled), or undefined. */
  launchRefusal(serverId: string): string | undefined {
    const b = this.deps.records.bundles.byServer(serverId);
    return b && !b.enabled ? `The bundle ${b.name} is disabled; enable it to run it.` : undefined;
  }

  /** Bundles inspected but never installed are dropped after a while. */
  private expire(): void {
    const now = this.deps.clock.now();
    for (const [id, s] of this.staged) {
      if (now - s.at > STAGE_TTL_MS) {
        rmSync(s.dir, { recursive: true, force: true });
        this.staged.delete(id);
      }
    }
  }

  dispose(): void {
    for (const s of this.staged.values()) rmSync(s.dir, { recursive: true, force: true });
    this.staged.clear();
  }
}

function signatureView(state: 'unsigned' | 'unverified'): BundleView['signature'] {
  return state === 'unsigned'
    ? { state, note: 'It carries no signature: nothing vouches for who made this bundle.' }
    : { state, note: 'It carries a signature Steward cannot verify yet, so it proves nothing about who made this bundle.' };
}

function view(b: BundleRecord): BundleView {
  return {
    id: b.id,
    serverId: b.serverId,
    name: b.name,
    displayName: typeof b.manifest.display_name === 'string' ? b.manifest.display_name : b.name,
    version: b.version,
    signature: signatureView(b.signature),
    enabled: b.enabled,
    installedAt: b.installedAt,
    updatedAt: b.updatedAt,
  };
}
