// A SecretStore kept in one JSON file readable only by the user (0600). With a cipher (the desktop app passes
// the OS keychain's, through Electron's safeStorage) values are sealed before they touch the disk; without one
// (CLI, browser mode) they are stored as they are, protected by the file's permissions alone.
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SecretStore } from '../ports.js';

export interface SecretCipher {
  seal: (plain: string) => Promise<string>;
  open: (sealed: string) => Promise<string>;
}

const PLAIN: SecretCipher = { seal: (v) => Promise.resolve(v), open: (v) => Promise.resolve(v) };

export class FileSecretStore implements SecretStore {
  /** The parsed file and the modification time it was read at; another process's write changes the time. */
  private cache: { mtimeMs: number; values: Record<string, string> } | undefined;

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher = PLAIN,
  ) {}

  static inDataDir(dataDir: string, cipher?: SecretCipher): FileSecretStore {
    return new FileSecretStore(join(dataDir, 'secrets.json'), cipher);
  }

  private read(): Record<string, string> {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.file).mtimeMs;
    } catch {
      return {};
    }
    if (this.cache?.mtimeMs === mtimeMs) return { ...this.cache.values };
    let values: Record<string, string> = {};
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) values = parsed as Record<string, string>;
    } catch {
      values = {};
    }
    this.cache = { mtimeMs, values };
    return { ...values };
  }

  private write(values: Record<string, string>): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(values), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
    this.cache = undefined;
  }

  async get(key: string): Promise<string | undefined> {
    const stored = this.read()[key];
    return stored === undefined ? undefined : await this.cipher.open(stored);
  }

  async set(key: string, value: string): Promise<void> {
    const sealed = await this.cipher.seal(value);
    const values = this.read();
    values[key] = sealed;
    this.write(values);
  }

  delete(key: string): Promise<void> {
    // The work is synchronous; a failed write still reaches the caller as a rejection.
    return new Promise((resolve) => {
      const values = this.read();
      if (key in values) this.write(Object.fromEntries(Object.entries(values).filter(([k]) => k !== key)));
      resolve();
    });
  }

  keys(prefix: string): Promise<string[]> {
    return Promise.resolve(Object.keys(this.read()).filter((k) => k.startsWith(prefix)));
  }
}
