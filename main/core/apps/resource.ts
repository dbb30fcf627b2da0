// A view's HTML as the server sent it: the resources/read answer checked (content type, text or base64 blob, size) and
// the view's declared sandbox read from the content's `_meta.ui`, else the resources/list entry's. Pure.
import { APP_MIME_TYPE, PERMISSIONS, type ViewPermissions } from '../../../shared/domain/apps.js';

/** Views are single HTML documents with everything inlined; the largest reference one is about 4.3 MB. */
export const MAX_VIEW_HTML = 12 * 1024 * 1024;

export type UiContent = { ok: true; html: string; meta: unknown } | { ok: false; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * True only for text/html with the parameter profile=mcp-app (case and spaces around the separators aside, the value
 * optionally quoted) and no other parameter: anything else is not a view.
 */
export function isAppMimeType(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 200) return false;
  const [type = '', ...params] = value.split(';').map((part) => part.trim());
  if (type.toLowerCase() !== 'text/html' || params.length !== 1) return false;
  return /^profile\s*=\s*("?)mcp-app\1$/.test((params[0] ?? '').replace(/^profile/i, 'profile'));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64Utf8(blob: string): string | undefined {
  const compact = blob.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The content item for `uri` in a resources/read result, checked; a refusal says in words what was wrong. */
export function readUiContent(result: unknown, uri: string): UiContent {
  const contents = isRecord(result) && Array.isArray(result.contents) ? (result.contents as unknown[]).filter(isRecord) : [];
  if (contents.length === 0) return { ok: false, reason: 'The server returned no content for the view.' };
  const item = contents.find((c) => c.uri === uri) ?? (contents.length === 1 ? contents[0] : undefined);
  if (!item) return { ok: false, reason: `The server returned contents, but none for ${uri}.` };
  if (!isAppMimeType(item.mimeType)) {
    const given = typeof item.mimeType === 'string' ? `"${item.mimeType.slice(0, 100)}"` : 'no content type';
    return { ok: false, reason: `The view has ${given}; Steward shows only ${APP_MIME_TYPE}.` };
  }
  let html: string | undefined;
  if (typeof item.text === 'string') html = item.text;
  else if (typeof item.blob === 'string') {
    if (item.blob.length > (MAX_VIEW_HTML * 4) / 3 + 4) return { ok: false, reason: 'The view is larger than Steward shows.' };
    html = decodeBase64Utf8(item.blob);
    if (html === undefined) return { ok: false, reason: 'The view’s blob is not base64-encoded UTF-8 text.' };
  } else return { ok: false, reason: 'The view has neither text nor a blob.' };
  if (html.length > MAX_VIEW_HTML) return { ok: false, reason: 'The view is larger than Steward shows.' };
  if (html.trim() === '') return { ok: false, reason: 'The view’s HTML is empty.' };
  return { ok: true, html, meta: item._meta };
}

export interface ViewMeta {
  csp: unknown;
  permissions: ViewPermissions;
  prefersBorder: boolean | null;
  source: 'content' | 'list' | 'none';
}

/** The view's `_meta.ui` from its content when there is one, else from its resources/list entry; never a mix of both. */
export function viewMeta(contentMeta: unknown, listMeta: unknown): ViewMeta {
  const fromContent = isRecord(contentMeta) && isRecord(contentMeta.ui) ? contentMeta.ui : undefined;
  const fromList = isRecord(listMeta) && isRecord(listMeta.ui) ? listMeta.ui : undefined;
  const ui = fromContent ?? fromList;
  if (!ui) return { csp: undefined, permissions: {}, prefersBorder: null, source: 'none' };
  return {
    csp: ui.csp,
    permissions: grantedPermissions(ui.permissions),
    prefersBorder: typeof ui.prefersBorder === 'boolean' ? ui.prefersBorder : null,
    source: fromContent ? 'content' : 'list',
  };
}

/** Only the four known permissions, each declared as an object; anything else is ignored. */
export function grantedPermissions(raw: unknown): ViewPermissions {
  const out: ViewPermissions = {};
  if (!isRecord(raw)) return out;
  for (const name of PERMISSIONS) if (isRecord(raw[name])) out[name] = {};
  return out;
}

const FEATURES: Record<(typeof PERMISSIONS)[number], string> = {
  camera: 'camera',
  microphone: 'microphone',
  geolocation: 'geolocation',
  clipboardWrite: 'clipboard-write',
};

/** The frame's `allow` attribute (Permission Policy) for the granted permissions. */
export function allowAttribute(permissions: ViewPermissions): string {
  return PERMISSIONS.filter((name) => permissions[name] !== undefined)
    .map((name) => FEATURES[name])
    .join('; ');
}
