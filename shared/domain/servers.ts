// Server configurations, their live state, launch specs and consent requests, as the UI and CLI see them.
import { z } from 'zod';
import { FailureSchema, PackagePinSchema, RunnerPlanSchema } from './launch.js';

/**
 * Control, invisible and direction-changing characters: in a name they could rewrite the sentence it is shown in, or
 * make two names look the same (default-ignorable marks such as U+034F or variation selectors draw as nothing).
 */
const NO_CONTROL_CHARS = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]*$/u;

export const ServerNameSchema = z
  .string()
  .trim()
  .min(1, 'A server needs a name.')
  .max(100, 'Server names are at most 100 characters.')
  .regex(NO_CONTROL_CHARS, 'Server names cannot contain control, invisible or direction-changing characters.');

export const EnvNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Environment variable names use letters, digits and underscores.')
  .max(200);

export const TextValueSchema = z
  .string()
  .max(32_768)
  .regex(/^[^\u0000]*$/, 'Values cannot contain NUL characters.');

/**
 * The most variables one local server's config may set. Real configs set a handful (an API key, a base URL, a log
 * level); each value is a secret, saved with the config, so the cap also bounds what one save has to write.
 */
export const MAX_ENV_VARS = 256;

/**
 * The most headers one remote server's config may set. Real configs send one or two (an API key, a tenant); common web
 * servers refuse a request with over 100 header fields (Apache's LimitRequestFields), and the SDK adds its own.
 */
export const MAX_HEADERS = 64;

/** The refinement that keeps a record to at most `max` names, refused with a sentence naming the cap. */
export const atMostNames = (max: number, what: string) =>
  [(record: Record<string, unknown>) => Object.keys(record).length <= max, `A server can have at most ${max} ${what}.`] as const;

export const StdioConfigSchema = z.object({
  transport: z.literal('stdio'),
  command: z
    .string()
    .trim()
    .min(1, 'A stdio server needs a command.')
    .max(4096)
    .regex(/^[^\u0000\n\r]*$/, 'The command cannot contain NUL or line breaks.'),
  args: z
    .array(
      z
        .string()
        .max(32_768)
        .regex(/^[^\u0000]*$/, 'Arguments cannot contain NUL characters.'),
    )
    .max(512)
    .default([]),
  env: z
    .record(EnvNameSchema, TextValueSchema)
    .refine(...atMostNames(MAX_ENV_VARS, 'environment variables'))
    .default({}),
  cwd: z.string().max(4096).optional(),
});

export const HeaderNameSchema = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'Header names are HTTP tokens.');
export const HeaderValueSchema = z
  .string()
  .max(8192)
  .regex(/^[^\r\n\u0000]*$/, 'Header values cannot contain line breaks.');

export const HttpConfigSchema = z.object({
  transport: z.literal('http'),
  url: z.url('The server URL is not a valid URL.').refine((u) => /^https?:\/\//i.test(u), 'Remote servers are reached over http:// or https://.'),
  headers: z
    .record(HeaderNameSchema, HeaderValueSchema)
    .refine(...atMostNames(MAX_HEADERS, 'headers'))
    .default({}),
});

export const ServerConfigSchema = z.discriminatedUnion('transport', [StdioConfigSchema, HttpConfigSchema]);
export type StdioConfig = z.infer<typeof StdioConfigSchema>;
export type HttpConfig = z.infer<typeof HttpConfigSchema>;
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

/** A domain a sandboxed server may reach: `example.com`, `*.example.com`, optionally `:port`. */
export const DomainGrantSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/, 'Network grants are domain names such as registry.npmjs.org or *.example.com.');

export const SandboxSettingsSchema = z.object({
  /** Off only by an explicit, recorded choice of the user. */
  enabled: z.boolean().default(true),
  /** Folders the server may write to (absolute paths). Everything else is read-only. */
  writePaths: z.array(z.string().min(1).max(4096)).max(64).default([]),
  /** Extra folders the server may not read, on top of the built-in hidden locations. */
  denyReadPaths: z.array(z.string().min(1).max(4096)).max(64).default([]),
  /** Built-in hidden locations the user chose to show this server (each exactly, never a folder inside one). */
  readPaths: z.array(z.string().min(1).max(4096)).max(64).default([]),
  /** Domains the server may reach. Empty means no network at all. */
  allowedDomains: z.array(DomainGrantSchema).max(64).default([]),
});
export type SandboxSettings = z.infer<typeof SandboxSettingsSchema>;

