// The Electron main process against a fake electron module: what it sets up when the app is ready (a real host on the
// user-data folder, secrets through the keychain, IPC for exactly the contract, one locked-down window), and what it
// does at quit, at a second launch and when the keychain is missing.
import { readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES } from '../../shared/contract/index.js';
import { query, waitFor } from '../helpers/cli.js';
import { arrayContaining, objectContaining } from '../helpers/matchers.js';
import { fakeApp, fakeBrowserWindowClass, fakeIpcMain, fakeSafeStorage, fakeSession } from '../helpers/fake-electron.js';
import { tempDir } from '../helpers/host.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  vi.resetModules();
  vi.doUnmock('electron');
});

async function boot(options: { singleInstance?: boolean; safeStorage?: ReturnType<typeof fakeSafeStorage> } = {}) {
  const userData = tempDir('steward-app-');
  cleanup.push(() => rmSync(userData, { recursive: true, force: true }));
  const app = fakeApp({ userData, singleInstance: options.singleInstance });
  const { FakeBrowserWindow, made } = fakeBrowserWindowClass();
  const ipcMain = fakeIpcMain();
  const session = fakeSession();
  session.windows = () => made.length;
  const schemes: unknown[] = [];
  const dialogs: unknown[][] = [];
  vi.doMock('electron', () => ({
    dialog: {
      showOpenDialog: (...args: unknown[]) => {
        dialogs.push(args);
        return Promise.resolve({ canceled: false, filePaths: ['/home/ada/notes'] });
      },
    },
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    safeStorage: options.safeStorage ?? fakeSafeStorage(),
    session: { defaultSession: session },
    protocol: { registerSchemesAsPrivileged: (list: unknown[]) => schemes.push(...list) },
    shell: { openExternal: () => Promise.resolve() },
    Notification: { isSupported: () => false },
  }));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  cleanup.push(() => stderr.mockRestore());
  await import('../../main/app/bootstrap.js');
  // Quitting disposes the host; a test that started the app and did not quit does it here.
  let started = false;
  const ready = app.ready;
  app.ready = () => {
    started = true;
    ready();
  };
  cleanup.push(async () => {
    if (started && !app.calls.some((c) => c.startsWith('exit'))) {
      await waitFor('the host', () => ipcMain.handlers.size > 0);
      app.emit('before-quit', { preventDefault: () => undefined });
      await waitFor('the host to be disposed', () => app.calls.some((c) => c.startsWith('exit')));
    }
  });
  const logged = () =>
    stderr.mock.calls
      .map((c) => String(c[0]))
      .filter((l) => l.startsWith('[steward]'))
      .join('');
  return { app, made, ipcMain, session, schemes, userData, logged, dialogs };
}

const trusted = { senderFrame: { url: 'app://steward/index.html', parent: null } };

