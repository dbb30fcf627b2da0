// The preload against a fake electron: window.steward is the contract and nothing more — one invoke per call, one
// subscribe per event (the IPC event object never reaches the page), no raw ipcRenderer.
import { describe, expect, it, vi } from 'vitest';
import { CALL_NAMES, EVENT_NAMES } from '../../shared/contract/index.js';

const exposed = new Map<string, unknown>();
const invoked: Array<[string, unknown]> = [];
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => void exposed.set(name, api) },
  ipcRenderer: {
    invoke: (channel: string, payload: unknown) => {
      invoked.push([channel, payload]);
      return Promise.resolve({ ok: true, data: channel });
    },
    on: (channel: string, fn: (...args: unknown[]) => void) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(fn),
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => void listeners.get(channel)?.delete(fn),
  },
}));
await import('../../main/preload/preload.js');

type Bridge = { calls: Record<string, (p: unknown) => Promise<unknown>>; events: Record<string, (l: (p: unknown) => void) => () => void> };

describe('the preload bridge', () => {
  it('exposes only window.steward, with exactly the contract’s calls and events', () => {
    expect([...exposed.keys()]).toEqual(['steward']);
    const bridge = exposed.get('steward') as Bridge;
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'events']);
    expect(Object.keys(bridge.calls).sort()).toEqual([...CALL_NAMES].sort());
    expect(Object.keys(bridge.events).sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('a call is one invoke on its own channel', async () => {
    const bridge = exposed.get('steward') as Bridge;
    expect(await bridge.calls['servers:list']!({})).toEqual({ ok: true, data: 'servers:list' });
    expect(invoked).toEqual([['servers:list', {}]]);
  });

  it('a subscription hears only the payload, and unsubscribing removes exactly its listener', () => {
    const bridge = exposed.get('steward') as Bridge;
    const heard: unknown[] = [];
    const off = bridge.events['servers:changed']!((p) => heard.push(p));
    const other = bridge.events['servers:changed']!(() => undefined);
    for (const fn of listeners.get('servers:changed')!) fn({ sender: 'ipc internals' }, { id: 's1' });
    expect(heard).toEqual([{ id: 's1' }]);
    off();
    expect(listeners.get('servers:changed')!.size).toBe(1);
    other();
    expect(listeners.get('servers:changed')!.size).toBe(0);
  });
});
