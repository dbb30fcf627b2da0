// A small fake of the electron module for unit tests of main/app: records what the app configures.
import { EventEmitter } from 'node:events';

export interface FakeContents extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => { action: string };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void;
  /** The WebRTC IP handling policies set, in order. */
  webRtcPolicies: string[];
  setWebRTCIPHandlingPolicy(policy: string): void;
}

export function fakeContents(): FakeContents {
  const contents = new EventEmitter() as FakeContents;
  contents.setWindowOpenHandler = (handler) => {
    contents.windowOpenHandler = handler;
  };
  contents.webRtcPolicies = [];
  contents.setWebRTCIPHandlingPolicy = (policy) => void contents.webRtcPolicies.push(policy);
  return contents;
}

export function fakeSession() {
  const state: {
    permissionRequest?: (c: unknown, p: string, cb: (ok: boolean) => void, details?: { requestingUrl: string; mediaTypes?: string[] }) => void;
    permissionCheck?: () => boolean;
    deviceCheck?: () => boolean;
    handler?: (request: Request) => Promise<Response>;
    /** What clearData was asked to clear, each time, with how many windows existed then. */
    cleared: Array<{ options: unknown; windowsBefore: number }>;
  } = { cleared: [] };
  return {
    state,
    /** How many windows exist now; a test that makes windows says (for the order of clearing and opening). */
    windows: () => 0,
    clearData(options: unknown) {
      state.cleared.push({ options, windowsBefore: this.windows() });
      return Promise.resolve();
    },
    setPermissionRequestHandler: (h: typeof state.permissionRequest) => void (state.permissionRequest = h),
    setPermissionCheckHandler: (h: () => boolean) => void (state.permissionCheck = h),
    setDevicePermissionHandler: (h: () => boolean) => void (state.deviceCheck = h),
    protocol: { handle: (_scheme: string, h: (r: Request) => Promise<Response>) => void (state.handler = h) },
  };
}

export function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  return {
    handlers,
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => void handlers.set(channel, fn),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

/** Electron's safeStorage, with a reversible stand-in for the OS keychain. */
export function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}) {
  return {
    isAsyncEncryptionAvailable: () => Promise.resolve(options.available ?? true),
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptStringAsync: (plain: string) => Promise.resolve(Buffer.from(`sealed(${Buffer.from(plain).toString('hex')})`)),
    decryptStringAsync: (sealed: Buffer) => {
      const m = /^sealed\(([0-9a-f]*)\)$/.exec(sealed.toString());
      if (!m?.[1]) return Promise.reject(new Error('Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.'));
      return Promise.resolve({ shouldReEncrypt: false, result: Buffer.from(m[1], 'hex').toString() });
    },
  };
}

/** The app object: records listeners and calls, and lets a test say when it is ready. */
export function fakeApp(options: { userData: string; singleInstance?: boolean }) {
  const emitter = new EventEmitter();
  let ready: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const calls: string[] = [];
  return Object.assign(emitter, {
    calls,
    ready,
    whenReady: () => readyPromise,
    getPath: (name: string) => (name === 'userData' ? options.userData : `/fake/${name}`),
    requestSingleInstanceLock: () => options.singleInstance ?? true,
    quit: () => void calls.push('quit'),
    exit: (code: number) => void calls.push(`exit ${code}`),
  });
}

/** BrowserWindow: every window made is kept, with the options it was made with and the URL it loaded. */
export function fakeBrowserWindowClass() {
  const made: Array<{
    options: Record<string, unknown>;
    url?: string;
    contents: FakeContents & { send: (...a: unknown[]) => void; isDestroyed(): boolean };
    /** What was done to the window itself (restore, focus), in order. */
    calls: string[];
    minimize(): void;
  }> = [];
  class FakeBrowserWindow extends EventEmitter {
    static getAllWindows = () => made;
    readonly webContents;
    private readonly calls: string[] = [];
    private minimized = false;
    constructor(options: Record<string, unknown>) {
      super();
      this.webContents = Object.assign(fakeContents(), { send: () => undefined, isDestroyed: () => false });
      made.push({ options, contents: this.webContents, calls: this.calls, minimize: () => void (this.minimized = true) });
    }
    loadURL(url: string) {
      made.at(-1)!.url = url;
      return Promise.resolve();
    }
    show() {}
    focus() {
      this.calls.push('focus');
    }
    restore() {
      this.calls.push('restore');
      this.minimized = false;
    }
    isMinimized() {
      return this.minimized;
    }
  }
  return { FakeBrowserWindow, made };
}
