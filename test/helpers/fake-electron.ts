// A small fake of the electron module for unit tests of main/app: records what the app configures.
import { EventEmitter } from 'node:events';

export interface FakeContents extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => { action: string };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void;
}

export function fakeContents(): FakeContents {
  const contents = new EventEmitter() as FakeContents;
  contents.setWindowOpenHandler = (handler) => {
    contents.windowOpenHandler = handler;
  };
  return contents;
}

export function fakeSession() {
  const state: {
    permissionRequest?: (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    permissionCheck?: () => boolean;
    deviceCheck?: () => boolean;
    handler?: (request: Request) => Promise<Response>;
  } = {};
  return {
    state,
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
