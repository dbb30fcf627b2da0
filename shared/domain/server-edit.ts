// Editing, cloning and exporting a server, and reading a pasted command line: what the front ends send and get back.
import { z } from 'zod';
import {
  atMostNames,
  EnvNameSchema,
  HeaderNameSchema,
  HeaderValueSchema,
  HttpConfigSchema,
  MAX_ENV_VARS,
  MAX_HEADERS,
  PROTOCOL_ERA_SETTINGS,
  ServerNameSchema,
  ServerViewSchema,
  StdioConfigSchema,
  TextValueSchema,
} from './servers.js';

/**
 * A server's config as an edit sends it. The front end never holds secret values, so a variable or header given as null
 * keeps the value stored now; a name left out is removed.
 */
export const EditConfigSchema = z.discriminatedUnion('transport', [
  StdioConfigSchema.extend({
    env: z
      .record(EnvNameSchema, TextValueSchema.nullable())
      .refine(...atMostNames(MAX_ENV_VARS, 'environment variables'))
      .default({}),
  }),
  HttpConfigSchema.extend({
    headers: z
      .record(HeaderNameSchema, HeaderValueSchema.nullable())
      .refine(...atMostNames(MAX_HEADERS, 'headers'))
      .default({}),
  }),
]);
export type EditConfig = z.infer<typeof EditConfigSchema>;

export const ServerEditSchema = z.object({
  name: ServerNameSchema.optional(),
  config: EditConfigSchema.optional(),
  protocolEra: z.enum(PROTOCOL_ERA_SETTINGS).optional(),
});
export type ServerEdit = z.infer<typeof ServerEditSchema>;

/**
 * What an edit means for running the server. unchanged: the same launch. approved: a launch allowed before (a running
 * server restarts on it). consent: a new launch, asked about; a running server keeps its earlier launch until it is
 * allowed. refused: Steward cannot run the new launch (the reason is in `message`); a running server keeps running.
 * remote: a remote server, reconnected when it was connected.
 */
export const EditOutcomeSchema = z.object({
  server: ServerViewSchema,
  launch: z.enum(['unchanged', 'approved', 'consent', 'refused', 'remote']),
  /** One or two sentences on what happens now. */
  message: z.string(),
});
export type EditOutcome = z.infer<typeof EditOutcomeSchema>;

export const ParsedCommandSchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()),
});
export type ParsedCommand = z.infer<typeof ParsedCommandSchema>;

/** An `mcp.json` other hosts read; every stored secret is a placeholder, listed so the user can fill them in. */
export const ServerExportSchema = z.object({
  fileName: z.string(),
  text: z.string(),
  servers: z.number().int(),
  placeholders: z.array(z.object({ server: z.string(), kind: z.enum(['env', 'header']), name: z.string(), placeholder: z.string() })),
});
export type ServerExport = z.infer<typeof ServerExportSchema>;
