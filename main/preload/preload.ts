// window.steward from the contract: one invoke per call, one subscribe per event, no raw ipcRenderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_NAMES, EVENT_NAMES } from '../../shared/contract/index.js';

const calls = Object.fromEntries(CALL_NAMES.map((channel) => [channel, (payload: unknown) => ipcRenderer.invoke(channel, payload)]));

const events = Object.fromEntries(
  EVENT_NAMES.map((channel) => [
    channel,
    (listener: (payload: unknown) => void) => {
      const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, handler);
      return () => void ipcRenderer.removeListener(channel, handler);
    },
  ]),
);

contextBridge.exposeInMainWorld('steward', { calls, events });
