// Electron implementations of the host's ports: secrets through safeStorage, links through shell behind the URL gate.
import { Notification, safeStorage, shell } from 'electron';
import type { SecretCipher } from '../core/node/index.js';
import type { BrowserOpener, Notifier } from '../core/ports.js';
import { judgeUrl } from '../core/security/index.js';

/** Seals secrets with the OS keychain (Keychain, DPAPI, libsecret/kwallet) before they touch the disk. */
export const keychainCipher: SecretCipher = {
  seal: async (plain) => (await safeStorage.encryptStringAsync(plain)).toString('base64'),
  open: async (sealed) => (await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result,
};

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
