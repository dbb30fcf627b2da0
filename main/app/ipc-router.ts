// Electron IPC over the shared dispatcher: handlers only for contract calls, only for our own top-level frame.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CALL_NAMES, EVENT_NAMES } from '../../shared/contract/index.js';
import type { Dispatch } from '../../shared/dispatch.js';
import { StewardError, toFailure } from '../../shared/errors.js';
import type { HostEvents } from '../core/events.js';
import { isTrustedSender } from './security.js';

export function routeIpc(dispatch: Dispatch, events: HostEvents, target: () => WebContents | undefined, log: (line: string) => void): () => void {
  for (const channel of CALL_NAMES) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame)) {
        log(`dropped ${channel} from an untrusted frame (${event.senderFrame?.url ?? 'unknown'})`);
        return toFailure(new StewardError('invalid_payload', 'Calls are accepted only from Steward’s own window.'));
      }
      return dispatch(channel, payload);
    });
  }
  const off = events.onAny((name, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(name, payload);
  }, EVENT_NAMES);
  return () => {
    off();
    for (const channel of CALL_NAMES) ipcMain.removeHandler(channel);
  };
}
