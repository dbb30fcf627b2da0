// The one list of calls and events a front end can use. No channel string is written anywhere else.
import { z } from 'zod';
import {
  ConsentRequestSchema,
  DomainGrantSchema,
  ImportReportSchema,
  LogLineSchema,
  RootSchema,
  SandboxSettingsSchema,
  ServerConfigSchema,
  ServerInputSchema,
  ServerNameSchema,
  ServerOptionsSchema,
  ServerViewSchema,
} from '../domain/servers.js';
import {
  CallResultSchema,
  CompletionRefSchema,
  CompletionSchema,
  pageOf,
  ProgressSchema,
  PromptResultSchema,
  PromptViewSchema,
  ResourceContentSchema,
  ResourceTemplateViewSchema,
  ResourceViewSchema,
  ToolViewSchema,
} from '../domain/mcp.js';
import { EditOutcomeSchema, ParsedCommandSchema, ServerEditSchema, ServerExportSchema } from '../domain/server-edit.js';
import { LogLevelSchema, ServerFeaturesSchema, WireMessageSchema } from '../domain/workbench.js';
import { AuditEventSchema, AuditKindSchema } from '../domain/audit.js';
import { InboxChangeSchema, InboxDecisionSchema, InboxItemSchema } from '../domain/inbox.js';
import { AuthConfigSchema, AuthSecretsSchema, AuthViewSchema } from '../domain/auth.js';
import { TaskDetailSchema, TaskResultPageSchema, TaskStatusSchema, TaskViewSchema } from '../domain/tasks.js';
import { LoopViewSchema, ModelSettingsSchema, RoundRecordSchema, SamplingPolicyPatchSchema, SamplingPolicySchema } from '../domain/sampling.js';
import { BundleConfigSchema, BundlePreviewSchema, BundleViewSchema } from '../domain/bundles.js';
import { UrlVerdictSchema } from '../domain/elicitation.js';
import { ToolCallRecordSchema } from '../domain/tool-calls.js';
import { AppViewSpecSchema, ViewViolationSchema } from '../domain/apps.js';
import { AppearanceSchema } from '../domain/appearance.js';

const Id = z.string().min(1).max(200);
const ServerRef = z.object({ serverId: Id });
const Empty = z.object({});
const Ack = z.object({ ok: z.literal(true) });
/** A server's opaque pagination cursor, passed back as it came. */
const PageRef = z.object({ serverId: Id, cursor: z.string().max(4096).optional() });
const ResourceUri = z.string().min(1).max(8192);
/** Prompt arguments and completion context are strings by the protocol. */
const StringArgs = z.record(z.string().max(512), z.string().max(100_000)).default({});
const ViewRef = z.object({ viewId: Id });
const GrantPath = z.string().min(1).max(4096);
const GrantChange = z.object({
  serverId: Id,
  allowDomains: z.array(DomainGrantSchema).max(64).optional(),
  allowWrite: z.array(GrantPath).max(64).optional(),
  allowRead: z.array(GrantPath).max(64).optional(),
});

