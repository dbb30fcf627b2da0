// Every hardening setting of the desktop app, in one place: window preferences, CSP, navigation, permissions, app://,
// and steward-view://, where each server's MCP App views get a proxy frame on an origin of their own.
import { protocol, type Session, type WebContents, type WebPreferences } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { FRAME_PAGE_PREFIX, FRAME_REFUSAL_CSP, FRAME_REPORT_PREFIX, type AppsService, type ViewFrames } from '../core/apps/index.js';
import { CONTENT_TYPES } from '../core/node/index.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'steward';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;
/** Views' proxy frames: steward-view://<label>/, one label (so one origin) per server. */
export const VIEW_SCHEME = 'steward-view';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // Audio a server returns is played from its own bytes, never fetched.
  'media-src data:',
  "font-src 'self'",
  "connect-src 'none'",
  `frame-src ${VIEW_SCHEME}:`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/**
 * Must run before the app is ready: app:// is a standard, secure origin with fetch support; steward-view:// is standard
 * and secure too, so each host label is an origin of its own with its own storage, and nothing else.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false } },
    { scheme: VIEW_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
  ]);
}

/** Where the desktop app frames views: only its own page may, and each server's proxy lives on its own label. */
export const desktopFrames: ViewFrames = {
  hostOrigins: () => new Set([APP_ORIGIN]),
  url: (label, token) => `${VIEW_SCHEME}://${label}${FRAME_PAGE_PREFIX}${token}`,
};

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
/** The only address a frame of the window may load besides about:blank: a view's proxy page. */
const VIEW_PAGE = new RegExp(`^${VIEW_SCHEME}://v[0-9a-f]{24}${FRAME_PAGE_PREFIX}[A-Za-z0-9_-]{16,64}$`);

/**
 * Serves views' proxy frames with the CSP built for each as a header; CSP reports go to the host's log. A view can
 * navigate its proxy frame (and a sibling view's) anywhere on its origin, so every answer carries a CSP: the proxy
 * page its view's, everything else one under which nothing loads, runs or is framed.
 */
export function serveViewFrames(session: Session, apps: AppsService): void {
  const headers = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'content-security-policy': FRAME_REFUSAL_CSP,
  };
  const refuse = (status: number) => new Response(null, { status, headers });
  session.protocol.handle(VIEW_SCHEME, async (request) => {
    const url = new URL(request.url);
    const label = url.host;
    if (!/^v[0-9a-f]{24}$/.test(label) || !apps.knowsLabel(label)) return refuse(403);
    if (url.pathname.startsWith(FRAME_REPORT_PREFIX)) {
      const token = url.pathname.slice(FRAME_REPORT_PREFIX.length);
      if (request.method !== 'POST' || !TOKEN.test(token)) return refuse(404);
      const text = await request.text();
      if (text.length > 64 * 1024) return refuse(413);
      try {
        apps.frameReport(label, token, JSON.parse(text));
      } catch {
        return refuse(400);
      }
      return new Response(null, { status: 204, headers });
    }
    if (request.method !== 'GET') return refuse(405);
    const token = url.pathname.startsWith(FRAME_PAGE_PREFIX) ? url.pathname.slice(FRAME_PAGE_PREFIX.length) : '';
    const page = TOKEN.test(token) ? apps.frameDocument(label, token) : undefined;
    if (!page) return refuse(404);
    return new Response(page.html, { headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.csp } });
  });
}