describe('the desktop app starting', () => {
  it('opens one hardened window on app://steward over a real host, with IPC for exactly the contract', async () => {
    const rig = await boot();
    expect(rig.schemes).toMatchObject([
      { scheme: 'app', privileges: { standard: true, secure: true } },
      { scheme: 'steward-view', privileges: { standard: true, secure: true, supportFetchAPI: false } },
    ]);
    rig.app.ready();
    await waitFor('the window', () => rig.made[0]?.url);
    const [window] = rig.made;
    expect(window!.url).toBe('app://steward/index.html');
    expect(window!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false });
    expect((window!.options.webPreferences as { preload: string }).preload).toMatch(/preload[/\\]preload\.cjs$/);
    expect([...rig.ipcMain.handlers.keys()].sort()).toEqual([...CALL_NAMES].sort());
    expect(rig.session.state.permissionCheck?.()).toBe(false);
    expect(rig.session.state.handler).toBeTypeOf('function');
    // What views of earlier runs stored is gone before the window (and so any view) opens; the window sends no WebRTC
    // UDP outside a proxy.
    expect(rig.session.state.cleared).toEqual([{ options: objectContaining({ excludeOrigins: ['app://steward'] }), windowsBefore: 0 }]);
    expect(window!.contents.webRtcPolicies).toEqual(['disable_non_proxied_udp']);
    // The host is the real one, on the user-data folder, recorded as the app.
    expect(await rig.ipcMain.handlers.get('servers:list')!(trusted, {})).toMatchObject({ ok: true });
    expect(query<{ kind: string; pid: number }>(rig.userData, 'SELECT kind, pid FROM owners')).toEqual([{ kind: 'app', pid: process.pid }]);
  });

  it("answers the renderer's file and folder chooser with the system's open dialog, over the app's window", async () => {
    const rig = await boot();
    rig.app.ready();
    await waitFor('the window', () => rig.made[0]?.url);
    await waitFor('the IPC handlers', () => rig.ipcMain.handlers.size > 0);
    const outcome = await rig.ipcMain.handlers.get('paths:pick')!(trusted, { kind: 'directory', title: 'Notes folder' });
    expect(outcome).toEqual({ ok: true, data: { path: '/home/ada/notes' } });
    expect(rig.dialogs).toHaveLength(1);
    const [parent, options] = rig.dialogs[0]!;
    expect((parent as { webContents?: unknown }).webContents).toBe(rig.made[0]!.contents);
    expect(options).toMatchObject({ title: 'Notes folder', properties: arrayContaining(['openDirectory']) });
  });

  it('keeps the model key sealed by the keychain: never in the clear on disk', async () => {
    const rig = await boot();
    rig.app.ready();
    await waitFor('the IPC handlers', () => rig.ipcMain.handlers.size > 0);
    const outcome = await rig.ipcMain.handlers.get('models:setKey')!(trusted, { apiKey: 'sk-ant-app-secret-0123456789' });
    expect(outcome).toMatchObject({ ok: true, data: { hasKey: true } });
    const file = readFileSync(join(rig.userData, 'secrets.json'), 'utf8');
    expect(file).toContain('"keychain:');
    expect(file).not.toContain('sk-ant-app-secret');
  });

  it('without a keychain (or with Electron’s basic_text fallback on Linux) it says so and keeps secrets in the 0600 file', async () => {
    const rig = await boot({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }) });
    rig.app.ready();
    await waitFor('the IPC handlers', () => rig.ipcMain.handlers.size > 0);
    expect(rig.logged()).toContain('the OS keychain is not available');
    await rig.ipcMain.handlers.get('models:setKey')!(trusted, { apiKey: 'sk-ant-app-secret-0123456789' });
    expect(readFileSync(join(rig.userData, 'secrets.json'), 'utf8')).toContain('"plain:');
  });

  it('at quit, waits for the host to stop everything, then exits; the app is no longer recorded as an owner', async () => {
    const rig = await boot();
    rig.app.ready();
    await waitFor('the window', () => rig.made[0]?.url);
    const preventDefault = vi.fn();
    rig.app.emit('before-quit', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await waitFor('the exit', () => rig.app.calls.includes('exit 0'));
    expect(rig.ipcMain.handlers.size).toBe(0);
    expect(query(rig.userData, 'SELECT pid FROM owners')).toEqual([]);
  });

  it('a second launch brings the running window back: restored when minimized, then focused', async () => {
    const rig = await boot();
    rig.app.ready();
    await waitFor('the window', () => rig.made[0]?.url);
    const [window] = rig.made;
    rig.app.emit('second-instance');
    expect(window!.calls).toEqual(['focus']);
    window!.minimize();
    rig.app.emit('second-instance');
    expect(window!.calls).toEqual(['focus', 'restore', 'focus']);
    expect(rig.made).toHaveLength(1);
  });

  it('when the host cannot start (a database from a newer Steward), says why and exits 1 with no window open', async () => {
    const rig = await boot();
    const db = new Database(join(rig.userData, 'steward.db'));
    db.pragma('user_version = 9999');
    db.close();
    rig.app.ready();
    await waitFor('the exit', () => rig.app.calls.includes('exit 1'));
    expect(rig.logged()).toMatch(/Steward could not start: .*newer Steward/);
    expect(rig.made).toHaveLength(0);
    expect(rig.ipcMain.handlers.size).toBe(0);
  });

  it('a second launch quits at once, leaving the first; closing the last window quits (off macOS)', async () => {
    const second = await boot({ singleInstance: false });
    expect(second.app.calls).toContain('quit');
    vi.resetModules();
    const first = await boot();
    first.app.emit('window-all-closed');
    expect(first.app.calls).toContain(process.platform === 'darwin' ? undefined : 'quit');
  });
});