function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const calls = {
  'servers:list': call(Empty, z.array(ServerViewSchema)),
  'servers:get': call(ServerRef, ServerViewSchema),
  'servers:add': call(ServerInputSchema, ServerViewSchema),
  'servers:update': call(
    z.object({
      serverId: Id,
      name: ServerNameSchema.optional(),
      config: ServerConfigSchema.optional(),
      sandbox: SandboxSettingsSchema.partial().optional(),
      options: ServerOptionsSchema.partial().optional(),
    }),
    ServerViewSchema,
  ),
  'servers:remove': call(ServerRef, Ack),
  /** Changes the launch (command, arguments, variables, folder) or address and headers, the name or the era; says what follows for consent. */
  'servers:edit': call(ServerEditSchema.extend({ serverId: Id }), EditOutcomeSchema),
  /** A copy under a new name, with its own secrets and its own consent. */
  'servers:clone': call(z.object({ serverId: Id, name: ServerNameSchema }), ServerViewSchema),
  /** One server, or all when no id is given, as an mcp.json (`mcpServers`); stored secrets become placeholders. */
  'servers:export': call(z.object({ serverId: Id.optional() }), ServerExportSchema),
  /** A pasted command line read without a shell into a command, arguments and variables; shell features are refused by name. */
  'servers:parseCommand': call(z.object({ text: z.string().max(70_000) }), ParsedCommandSchema),
  'servers:import': call(z.object({ text: z.string().max(5_000_000), fileName: z.string().max(4096).optional() }), ImportReportSchema),
  'servers:start': call(ServerRef, ServerViewSchema),
  'servers:stop': call(ServerRef, ServerViewSchema),
  'servers:restart': call(ServerRef, ServerViewSchema),
  'servers:logs': call(
    z.object({ serverId: Id, beforeId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(2000).default(200) }),
    z.array(LogLineSchema),
  ),
  'servers:ping': call(ServerRef, z.object({ ms: z.number() })),
  'servers:setRoots': call(z.object({ serverId: Id, roots: z.array(RootSchema).max(64) }), ServerViewSchema),
  /** Adds grants; a folder inside a hidden location is refused with the reason. The launch changes, so consent is asked again. */
  'servers:grant': call(GrantChange, ServerViewSchema),
  'servers:revoke': call(GrantChange, ServerViewSchema),
  /** Pins the newest versions of the server's packages that its command allows; consent is asked again when they changed. */
  'servers:upgrade': call(
    ServerRef,
    z.object({ server: ServerViewSchema, changes: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })) }),
  ),
  /** A bundle file (base64) is checked and unpacked into a staging folder; nothing is installed or run yet. */
  'bundles:inspect': call(z.object({ fileName: z.string().min(1).max(512), data: z.string().min(1).max(280_000_000) }), BundlePreviewSchema),
  'bundles:install': call(
    z.object({ stagingId: Id, name: ServerNameSchema.optional(), config: BundleConfigSchema.default({}) }),
    z.object({ bundle: BundleViewSchema, server: ServerViewSchema }),
  ),
  'bundles:list': call(Empty, z.array(BundleViewSchema)),
  'bundles:uninstall': call(z.object({ bundleId: Id }), Ack),
  'bundles:setEnabled': call(z.object({ bundleId: Id, enabled: z.boolean() }), BundleViewSchema),
  /** The desktop app's file or folder chooser, for a setting that names a path; not_supported elsewhere. */
  'paths:pick': call(z.object({ kind: z.enum(['file', 'directory']), title: z.string().min(1).max(200) }), z.object({ path: z.string().max(4096).nullable() })),
  'consent:get': call(ServerRef, ConsentRequestSchema),
  'consent:decide': call(z.object({ serverId: Id, hash: z.string().min(1), decision: z.enum(['approve', 'deny']) }), ServerViewSchema),
  'tools:list': call(ServerRef, z.array(ToolViewSchema)),
  'tools:call': call(
    z.object({
      serverId: Id,
      name: z.string().min(1).max(512),
      arguments: z.record(z.string(), z.unknown()).default({}),
      /** Chosen by the caller so progress events and cancel can refer to the call. */
      callId: Id.optional(),
      timeoutSeconds: z
        .number()
        .int()
        .min(1)
        .max(24 * 3600)
        .optional(),
      /** Run an optional-task tool as a task and wait for it (tools that require a task always are). */
      asTask: z.boolean().optional(),
    }),
    CallResultSchema,
  ),
  'tools:cancel': call(z.object({ callId: Id }), Ack),
  /** The server's call history, newest first: before `beforeId` when given, of one tool when named. */
  'tools:history': call(
    z.object({
      serverId: Id,
      tool: z.string().min(1).max(512).optional(),
      beforeId: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    z.array(ToolCallRecordSchema),
  ),
  'tools:clearHistory': call(ServerRef, Ack),
  /** The URL gate's verdict on an address in a server's text (a markdown link), for the user to judge before opening. */
  'links:check': call(z.object({ url: z.string().max(10_000) }), UrlVerdictSchema),
  /** Opens that address in the system browser after the user said yes (the gate judges it again). */
  'links:open': call(z.object({ serverId: Id, url: z.string().max(10_000) }), UrlVerdictSchema),
  /** What the running server declared: which of the calls below it answers. */
  'servers:features': call(ServerRef, ServerFeaturesSchema),
  /**
   * The JSON-RPC messages with the server in this process, oldest first: those after `afterSeq`, whose method (or, for a
   * response, its request's method) starts with `method`. `total` counts every message so far; the oldest are dropped.
   */
  'servers:wire': call(
    z.object({
      serverId: Id,
      afterSeq: z.number().int().min(0).optional(),
      method: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1000).default(500),
    }),
    z.object({ messages: z.array(WireMessageSchema), total: z.number().int() }),
  ),
  /** logging/setLevel: the least severe level of log message the server should send. */
  'servers:setLogLevel': call(z.object({ serverId: Id, level: LogLevelSchema }), Ack),
  'prompts:list': call(PageRef, pageOf(PromptViewSchema)),
  'prompts:get': call(z.object({ serverId: Id, name: z.string().min(1).max(512), arguments: StringArgs }), PromptResultSchema),
  'resources:list': call(PageRef, pageOf(ResourceViewSchema)),
  'resources:templates': call(PageRef, pageOf(ResourceTemplateViewSchema)),
  'resources:read': call(z.object({ serverId: Id, uri: ResourceUri }), z.object({ contents: z.array(ResourceContentSchema) })),
  /** Updates come as resources:updated events while the server runs this session. */
  'resources:subscribe': call(z.object({ serverId: Id, uri: ResourceUri }), Ack),
  'resources:unsubscribe': call(z.object({ serverId: Id, uri: ResourceUri }), Ack),
  /** completion/complete for a prompt argument or a resource template parameter; `context` holds the arguments already given. */
  'completion:complete': call(
    z.object({
      serverId: Id,
      ref: CompletionRefSchema,
      argument: z.object({ name: z.string().min(1).max(512), value: z.string().max(10_000) }),
      context: StringArgs,
    }),
    CompletionSchema,
  ),
  'inbox:list': call(Empty, z.array(InboxItemSchema)),
  'inbox:decide': call(z.object({ itemId: Id, decision: InboxDecisionSchema }), Ack),
  'audit:list': call(
    z.object({
      beforeId: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      serverId: Id.optional(),
      kind: AuditKindSchema.optional(),
    }),
    z.array(AuditEventSchema),
  ),
  /** One page of an export, oldest first, from `afterId` on; `next` starts the following page (null: that was the last). */
  'audit:export': call(
    z.object({ serverId: Id.optional(), kind: AuditKindSchema.optional(), afterId: z.number().int().min(0).default(0) }),
    z.object({ jsonl: z.string(), count: z.number().int(), next: z.number().int().nullable() }),
  ),
  'sampling:getPolicy': call(ServerRef, SamplingPolicySchema),
  /** Changes only the fields named; the rest of the policy stays as it is. */
  'sampling:setPolicy': call(z.object({ serverId: Id, policy: SamplingPolicyPatchSchema }), SamplingPolicySchema),
  'sampling:loops': call(
    z.object({ serverId: Id.optional(), before: z.string().max(40).optional(), limit: z.number().int().min(1).max(200).default(50) }),
    z.array(LoopViewSchema),
  ),
  'sampling:loop': call(z.object({ loopId: Id }), LoopViewSchema),
  /** One round's whole record: the request as the server sent it, the edits, the request the model got, the reply both ways, the steps. */
  'sampling:round': call(z.object({ requestId: Id }), RoundRecordSchema),
  'tasks:list': call(
    z.object({
      status: TaskStatusSchema.optional(),
      serverId: Id.optional(),
      /** The last task of the previous page. */
      cursor: z.object({ updatedAt: z.string().max(40), id: Id }).optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    z.array(TaskViewSchema),
  ),
  'tasks:get': call(z.object({ taskId: Id }), TaskDetailSchema),
  'tasks:result': call(
    z.object({ taskId: Id, offset: z.number().int().min(0).default(0), length: z.number().int().min(1).max(1_048_576).optional() }),
    TaskResultPageSchema,
  ),
  'tasks:start': call(
    z.object({
      serverId: Id,
      name: z.string().min(1).max(512),
      arguments: z.record(z.string(), z.unknown()).default({}),
      ttlSeconds: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 3600)
        .optional(),
    }),
    TaskViewSchema,
  ),
  'tasks:cancel': call(z.object({ taskId: Id }), TaskViewSchema),
  'auth:get': call(z.object({ serverId: Id }), AuthViewSchema),
  'auth:configure': call(z.object({ serverId: Id, config: AuthConfigSchema.partial().default({}), secrets: AuthSecretsSchema.default({}) }), AuthViewSchema),
  'auth:signIn': call(z.object({ serverId: Id, again: z.boolean().optional() }), AuthViewSchema),
  'auth:signOut': call(z.object({ serverId: Id }), AuthViewSchema),
  'models:get': call(Empty, ModelSettingsSchema),
  'models:set': call(
    z.object({
      baseUrl: z.url().nullable().optional(),
      enabledModels: z.array(z.string().max(100)).min(1).max(20).optional(),
      defaultModel: z.string().max(100).optional(),
    }),
    ModelSettingsSchema,
  ),
  /** The key goes in and never comes back out: the reply only says whether one is set. */
  'models:setKey': call(
    z.object({
      // The messages never repeat the key: they say what is wrong with it.
      apiKey: z
        .string()
        .trim()
        .min(10, 'That is too short to be a model key; paste the whole key.')
        .max(500, 'That is too long to be a model key; paste the key alone.')
        .nullable(),
    }),
    ModelSettingsSchema,
  ),
  'appearance:get': call(Empty, AppearanceSchema),
  /** Every window and process on the data folder follows it (appearance:changed). */
  'appearance:set': call(AppearanceSchema, AppearanceSchema),
  /** Fetches and checks a tool's view and registers its sandbox; hostOrigin is the page that will frame it. */
  'apps:open': call(z.object({ serverId: Id, tool: z.string().min(1).max(512), hostOrigin: z.string().max(200) }), AppViewSpecSchema),
  /**
   * A request a view made, relayed to its own server (or to sampling) after Steward's checks. Params stay unchecked
   * here: the host validates them per method, so a malformed one is refused and logged rather than dropped unseen.
   */
  'apps:request': call(ViewRef.extend({ method: z.string().min(1).max(200), params: z.unknown() }), z.record(z.string(), z.unknown())),
  /** The URL gate's verdict on a page a view asks to open, for the user to judge. */
  'apps:checkLink': call(ViewRef.extend({ url: z.string().max(10_000) }), UrlVerdictSchema),
  /** Opens that page in the system browser, after the user's click (the gate judges it again). */
  'apps:openLink': call(ViewRef.extend({ url: z.string().max(10_000) }), UrlVerdictSchema),
  /** ui/message: kept on record and shown. */
  'apps:message': call(ViewRef.extend({ params: z.unknown() }), Ack),
  /** ui/update-model-context: the view's latest context, kept on record and shown. */
  'apps:modelContext': call(ViewRef.extend({ params: z.unknown() }), Ack),
  /** notifications/message from a view, into its server's log. */
  'apps:log': call(ViewRef.extend({ level: LogLevelSchema, text: z.string().max(20_000) }), Ack),
  /** Something the renderer's bridge refused before it reached the host (malformed message, unknown method). */
  'apps:rejected': call(ViewRef.extend({ method: z.string().max(200), reason: z.string().max(2000) }), Ack),
  'apps:close': call(ViewRef.extend({ reason: z.string().max(500) }), Ack),
} as const;

export const events = {
  'servers:changed': ServerViewSchema,
  'servers:removed': z.object({ serverId: Id }),
  'logs:changed': z.object({ serverId: Id, lines: z.array(LogLineSchema) }),
  'tools:changed': z.object({ serverId: Id }),
  /** A call was added to the server's call history. */
  'tools:called': z.object({ serverId: Id }),
  'prompts:changed': z.object({ serverId: Id }),
  'resources:changed': z.object({ serverId: Id }),
  /** A resource the user subscribed to changed at the server. */
  'resources:updated': z.object({ serverId: Id, uri: z.string() }),
  'calls:changed': ProgressSchema,
  /** One item added or removed; the whole list only comes from inbox:list. */
  'inbox:changed': InboxChangeSchema,
  'sampling:changed': LoopViewSchema,
  'tasks:changed': TaskViewSchema,
  /** A server said a page it asked the user to open is done (notifications/elicitation/complete), for one Steward waits on. */
  'elicitation:completed': z.object({ serverId: Id, elicitationId: z.string().max(1000), at: z.string() }),
  'auth:changed': AuthViewSchema,
  'models:changed': ModelSettingsSchema,
  'appearance:changed': AppearanceSchema,
  'sampling:policyChanged': z.object({ serverId: Id, policy: SamplingPolicySchema }),
  /** The browser blocked something a view tried, under its CSP. */
  'apps:violation': ViewViolationSchema,
  /** Steward closed a view on its own (its server was removed or changed, too many were open); the reason is a sentence. */
  'apps:closed': z.object({ viewId: z.string().max(200), serverId: Id, reason: z.string().max(500) }),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallParsed<K extends CallName> = z.output<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.hasOwn(calls, value);
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
