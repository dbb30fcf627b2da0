// main/app/security.ts against a fake electron: every hardening setting, asserted one by one. Hostile cases tried:
// frames navigated (by a view, to itself or its proxy) anywhere but a proxy page, other paths on a view's origin
// loaded as documents, media asked for by views that did not declare it, UDP left on after the last view given the camera
// or microphone closed, and storage left by earlier runs' views.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fakeContents, fakeSession } from '../helpers/fake-electron.js';
import { tempDir } from '../helpers/host.js';
import { objectContaining } from '../helpers/matchers.js';

const registered: unknown[] = [];
vi.mock('electron', () => ({
  protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => registered.push(...schemes) },
}));

const security = await import('../../main/app/security.js');

describe('window preferences', () => {
  const prefs = security.webPreferences('/app/preload.cjs');
  it.each([
    ['sandbox', true],
    ['contextIsolation', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webviewTag', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['navigateOnDragDrop', false],
  ] as const)('%s is %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });
  it('loads only the given preload', () => expect(prefs.preload).toBe('/app/preload.cjs'));
});

describe('content security policy', () => {
  const directives = Object.fromEntries(
    security.CONTENT_SECURITY_POLICY.split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k = '', ...v]): [string, string[]] => [k, v]),
  );
  it('allows scripts and styles only from the app itself, nothing inline or evaluated', () => {
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(security.CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
  it('allows no network from the page and no framing', () => {
    expect(directives['connect-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
  });
});

describe('navigation, windows and webviews', () => {
  it('denies window.open and navigation or redirects away from the app', () => {
    const contents = fakeContents();
    security.lockNavigation(contents as never);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    for (const [event, url, blocked] of [
      ['will-navigate', 'https://evil.example/', true],
      ['will-navigate', 'file:///etc/passwd', true],
      ['will-navigate', 'app://steward/index.html', false],
      ['will-redirect', 'https://evil.example/', true],
    ] as const) {
      const prevent = vi.fn();
      contents.emit(event, { preventDefault: prevent }, url);
      expect(prevent.mock.calls.length, `${event} ${url}`).toBe(blocked ? 1 : 0);
    }
    const prevent = vi.fn();
    contents.emit('will-attach-webview', { preventDefault: prevent });
    expect(prevent).toHaveBeenCalled();
  });

  it('lets a frame load a view’s proxy page or about:blank, and nothing else on a view’s origin or anywhere', () => {
    const contents = fakeContents();
    security.lockNavigation(contents as never);
    const label = `v${'0a1b'.repeat(6)}`;
    const token = 'Tok_en-0123456789abcdef';
    for (const [url, allowed] of [
      [`steward-view://${label}/proxy/${token}`, true],
      ['about:blank', true],
      [`steward-view://${label}/proxy.js`, false],
      [`steward-view://${label}/`, false],
      [`steward-view://${label}/csp-report/${token}`, false],
      [`steward-view://${label}/proxy/${token}/x`, false],
      [`steward-view://${label}/proxy/${token}?x=1`, false],
      [`steward-view://evil.example/proxy/${token}`, false],
      [`steward-view://${label}.evil.example/proxy/${token}`, false],
      [`blob:steward-view://${label}/0b1c-44`, false],
      ['data:text/html,<script>fetch(1)</script>', false],
      ['https://evil.example/', false],
      ['app://steward/index.html', false],
    ] as const) {
      const preventDefault = vi.fn();
      contents.emit('will-frame-navigate', { isMainFrame: false, url, preventDefault });
      expect(preventDefault.mock.calls.length, url).toBe(allowed ? 0 : 1);
    }
  });
});

describe('WebRTC', () => {
  const label = `v${'ab12'.repeat(6)}`;
  const other = `v${'cd34'.repeat(6)}`;
  /** The apps service as the permission handler sees it: each open view's origin with what it may use, and its closing. */
  const apps = (open: Record<string, string>) => {
    const views = new Map(Object.entries(open));
    const listeners: Array<(label: string) => void> = [];
    return {
      permissionAllowed: (l: string, feature: string) => views.get(l)?.split('; ').includes(feature) ?? false,
      onClosed: (listener: (label: string) => void) => {
        listeners.push(listener);
        return () => undefined;
      },
      close: (l: string) => {
        views.delete(l);
        for (const listener of listeners) listener(l);
      },
    };
  };
  const ask = (session: ReturnType<typeof fakeSession>, contents: unknown, mediaTypes: string[], url = `steward-view://${label}/proxy/x`) => {
    const callback = vi.fn();
    session.state.permissionRequest?.(contents, 'media', callback, { requestingUrl: url, mediaTypes });
    return callback.mock.calls[0]?.[0] as boolean;
  };

  it('keeps a window’s WebRTC off UDP outside a proxy', () => {
    const contents = fakeContents();
    security.limitWebRtc(contents as never);
    expect(contents.webRtcPolicies).toEqual(['disable_non_proxied_udp']);
  });

  it('gives UDP back only once a view allowed the camera or microphone gets it', () => {
    const session = fakeSession();
    const contents = fakeContents();
    security.limitWebRtc(contents as never);
    security.denyPermissions(session as never, apps({ [label]: 'clipboard-write' }) as never);
    expect(ask(session, contents, ['video'])).toBe(false);
    expect(ask(session, contents, ['audio'], 'app://steward/index.html')).toBe(false);
    expect(contents.webRtcPolicies).toEqual(['disable_non_proxied_udp']);

    const granted = fakeSession();
    security.denyPermissions(granted as never, apps({ [label]: 'camera; microphone' }) as never);
    expect(ask(granted, contents, ['video', 'audio'])).toBe(true);
    expect(contents.webRtcPolicies).toEqual(['disable_non_proxied_udp', 'default_public_interface_only']);
  });

  it('takes UDP away again once no open view in the window may use the camera or microphone it was given', () => {
    const session = fakeSession();
    const contents = fakeContents();
    const quiet = fakeContents();
    const views = apps({ [label]: 'camera', [other]: 'microphone', vquiet: 'clipboard-write' });
    security.limitWebRtc(contents as never);
    security.limitWebRtc(quiet as never);
    security.denyPermissions(session as never, views as never);
    expect(ask(session, contents, ['video'])).toBe(true);
    expect(ask(session, contents, ['audio'], `steward-view://${other}/proxy/y`)).toBe(true);
    expect(contents.webRtcPolicies).toEqual(['disable_non_proxied_udp', 'default_public_interface_only']);

    // Another view still holds the microphone, and a view without media closing changes nothing.
    views.close(label);
    views.close('vquiet');
    expect(contents.webRtcPolicies).toEqual(['disable_non_proxied_udp', 'default_public_interface_only']);
    views.close(other);
    expect(contents.webRtcPolicies).toEqual(['disable_non_proxied_udp', 'default_public_interface_only', 'disable_non_proxied_udp']);
    expect(quiet.webRtcPolicies).toEqual(['disable_non_proxied_udp']);
    expect(ask(session, contents, ['video'])).toBe(false);

    // A window that is gone is not touched again.
    const later = apps({ [label]: 'camera' });
    const fresh = fakeSession();
    const gone = fakeContents();
    security.denyPermissions(fresh as never, later as never);
    expect(ask(fresh, gone, ['video'])).toBe(true);
    gone.emit('destroyed');
    later.close(label);
    expect(gone.webRtcPolicies).toEqual(['default_public_interface_only']);
  });
});

describe('views’ storage', () => {
  it('clears everything but Steward’s own page’s storage: views’ origins from earlier runs are unreachable', async () => {
    const session = fakeSession();
    await security.clearViewStorage(session as never);
    expect(session.state.cleared).toEqual([
      {
        options: {
          excludeOrigins: ['app://steward'],
          dataTypes: ['backgroundFetch', 'cache', 'cookies', 'fileSystems', 'indexedDB', 'localStorage', 'serviceWorkers', 'webSQL'],
        },
        windowsBefore: 0,
      },
    ]);
  });
});

describe('permissions', () => {
  it('denies every permission request and check', () => {
    const session = fakeSession();
    security.denyPermissions(session as never);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.state.permissionRequest?.(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(session.state.permissionCheck?.()).toBe(false);
    expect(session.state.deviceCheck?.()).toBe(false);
  });
});

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    security.registerAppScheme();
    expect(registered).toContainEqual({ scheme: 'app', privileges: objectContaining({ standard: true, secure: true }) });
  });

  it('serves the renderer with the CSP and never a file outside it', async () => {
    const dir = tempDir('steward-renderer-');
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'do not serve');
    const session = fakeSession();
    security.serveRenderer(session as never, join(dir, 'renderer'));
    const get = (url: string) => session.state.handler!(new Request(url));
    const page = await get('app://steward/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(security.CONTENT_SECURITY_POLICY);
    expect((await get('app://steward/assets/app.js')).headers.get('content-type')).toContain('text/javascript');
    expect((await get('app://steward/../secret.txt')).status).toBe(404);
    expect((await get('app://steward/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('app://other-host/index.html')).status).toBe(404);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('IPC senders', () => {
  it.each([
    [{ url: 'app://steward/index.html', parent: null }, true],
    [{ url: 'app://steward/index.html', parent: {} }, false],
    [{ url: 'https://evil.example/', parent: null }, false],
    [{ url: 'file:///tmp/x.html', parent: null }, false],
    [{ url: 'app://other/index.html', parent: null }, false],
    [null, false],
  ])('trusts %j: %s', (frame, trusted) => {
    expect(security.isTrustedSender(frame)).toBe(trusted);
  });
});

describe('steward-view:// protocol (views of MCP Apps in the desktop app)', () => {
  const label = `v${'ab12'.repeat(6)}`;
  const token = 'Tok_en-0123456789abcdef';
  const reports: unknown[] = [];
  const apps = {
    knowsLabel: (l: string) => l === label,
    frameDocument: (l: string, t: string) =>
      l === label && t === token ? { html: '<!doctype html><p>view</p>', csp: "default-src 'none'; img-src https://cdn.example" } : undefined,
    frameReport: (_l: string, _t: string, body: unknown) => void reports.push(body),
  };
  const session = fakeSession();
  security.serveViewFrames(session as never, apps as never);
  const send = (url: string, init?: RequestInit) => session.state.handler!(new Request(url, init));
  const base = `steward-view://${label}`;

  it('serves a view frame with the CSP built for it as a header, and never to be sniffed or cached', async () => {
    const page = await send(security.desktopFrames.url(label, token));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; img-src https://cdn.example");
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('view');
  });

  it('answers every other address on a view’s origin (the relay’s old script among them) under a CSP that runs nothing', async () => {
    const answers = [
      await send(`${base}/proxy.js`),
      await send(`${base}/`),
      await send(`${base}/index.html`),
      await send(`${base}/csp-report/${token}`, { method: 'POST', body: JSON.stringify({ 'csp-report': {} }) }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 204]);
    for (const answer of answers) expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    reports.splice(0);
  });

  it('refuses what no view of this process asked for: other labels, tokens, paths and methods', async () => {
    // Tried: a label this process never made, one of the wrong shape, a token it never issued or of the wrong shape,
    // a path outside the frame pages, a dot-segment walk, and a POST to a page.
    const refused: Array<[string, RequestInit | undefined, number]> = [
      [`steward-view://v${'cd34'.repeat(6)}/proxy/${token}`, undefined, 403],
      [`steward-view://steward/proxy/${token}`, undefined, 403],
      [`${base}/proxy/Tok_en-0123456789abcdeX`, undefined, 404],
      [`${base}/proxy/short`, undefined, 404],
      [`${base}/proxy/${token}/../../index.html`, undefined, 404],
      [`${base}/etc/passwd`, undefined, 404],
      [`${base}/proxy/${token}`, { method: 'POST', body: 'x' }, 405],
    ];
    for (const [url, init, status] of refused) {
      const answer = await send(url, init);
      expect(answer.status, url).toBe(status);
      expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it('hands CSP reports to the host, and refuses oversized, malformed or mis-sent ones', async () => {
    const report = { 'csp-report': { 'blocked-uri': 'https://evil.example' } };
    expect((await send(`${base}/csp-report/${token}`, { method: 'POST', body: JSON.stringify(report) })).status).toBe(204);
    expect(reports).toEqual([report]);
    expect((await send(`${base}/csp-report/${token}`, { method: 'POST', body: 'x'.repeat(64 * 1024 + 1) })).status).toBe(413);
    expect((await send(`${base}/csp-report/${token}`, { method: 'POST', body: '{not json' })).status).toBe(400);
    expect((await send(`${base}/csp-report/${token}`)).status).toBe(404);
    expect((await send(`${base}/csp-report/bad`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(reports).toHaveLength(1);
  });
});
