// A SecretStore kept in one JSON file readable only by the user (0600). With a cipher (the desktop app passes the OS
// keychain's, through Electron's safeStorage) values are sealed before they touch the disk; without one (CLI, browser
// mode) they are stored as they are, protected by the file's permissions alone. Each value says how it was sealed, so
// a process without the keychain says so instead of returning ciphertext.
//
// Several processes share the file: a change is a read-modify-write under a lock file, written to a temp file, flushed
// and renamed into place (a crash leaves the old file or the new one, never half of one). A damaged file is refused
// with a clear error and copied aside; it is never written over, so no stored secret is lost to a bad read.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StewardError } from '../../../shared/errors.js';
import { isSameProcess, startTokenOf } from '../owners/index.js';
import type { SecretStore } from '../ports.js';

export interface SecretCipher {
  /** Names the sealing on disk (`plain`, `keychain`); a value sealed by another cipher is refused, not misread. */
  readonly tag: string;
  seal: (plain: string) => Promise<string>;
  open: (sealed: string) => Promise<string>;
}

const PLAIN: SecretCipher = { tag: 'plain', seal: (v) => Promise.resolve(v), open: (v) => Promise.resolve(v) };
const TAGGED = /^([a-z]+):/;
const LOCK_WAIT_MS = 10_000;

export class FileSecretStore implements SecretStore {
  /** The parsed file and the modification time it was read at; another process's write changes the time. */
  private cache: { mtimeMs: number; size: number; values: Record<string, string> } | undefined;

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher = PLAIN,
  ) {}

  static inDataDir(dataDir: string, cipher?: SecretCipher): FileSecretStore {
    return new FileSecretStore(join(dataDir, 'secrets.json'), cipher);
  }

  private read(): Record<string, string> {
    let stat: { mtimeMs: number; size: number };
    try {
      stat = statSync(this.file);
    } catch {
      return {};
    }
    if (this.cache?.mtimeMs === stat.mtimeMs && this.cache.size === stat.size) return { ...this.cache.values };
    const text = readFileSync(this.file, 'utf8');
    const values = parseSecrets(text);
    if (!values) throw this.damaged(text);
    this.cache = { mtimeMs: stat.mtimeMs, size: stat.size, values };
    return { ...values };
  }

  /** Keeps a copy of a damaged file beside it (once per content) and explains what to do. */
  private damaged(text: string): StewardError {
    const aside = `${this.file}.damaged-${hash(text)}`;
    try {
      if (!existsSync(aside)) copyFileSync(this.file, aside);
    } catch {
      // The original stays where it is, untouched, either way.
    }
    return new StewardError(
      'secrets_unreadable',
      `The secrets file ${this.file} is damaged, so Steward cannot read the secrets in it. A copy is kept as ${basename(aside)}; Steward will not write over the file. Restore a good copy, or move the file away to start again without stored secrets.`,
    );
  }

  private write(values: Record<string, string>): void {
    const dir = dirname(this.file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(values));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    // The rename itself is made durable by flushing the folder (not possible, nor needed, on Windows).
    if (process.platform !== 'win32') {
      const dirFd = openSync(dir, 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    }
    this.cache = undefined;
  }

  /** Runs a read-modify-write while holding the lock file, so two processes never write from the same old copy. */
  private async rewrite(apply: (values: Record<string, string>) => boolean): Promise<void> {
    const release = await this.lock();
    try {
      this.cache = undefined;
      const values = this.read();
      if (apply(values)) this.write(values);
    } finally {
      release();
    }
  }

  private async lock(): Promise<() => void> {
    const path = `${this.file}.lock`;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const me = `${process.pid} ${startTokenOf(process.pid) ?? ''} ${randomBytes(6).toString('hex')}`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        try {
          writeSync(fd, me);
        } finally {
          closeSync(fd);
        }
        return () => {
          // Only our own lock is removed.
          if (readLock(path) === me) unlinkSync(path);
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      removeIfAbandoned(path);
      if (Date.now() > deadline) {
        throw new StewardError('secrets_unreadable', `Another Steward process has held the secrets file's lock (${path}) for too long.`);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  async get(key: string): Promise<string | undefined> {
    const stored = this.read()[key];
    return stored === undefined ? undefined : await this.unseal(stored);
  }

  private async unseal(stored: string): Promise<string> {
    const tag = TAGGED.exec(stored)?.[1];
    if (tag === undefined) return legacyOpen(this.cipher, stored);
    const body = stored.slice(tag.length + 1);
    if (tag === PLAIN.tag) return body;
    if (tag === this.cipher.tag) return this.cipher.open(body);
    throw new StewardError(
      'secrets_unreadable',
      tag === 'keychain'
        ? 'This secret was sealed with the OS keychain by the desktop app, which this process cannot use. Use it from the app, or set it again here.'
        : `This secret was sealed in a way this Steward does not know (${tag}).`,
    );
  }

  private async seal(value: string): Promise<string> {
    return `${this.cipher.tag}:${await this.cipher.seal(value)}`;
  }

  async set(key: string, value: string): Promise<void> {
    await this.change(new Map([[key, value]]), []);
  }

  async delete(key: string): Promise<void> {
    await this.change(new Map(), [key]);
  }

  async change(set: ReadonlyMap<string, string>, remove: readonly string[]): Promise<void> {
    if (set.size === 0 && remove.length === 0) return;
    // Sealed before the lock is taken: the keychain may be slow, and other processes wait on the lock.
    const sealed: Array<[string, string]> = [];
    for (const [key, value] of set) sealed.push([key, await this.seal(value)]);
    await this.rewrite((values) => {
      let changed = sealed.length > 0;
      for (const key of remove) {
        if (set.has(key) || !Object.hasOwn(values, key)) continue;
        Reflect.deleteProperty(values, key);
        changed = true;
      }
      for (const [key, value] of sealed) values[key] = value;
      return changed;
    });
  }

  keys(prefix: string): Promise<string[]> {
    // A damaged file rejects the promise, as every other method does, rather than throwing at the call.
    return new Promise((resolve) => {
      resolve(Object.keys(this.read()).filter((k) => k.startsWith(prefix)));
    });
  }
}

/** The file's content as a map of strings, or undefined when it is not one. */
function parseSecrets(text: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

/** Values written before values were tagged: sealed by this kind of process, or plain (written by a CLI). */
async function legacyOpen(cipher: SecretCipher, stored: string): Promise<string> {
  try {
    return await cipher.open(stored);
  } catch {
    return stored;
  }
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A lock whose holder process is gone (it crashed mid-change) is removed, and only if it is still that same lock. One
 * that names no process yet may be a moment old (created, not yet written): it counts as abandoned after a few seconds.
 */
function removeIfAbandoned(path: string): void {
  const holder = readLock(path);
  if (holder === undefined) return;
  const [pid, started = ''] = holder.split(' ');
  if (pid !== undefined && /^\d+$/.test(pid)) {
    if (isSameProcess(Number(pid), started)) return;
  } else {
    try {
      if (Date.now() - statSync(path).mtimeMs < 5000) return;
    } catch {
      return;
    }
  }
  if (readLock(path) === holder) {
    try {
      unlinkSync(path);
    } catch {
      // someone else removed it first
    }
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
