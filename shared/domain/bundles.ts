// MCPB bundles as the install screen and the bundle list see them: the manifest's promises, the settings form, the signature.
import { z } from 'zod';

export const BUNDLE_FIELD_TYPES = ['string', 'number', 'boolean', 'directory', 'file'] as const;

/** One setting from the manifest's user_config, as a form field. */
export const BundleFieldSchema = z.object({
  key: z.string(),
  type: z.enum(BUNDLE_FIELD_TYPES),
  title: z.string(),
  description: z.string().nullable(),
  required: z.boolean(),
  /** Sensitive values are masked while typed and kept in the secret store, never in the database. */
  sensitive: z.boolean(),
  /** file/directory: several paths. */
  multiple: z.boolean(),
  /** The default with ${HOME} and the other folders already filled in. */
  defaultValue: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export type BundleField = z.infer<typeof BundleFieldSchema>;

export const BundleSignatureSchema = z.object({
  /** unsigned: no signature; unverified: a signature Steward cannot check (so it proves nothing). */
  state: z.enum(['unsigned', 'unverified']),
  note: z.string(),
});

export const BundlePreviewSchema = z.object({
  stagingId: z.string(),
  fileName: z.string(),
  manifestVersion: z.string(),
  name: z.string(),
  displayName: z.string(),
  version: z.string(),
  description: z.string(),
  longDescription: z.string().nullable(),
  author: z.object({ name: z.string(), email: z.string().nullable(), url: z.string().nullable() }),
  homepage: z.string().nullable(),
  license: z.string().nullable(),
  serverType: z.string(),
  tools: z.array(z.object({ name: z.string(), description: z.string() })),
  toolsGenerated: z.boolean(),
  prompts: z.array(z.object({ name: z.string(), description: z.string() })),
  privacyPolicies: z.array(z.string()),
  signature: BundleSignatureSchema,
  fields: z.array(BundleFieldSchema),
  files: z.number().int(),
  bytes: z.number().int(),
  /**
   * Set when a bundle of this name is installed: installing this one updates it. publisherChanged: its author or its
   * signature differs from the installed one's, so the secret settings are not carried over and must be entered again.
   */
  existing: z.object({ bundleId: z.string(), version: z.string(), serverName: z.string(), publisherChanged: z.boolean() }).nullable(),
});
export type BundlePreview = z.infer<typeof BundlePreviewSchema>;

export const BundleViewSchema = z.object({
  id: z.string(),
  serverId: z.string().nullable(),
  name: z.string(),
  displayName: z.string(),
  version: z.string(),
  signature: BundleSignatureSchema,
  enabled: z.boolean(),
  installedAt: z.string(),
  updatedAt: z.string(),
});
export type BundleView = z.infer<typeof BundleViewSchema>;

export const BundleConfigValueSchema = z.union([z.string().max(32_768), z.number(), z.boolean(), z.array(z.string().max(4096)).max(64)]);
export const BundleConfigSchema = z.record(z.string().max(200), BundleConfigValueSchema);
export type BundleConfig = z.infer<typeof BundleConfigSchema>;
