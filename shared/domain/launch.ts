// How a local server is launched: package runners and their download step, pinned packages, and classified failures.
import { z } from 'zod';

/** Package runners Steward recognises in a server's command. */
export const RUNNER_TOOLS = [
  'npx',
  'npm exec',
  'pnpm dlx',
  'yarn dlx',
  'bunx',
  'uvx',
  'uv tool run',
  'uv run',
  'pipx run',
  'docker run',
  'podman run',
] as const;
export const RunnerToolSchema = z.enum(RUNNER_TOOLS);
export type RunnerTool = z.infer<typeof RunnerToolSchema>;

export const ECOSYSTEMS = ['npm', 'pypi', 'oci'] as const;
export const EcosystemSchema = z.enum(ECOSYSTEMS);
export type Ecosystem = z.infer<typeof EcosystemSchema>;

/** A package version Steward settled on: written in the config, or pinned at first install. */
export const PackagePinSchema = z.object({
  ecosystem: EcosystemSchema,
  name: z.string().min(1).max(300),
  /** What the config asked for: "", "latest", "^1.2", "1.2.3", "==0.6.2", a tag. */
  requested: z.string().max(300),
  version: z.string().min(1).max(300),
  /** The registry's integrity string (npm sha512) or an image digest; null when the registry gives none. */
  integrity: z.string().max(300).nullable(),
  /** npm packages: the commands the package offers (name -> file inside the package). */
  bin: z.record(z.string(), z.string()).nullable(),
  pinnedAt: z.string(),
});
export type PackagePin = z.infer<typeof PackagePinSchema>;

export const PackageRefSchema = z.object({
  ecosystem: EcosystemSchema,
  name: z.string(),
  requested: z.string(),
  /** The exact version that runs; null only when Steward cannot pin it (a local project, a git URL). */
  version: z.string().nullable(),
  integrity: z.string().nullable(),
  /** config: the command names the version; steward: pinned at first install; null: not pinned. */
  pinnedBy: z.enum(['config', 'steward']).nullable(),
});
export type PackageRef = z.infer<typeof PackageRefSchema>;

/** The fetch that runs once, before the server, in a sandbox of its own: the registry only, writes only to the cache. */
export const DownloadStepSchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  /** Variables Steward sets for the download (where the runner puts its files); nothing secret. */
  env: z.record(z.string(), z.string()),
  commandLine: z.string(),
  cwd: z.string(),
  allowedDomains: z.array(z.string()),
  writePaths: z.array(z.string()),
  /** False for a container engine's pull, which Steward's sandbox cannot wrap. */
  sandboxed: z.boolean(),
});
export type DownloadStep = z.infer<typeof DownloadStepSchema>;

export const RunnerPlanSchema = z.object({
  tool: RunnerToolSchema,
  /**
   * prefetch: downloaded once into the server's own cache, then run with no network and the cache read-only.
   * own-cache: the runner itself runs in the sandbox with a cache of its own and the registry's domains only.
   * container: the container engine isolates it; Steward's sandbox cannot wrap the engine's client.
   */
  mode: z.enum(['prefetch', 'own-cache', 'container']),
  packages: z.array(PackageRefSchema),
  /** The folder that belongs to this server alone (created by Steward, hidden from every other server). */
  cacheDir: z.string(),
  download: DownloadStepSchema.nullable(),
  /** Plain sentences for the consent screen: how this runner is launched and why. */
  notes: z.array(z.string()),
});
export type RunnerPlan = z.infer<typeof RunnerPlanSchema>;

export const FAILURE_CLASSES = [
  'network_blocked',
  'write_blocked',
  'read_blocked',
  'runtime_missing',
  'package_not_found',
  'download_failed',
  'exited_before_initialize',
  'initialize_timeout',
  'handshake_failed',
  'crashed',
  'refused',
] as const;
export const FailureClassSchema = z.enum(FAILURE_CLASSES);
export type FailureClass = z.infer<typeof FailureClassSchema>;

/** What the user can do about a failure. A fix that changes the launch goes through consent again. */
export const FailureFixSchema = z.object({
  kind: z.enum(['allow_domain', 'allow_write', 'allow_read', 'install', 'edit', 'retry', 'none']),
  /** Button text: "Allow and restart". */
  label: z.string(),
  /** The domain or path a grant fix adds. */
  value: z.string().nullable(),
  /** The exact CLI command that applies the fix, when there is one. */
  command: z.string().nullable(),
  /** A sentence on what to do, for fixes Steward cannot apply itself (install a runtime, edit the command). */
  hint: z.string().nullable(),
});
export type FailureFix = z.infer<typeof FailureFixSchema>;

export const FailureSchema = z.object({
  class: FailureClassSchema,
  phase: z.enum(['plan', 'download', 'start', 'running']),
  /** One line: "Blocked: registry.npmjs.org — Allow and restart". */
  summary: z.string(),
  /** What Steward saw: the sandbox's denial, a stderr line. */
  evidence: z.string(),
  fix: FailureFixSchema,
  /** Whether starting again unchanged could help; certain failures are never retried. */
  retryable: z.boolean(),
});
export type Failure = z.infer<typeof FailureSchema>;
