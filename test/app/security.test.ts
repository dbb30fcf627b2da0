// main/app/security.ts against a fake electron: every hardening setting, asserted one by one.
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
