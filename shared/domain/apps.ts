// MCP Apps as plain data: a tool's link to its view, the view's declared sandbox (CSP domains, permissions), and what
// the host hands the renderer to show one. Discovery of a tool's UI is a pure reading of its `_meta`.
import { z } from 'zod';
import { UrlVerdictSchema } from './elicitation.js';

export const APPS_EXTENSION = 'io.modelcontextprotocol/ui';
export const APP_MIME_TYPE = 'text/html;profile=mcp-app';
/** Bytes of JSON a view may send in one request (a PDF saved back, base64, is the big case): the host's cap, and the page's. */
export const VIEW_REQUEST_MAX_BYTES = 6 * 1024 * 1024;
/** The deprecated flat key some servers still send beside `_meta.ui.resourceUri`. */
export const LEGACY_RESOURCE_URI_KEY = 'ui/resourceUri';

export const VisibilitySchema = z.enum(['model', 'app']);
export type Visibility = z.infer<typeof VisibilitySchema>;

/** What a tool's `_meta` says about views: the ui:// resource that shows its results, and who may call it. */
export const ToolUiSchema = z.object({
  resourceUri: z.string().optional(),
  /** As declared; absent means both. */
  visibility: z.array(VisibilitySchema).optional(),
  /** A declaration Steward could not use (a resourceUri that is not ui://, an unknown visibility), said in words. */
  problem: z.string().optional(),
});
export type ToolUi = z.infer<typeof ToolUiSchema>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a tool's UI declaration from `_meta.ui` and the legacy `_meta["ui/resourceUri"]` (the nested key wins).
 * A resource URI that is not ui:// is left out with a problem; a visibility with anything but "model" and "app" is
 * read as app-only, the narrowest reading, so a typo never hands a tool to a model.
 */
export function readToolUi(meta: unknown): ToolUi | undefined {
  if (!isRecord(meta)) return undefined;
  const ui = isRecord(meta.ui) ? meta.ui : undefined;
  const nested = ui?.resourceUri;
  const legacy = meta[LEGACY_RESOURCE_URI_KEY];
  const rawUri = nested !== undefined ? nested : legacy;
  const rawVisibility = ui?.visibility;
  if (rawUri === undefined && rawVisibility === undefined) return undefined;
  const out: ToolUi = {};
  const problems: string[] = [];
  if (rawUri !== undefined) {
    if (typeof rawUri === 'string' && rawUri.startsWith('ui://') && rawUri.length <= 2048) out.resourceUri = rawUri;
    else problems.push('Its view address is not a ui:// resource, so Steward shows no view for it.');
  }
  if (rawVisibility !== undefined) {
    const parsed = z.array(VisibilitySchema).safeParse(rawVisibility);
    if (parsed.success) out.visibility = [...new Set(parsed.data)];
    else {
      out.visibility = ['app'];
      problems.push('Its visibility is not a list of "model" and "app", so Steward treats it as callable by its views only.');
    }
  }
  if (problems.length > 0) out.problem = problems.join(' ');
  return out;
}

/** A declared list of origins for one CSP directive. */
const Domains = z.array(z.string().max(512)).max(64).optional();
export const ViewCspSchema = z.object({
  connectDomains: Domains,
  resourceDomains: Domains,
  frameDomains: Domains,
  baseUriDomains: Domains,
});
export type ViewCsp = z.infer<typeof ViewCspSchema>;

export const PERMISSIONS = ['camera', 'microphone', 'geolocation', 'clipboardWrite'] as const;
export const ViewPermissionsSchema = z.object({
  camera: z.object({}).optional(),
  microphone: z.object({}).optional(),
  geolocation: z.object({}).optional(),
  clipboardWrite: z.object({}).optional(),
});
export type ViewPermissions = z.infer<typeof ViewPermissionsSchema>;

/** The Content-Security-Policy a view runs under, as sent in the proxy frame's header, and how it was arrived at. */
export const CspInForceSchema = z.object({
  /** The header value, exactly. */
  header: z.string(),
  /** The domains as the server declared them (after Steward dropped the ones it refused). */
  declared: ViewCspSchema,
  /** Declared entries Steward did not put in the policy, each with the reason. */
  refused: z.array(z.object({ directive: z.string(), value: z.string(), reason: z.string() })),
  /** Where the declaration came from: the resources/read content, the resources/list entry, or nowhere (the default). */
  source: z.enum(['content', 'list', 'none']),
});
export type CspInForce = z.infer<typeof CspInForceSchema>;

/** The tool as MCP describes it, for the view's hostContext.toolInfo. */
const ToolInfoSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
  _meta: z.record(z.string(), z.unknown()).optional(),
});

/** Everything the renderer needs to show one view: the HTML, the sandbox it runs in and where its proxy frame lives. */
export const AppViewSpecSchema = z.object({
  viewId: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  tool: ToolInfoSchema,
  resourceUri: z.string(),
  html: z.string(),
  csp: CspInForceSchema,
  permissions: ViewPermissionsSchema,
  /** The frames' `allow` attribute (Permission Policy) built from the permissions. */
  allow: z.string(),
  /** The `sandbox` attribute of the proxy frame and of the frame inside it. */
  sandbox: z.string(),
  /** The proxy frame's address: a page on an origin of this server's own. */
  proxyUrl: z.string(),
  prefersBorder: z.boolean().nullable(),
});
export type AppViewSpec = z.infer<typeof AppViewSpecSchema>;

/** Requests a view may make that the host relays to the view's own server (sampling: to the user and the model). */
export const VIEW_METHODS = [
  'tools/call',
  'resources/read',
  'resources/list',
  'resources/templates/list',
  'prompts/list',
  'ping',
  'sampling/createMessage',
] as const;
/** Requests the renderer answers itself, after the host has admitted (rate, size) and logged them. */
export const VIEW_LOCAL_METHODS = ['ui/request-display-mode'] as const;

export const ViewContentBlockSchema = z.record(z.string(), z.unknown());

export const ViewMessageSchema = z.object({
  role: z.literal('user'),
  content: z.array(ViewContentBlockSchema).max(32),
});

export const ViewModelContextSchema = z.object({
  content: z.array(ViewContentBlockSchema).max(32).optional(),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
});

export const LinkCheckSchema = UrlVerdictSchema;

/** A CSP violation the browser reported from a view's frame. */
export const ViewViolationSchema = z.object({
  viewId: z.string(),
  serverId: z.string(),
  directive: z.string(),
  blockedUri: z.string(),
});
export type ViewViolation = z.infer<typeof ViewViolationSchema>;
