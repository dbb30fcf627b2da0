// Electron implementations of the host's ports: secrets through safeStorage, links through shell behind the URL gate,
// the file and folder chooser through dialog.
import { dialog, Notification, safeStorage, shell, type BrowserWindow } from 'electron';
import type { SecretCipher } from '../core/node/index.js';
import type { BrowserOpener, Notifier, PathPicker } from '../core/ports.js';
import { judgeUrl } from '../core/security/index.js';

/**
 * Seals secrets with the OS keychain (Keychain, DPAPI, libsecret/kwallet) before they touch the disk; null when there
 * is none to use. On Linux, Electron's "basic_text" fallback seals with a key written in Electron itself: that is no
 * keychain, so it counts as none (the file's 0600 permissions are then the protection, as for the CLI).
 */
export async function keychainCipher(storage: typeof safeStorage = safeStorage, platform: NodeJS.Platform = process.platform): Promise<SecretCipher | null> {
  if (!(await storage.isAsyncEncryptionAvailable())) return null;
  if (platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text') return null;
  return {
    tag: 'keychain',
    seal: async (plain) => (await storage.encryptStringAsync(plain)).toString('base64'),
    open: async (sealed) => (await storage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result,
  };
}

/** shell.openExternal, but only for URLs the gate allows, and only in their canonical form. */
export const gatedShell: BrowserOpener = {
  async open(url) {
    const verdict = judgeUrl(url, 'browser');
    if (!verdict.allowed) throw new Error(`Refused to open ${verdict.display}: ${verdict.problems.join(' ')}`);
    await shell.openExternal(verdict.canonical, { activate: true });
  },
};

export const desktopNotifier: Notifier = {
  notify(title, body) {
    if (Notification.isSupported()) new Notification({ title, body, silent: false }).show();
  },
};

/**
 * The system's open dialog, over the window when there is one (so it is modal to it); a folder may be created from it
 * (a new notes folder). Electron's dialog is reached only when asked, so building the port touches nothing.
 */
export function dialogPicker(window: () => BrowserWindow | undefined): PathPicker {
  return {
    async pick(kind, title) {
      const options: Electron.OpenDialogOptions = {
        title,
        properties: kind === 'directory' ? ['openDirectory', 'createDirectory', 'dontAddToRecent'] : ['openFile', 'dontAddToRecent'],
      };
      const parent = window();
      const result = await (parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options));
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
