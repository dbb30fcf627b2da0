// Installed MCPB bundles: which server each one runs as, where its files are, its manifest and non-secret settings.
import { z } from 'zod';
import { BundleConfigSchema, type BundleConfig } from '../../../shared/domain/bundles.js';
import type { Db } from './database.js';

export interface BundleRecord {
  id: string;
  serverId: string | null;
  name: string;
  version: string;
  dir: string;
  /** The manifest as validated at install. */
  manifest: Record<string, unknown>;
  /** Settings the user gave, secrets left out (they live in the secret store). */
  config: BundleConfig;
  signature: 'unsigned' | 'unverified';
  enabled: boolean;
  installedAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  server_id: string | null;
  name: string;
  version: string;
  dir: string;
  manifest: string;
  user_config: string;
  signature: string;
  enabled: number;
  installed_at: string;
  updated_at: string;
}

function fromRow(row: Row): BundleRecord | undefined {
  try {
    return {
      id: row.id,
      serverId: row.server_id,
      name: row.name,
      version: row.version,
      dir: row.dir,
      manifest: z.record(z.string(), z.unknown()).parse(JSON.parse(row.manifest)),
      config: BundleConfigSchema.parse(JSON.parse(row.user_config)),
      signature: row.signature === 'unverified' ? 'unverified' : 'unsigned',
      enabled: row.enabled !== 0,
      installedAt: row.installed_at,
      updatedAt: row.updated_at,
    };
  } catch {
    return undefined;
  }
}

export class BundlesRepo {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      all: db.prepare<[], Row>('SELECT * FROM bundles ORDER BY name'),
      byId: db.prepare<[string], Row>('SELECT * FROM bundles WHERE id = ?'),
      byName: db.prepare<[string], Row>('SELECT * FROM bundles WHERE name = ?'),
      byServer: db.prepare<[string], Row>('SELECT * FROM bundles WHERE server_id = ?'),
      upsert: db.prepare(
        `INSERT INTO bundles (id, server_id, name, version, dir, manifest, user_config, signature, enabled, installed_at, updated_at)
         VALUES (@id, @server_id, @name, @version, @dir, @manifest, @user_config, @signature, @enabled, @installed_at, @updated_at)
         ON CONFLICT (id) DO UPDATE SET server_id = excluded.server_id, version = excluded.version, dir = excluded.dir,
           manifest = excluded.manifest, user_config = excluded.user_config, signature = excluded.signature,
           enabled = excluded.enabled, updated_at = excluded.updated_at`,
      ),
      remove: db.prepare<[string]>('DELETE FROM bundles WHERE id = ?'),
    };
  }

  /** Every readable bundle; a damaged row is left out rather than hiding the others. */
  list(): BundleRecord[] {
    return this.stmts.all.all().flatMap((r) => fromRow(r) ?? []);
  }

  get(id: string): BundleRecord | undefined {
    const row = this.stmts.byId.get(id);
    return row ? fromRow(row) : undefined;
  }

  byName(name: string): BundleRecord | undefined {
    const row = this.stmts.byName.get(name);
    return row ? fromRow(row) : undefined;
  }

  byServer(serverId: string): BundleRecord | undefined {
    const row = this.stmts.byServer.get(serverId);
    return row ? fromRow(row) : undefined;
  }

  put(b: BundleRecord): void {
    this.stmts.upsert.run({
      id: b.id,
      server_id: b.serverId,
      name: b.name,
      version: b.version,
      dir: b.dir,
      manifest: JSON.stringify(b.manifest),
      user_config: JSON.stringify(b.config),
      signature: b.signature,
      enabled: b.enabled ? 1 : 0,
      installed_at: b.installedAt,
      updated_at: b.updatedAt,
    });
  }

  remove(id: string): void {
    this.stmts.remove.run(id);
  }
}
