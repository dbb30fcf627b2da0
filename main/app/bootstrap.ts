// The Electron main process: one hardened window over the host core; everything is disposed on quit.
import { app, BrowserWindow, safeStorage, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, type Host } from '../core/host.js';
import { routeIpc } from './ipc-router.js';
import { FileSecretStore, leaveFilesystemRoot } from '../core/node/index.js';
import { desktopNotifier, dialogPicker, gatedShell, keychainCipher } from './ports.js';
import {
  APP_URL,
  clearViewStorage,
  denyPermissions,
  desktopFrames,
  limitWebRtc,
  lockNavigation,
  registerAppScheme,
  serveRenderer,
  serveViewFrames,
  webPreferences,
} from './security.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', '..');
const log = (line: string) => process.stderr.write(`[steward] ${line}\n`);
const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

let host: Host | undefined;
let window: BrowserWindow | undefined;
let unroute: (() => void) | undefined;

function createWindow(): void {
  window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'Steward',
    show: false,
    webPreferences: webPreferences(join(DIST, 'preload', 'preload.cjs')),
  });
  lockNavigation(window.webContents);
  limitWebRtc(window.webContents);
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => {
    window = undefined;
  });
  window.loadURL(APP_URL).catch((error: unknown) => log(`the window could not load: ${describe(error)}`));
}

app.on('web-contents-created', (_event, contents) => {
  lockNavigation(contents);
  limitWebRtc(contents);
});

async function start(): Promise<void> {
  await app.whenReady();
  leaveFilesystemRoot();
  const dataDir = app.getPath('userData');
  const cipher = await keychainCipher(safeStorage);
  if (!cipher) log('the OS keychain is not available; secrets are kept in a file only you can read');
  host = await createHost({
    dataDir: { path: dataDir },
    secrets: FileSecretStore.inDataDir(dataDir, cipher ?? undefined),
    ownerKind: 'app',
    log,
    browser: gatedShell,
    pathPicker: dialogPicker(() => window),
    notifier: desktopNotifier,
    autostart: true,
    // The desktop app has no `node` of its own guaranteed: the bundled examples run on Electron as Node.
    bundled: { examplesDir: join(DIST, 'examples'), runtime: { command: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } } },
    onUnexpected: (where, error) => log(`internal error in ${where}: ${describe(error)}`),
  });
  await clearViewStorage(session.defaultSession).catch((error: unknown) => log(`views' storage from earlier runs was not cleared: ${describe(error)}`));
  denyPermissions(session.defaultSession, host.apps);
  serveRenderer(session.defaultSession, join(DIST, 'renderer'));
  serveViewFrames(session.defaultSession, host.apps);
  host.apps.attachFrames(desktopFrames);
  unroute = routeIpc(host.dispatch, host.events, () => window?.webContents, log);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
}

start().catch((error: unknown) => {
  log(`Steward could not start: ${describe(error)}`);
  app.exit(1);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !host) return;
  event.preventDefault();
  quitting = true;
  unroute?.();
  host
    .dispose()
    .catch((error: unknown) => log(`shutting down: ${describe(error)}`))
    .finally(() => app.exit(0));
});