export const PROTOCOL_ERA_SETTINGS = ['auto', 'legacy', 'modern'] as const;
export type ProtocolEraSetting = (typeof PROTOCOL_ERA_SETTINGS)[number];
/** The era a connection speaks: legacy is 2025-11-25 and earlier (initialize), modern 2026-07-28 (per-request metadata). */
export const ProtocolEraSchema = z.enum(['legacy', 'modern']);
export type ProtocolEra = z.infer<typeof ProtocolEraSchema>;

export const ServerOptionsSchema = z.object({
  /** Start only when something first needs the server (a tool list, a call). */
  lazyStart: z.boolean().default(false),
  /** Stop after this many minutes without a request; null keeps it running. */
  idleStopMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .nullable()
    .default(null),
  /** Restart after a crash, with exponential backoff and a cap. */
  restartOnCrash: z.boolean().default(true),
  /** Per-call timeout for tool calls, in seconds. */
  toolTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(300),
  /**
   * Which protocol era to speak: auto asks the server first (server/discover) and speaks 2026-07-28 when it offers it,
   * 2025-11-25 otherwise; legacy and modern pin one era and never fall back.
   */
  protocolEra: z.enum(PROTOCOL_ERA_SETTINGS).default('auto'),
});
export type ServerOptions = z.infer<typeof ServerOptionsSchema>;

export const ServerInputSchema = z.object({
  name: ServerNameSchema,
  config: ServerConfigSchema,
  sandbox: SandboxSettingsSchema.partial().optional(),
  options: ServerOptionsSchema.partial().optional(),
});
export type ServerInput = z.infer<typeof ServerInputSchema>;

export const SERVER_STATUSES = ['stopped', 'awaiting_consent', 'downloading', 'starting', 'running', 'stopping', 'backoff', 'crashed', 'error'] as const;
export const ServerStatusSchema = z.enum(SERVER_STATUSES);
export type ServerStatus = z.infer<typeof ServerStatusSchema>;

export const ServerErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  stderrTail: z.array(z.string()).default([]),
  /** What kind of failure it was, the evidence and the fix; absent for failures Steward did not classify. */
  failure: FailureSchema.optional(),
  /** When it happened; kept with the server until it next comes up. */
  at: z.string().optional(),
});
export type ServerError = z.infer<typeof ServerErrorSchema>;

export const RootSchema = z.object({ path: z.string().min(1).max(4096), name: z.string().max(200).optional() });
export type Root = z.infer<typeof RootSchema>;

/** Another Steward process, as the UI names it. */
export const OwnerTagSchema = z.object({ pid: z.number().int(), kind: z.string().max(40) });
export type OwnerTag = z.infer<typeof OwnerTagSchema>;

export const ServerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  /** stdio: the configured command (not yet resolved); http: the URL. */
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  envNames: z.array(z.string()).optional(),
  url: z.string().optional(),
  headerNames: z.array(z.string()).optional(),
  sandbox: SandboxSettingsSchema,
  options: ServerOptionsSchema,
  roots: z.array(RootSchema),
  source: z.string(),
  /** Package versions this server runs, pinned in its command or at first install. */
  packages: z.array(PackagePinSchema).default([]),
  status: ServerStatusSchema,
  pid: z.number().int().nullable(),
  rssBytes: z.number().int().nullable(),
  restarts: z.number().int(),
  lastError: ServerErrorSchema.nullable(),
  protocolVersion: z.string().nullable(),
  /** The era the current connection speaks; null when not connected. */
  era: ProtocolEraSchema.nullable().default(null),
  serverInfo: z.object({ name: z.string(), version: z.string(), title: z.string().optional() }).nullable(),
  instructions: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Other running Steward processes (the app, browser mode, a command) that hold a session with this server too. */
  elsewhere: z.array(OwnerTagSchema).optional(),
});
export type ServerView = z.infer<typeof ServerViewSchema>;

