// A SecretStore for plain Node (CLI, browser mode): one JSON file readable only by the user (0600).
// It is not encrypted — the Electron app uses the OS keychain through safeStorage instead.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SecretStore } from '../ports.js';

export class FileSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  static inDataDir(dataDir: string): FileSecretStore {
    return new FileSecretStore(join(dataDir, 'secrets.json'));
  }

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  private write(values: Record<string, string>): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(values), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }

  async get(key: string): Promise<string | undefined> {
    return this.read()[key];
  }

  async set(key: string, value: string): Promise<void> {
    const values = this.read();
    if (values[key] === value) return;
    values[key] = value;
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
