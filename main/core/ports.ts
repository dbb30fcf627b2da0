// Ports: everything the host needs from its environment, passed in by the front end (Electron, web, CLI, tests).

/** Secrets (server env values, header values, later model keys and OAuth tokens), encrypted at rest where the OS allows. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Sets `set` and deletes `remove` as one change: one write however many keys it holds, and no other process sees half
   * of it. A key in both is set.
   */
  change(set: ReadonlyMap<string, string>, remove: readonly string[]): Promise<void>;
  /** Keys starting with the prefix. */
  keys(prefix: string): Promise<string[]>;
}

/** Opens a URL in the user's own browser. Only the URL gate calls it, and only after a click. */
export interface BrowserOpener {
  open(url: string): Promise<void>;
}

/**
 * The front end's own chooser for a file or folder on this computer (the desktop app's dialog), for settings that
 * name a path. Absent where there is none (browser mode, the CLI): the user types the path. Null when cancelled.
 */
export interface PathPicker {
  pick(kind: 'file' | 'directory', title: string): Promise<string | null>;
}

/** Runs `fn` in one transaction of the host's database; the store defines it, services take it as a port. */
export type { Transact } from './store/index.js';

export interface Clock {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => { cancel: () => void };
}

export interface Notifier {
  notify(title: string, body: string): void;
}

/** Told about an error no caller waits for (a timer's flush, a poller's step), so it reaches the host's log. */
export type Unexpected = (where: string, error: unknown) => void;

export interface DataDir {
  /** Absolute path of the folder holding the database and the host's own files. */
  readonly path: string;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** The last millisecond made into ISO text, and its text. */
let lastIso = { ms: Number.NaN, text: '' };

/** The clock's time as ISO text. A sampling round reads it several times within one millisecond: the text is made once. */
export function isoNow(clock: Pick<Clock, 'now'>): string {
  const ms = clock.now();
  if (ms !== lastIso.ms) lastIso = { ms, text: new Date(ms).toISOString() };
  return lastIso.text;
}

/** The log of last resort, for a front end that names none. */
export const unexpectedToStderr: Unexpected = (where, error) => {
  process.stderr.write(`[steward] internal error in ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
};
