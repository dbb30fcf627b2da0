// Electron implementations of the host's ports: secrets through safeStorage, links through shell behind the URL gate.
import { Notification, safeStorage, shell } from 'electron';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BrowserOpener, Notifier, SecretStore } from '../core/ports.js';
import { checkUrl } from '../core/security/index.js';

/** Values encrypted with the OS keychain (Keychain, DPAPI, libsecret/kwallet) before they touch the disk. */
export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private write(values: Record<string, string>): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(values), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = this.read()[key];
    return sealed === undefined ? undefined : safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  async set(key: string, value: string): Promise<void> {
    const values = this.read();
    values[key] = safeStorage.encryptString(value).toString('base64');
    this.write(values);
  }

  async delete(key: string): Promise<void> {
    const values = this.read();
    if (!(key in values)) return;
    delete values[key];
    this.write(values);
  }

  async keys(prefix: string): Promise<string[]> {
    return Object.keys(this.read()).filter((k) => k.startsWith(prefix));
  }
}

/** shell.openExternal, but only for URLs the gate allows. */
export const gatedShell: BrowserOpener = {
  async open(url) {
    const verdict = checkUrl(url, { allowLoopbackHttp: true });
    if (!verdict.allowed) throw new Error(`Refused to open ${verdict.display}: ${verdict.problems.join(' ')}`);
    await shell.openExternal(url, { activate: true });
  },
};

export const desktopNotifier: Notifier = {
  notify(title, body) {
    if (Notification.isSupported()) new Notification({ title, body, silent: false }).show();
  },
};