/** Serves the built renderer from app://steward/, never outside its folder, always with the CSP. */
export function serveRenderer(session: Session, rendererDir: string): void {
  const root = normalize(rendererDir) + sep;
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = normalize(join(rendererDir, relative));
    if (url.host !== APP_HOST || !file.startsWith(root)) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

/** Electron's names for the browser features a view may declare. */
const VIEW_FEATURES: Record<string, 'camera' | 'microphone' | 'geolocation' | 'clipboardWrite'> = {
  geolocation: 'geolocation',
  'clipboard-sanitized-write': 'clipboardWrite',
};

/**
 * No permission is ever granted to Steward's page: camera, notifications, geolocation, clipboard… A view's frame gets
 * only what its server declared (clipboard write, geolocation, camera, microphone), when `apps` is given.
 */
export function denyPermissions(session: Session, apps?: AppsService): void {
  // Each window whose WebRTC has UDP back (see limitWebRtc), with the views' origins given the camera or microphone in it.
  const calling = new Map<WebContents, Set<string>>();
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const label = apps && viewLabel(details.requestingUrl);
    const allowed = apps !== undefined && label !== undefined && viewMayUse(apps, label, permission, 'mediaTypes' in details ? details.mediaTypes : undefined);
    if (allowed && permission === 'media') {
      const labels = calling.get(contents);
      if (labels) labels.add(label);
      else {
        calling.set(contents, new Set([label]));
        contents.once('destroyed', () => calling.delete(contents));
        contents.setWebRTCIPHandlingPolicy('default_public_interface_only');
      }
    }
    callback(allowed);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // UDP lasts only as long as some open view in the window may still use the camera or microphone it was given.
  apps?.onClosed(() => {
    for (const [contents, labels] of calling) {
      if ([...labels].some((label) => apps.permissionAllowed(label, 'camera') || apps.permissionAllowed(label, 'microphone'))) continue;
      calling.delete(contents);
      limitWebRtc(contents);
    }
  });
}

/** The origin label of a view's proxy frame at `requestingUrl`; undefined for anything that is not one. */
function viewLabel(requestingUrl: string): string | undefined {
  const url = URL.parse(requestingUrl);
  return url?.protocol === `${VIEW_SCHEME}:` ? url.host : undefined;
}

function viewMayUse(apps: AppsService, label: string, permission: string, mediaTypes: readonly string[] | undefined): boolean {
  if (permission === 'media') {
    const wanted = mediaTypes ?? [];
    return (
      wanted.length > 0 &&
      wanted.every((type) => (type === 'video' ? apps.permissionAllowed(label, 'camera') : type === 'audio' && apps.permissionAllowed(label, 'microphone')))
    );
  }
  const feature = VIEW_FEATURES[permission];
  return feature !== undefined && apps.permissionAllowed(label, feature);
}

/**
 * WebRTC reaches hosts no CSP lists (STUN and TURN servers, peers), over UDP, and not every Chromium enforces the
 * webrtc directive that views' CSP carries: a window sends no UDP outside a proxy unless a view open in it was allowed
 * the camera or microphone.
 */
export function limitWebRtc(contents: WebContents): void {
  contents.setWebRTCIPHandlingPolicy('disable_non_proxied_udp');
}

/** What a view may have kept on its origin. */
const VIEW_STORAGE = ['backgroundFetch', 'cache', 'cookies', 'fileSystems', 'indexedDB', 'localStorage', 'serviceWorkers', 'webSQL'] as const;

/**
 * Views' origins are new each run (their labels are salted per process), so what views stored under earlier ones is
 * left behind, out of reach of the server that wrote it and never cleared. Only views ever load anything but Steward's
 * page in this session: at start, before any view opens, everything but Steward's page's own storage goes.
 */
export function clearViewStorage(session: Session): Promise<void> {
  return session.clearData({ dataTypes: [...VIEW_STORAGE], excludeOrigins: [APP_ORIGIN] });
}

/** The window never navigates away, opens no windows and attaches no webviews. */
export function lockNavigation(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  // A frame holds a view's proxy page or nothing: a view may not navigate itself (or a proxy) to any other page.
  contents.on('will-frame-navigate', (details) => {
    if (!details.isMainFrame && !VIEW_PAGE.test(details.url) && details.url !== 'about:blank') details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** True for our own top-level page; IPC from anything else is dropped. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}