export const FINDING_SEVERITIES = ['danger', 'warning', 'info'] as const;
export const FindingSchema = z.object({
  code: z.string(),
  severity: z.enum(FINDING_SEVERITIES),
  message: z.string(),
  evidence: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const SandboxPlanSchema = z.object({
  /**
   * enforced: wrapped by the OS sandbox; off: the user turned it off; unsupported: this OS has none;
   * container: a container engine isolates it (Steward's sandbox cannot wrap the engine's client).
   */
  mode: z.enum(['enforced', 'off', 'unsupported', 'container']),
  /** Folders the user granted for writing. */
  writePaths: z.array(z.string()),
  /** Hidden locations the user chose to show this server. */
  readPaths: z.array(z.string()),
  /** Folders Steward made for this server alone and lets it write: its temp folder, a runner's own cache. */
  ownWritePaths: z.array(z.string()),
  /** Folders Steward made for this server alone and lets it read only: the package it downloaded. */
  ownReadPaths: z.array(z.string()),
  /** What the sandbox itself keeps writable for every process (the standard streams). */
  runtimeWritePaths: z.array(z.string()),
  /** The server's own temp folder (TMPDIR); null without a sandbox. */
  tempDir: z.string().nullable(),
  denyReadPaths: z.array(z.string()),
  allowedDomains: z.array(z.string()),
});
export type SandboxPlan = z.infer<typeof SandboxPlanSchema>;

/** A variable that steers which code a loader picks (NODE_OPTIONS, PYTHONPATH, LD_PRELOAD, HOME…), shown on the consent screen. */
export const FlaggedEnvSchema = z.object({
  name: z.string(),
  /** The value with any credentials in it masked; secrets are never shown. */
  shown: z.string(),
  why: z.string(),
});
export type FlaggedEnv = z.infer<typeof FlaggedEnvSchema>;

/** The exact thing that will run. Consent is bound to `hash`. */
export const LaunchSpecSchema = z.object({
  command: z.string(),
  /** The command with every symlink resolved: the file that really runs. */
  realCommand: z.string(),
  args: z.array(z.string()),
  cwd: z.string(),
  envNames: z.array(z.string()),
  /** A salted digest of each configured value: the hash covers values, the record never holds them. */
  envDigests: z.record(z.string(), z.string()),
  flaggedEnv: z.array(FlaggedEnvSchema),
  sandbox: SandboxPlanSchema,
  runner: RunnerPlanSchema.nullable(),
  hash: z.string(),
});
export type LaunchSpec = z.infer<typeof LaunchSpecSchema>;

/** One field of a launch, as it was last approved and as it is now; null where it was absent or is a secret. */
export const LaunchChangeSchema = z.object({
  field: z.string(),
  change: z.enum(['added', 'removed', 'changed', 'unchanged']),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type LaunchChange = z.infer<typeof LaunchChangeSchema>;

export const ConsentRequestSchema = z.object({
  serverId: z.string(),
  serverName: z.string(),
  spec: LaunchSpecSchema,
  /** The full command line, quoted the way a POSIX shell would read it, never truncated. */
  commandLine: z.string(),
  findings: z.array(FindingSchema),
  /** Set when an earlier consent exists for a different spec: the launch changed. */
  changedSince: z.string().nullable(),
  /** What changed since the last approved launch, one sentence each (values of secrets never shown). */
  changes: z.array(z.string()),
  /** The same changes field by field, old → new; every variable is listed with whether its value changed, never the value. */
  diff: z.array(LaunchChangeSchema).default([]),
  state: z.enum(['required', 'approved', 'denied']),
});
export type ConsentRequest = z.infer<typeof ConsentRequestSchema>;

export const ImportReportSchema = z.object({
  format: z.enum(['claude_desktop', 'vscode', 'cursor', 'generic']),
  added: z.array(ServerViewSchema),
  skipped: z.array(z.object({ name: z.string(), code: z.string(), reason: z.string() })),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const LogLineSchema = z.object({
  id: z.number().int(),
  serverId: z.string(),
  ts: z.string(),
  stream: z.enum(['stderr', 'protocol', 'host']),
  level: z.enum(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']),
  text: z.string(),
});
export type LogLine = z.infer<typeof LogLineSchema>;
