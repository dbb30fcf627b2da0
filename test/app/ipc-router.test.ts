// The IPC router: contract channels only, our own frame only, bad payloads refused with a code, events forwarded.
import { describe, expect, it, vi } from 'vitest';
import { CALL_NAMES } from '../../shared/contract/index.js';
import { fakeIpcMain } from '../helpers/fake-electron.js';
import { makeHost } from '../helpers/host.js';

const ipcMain = fakeIpcMain();
vi.mock('electron', () => ({ ipcMain }));
const { routeIpc } = await import('../../main/app/ipc-router.js');

const trusted = { senderFrame: { url: 'app://steward/index.html', parent: null } };

describe('IPC router', () => {
  it('registers exactly the contract calls and dispatches them for our window', async () => {
    const t = await makeHost();
    const sent: [string, unknown][] = [];
    const contents = { isDestroyed: () => false, send: (name: string, payload: unknown) => sent.push([name, payload]) };
    const unroute = routeIpc(
      t.host.dispatch,
      t.host.events,
      () => contents as never,
      () => undefined,
    );
    try {
      expect([...ipcMain.handlers.keys()].sort()).toEqual([...CALL_NAMES].sort());
      const list = await ipcMain.handlers.get('servers:list')!(trusted, {});
      expect(list).toEqual({ ok: true, data: [] });

      const bad = await ipcMain.handlers.get('servers:add')!(trusted, { name: 42, config: 'rm -rf /' });
      expect(bad).toMatchObject({ ok: false, code: 'invalid_payload' });

      const foreign = await ipcMain.handlers.get('servers:list')!({ senderFrame: { url: 'https://evil.example/', parent: null } }, {});
      expect(foreign).toMatchObject({ ok: false, code: 'invalid_payload' });
      const subframe = await ipcMain.handlers.get('servers:list')!({ senderFrame: { url: 'app://steward/index.html', parent: {} } }, {});
      expect(subframe).toMatchObject({ ok: false });

      await t.host.servers.add({ name: 'remote', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
      expect(sent.map(([name]) => name)).toContain('servers:changed');
    } finally {
      unroute();
      await t.close();
    }
    expect(ipcMain.handlers.size).toBe(0);
  });
});
