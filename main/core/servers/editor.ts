// Editing a server's launch or address, cloning it and exporting servers, and what an edit means for a running process:
// it keeps its earlier launch until the user allows the new one, which the consent hash decides.
import type { EditOutcome, ServerEdit, ServerExport } from '../../../shared/domain/server-edit.js';
import { ServerConfigSchema, type ConsentRequest, type ServerConfig, type ServerInput, type ServerView } from '../../../shared/domain/servers.js';
import { StewardError } from '../../../shared/errors.js';
import type { Audit } from '../audit/index.js';
import type { Inbox } from '../inbox/index.js';
import type { LaunchPlan } from '../security/index.js';
import type { ServerRecord } from '../store/index.js';
import { loadConfig, toStored } from './config.js';
import { resolveEdit, sameConfig } from './edit.js';
import { exportServers } from './export.js';
import type { ServerRecords } from './ports.js';

type Actor = 'user' | 'host' | 'policy';

export interface EditorContext {
  records: Pick<ServerRecords, 'servers' | 'consents' | 'transaction' | 'secrets'>;
  inbox: Inbox;
  audit: Audit;
  record(id: string): ServerRecord;
  get(id: string): ServerView;
  /** Writes name, config and options (secrets included), with its audit line; restarts nothing. */
  save(
    id: string,
    patch: { name?: string | undefined; config?: ServerConfig | undefined; protocolEra?: ServerEdit['protocolEra'] },
    actor: Actor,
  ): Promise<void>;
  add(input: ServerInput, source: string, actor: Actor): Promise<ServerView>;
  plan(record: ServerRecord): Promise<LaunchPlan>;
  consentRequest(record: ServerRecord, plan: LaunchPlan): ConsentRequest;
  /** The consent hash of the local launch running in this process, if one runs. */
  launchedHash(id: string): string | undefined;
  /** Whether this process holds a live session with the server (local or remote). */
  connected(id: string): boolean;
  restart(id: string): Promise<ServerView>;
  /** Installed from a bundle: its files belong to that server alone. */
  bundled(id: string): boolean;
}

function checked(config: ServerConfig): ServerConfig {
  const parsed = ServerConfigSchema.safeParse(config);
  if (!parsed.success) throw new StewardError('invalid_payload', parsed.error.issues[0]?.message ?? 'The server settings are not valid.');
  toStored(parsed.data);
  return parsed.data;
}

export class ServerEditor {
  constructor(private readonly ctx: EditorContext) {}

  async edit(id: string, edit: ServerEdit, actor: Actor): Promise<EditOutcome> {
    const { ctx } = this;
    const current = ctx.record(id);
    if (edit.name !== undefined && edit.name !== current.name) {
      const other = ctx.records.servers.findByName(edit.name);
      if (other && other.id !== id) throw new StewardError('name_taken', `A server named "${edit.name}" already exists.`);
    }
    const before = await loadConfig(ctx.records.secrets, id, current.config);
    // The whole config is checked (a remote address by the URL gate too) before anything is written.
    const config = edit.config ? checked(resolveEdit(before, edit.config)) : undefined;
    const changed = config !== undefined && !sameConfig(before, config);
    const eraChanged = edit.protocolEra !== undefined && edit.protocolEra !== current.options.protocolEra;
    const runningHash = ctx.launchedHash(id);
    const connected = ctx.connected(id);
    await ctx.save(id, { name: edit.name, config: changed ? config : undefined, protocolEra: edit.protocolEra }, actor);
    const record = ctx.record(id);
    const outcome = (launch: EditOutcome['launch'], message: string): EditOutcome => ({ server: ctx.get(id), launch, message });

    if (record.config.transport === 'http' || (changed && current.config.transport === 'http')) {
      if ((changed || eraChanged) && connected) {
        await ctx.restart(id);
        return outcome('remote', changed ? 'It reconnected with the new address and headers.' : 'It reconnected in the protocol era now asked for.');
      }
      return outcome('remote', changed ? 'It connects with the new address and headers when it next starts.' : 'Saved.');
    }
    if (!changed) {
      if (eraChanged && connected) {
        await ctx.restart(id);
        return outcome('unchanged', 'The launch is the same, so no new approval is needed; it reconnected in the protocol era now asked for.');
      }
      return outcome('unchanged', 'The launch is the same, so no new approval is needed.');
    }
    let plan: LaunchPlan;
    try {
      plan = await ctx.plan(record);
    } catch (error) {
      if (!(error instanceof StewardError)) throw error;
      return outcome('refused', `Steward cannot run the new launch: ${error.message}${runningHash ? ' It keeps running its earlier launch.' : ''}`);
    }
    if (plan.spec.hash === runningHash) return outcome('unchanged', 'It resolves to the launch running now, so no new approval is needed.');
    const decision = ctx.records.consents.find(id, plan.spec.hash)?.decision;
    if (decision === 'approved') {
      if (!runningHash) return outcome('approved', 'You allowed this exact launch before, so it runs without asking when it next starts.');
      await ctx.restart(id);
      return outcome('approved', 'You allowed this exact launch before, so it restarted on it.');
    }
    if (!runningHash) return outcome('consent', 'The launch changed, so Steward asks for your approval before it next starts.');
    // The running process stays; the question waits in the inbox, and allowing restarts it on the new launch.
    ctx.inbox.put(`consent:${id}`, { kind: 'consent', serverId: id, serverName: record.name, request: ctx.consentRequest(record, plan) });
    return outcome(
      'consent',
      `The launch changed, so it needs your approval. It keeps running its earlier launch until you allow the new one, then restarts on it; refusing stops it.${decision === 'denied' ? ' You refused this exact launch before.' : ''}`,
    );
  }

  async clone(id: string, name: string, actor: Actor): Promise<ServerView> {
    const { ctx } = this;
    const record = ctx.record(id);
    if (ctx.bundled(id)) {
      throw new StewardError(
        'not_supported',
        `"${record.name}" was installed from a bundle, whose files are its own: install the bundle again to run a second copy.`,
      );
    }
    const config = await loadConfig(ctx.records.secrets, id, record.config);
    const view = await ctx.add({ name, config, sandbox: record.sandbox, options: record.options }, `clone:${record.name}`, actor);
    // Same folders and package versions; its own id, so its own folders, secrets and consent.
    const copy = ctx.record(view.id);
    ctx.records.transaction(() => {
      ctx.records.servers.update({ ...copy, roots: record.roots });
      ctx.records.servers.setPins(view.id, record.pins);
    });
    return ctx.get(view.id);
  }

  exportConfig(id: string | undefined, actor: Actor): ServerExport {
    const { ctx } = this;
    const records = id === undefined ? ctx.records.servers.list() : [ctx.record(id)];
    const result = exportServers(records.map((r) => ({ name: r.name, config: r.config })));
    ctx.audit.record('server.exported', {
      ...(id !== undefined ? { serverId: id, serverName: records[0]?.name ?? null } : {}),
      actor,
      summary: `Exported ${result.servers} server(s) as mcp.json; ${result.placeholders.length} secret(s) left as placeholders.`,
      data: { servers: records.map((r) => r.name), placeholders: result.placeholders.length },
    });
    return result;
  }
}
